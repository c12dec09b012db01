import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalModel } from '../../../main/features/models/runtime.js';
import { answerQuestion, parseQaJson } from '../../../main/features/reasoning/qa-answer.js';
import type { HotpotQuestion } from '../../../main/features/reasoning/hotpot-file.js';
import { pulse } from '../../support/cli.js';
import { queryQaResults } from '../../../main/features/reasoning/qa-store.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { tempDir } from '../../support/temp.js';
import { writeTinyModel } from '../../support/tiny-gguf.js';

const t = tempDir('pulse-qa-int-');
let model: string;
let qaFile: string;
const ws = path.join(t.dir, 'ws');

const questions: HotpotQuestion[] = [
  {
    _id: 'h1',
    question: 'Which brand makes the lavender body mist that user one bought?',
    answer: 'Lumière',
    context: [
      ['user one', ['user one bought item A.', 'They rated it 5.']],
      ['item A', ['item A is a lavender body mist.', 'It is made by Lumière.']],
    ],
    supporting_facts: [
      ['user one', 0],
      ['item A', 1],
    ],
    type: 'bridge',
  },
  {
    _id: 'h2',
    question: 'Are item A and item B made by the same brand?',
    answer: 'no',
    context: [
      ['item A', ['It is made by Lumière.']],
      ['item B', ['It is made by Mistral.']],
    ],
    supporting_facts: [
      ['item A', 0],
      ['item B', 0],
    ],
    type: 'comparison',
  },
  {
    _id: 'h3',
    question: 'What does user two like?',
    answer: 'the rose scent',
    context: [['user two', ['user two likes the rose scent.']]],
    supporting_facts: [['user two', 0]],
  },
];

beforeAll(() => {
  model = writeTinyModel(t.dir).file;
  qaFile = path.join(t.dir, 'small-hotpot.json');
  fs.writeFileSync(qaFile, JSON.stringify(questions));
});
afterAll(t.cleanup);

