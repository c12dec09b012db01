/**
 * Reasoning latency on the 0.5B-shaped model (Qwen2.5-0.5B shapes, Q8_0, random weights): time per ranked user
 * (3 history items, 5 candidates; likelihood and generate scoring) and per QA question (demo QA file; with and
 * without step-by-step reasoning), each split into prompt processing and generation (or candidate scoring).
 *
 * Prompt processing ends when the first new token arrives (generation), or when the prompt's evaluation
 * returns (likelihood scoring, then the candidates are evaluated); the rest is generation / candidate scoring.
 * Prompts are the ones the jobs build (rank-prompt.ts, qa-answer.ts); the QA reply is held to the same JSON
 * grammar. Wall and process CPU time are both printed: with --threads 1, CPU time approximates an idle core
 * even on a busy machine.
 *
 * Usage: node scripts/run-ts.mjs bench/reasoning-latency.ts [--users 5] [--questions 5] [--threads 1]
 *        [--model PATH] [--tiny] [--answer-chars 50] [--reasoning-chars 200] [--gen-tokens 32]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { generateDemo } from '../main/features/datasets/demo-data.js';
import { mulberry32 } from '../main/base/rng.js';
import { buildDemoQa } from '../main/features/reasoning/demo-qa.js';
import { LlamaChatSession, LlamaCompletion, type Token } from 'node-llama-cpp';
import { fitQaPrompt, QA_SYSTEM, qaSchema, qaTokenBudget } from '../main/features/reasoning/qa-answer.js';
import { rankCompletionPrompt } from '../main/features/reasoning/rank-prompt.js';
import { loadLocalModel, type LocalGgufBackend } from '../main/features/models/runtime.js';
import { makeTempDir, write05bShapedModel, writeTinyModel } from '../test/support/tiny-gguf.js';

const { values: a } = parseArgs({
  options: {
    users: { type: 'string', default: '5' },
    questions: { type: 'string', default: '5' },
    threads: { type: 'string', default: '1' },
    model: { type: 'string' },
    tiny: { type: 'boolean', default: false },
    'answer-chars': { type: 'string', default: '50' },
    'reasoning-chars': { type: 'string', default: '200' },
    'gen-tokens': { type: 'string', default: '32' },
  },
});
const threads = Number(a.threads);
const nUsers = Number(a.users);
const nQuestions = Number(a.questions);

interface Row {
  prompt: { wallMs: number; cpuMs: number; tokens: number };
  rest: { wallMs: number; cpuMs: number; tokens: number };
}
const rows: Record<string, Row[]> = {};
const add = (k: string, r: Row) => (rows[k] ??= []).push(r);

let modelPath: string;
let modelLabel: string;
if (a.model) {
  modelPath = a.model;
  modelLabel = a.model;
} else if (a.tiny) {
  modelPath = writeTinyModel(makeTempDir()).file;
  modelLabel = 'tiny test GGUF (64x2)';
} else {
  const t = performance.now();
  const w = write05bShapedModel();
  modelPath = w.file;
  modelLabel = `0.5B-shaped (Qwen2.5-0.5B shapes, ${w.weightType}, ${(w.bytes / 1e9).toFixed(2)} GB, random weights; ready in ${((performance.now() - t) / 1000).toFixed(1)} s)`;
}

const load0 = os.loadavg();
const tLoad = performance.now();
// The backend for tokenizing and fitting prompts; timing runs on its model through a context of our own, so
// the first generated token can be time-stamped (prompt processing ends there) inside one call.
const backend: LocalGgufBackend = await loadLocalModel({ modelPath, threads, contextSize: 4096 });
const context = await backend.model.createContext({ contextSize: 4096, threads });
const sequence = context.getSequence();
const loadMs = performance.now() - tLoad;
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** One generation, split at the first token: prompt processing, then generation of the rest. */
async function splitGenerate(run: (onToken: () => void) => Promise<unknown>, promptTokens: number): Promise<Row> {
  await sequence.clearHistory();
  const t0 = performance.now();
  const c0 = cpuNow();
  let tFirst = 0;
  let cFirst = 0;
  let tokens = 0;
  await run(() => {
    if (tokens++ === 0) {
      tFirst = performance.now();
      cFirst = cpuNow();
    }
  });
  const t1 = performance.now();
  const c1 = cpuNow();
  if (tokens === 0) {
    tFirst = t1;
    cFirst = c1;
  }
  return {
    prompt: { wallMs: tFirst - t0, cpuMs: cFirst - c0, tokens: promptTokens },
    rest: { wallMs: t1 - tFirst, cpuMs: c1 - cFirst, tokens: Math.max(0, tokens - 1) },
  };
}

/** Likelihood scoring as the ranker does it, split into the prompt's evaluation and the candidates'. */
async function splitScore(prompt: string, cands: string[]): Promise<Row> {
  await sequence.clearHistory();
  const pt = backend.model.tokenize(prompt);
  const t0 = performance.now();
  const c0 = cpuNow();
  await sequence.controlledEvaluate([...pt.slice(0, -1), [pt.at(-1)!, { generateNext: { probabilities: true } }]]);
  const t1 = performance.now();
  const c1 = cpuNow();
  let candTokens = 0;
  for (const c of cands) {
    const ct = backend.model.tokenize(` ${c}`, false);
    candTokens += ct.length;
    if (ct.length > 1) {
      await sequence.controlledEvaluate(
        ct.slice(0, -1).map((tk) => [tk, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }]),
      );
      await sequence.eraseContextTokenRanges([{ start: pt.length, end: sequence.nextTokenIndex }]);
    }
  }
  return { prompt: { wallMs: t1 - t0, cpuMs: c1 - c0, tokens: pt.length }, rest: { wallMs: performance.now() - t1, cpuMs: cpuNow() - c1, tokens: candTokens } };
}

