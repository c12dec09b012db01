import { describe, expect, it } from 'vitest';
import { buildDemoQa } from '../../../main/features/reasoning/demo-qa.js';

describe('demo QA file', () => {
  const qs = buildDemoQa();

  it('is deterministic and in the HotpotQA dataset form', () => {
    expect(JSON.stringify(buildDemoQa())).toBe(JSON.stringify(qs));
    expect(qs).toHaveLength(30);
    expect(new Set(qs.map((q) => q._id)).size).toBe(30);
    for (const q of qs) {
      expect(q.context.length).toBeGreaterThanOrEqual(4);
      for (const [title, n] of q.supporting_facts) {
        const para = q.context.find(([t]) => t === title);
        expect(para, `${q._id}: ${title}`).toBeDefined();
        expect(para![1][n]).toBeDefined();
      }
    }
  });

  it('every answer follows from its supporting facts (multi-hop: two or more paragraphs)', () => {
    for (const q of qs) {
      const facts = q.supporting_facts.map(([t, n]) => q.context.find(([x]) => x === t)![1][n]!);
      expect(new Set(q.supporting_facts.map(([t]) => t)).size).toBeGreaterThanOrEqual(2);
      if (q.type === 'comparison') {
        const brands = facts.filter((f) => f.startsWith('It is made by')).map((f) => f.slice('It is made by '.length));
        expect(brands).toHaveLength(2);
        expect(q.answer).toBe(brands[0] === brands[1] ? 'yes' : 'no');
      } else {
        expect(facts.join(' ')).toContain(q.answer);
      }
    }
    expect(qs.filter((q) => q.answer === 'yes').length).toBe(qs.filter((q) => q.answer === 'no').length);
  });
});
