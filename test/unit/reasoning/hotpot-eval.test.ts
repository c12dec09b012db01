import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateHotpot, exactMatch, f1Score, normalizeAnswer, supportingFactScore, type GoldQuestion } from '../../../main/features/reasoning/hotpot-eval.js';
import { loadHotpotFile, loadHotpotPredictions } from '../../../main/features/reasoning/hotpot-file.js';
import { UserError } from '../../../main/base/errors.js';
import { tempDir } from '../../support/temp.js';

describe('HotpotQA answer normalisation (official order: lower, punctuation, articles, whitespace)', () => {
  it.each([
    ['The Apple, Inc.', 'apple inc'],
    ['  A   cat\tsat\n', 'cat sat'],
    ['an Owl and THE moon', 'owl and moon'],
    ['U.S.A.', 'usa'],
    ['rock-and-roll', 'rockandroll'],
    ['Theater and another', 'theater and another'], // articles only as whole words
    ["the 'the'", ''], // quotes go first, then both articles
    ['Édith the Piaf', 'édith piaf'],
    ['éthe', 'éthe'], // Python's \b is Unicode-aware: "the" inside a word stays
    ['a\u00a0b', 'b'], // non-breaking space is whitespace for Python's split()
  ])('normalize(%j) = %j', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });
});

describe('exact match and token F1', () => {
  it('EM ignores case, punctuation and articles', () => {
    expect(exactMatch('the Eiffel Tower!', 'Eiffel tower')).toBe(1);
    expect(exactMatch('Eiffel', 'Eiffel tower')).toBe(0);
  });

  it('F1 by hand: "a cat sat" vs "the cat sat down" = 2PR/(P+R) with P=1, R=2/3', () => {
    const s = f1Score('a cat sat', 'the cat sat down');
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(0.8, 12);
  });

  it('F1 counts repeated tokens once per match (Counter intersection)', () => {
    const s = f1Score('the the cat cat', 'cat');
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(1);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });

  it('yes/no/noanswer: different normalised answers score 0 even with token overlap', () => {
    expect(f1Score('Yes.', 'yes').f1).toBe(1);
    expect(f1Score('yes it is', 'yes').f1).toBe(0); // gold is special and differs
    expect(f1Score('no', 'no answer').f1).toBe(0); // prediction is special and differs
    expect(f1Score('noanswer', 'noanswer').f1).toBe(1);
    expect(f1Score('no way', 'no doubt').f1).toBeCloseTo(0.5, 12); // neither side is special
  });

  it('no overlap is 0; both empty is EM 1 and F1 0 (as the script)', () => {
    expect(f1Score('paris', 'london').f1).toBe(0);
    expect(exactMatch('the', 'a')).toBe(1);
    expect(f1Score('the', 'a').f1).toBe(0);
  });
});

describe('supporting facts and the official form', () => {
  it('set precision/recall over (title, sent_id)', () => {
    const s = supportingFactScore(
      [
        ['A', 0],
        ['B', 1],
        ['C', 2],
        ['A', 0],
      ],
      [
        ['A', 0],
        ['B', 1],
      ],
    );
    expect(s).toMatchObject({ em: 0, precision: 2 / 3, recall: 1 });
    expect(s.f1).toBeCloseTo(0.8, 12);
    expect(
      supportingFactScore(
        [
          ['B', 1],
          ['A', 0],
        ],
        [
          ['A', 0],
          ['B', 1],
        ],
      ).em,
    ).toBe(1);
  });

  const gold: GoldQuestion[] = [
    {
      _id: 'q1',
      answer: 'the cat sat down',
      supporting_facts: [
        ['A', 0],
        ['B', 1],
      ],
    },
    { _id: 'q2', answer: 'yes', supporting_facts: [['C', 0]] },
    { _id: 'q3', answer: 'Paris', supporting_facts: [['D', 0]] },
  ];

  it('averages over ALL gold questions; missing answers and sp score 0; joint only where both exist', () => {
    const m = evaluateHotpot(
      {
        answer: { q1: 'a cat sat', q3: 'paris' },
        sp: {
          q1: [
            ['A', 0],
            ['B', 1],
            ['C', 2],
          ],
          q2: [['C', 0]],
        },
      },
      gold,
    );
    // q1: EM 0, F1 0.8 (P 1, R 2/3); q3: EM 1, F1 1; q2 missing answer.
    expect(m.questions).toBe(3);
    expect(m.exact_match).toBeCloseTo(1 / 3, 12);
    expect(m.f1).toBeCloseTo((0.8 + 1) / 3, 12);
    expect(m.missing_answers).toBe(1);
    // sp: q1 P 2/3 R 1 F1 0.8 EM 0; q2 EM 1; q3 missing.
    expect(m.sp_em).toBeCloseTo(1 / 3, 12);
    expect(m.sp_f1).toBeCloseTo(1.8 / 3, 12);
    expect(m.missing_sp).toBe(1);
    // joint: only q1 has both: P = 1 * 2/3, R = 2/3 * 1, F1 = 2/3.
    expect(m.joint_em).toBe(0);
    expect(m.joint_f1).toBeCloseTo(2 / 3 / 3, 12);
  });

  it('answer-only predictions give answer metrics only', () => {
    const m = evaluateHotpot({ answer: { q1: 'the cat sat down', q2: 'Yes', q3: 'London' } }, gold);
    expect(m).toMatchObject({ questions: 3, missing_answers: 0 });
    expect(m.exact_match).toBeCloseTo(2 / 3, 12);
    expect(m.sp_em).toBeUndefined();
  });
});

describe('HotpotQA file loading', () => {
  const t = tempDir('pulse-qa-load-');
  afterAll(t.cleanup);
  const write = (name: string, data: unknown) => {
    const f = path.join(t.dir, name);
    fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data));
    return f;
  };
  const good = { _id: 'a1', question: 'Q?', answer: 'x', context: [['T', ['s0.', 's1.']]], supporting_facts: [['T', 1]] };

  it('loads a valid file', () => {
    expect(loadHotpotFile(write('ok.json', [good]))).toHaveLength(1);
  });

  it('says which entry is wrong and what to do', () => {
    const f = write('bad.json', [good, { ...good, _id: 'a2', context: [['T', 'not a list']] }]);
    try {
      loadHotpotFile(f);
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toContain('Entry 1 (_id "a2")');
      expect((e as UserError).file).toBe(f);
      expect((e as UserError).hint).toContain('[[title, [sentence');
    }
    expect(() => loadHotpotFile(write('dup.json', [good, good]))).toThrow(/repeats the _id of entry 0/);
    expect(() => loadHotpotFile(write('noans.json', [{ ...good, answer: undefined }]))).toThrow(/no "answer"/);
    expect(() => loadHotpotFile(write('preds-as-gold.json', { answer: {} }))).toThrow(UserError);
  });

  it('reports the line of a JSON syntax error', () => {
    try {
      loadHotpotFile(write('syntax.json', '[\n{"_id": "a"},\n{oops}\n]'));
      expect.fail('should throw');
    } catch (e) {
      expect((e as UserError).line).toBe(3);
    }
  });

  it('checks a predictions file', () => {
    expect(loadHotpotPredictions(write('p.json', { answer: { a1: 'x' }, sp: { a1: [['T', 1]] } })).sp).toBeDefined();
    expect(() => loadHotpotPredictions(write('p2.json', { answer: { a1: 3 } }))).toThrow(/not a string/);
    expect(() => loadHotpotPredictions(write('p3.json', [good]))).toThrow(expect.objectContaining({ hint: expect.stringContaining('--gold') }));
  });
});
