/**
 * Reasoning: the QA probe (HotpotQA-form files, scoring, runs, free questions about a user), the SLM ranker,
 * and Tree-of-Thought refinement. Long work returns a job id; results are read back with the listing methods.
 */
import { z } from 'zod';
import { Empty, Name } from './common.js';

const FilePath = z.string().trim().min(1).max(4096);
/** A GGUF file path, or a model file name in the workspace's models/ folder. */
const ModelRef = z.string().trim().min(1).max(4096);
const Threads = z.number().int().min(1).max(256);
const JobStarted = z.object({ jobId: z.number().int() });

export const QaQuestionView = z.object({
  _id: z.string(),
  question: z.string(),
  answer: z.string(),
  type: z.string().nullable(),
  paragraphs: z.number().int(),
  supportingFacts: z.number().int(),
});
export type QaQuestionView = z.infer<typeof QaQuestionView>;

export const QaLoadInput = z
  .object({
    /** A HotpotQA dataset-form file. Omit with demo: true for the demo QA file the workbench writes itself. */
    file: FilePath.optional(),
    demo: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict()
  .refine((v) => v.demo || v.file, { message: 'Give a file, or demo: true' });

export const QaMetrics = z.object({
  questions: z.number().int(),
  exact_match: z.number(),
  f1: z.number(),
  precision: z.number(),
  recall: z.number(),
  missing_answers: z.number().int(),
  sp_em: z.number().optional(),
  sp_f1: z.number().optional(),
  sp_precision: z.number().optional(),
  sp_recall: z.number().optional(),
  joint_em: z.number().optional(),
  joint_f1: z.number().optional(),
  joint_precision: z.number().optional(),
  joint_recall: z.number().optional(),
  missing_sp: z.number().int().optional(),
});
export type QaMetrics = z.infer<typeof QaMetrics>;

export const QaRunInput = z
  .object({
    file: FilePath.optional(),
    demo: z.boolean().default(false),
    model: ModelRef,
    /** Step by step: JSON {"reasoning", "answer"} instead of {"answer"}. */
    reasoning: z.boolean().default(false),
    threads: Threads.optional(),
    /** Only the first N questions are asked (the score still averages over all gold questions in the file). */
    limit: z.number().int().min(1).optional(),
    contextSize: z.number().int().min(256).max(131072).default(4096),
    maxAnswerChars: z.number().int().min(8).max(1000).default(100),
    maxReasoningChars: z.number().int().min(16).max(4000).default(400),
    parallel: z.number().int().min(1).max(16).default(1),
    /** A name to tell runs apart in the side-by-side view. */
    label: z.string().max(100).optional(),
  })
  .strict()
  .refine((v) => v.demo || v.file, { message: 'Give a file, or demo: true' });
export type QaRunInput = z.infer<typeof QaRunInput>;

export const QaRunView = z.object({
  id: z.number().int(),
  jobId: z.number().int().nullable(),
  file: z.string(),
  model: z.string(),
  reasoning: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  questions: z.number().int(),
  answered: z.number().int(),
  exactMatch: z.number().nullable(),
  f1: z.number().nullable(),
  state: z.string(),
  createdAt: z.string(),
});
export type QaRunView = z.infer<typeof QaRunView>;

export const QaResultView = z.object({
  idx: z.number().int(),
  qid: z.string(),
  type: z.string().nullable(),
  question: z.string(),
  gold: z.string(),
  prediction: z.string(),
  reasoning: z.string().nullable(),
  em: z.number(),
  f1: z.number(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  paragraphsDropped: z.number().int(),
  ms: z.number(),
});
export type QaResultView = z.infer<typeof QaResultView>;

export const QaResultsInput = z
  .object({
    runId: z.number().int().positive(),
    /** correct: EM = 1; wrong: EM = 0; partial: 0 < F1 < 1. */
    filter: z.enum(['all', 'correct', 'wrong', 'partial']).default('all'),
    /** Substring of the question, answer, prediction or reasoning. */
    search: z.string().max(200).optional(),
    type: z.string().max(50).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const QaAskInput = z
  .object({
    dataset: Name,
    user: z.number().int().min(0),
    question: z.string().trim().min(1).max(2000),
    model: ModelRef,
    /** A trained Thought Space run: its nearest rationales are given as sources. */
    space: z.string().max(200).optional(),
    /** false: answer from the history alone (for side-by-side comparison). */
    withRationales: z.boolean().default(true),
    nearest: z.number().int().min(0).max(20).default(3),
    history: z.number().int().min(1).max(50).default(10),
    maxTokens: z.number().int().min(8).max(2048).default(200),
    threads: Threads.optional(),
    /** Compare view: a label echoed in the events so two streams can share one page. */
    label: z.string().max(100).optional(),
  })
  .strict();
export type QaAskInput = z.infer<typeof QaAskInput>;

/** What qa.ask grounds its answer in; sent as a job event ('qa.ask.sources') before the first token. */
export const QaAskSources = z.object({
  history: z.array(z.object({ pos: z.number().int(), title: z.string(), rating: z.number().nullable() })),
  rationales: z.array(z.object({ userIdx: z.number().int(), text: z.string(), score: z.number(), versionId: z.number().int().nullable() })),
});
export type QaAskSources = z.infer<typeof QaAskSources>;

export const RankScoring = z.enum(['likelihood', 'generate']);

export const RankRunInput = z
  .object({
    dataset: Name,
    model: ModelRef,
    candidates: z.number().int().min(2).max(100).default(5),
    history: z.number().int().min(1).max(50).default(3),
    users: z.number().int().min(1).optional(),
    scoring: RankScoring.default('likelihood'),
    withRationales: z.boolean().default(false),
    lora: FilePath.optional(),
    loraScale: z.number().min(0).max(10).default(1),
    seed: z.number().int().default(42),
    threads: Threads.optional(),
    contextSize: z.number().int().min(256).max(131072).default(2048),
    maxTokens: z.number().int().min(4).max(512).default(48),
  })
  .strict();
export type RankRunInput = z.infer<typeof RankRunInput>;

export const RankMetrics = z.record(z.string(), z.number());

export const RankExportInput = z
  .object({
    dataset: Name,
    out: FilePath,
    /** Paper's training prompts: 5 history items, 10 candidates. */
    history: z.number().int().min(1).max(50).default(5),
    candidates: z.number().int().min(2).max(100).default(10),
    users: z.number().int().min(1).optional(),
    seed: z.number().int().default(42),
    /** Users without a rationale are skipped (true) or get "The recommendation is ..." alone (false). */
    requireRationale: z.boolean().default(false),
  })
  .strict();

export const RefineRunInput = z
  .object({
    dataset: Name,
    model: ModelRef,
    /** A trained Thought Space run (its name or id). */
    space: z.string().trim().min(1).max(200),
    users: z.number().int().min(1).optional(),
    depth: z.number().int().min(1).max(8).default(3),
    branching: z.number().int().min(1).max(8).default(3),
    beam: z.number().int().min(1).max(8).default(2),
    stepChars: z.number().int().min(8).max(400).default(160),
    temperature: z.number().min(0).max(2).default(0.8),
    seed: z.number().int().default(7),
    threads: Threads.optional(),
    parallel: z.number().int().min(1).max(16).default(3),
  })
  .strict();
export type RefineRunInput = z.infer<typeof RefineRunInput>;

export const TreeNode = z.object({
  id: z.number().int(),
  parent: z.number().int().nullable(),
  depth: z.number().int(),
  step: z.string(),
  /** Cosine between the chain (root to here) and the user's behaviour, in the Thought Space. */
  score: z.number(),
  /** Kept by the beam at its depth. */
  kept: z.boolean(),
});
export type TreeNode = z.infer<typeof TreeNode>;

export const RefineTree = z.object({
  runId: z.number().int(),
  dataset: z.string(),
  userIdx: z.number().int(),
  space: z.string(),
  model: z.string(),
  settings: z.record(z.string(), z.unknown()),
  nodes: z.array(TreeNode),
  bestNode: z.number().int(),
  bestScore: z.number(),
  /** Node ids root-to-leaf of the winning chain. */
  bestChain: z.array(z.number().int()),
  rationale: z.string(),
  rationaleVersionId: z.number().int().nullable(),
});
export type RefineTree = z.infer<typeof RefineTree>;

export const reasoningApi = {
  /** Reads and checks a HotpotQA-form file; one page of its questions. */
  'qa.load': {
    input: QaLoadInput,
    output: z.object({ file: z.string(), total: z.number().int(), questions: z.array(QaQuestionView) }),
  },
  /** Scores an official-form predictions file against a gold dataset-form file, as hotpot_evaluate_v1.py. */
  'qa.score': {
    input: z.object({ predictions: FilePath, gold: FilePath }).strict(),
    output: QaMetrics,
  },
  'qa.run': { input: QaRunInput, output: JobStarted },
  'qa.runs': { input: Empty, output: z.object({ runs: z.array(QaRunView) }) },
  'qa.results': {
    input: QaResultsInput,
    output: z.object({ run: QaRunView, total: z.number().int(), results: z.array(QaResultView) }),
  },
  /** Streams: job events 'qa.ask.sources' (QaAskSources) then 'qa.ask.token' ({text}); the job result is {answer, sources}. */
  'qa.ask': { input: QaAskInput, output: JobStarted },
  'rank.run': { input: RankRunInput, output: JobStarted },
  'rank.exportSft': {
    input: RankExportInput,
    output: z.object({ file: z.string(), examples: z.number().int(), withRationale: z.number().int() }),
  },
  'refine.run': { input: RefineRunInput, output: JobStarted },
  /** The stored tree of one user's refinement (the latest run, or the given one); null when there is none yet. */
  'refine.tree': {
    input: z.object({ dataset: Name, user: z.number().int().min(0), runId: z.number().int().positive().optional() }).strict(),
    output: RefineTree.nullable(),
  },
};
