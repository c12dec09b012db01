/** Reasoning commands: `pulse qa`, `pulse qa score`, `pulse qa demo`, `pulse rank`, `pulse rank export-sft`, `pulse refine`. */
import { UserError } from '../../../base/errors.js';
import type { Method } from '../../../../common/contract/index.js';
import { followJob, int, num, required, str, validInput, type CliContext, type Command, type Values } from '../cli-kit.js';

async function startAndFollow<R>(ctx: CliContext, method: Method, input: unknown, usage: string): Promise<R> {
  const { jobId } = (await ctx.host().call(method, validInput(method, input, usage))) as { jobId: number };
  return followJob<R>(ctx, jobId);
}

const bool = (v: Values, k: string) => v[k] === true;

const QA_USAGE =
  'pulse qa (--file F | --demo) --model M [--reasoning] [--threads T] [--limit N] [--context-size C] [--parallel P] [--max-answer-chars N] [--max-reasoning-chars N] [--json]';

export const qaRun: Command = {
  name: 'qa',
  summary: 'Answer a HotpotQA-form file with the SLM (optionally step by step) and score it (EM, F1)',
  usage: QA_USAGE,
  options: {
    file: { type: 'string' },
    demo: { type: 'boolean' },
    model: { type: 'string' },
    reasoning: { type: 'boolean' },
    threads: { type: 'string' },
    limit: { type: 'string' },
    'context-size': { type: 'string' },
    parallel: { type: 'string' },
    label: { type: 'string' },
    'max-answer-chars': { type: 'string' },
    'max-reasoning-chars': { type: 'string' },
  },
  async run(ctx, v) {
    const input = {
      file: str(v, 'file'),
      demo: bool(v, 'demo'),
      model: required(v, 'model', QA_USAGE),
      reasoning: bool(v, 'reasoning'),
      threads: int(v, 'threads'),
      limit: int(v, 'limit'),
      contextSize: int(v, 'context-size'),
      parallel: int(v, 'parallel'),
      label: str(v, 'label'),
      maxAnswerChars: int(v, 'max-answer-chars'),
      maxReasoningChars: int(v, 'max-reasoning-chars'),
    };
    if (!input.file && !input.demo) throw new UserError('Give --file F (a HotpotQA-form file) or --demo.', { hint: `Usage: ${QA_USAGE}` });
    const r = await startAndFollow<Record<string, unknown>>(ctx, 'qa.run', stripUndefined(input), QA_USAGE);
    return r;
  },
};

const SCORE_USAGE = 'pulse qa score --predictions P --gold G [--json]';

export const qaScore: Command = {
  name: 'qa score',
  summary: "Score HotpotQA predictions (official form) against a gold file, as HotpotQA's official evaluation",
  usage: SCORE_USAGE,
  options: { predictions: { type: 'string' }, gold: { type: 'string' } },
  run: (ctx, v) => ctx.host().invoke('qa.score', { predictions: required(v, 'predictions', SCORE_USAGE), gold: required(v, 'gold', SCORE_USAGE) }),
};

export const qaDemo: Command = {
  name: 'qa demo',
  summary: 'Write the demo multi-hop QA file (HotpotQA form, about the demo shop) and list it',
  usage: 'pulse qa demo [--json]',
  async run(ctx) {
    const r = await ctx.host().invoke('qa.load', { demo: true, limit: 1000 });
    return { file: r.file, questions: r.total };
  },
};

const ASK_USAGE =
  'pulse qa ask --dataset NAME --user IDX --question TEXT --model M [--space RUN] [--no-rationales] [--nearest K] [--max-tokens N] [--threads T] [--json]';

export const qaAsk: Command = {
  name: 'qa ask',
  summary: 'Ask the SLM a free question about a user, grounded in their history and the nearest rationales (streamed to stderr)',
  usage: ASK_USAGE,
  options: {
    dataset: { type: 'string' },
    user: { type: 'string' },
    question: { type: 'string' },
    model: { type: 'string' },
    space: { type: 'string' },
    'no-rationales': { type: 'boolean' },
    nearest: { type: 'string' },
    'max-tokens': { type: 'string' },
    threads: { type: 'string' },
  },
  async run(ctx, v) {
    const input = stripUndefined({
      dataset: required(v, 'dataset', ASK_USAGE),
      user: int(v, 'user', 0),
      question: required(v, 'question', ASK_USAGE),
      model: required(v, 'model', ASK_USAGE),
      space: str(v, 'space'),
      withRationales: !bool(v, 'no-rationales'),
      nearest: int(v, 'nearest'),
      maxTokens: int(v, 'max-tokens'),
      threads: int(v, 'threads'),
    });
    const host = ctx.host();
    const { jobId } = (await host.call('qa.ask', validInput('qa.ask', input, ASK_USAGE))) as { jobId: number };
    // The answer streams to stderr as it is written; stdout keeps the one JSON object.
    const subscription = host.bus.onDidEmit((e) => {
      if (e.topic === 'job.event' && e.jobId === jobId && e.name === 'qa.ask.token') process.stderr.write((e.data as { text: string }).text);
    });
    try {
      return await followJob(ctx, jobId);
    } finally {
      subscription.dispose();
      process.stderr.write('\n');
    }
  },
};

