import { describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import { defaultTemplateBody, fill, parseTemplate, templateHash } from '../../../main/features/rationales/prompt-template.js';

describe('prompt templates', () => {
  it('parses the default template: paper settings, both sections, its variables', () => {
    const t = parseTemplate(defaultTemplateBody());
    expect(t.name).toBe('pulse-rationale');
    expect(t.settings).toEqual({ temperature: 0.7, maxTokens: 150, maxChars: 600 });
    expect(t.system).toMatch(/expert in consumer psychology and recommender systems/);
    expect(t.user).toMatch(/\{"rationale": "\.\.\."\}/);
    expect(t.user).toMatch(/under 100 words/);
    expect(t.variables).toEqual(expect.arrayContaining(['history', 'reviews', 'target', 'similar_users']));
  });

  it('is content-addressed: same body, same hash; one byte changes it', () => {
    const body = defaultTemplateBody();
    expect(templateHash(body)).toBe(templateHash(body));
    expect(templateHash(body + ' ')).not.toBe(templateHash(body));
    expect(templateHash(body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renders blocks only when their variable is non-empty, and drops the block lines', () => {
    const t = parseTemplate('=== user ===\nA\n{{#reviews}}\nReviews:\n{{reviews}}\n{{/reviews}}\nB {{target}}');
    expect(fill(t.user, { reviews: '', target: 'X' })).toBe('A\nB X');
    expect(fill(t.user, { reviews: 'great', target: 'X' })).toBe('A\nReviews:\ngreat\nB X');
  });

  it('rejects unknown variables and unclosed blocks, with the line', () => {
    const bad = () => parseTemplate('---\ntemperature: 0.5\n---\n=== user ===\nfine {{target}}\n{{histroy}}\n');
    expect(bad).toThrow(UserError);
    try {
      bad();
    } catch (e) {
      expect((e as UserError).message).toMatch(/histroy/);
      expect((e as UserError).line).toBe(6);
    }
    expect(() => parseTemplate('{{#reviews}} {{target}}')).toThrow(/never closed/);
    expect(() => parseTemplate('=== user ===\nno target here')).toThrow(/\{\{target\}\}/);
    expect(() => parseTemplate('---\ntemperature: hot\n---\n{{target}}')).toThrow(/temperature/);
  });

  it('treats a body without section markers as the user message', () => {
    const t = parseTemplate('Why {{target}}?');
    expect(t.system).toBe('');
    expect(t.user).toBe('Why {{target}}?');
  });
});
