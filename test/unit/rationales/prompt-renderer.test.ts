import { describe, expect, it } from 'vitest';
import { renderPrompt } from '../../../main/features/rationales/prompt-renderer.js';
import { parseTemplate } from '../../../main/features/rationales/prompt-template.js';
import type { HistoryEntry, ItemText, UserContext } from '../../../main/features/rationales/user-context.js';

const item = (idx: number, title: string, extra: Partial<ItemText> = {}): ItemText => ({
  idx,
  originalId: `i${idx}`,
  title,
  brand: '',
  categories: '',
  description: '',
  ...extra,
});

function context(n: number, descLength = 0): UserContext {
  const history: HistoryEntry[] = Array.from({ length: n }, (_, i) => ({
    pos: i,
    item: item(i, `Item number ${i} oldest-first`),
    rating: 4,
    review: i % 2 ? `review ${i}` : null,
  }));
  return {
    datasetId: 1,
    userIdx: 0,
    userOriginalId: 'u0',
    target: { userIdx: 0, pos: n, itemIdx: 99 },
    targetItem: item(99, 'The Target', { brand: 'Acme', categories: 'A, B', description: 'd'.repeat(descLength) }),
    history,
  };
}

const template = parseTemplate(
  '=== system ===\nYou explain.\n=== user ===\nHistory:\n{{history}}\n{{#reviews}}\nReviews:\n{{reviews}}\n{{/reviews}}\nChosen:\n{{target}}',
);
const chars = { countTokens: async (t: string) => t.length };

describe('prompt rendering and shortening', () => {
  it('renders everything when it fits', async () => {
    const r = await renderPrompt(template, context(5), { fit: { ...chars, contextSize: 10_000, maxTokens: 150 } });
    expect(r.shortened).toBe(false);
    expect(r.droppedHistory).toBe(0);
    expect(r.user).toContain('1. Item number 0');
    expect(r.user).toContain('Title: The Target');
    expect(r.user).toContain('rated 4/5');
    expect(r.user).toContain('review 1');
  });

  it('drops the oldest history first, the fewest that fit, and says so', async () => {
    const full = await renderPrompt(template, context(20));
    const fullTokens = full.system.length + full.user.length;
    const r = await renderPrompt(template, context(20), { fit: { ...chars, contextSize: fullTokens - 100 + 150 + 48, maxTokens: 150 } });
    expect(r.shortened).toBe(true);
    expect(r.clipped).toBe(false);
    expect(r.droppedHistory).toBeGreaterThan(0);
    expect(r.user).not.toContain('Item number 0 ');
    expect(r.user).toContain('Item number 19');
    // The fewest: dropping one fewer would not fit.
    expect(r.promptTokens!).toBeLessThanOrEqual(fullTokens - 100);
    const oneFewer = await renderPrompt(template, { ...context(20), history: context(20).history.slice(r.droppedHistory - 1) });
    expect(oneFewer.system.length + oneFewer.user.length).toBeGreaterThan(fullTokens - 100);
  });

  it('never fails: an enormous target in a tiny context is clipped to fit', async () => {
    const r = await renderPrompt(template, context(3, 50_000), { fit: { ...chars, contextSize: 600, maxTokens: 150 } });
    expect(r.shortened).toBe(true);
    expect(r.clipped).toBe(true);
    expect(r.droppedHistory).toBe(3);
    expect(r.promptTokens!).toBeLessThanOrEqual(600 - 150 - 48);
  });

  it('leaves out empty reviews and renders a user with no history', async () => {
    const r = await renderPrompt(template, context(0));
    expect(r.user).toContain('(no earlier purchases)');
    expect(r.user).not.toContain('Reviews:');
  });
});