const RANK_USAGE =
  'pulse rank --dataset NAME --model M [--candidates K] [--history N] [--users N] [--scoring likelihood|generate] [--with-rationales] [--lora FILE] [--seed S] [--threads T] [--json]';

export const rank: Command = {
  name: 'rank',
  summary: "Rank each user's candidates (1 test item + K-1 stored negatives) with the SLM; HR@1, HR/NDCG@K",
  usage: RANK_USAGE,
  options: {
    dataset: { type: 'string' },
    model: { type: 'string' },
    candidates: { type: 'string' },
    history: { type: 'string' },
    users: { type: 'string' },
    scoring: { type: 'string' },
    'with-rationales': { type: 'boolean' },
    lora: { type: 'string' },
    'lora-scale': { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
    'context-size': { type: 'string' },
  },
  run: (ctx, v) =>
    startAndFollow(
      ctx,
      'rank.run',
      stripUndefined({
        dataset: required(v, 'dataset', RANK_USAGE),
        model: required(v, 'model', RANK_USAGE),
        candidates: int(v, 'candidates'),
        history: int(v, 'history'),
        users: int(v, 'users'),
        scoring: str(v, 'scoring'),
        withRationales: bool(v, 'with-rationales'),
        lora: str(v, 'lora'),
        loraScale: num(v, 'lora-scale'),
        seed: int(v, 'seed'),
        threads: int(v, 'threads'),
        contextSize: int(v, 'context-size'),
      }),
      RANK_USAGE,
    ),
};

const SFT_USAGE = 'pulse rank export-sft --dataset NAME --out FILE [--history N] [--candidates K] [--users N] [--seed S] [--require-rationale] [--json]';

export const rankExportSft: Command = {
  name: 'rank export-sft',
  summary: 'Export the supervised fine-tuning set (chat JSONL, rationale as reasoning) for fine-tuning elsewhere',
  usage: SFT_USAGE,
  options: {
    dataset: { type: 'string' },
    out: { type: 'string' },
    history: { type: 'string' },
    candidates: { type: 'string' },
    users: { type: 'string' },
    seed: { type: 'string' },
    'require-rationale': { type: 'boolean' },
  },
  run: (ctx, v) =>
    ctx.host().invoke(
      'rank.exportSft',
      validInput(
        'rank.exportSft',
        stripUndefined({
          dataset: required(v, 'dataset', SFT_USAGE),
          out: required(v, 'out', SFT_USAGE),
          history: int(v, 'history'),
          candidates: int(v, 'candidates'),
          users: int(v, 'users'),
          seed: int(v, 'seed'),
          requireRationale: bool(v, 'require-rationale'),
        }),
        SFT_USAGE,
      ),
    ),
};

const REFINE_USAGE =
  'pulse refine --dataset NAME --model M --space RUN [--users N] [--depth 3] [--branching 3] [--beam 2] [--step-chars C] [--temperature T] [--seed S] [--threads T] [--parallel P] [--json]';

export const refine: Command = {
  name: 'refine',
  summary: 'Tree-of-Thought refinement: build rationale chains step by step, keep the one closest to the user in the Thought Space',
  usage: REFINE_USAGE,
  options: {
    dataset: { type: 'string' },
    model: { type: 'string' },
    space: { type: 'string' },
    users: { type: 'string' },
    depth: { type: 'string' },
    branching: { type: 'string' },
    beam: { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
    parallel: { type: 'string' },
    'step-chars': { type: 'string' },
    temperature: { type: 'string' },
  },
  run: (ctx, v) =>
    startAndFollow(
      ctx,
      'refine.run',
      stripUndefined({
        dataset: required(v, 'dataset', REFINE_USAGE),
        model: required(v, 'model', REFINE_USAGE),
        space: required(v, 'space', REFINE_USAGE),
        users: int(v, 'users'),
        depth: int(v, 'depth'),
        branching: int(v, 'branching'),
        beam: int(v, 'beam'),
        seed: int(v, 'seed'),
        threads: int(v, 'threads'),
        parallel: int(v, 'parallel'),
        stepChars: int(v, 'step-chars'),
        temperature: num(v, 'temperature'),
      }),
      REFINE_USAGE,
    ),
};

const TREE_USAGE = 'pulse refine tree --dataset NAME --user IDX [--run ID] [--json]';

export const refineTree: Command = {
  name: 'refine tree',
  summary: "A user's Tree-of-Thought refinement tree: every chain, its score, and the winner",
  usage: TREE_USAGE,
  options: { dataset: { type: 'string' }, user: { type: 'string' }, run: { type: 'string' } },
  run: (ctx, v) =>
    ctx.host().invoke('refine.tree', stripUndefined({ dataset: required(v, 'dataset', TREE_USAGE), user: int(v, 'user', 0), runId: int(v, 'run') })),
};

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

export const REASONING_COMMANDS: Command[] = [qaRun, qaScore, qaDemo, qaAsk, rank, rankExportSft, refine, refineTree];