// Ranking prompts from the demo shop: each user's last 3 items before the test item, 5 candidates.
const demo = generateDemo();
const byUser = new Map<string, string[]>();
for (const r of demo.reviews) (byUser.get(r.reviewerID) ?? byUser.set(r.reviewerID, []).get(r.reviewerID)!).push(r.asin);
const title = new Map(demo.items.map((it) => [it.asin, it.title]));
const rng = mulberry32(42);
const users = [...byUser.values()].slice(0, nUsers);

// Warm-up (first decode allocates buffers).
await splitGenerate((onToken) => new LlamaCompletion({ contextSequence: sequence }).generateCompletion('Warm up.', { maxTokens: 2, onToken }), 3);

for (const seq of users) {
  const history = seq.slice(-4, -1).map((x) => title.get(x)!);
  const cands = [title.get(seq.at(-1)!)!];
  while (cands.length < 5) {
    const it = demo.items[Math.floor(rng() * demo.items.length)]!;
    if (!seq.includes(it.asin) && !cands.includes(it.title)) cands.push(it.title);
  }
  const prompt = rankCompletionPrompt(history, cands, null);
  add('rank/likelihood', await splitScore(prompt, cands));
  const completion = new LlamaCompletion({ contextSequence: sequence });
  add(
    'rank/generate',
    await splitGenerate(
      (onToken) =>
        completion.generateCompletion(prompt, { temperature: 0, maxTokens: Number(a['gen-tokens']), customStopTriggers: ['\nUser:', '\n\n'], onToken }),
      backend.model.tokenize(prompt).length,
    ),
  );
  completion.dispose({ disposeSequence: false });
  process.stderr.write('.');
}

const qs = buildDemoQa({ count: nQuestions });
for (const reasoning of [false, true]) {
  const s = { reasoning, maxAnswerChars: Number(a['answer-chars']), maxReasoningChars: Number(a['reasoning-chars']) };
  const grammar = await backend.llama.createGrammarForJsonSchema(qaSchema(s) as never);
  for (const q of qs) {
    const { prompt } = await fitQaPrompt(backend, q, reasoning, 4096 - qaTokenBudget(s));
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: QA_SYSTEM, autoDisposeSequence: false });
    let promptTokens = 0;
    const before = sequence.tokenMeter.getState();
    const row = await splitGenerate((onToken) => session.prompt(prompt, { grammar, temperature: 0, maxTokens: qaTokenBudget(s), onToken }), 0);
    promptTokens = sequence.tokenMeter.diff(before).usedInputTokens;
    row.prompt.tokens = promptTokens;
    session.dispose({ disposeSequence: false });
    add(reasoning ? 'qa/with-reasoning' : 'qa/answer-only', row);
    process.stderr.write('.');
  }
}
process.stderr.write('\n');
await context.dispose();
await backend.dispose();

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
console.log(`model: ${modelLabel}`);
console.log(
  `threads: ${threads}, CPU: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')}, model load ${(loadMs / 1000).toFixed(2)} s`,
);
console.log('');
console.log(
  'per item (mean)           | total wall | prompt: tokens  wall     cpu      | generation/scoring: tokens  wall     cpu      | ms/prompt tok (cpu) | ms/new tok (cpu)',
);
const summary: Record<string, unknown> = {};
for (const [k, rs] of Object.entries(rows)) {
  const pw = mean(rs.map((r) => r.prompt.wallMs));
  const pc = mean(rs.map((r) => r.prompt.cpuMs));
  const pt = mean(rs.map((r) => r.prompt.tokens));
  const gw = mean(rs.map((r) => r.rest.wallMs));
  const gc = mean(rs.map((r) => r.rest.cpuMs));
  const gt = mean(rs.map((r) => r.rest.tokens));
  summary[k] = { n: rs.length, totalWallMs: pw + gw, promptWallMs: pw, promptCpuMs: pc, promptTokens: pt, genWallMs: gw, genCpuMs: gc, genTokens: gt };
  console.log(
    `${`${k} (n=${rs.length})`.padEnd(25)} | ${`${(pw + gw).toFixed(0)} ms`.padStart(10)} | ${pt.toFixed(0).padStart(14)} ${`${pw.toFixed(0)} ms`.padStart(8)} ${`${pc.toFixed(0)} ms`.padStart(8)} | ${gt.toFixed(0).padStart(26)} ${`${gw.toFixed(0)} ms`.padStart(8)} ${`${gc.toFixed(0)} ms`.padStart(8)} | ${(pc / pt).toFixed(2).padStart(19)} | ${(gc / Math.max(1, gt)).toFixed(2).padStart(16)}`,
  );
}
console.log('');
console.log(JSON.stringify({ model: modelLabel, threads, loadAverage: load0[0], summary }));