describe('QA on the tiny GGUF', () => {
  it('answers in the bounded JSON form, with and without reasoning', async () => {
    const backend = await loadLocalModel({ modelPath: model, threads: 1, contextSize: 2048 });
    try {
      const plain = await answerQuestion(backend, questions[0]!, { reasoning: false, maxAnswerChars: 8, maxReasoningChars: 16, contextSize: 2048 });
      expect(typeof JSON.parse(plain.raw).answer).toBe('string');
      expect([...plain.prediction].length).toBeLessThanOrEqual(8);
      expect(plain.reasoning).toBeNull();
      const cot = await answerQuestion(backend, questions[0]!, { reasoning: true, maxAnswerChars: 8, maxReasoningChars: 16, contextSize: 2048 });
      const parsed = parseQaJson(cot.raw);
      expect(typeof parsed.reasoning).toBe('string');
      expect(cot.reasoning).toBe(parsed.reasoning);
      expect(cot.promptTokens).toBeGreaterThan(plain.promptTokens); // the "think step by step" instruction
      // A context that does not fit drops paragraphs from the end, and says so.
      const small = await answerQuestion(backend, questions[0]!, { reasoning: false, maxAnswerChars: 8, maxReasoningChars: 16, contextSize: 220 });
      expect(small.paragraphsDropped).toBeGreaterThan(0);
    } finally {
      await backend.dispose();
    }
  }, 300_000);

  it('repairs a reply cut by the token cap', () => {
    expect(parseQaJson('{"reasoning": "first A then B", "answer": "Lumi')).toEqual({ reasoning: 'first A then B', answer: 'Lumi' });
    expect(parseQaJson('{"reasoning": "cut \\')).toEqual({ reasoning: 'cut ', answer: '' });
  });

  it('pulse qa --file F --model M [--reasoning] --json scores the run and stores per-question results', () => {
    for (const reasoning of [false, true]) {
      const args = [
        'qa',
        '--file',
        qaFile,
        '--model',
        model,
        '--threads',
        '1',
        '--max-answer-chars',
        '8',
        '--max-reasoning-chars',
        '16',
        '--json',
        '--workspace',
        ws,
      ];
      const r = pulse(reasoning ? [...args, '--reasoning'] : args);
      expect(r.code, r.stderr).toBe(0);
      const out = r.json as { questions: number; exact_match: number; f1: number; runId: number; answered: number; reasoning: boolean };
      expect(out.questions).toBe(3);
      expect(out.answered).toBe(3);
      expect(out.reasoning).toBe(reasoning);
      for (const k of ['exact_match', 'f1'] as const) {
        expect(out[k]).toBeGreaterThanOrEqual(0);
        expect(out[k]).toBeLessThanOrEqual(1);
      }
      // Per-question results with the model's reasoning, filterable.
      const w = Workspace.open(ws);
      try {
        const all = queryQaResults(w.db, { runId: out.runId, filter: 'all', offset: 0, limit: 100 });
        expect(all.total).toBe(3);
        expect(all.results.every((x) => (reasoning ? typeof x.reasoning === 'string' : x.reasoning === null))).toBe(true);
        const wrong = queryQaResults(w.db, { runId: out.runId, filter: 'wrong', offset: 0, limit: 100 }).total;
        const right = queryQaResults(w.db, { runId: out.runId, filter: 'correct', offset: 0, limit: 100 }).total;
        expect(wrong + right).toBe(3);
        expect(right / 3).toBeCloseTo(out.exact_match, 12);
        expect(queryQaResults(w.db, { runId: out.runId, filter: 'all', type: 'comparison', offset: 0, limit: 100 }).results.map((x) => x.qid)).toEqual(['h2']);
        expect(queryQaResults(w.db, { runId: out.runId, filter: 'all', search: 'LAVENDER', offset: 0, limit: 100 }).results.map((x) => x.qid)).toEqual(['h1']);
      } finally {
        w.close();
      }
    }
  }, 600_000);

  it('--limit asks fewer questions but still averages over every gold question (missing = 0)', () => {
    const r = pulse(['qa', '--file', qaFile, '--model', model, '--threads', '1', '--limit', '1', '--max-answer-chars', '8', '--json', '--workspace', ws]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as { questions: number; answered: number; missing_answers: number };
    expect(out).toMatchObject({ questions: 3, answered: 1, missing_answers: 2 });
  });

  it('a bad file fails before any job starts, naming the entry', () => {
    const bad = path.join(t.dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ ...questions[0], supporting_facts: [['x', 'one']] }]));
    const r = pulse(['qa', '--file', bad, '--model', model, '--json', '--workspace', ws]);
    expect(r.code).toBe(1);
    const e = (r.json as { error: { message: string; file: string; hint: string } }).error;
    expect(e.message).toContain('Entry 0 (_id "h1")');
    expect(e.file).toBe(bad);
  });

  it('pulse qa score prints EM/F1 (and sp/joint metrics when sp is given)', () => {
    const preds = path.join(t.dir, 'preds.json');
    fs.writeFileSync(
      preds,
      JSON.stringify({
        answer: { h1: 'lumiere', h2: 'No.', h3: 'rose scent' },
        sp: {
          h1: [
            ['user one', 0],
            ['item A', 1],
          ],
        },
      }),
    );
    const r = pulse(['qa', 'score', '--predictions', preds, '--gold', qaFile, '--json', '--workspace', ws]);
    expect(r.code, r.stderr).toBe(0);
    const m = r.json as Record<string, number>;
    // h1: "lumiere" != "lumière" (no accent folding in the official script): 0; h2: 1; h3: "rose scent" = 1.
    expect(m.questions).toBe(3);
    expect(m.exact_match).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.sp_em).toBeCloseTo(1 / 3, 12);
    expect(m.joint_em).toBe(0);
  });

  it('writes the demo QA file deterministically', () => {
    const a = pulse(['qa', 'demo', '--json', '--workspace', ws]);
    expect(a.code, a.stderr).toBe(0);
    const { file, questions: n } = a.json as { file: string; questions: number };
    expect(n).toBe(30);
    const first = fs.readFileSync(file, 'utf8');
    pulse(['qa', 'demo', '--json', '--workspace', ws]);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
    const qs = JSON.parse(first) as HotpotQuestion[];
    expect(qs.some((q) => q.answer === 'yes') && qs.some((q) => q.answer === 'no')).toBe(true);
    expect(qs[0]!.question).toMatch(/^Which brand makes the .+ that demo_user_\d{4} bought\?$/);
  });
});
