import { z } from 'zod';
import { Empty, Name, Ok } from './common.js';

/**
 * Training runs (docs/training-runs.md). Settings are flat so that a form, the CLI flags and a YAML/JSON config
 * file all use the same names; each one has a description the Training view shows as its tooltip.
 */
export const Arch = z
  .enum(['sasrec', 'pulse'])
  .describe(
    'sasrec: next-item SASRec. pulse: SASRec that also learns why: each position aligned to the rationale of its next item, and item text and rationales fused into the item embeddings.',
  );
export type Arch = z.infer<typeof Arch>;
export const Preset = z
  .enum(['default', 'paper', 'recbole', 'reference'])
  .describe(
    'default: tuned to reach the published Beauty numbers; paper: PULSE paper SASRec; recbole: RecBole defaults; reference: ../shared/bench/sasrec_ref.py',
  );
export type Preset = z.infer<typeof Preset>;

/** 'full' or 'sampled:N' (1 positive + N stored negatives). */
export const Protocol = z
  .string()
  .regex(/^(full|sampled:[1-9][0-9]{0,4})$/, 'Use full or sampled:N')
  .describe('full: rank against every item; sampled:N: against N negatives drawn once with a seed and stored');

export const TrainSettings = z
  .object({
    dataset: Name.describe('Dataset to train on (leave-one-out: last item test, second to last validation)'),
    arch: Arch.optional(),
    preset: Preset.optional(),
    name: Name.optional().describe('Run name (default: arch, dataset and seed)'),
    group: Name.optional().describe('Runs started together (several seeds) share a group'),
    epochs: z.number().int().min(1).max(10000).optional().describe('Most epochs to train (early stopping may end sooner)'),
    patience: z.number().int().min(1).max(10000).optional().describe('Stop after this many evaluations without a better validation NDCG@10'),
    evalEvery: z.number().int().min(1).max(1000).optional().describe('Evaluate validation every N epochs'),
    metricEvery: z.number().int().min(1).max(100000).optional().describe('Report the training loss every N batches'),
    checkpointSeconds: z.number().min(5).max(86400).optional().describe('Also checkpoint mid-epoch at most this often (seconds)'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .describe('Seed of initialisation, dropout, batch order and negatives'),
    hidden: z.number().int().min(2).max(2048).optional().describe('Hidden size (item embedding width)'),
    blocks: z.number().int().min(1).max(24).optional().describe('Self-attention blocks'),
    heads: z.number().int().min(1).max(32).optional().describe('Attention heads (hidden must be divisible by heads)'),
    inner: z.number().int().min(1).max(16384).optional().describe('Feed-forward inner width'),
    dropout: z.number().min(0).lt(1).optional().describe('Dropout on embeddings, residual branches and feed-forward'),
    attnDropout: z.number().min(0).lt(1).optional().describe('Dropout on attention probabilities'),
    maxLen: z.number().int().min(2).max(2048).optional().describe('Most recent items of a history the model reads'),
    lr: z.number().positive().max(1).optional().describe('Adam learning rate'),
    batch: z.number().int().min(1).max(65536).optional().describe('Sequences per batch'),
    loss: z.enum(['ce', 'bce']).optional().describe('ce: cross-entropy over all items; bce: binary CE with one sampled negative'),
    weightDecay: z.number().min(0).max(1).optional().describe('L2 added to the gradient (as torch Adam weight_decay)'),
    auxWeight: z.number().min(0).max(1000).optional().describe('pulse: weight of the Thought-Space alignment loss'),
    auxKind: z.enum(['cosine', 'infonce']).optional().describe('pulse: 1 - cosine, or in-batch InfoNCE'),
    auxTemperature: z.number().positive().max(100).optional().describe('pulse, infonce: temperature'),
    auxHalfLife: z.number().min(0).max(10000).optional().describe('pulse: the alignment weight halves every N epochs (0: constant)'),
    space: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('pulse: a trained Thought Space (rationale tower) for the targets; none = built-in TF-IDF fitted on the rationales'),
    auxDim: z.number().int().min(2).max(1024).optional().describe('pulse without a space: TF-IDF/SVD width of the targets'),
    auxPositions: z.enum(['all', 'last']).optional().describe("pulse: align every training position that has a rationale, or only each user's latest one"),
    itemSide: z
      .enum(['none', 'text', 'rationales', 'text+rationales'])
      .optional()
      .describe('pulse: what is fused into each item embedding: its text, the rationales that explain choices of it, both, or nothing'),
    itemEncoder: z
      .string()
      .regex(/^(tfidf|gguf:.+|onnx:.+)$/, 'Use tfidf, gguf:PATH or onnx:DIR')
      .max(4096)
      .optional()
      .describe('pulse: item text encoder: tfidf (built in), gguf:PATH or onnx:DIR'),
    itemDim: z.number().int().min(2).max(1024).optional().describe('pulse, tfidf item encoder: width of the item text vectors'),
    textCorpus: z
      .array(Name)
      .max(16)
      .optional()
      .describe("pulse: datasets whose text the TF-IDF encoders are fitted on (default: the run's own); several domains then share one space"),
    initFrom: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Start from this run's best weights and reuse its encoders: a fine-tune on the same dataset, or a transfer from another (all but the item IDs)",
      ),
    trainFraction: z.number().gt(0).max(1).optional().describe('Train on this share of the users (a seeded subset); every user is still evaluated'),
    reviewedOnly: z
      .boolean()
      .optional()
      .describe('pulse: align only to reviewed rationales (accepted or edited); by default pending ones count too, rejected never'),
    testProtocols: z.array(Protocol).min(1).max(8).optional().describe('Protocols the test split is evaluated with, once, on the best checkpoint'),
    negSeed: z.number().int().min(0).optional().describe('Seed of the stored sampled-ranking negatives'),
  })
  .strict();
export type TrainSettings = z.infer<typeof TrainSettings>;

/** Most runs one sweep may create. */
export const SWEEP_MAX_RUNS = 64;

export type SweepValue = string | number | boolean;
export type SweepGrid = Partial<Record<keyof TrainSettings, readonly SweepValue[]>>;

/** How many runs a grid makes: the product of its value counts. */
export function sweepSize(grid: SweepGrid): number {
  return Object.values(grid).reduce((n, values) => n * (values?.length ?? 1), 1);
}

/** Every combination of a grid's values (the first key varies slowest), each with its label ("auxWeight 0.1 seed 2"). */
export function sweepCombinations(grid: SweepGrid): { values: Partial<Record<keyof TrainSettings, SweepValue>>; label: string }[] {
  let combos: Partial<Record<keyof TrainSettings, SweepValue>>[] = [{}];
  for (const [key, values] of Object.entries(grid)) combos = combos.flatMap((c) => (values ?? []).map((v) => ({ ...c, [key]: v })));
  return combos.map((values) => ({
    values,
    label: Object.entries(values)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(' '),
  }));
}

export const RunState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunState = z.infer<typeof RunState>;

/** Metric keys are lower case: hr@10, ndcg@10, mrr@10 (K = 1, 5, 10, 20). */
export const Metrics = z.record(z.string(), z.number());

export const RunSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  dataset: z.string(),
  datasetHash: z.string(),
  arch: Arch,
  preset: z.string(),
  seed: z.number().int(),
  group: z.string().nullable(),
  state: RunState,
  archived: z.boolean(),
  jobId: z.number().int().nullable(),
  epochs: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  seconds: z.number(),
  sequencesPerSecond: z.number().nullable(),
  /** Best validation values (full ranking) and the last ones, keyed like 'valid.ndcg@10', 'train.loss'. */
  best: Metrics,
  last: Metrics,
  test: z.record(z.string(), Metrics),
  /** Settings that differ from the preset's (for the runs table). */
  overrides: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  config: z.record(z.string(), z.unknown()),
  /** The flat settings that reproduce this run (every value explicit): a form starts a rerun or fine-tune from them. */
  settings: TrainSettings,
  appVersion: z.string(),
  rationaleVersions: z.number().int(),
  results: z.array(
    z.object({
      protocol: z.string(),
      negSeed: z.number().int(),
      split: z.enum(['valid', 'test']),
      epoch: z.number().int(),
      metrics: Metrics,
      createdAt: z.string(),
    }),
  ),
  artifactDir: z.string(),
  /** PULSE runs: the encoders and rationales their inputs were built from (null for SASRec or before training). */
  pulse: z
    .object({
      rationaleEncoder: z.string().nullable(),
      itemEncoder: z.string().nullable(),
      alignedRationales: z.number().int(),
      distinctRationales: z.number().int(),
      alignmentDim: z.number().int().nullable(),
      itemDim: z.number().int().nullable(),
    })
    .nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const MetricPoint = z.object({
  seq: z.number().int(),
  step: z.number().int(),
  epoch: z.number(),
  wall: z.number(),
  name: z.string(),
  value: z.number(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

/** What a 'train.run' job sends as job.event 'metrics' (live curves). Values keyed like MetricPoint names. */
export const MetricsEvent = z.object({
  run: z.number().int(),
  step: z.number().int(),
  epoch: z.number(),
  wall: z.number(),
  values: z.record(z.string(), z.number()),
});
export type MetricsEvent = z.infer<typeof MetricsEvent>;

export const CompareResult = z.object({
  metric: z.string(),
  protocol: z.string(),
  a: z.object({ run: z.number().int(), value: z.number() }),
  b: z.object({ run: z.number().int(), value: z.number() }),
  n: z.number().int(),
  meanDiff: z.number(),
  t: z.number(),
  df: z.number(),
  p: z.number(),
});
export type CompareResult = z.infer<typeof CompareResult>;

const TTest = z.object({ n: z.number().int(), meanDiff: z.number(), t: z.number(), df: z.number(), p: z.number() });

/** A set of runs (e.g. seeds) against another on one test metric; differences and gains are B - A. */
export const SetComparison = z.object({
  metric: z.string(),
  protocol: z.string(),
  dataset: z.string(),
  a: z.object({ runs: z.array(z.number().int()), seeds: z.array(z.number().int()), values: z.array(z.number()), mean: z.number(), std: z.number() }),
  b: z.object({ runs: z.array(z.number().int()), seeds: z.array(z.number().int()), values: z.array(z.number()), mean: z.number(), std: z.number() }),
  /** (mean B - mean A) / mean A; null when A's mean is 0. */
  gain: z.number().nullable(),
  /** Runs were paired by seed for the test over seeds (otherwise by position). */
  pairedBySeed: z.boolean(),
  /** Paired t-test over seeds (null with fewer than 2 pairs or unequal sets). */
  overSeeds: TTest.nullable(),
  /** Paired t-test over users (each user's metric averaged over the runs of a set), and per segment. */
  perUser: z.object({ users: z.number().int(), a: z.number(), b: z.number(), gain: z.number().nullable(), test: TTest.nullable() }),
  segments: z.array(z.object({ name: z.string(), users: z.number().int(), a: z.number(), b: z.number(), gain: z.number().nullable(), test: TTest.nullable() })),
});
export type SetComparison = z.infer<typeof SetComparison>;

const ItemRef = z.object({ idx: z.number().int(), originalId: z.string(), title: z.string() });

/** One user through two runs: history, the rationales a run aligned to, and each run's top-k. */
export const UserView = z.object({
  dataset: z.string(),
  user: z.object({ idx: z.number().int(), originalId: z.string() }),
  /** Training history, oldest first, then the validation and test items. */
  history: z.array(ItemRef),
  valid: ItemRef.nullable(),
  test: ItemRef.nullable(),
  runs: z.array(
    z.object({
      run: z.number().int(),
      name: z.string(),
      arch: z.string(),
      /** 0-based rank of the test item among all items (the user's other items masked). */
      testRank: z.number().int(),
      top: z.array(ItemRef.extend({ score: z.number(), isTest: z.boolean() })),
      /** The rationale versions this run aligned to for this user, by target position. */
      rationales: z.array(
        z.object({
          versionId: z.number().int(),
          rationaleId: z.number().int(),
          targetPos: z.number().int(),
          item: ItemRef,
          text: z.string(),
          agentKind: z.string(),
        }),
      ),
    }),
  ),
});
export type UserView = z.infer<typeof UserView>;

const RunRef = z.object({ id: z.number().int().positive() }).strict();
/** hr@K, ndcg@K or mrr@K. */
const MetricName = z.string().regex(/^(hr|ndcg|mrr)@[0-9]+$/i, 'Use hr@K, ndcg@K or mrr@K');
const RunIds = z.array(z.number().int().positive()).min(1).max(64);
const Path = z.string().min(1).max(4096);

export const Recommendation = z.object({ rank: z.number().int(), item: z.string(), title: z.string(), score: z.number() });
export type Recommendation = z.infer<typeof Recommendation>;

export const RecommendResult = z.object({
  run: z.number().int(),
  dataset: z.string(),
  user: z.string(),
  via: z.enum(['engine', 'onnx']),
  /** Items in the user's history; none of them is recommended. */
  history: z.number().int(),
  items: z.array(Recommendation),
});
export type RecommendResult = z.infer<typeof RecommendResult>;

export const trainingApi = {
  /** Creates a run and starts its 'train.run' job. */
  'train.start': { input: TrainSettings, output: z.object({ jobId: z.number().int(), runId: z.number().int() }) },
  'runs.list': {
    input: z.object({ dataset: Name.optional(), includeArchived: z.boolean().optional() }).strict(),
    output: z.object({ runs: z.array(RunSummary) }),
  },
  'runs.get': { input: RunRef, output: RunDetail },
  /** Metric points after `since` (a seq cursor; 0 = from the start), for live curves and replay. */
  'runs.metrics': {
    input: z
      .object({ id: z.number().int().positive(), since: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(100000).optional() })
      .strict(),
    output: z.object({ points: z.array(MetricPoint), next: z.number().int() }),
  },
  'runs.rename': { input: z.object({ id: z.number().int().positive(), name: Name }).strict(), output: Ok },
  'runs.archive': { input: z.object({ id: z.number().int().positive(), archived: z.boolean().optional() }).strict(), output: Ok },
  /** Deletes a finished run with its metrics, results and checkpoints. */
  'runs.delete': { input: RunRef, output: Ok },
  /** Paired t-test of two runs' per-user test metric (same dataset and users). */
  'runs.compare': {
    input: z
      .object({
        a: z.number().int().positive(),
        b: z.number().int().positive(),
        metric: MetricName.optional(),
        protocol: Protocol.optional(),
      })
      .strict(),
    output: CompareResult,
  },
  /**
   * A sweep: one run per combination of the grid's values over the base settings (e.g. auxWeight x seed), all
   * checked before any is created, trained one after another in one 'train.sweep' job (progress, cancel, resume).
   */
  'train.sweep': {
    input: z
      .object({
        settings: TrainSettings,
        grid: z
          .partialRecord(
            TrainSettings.keyof().exclude(['dataset', 'name', 'group']),
            z
              .array(z.union([z.number(), z.string().max(4096), z.boolean()]))
              .min(1)
              .max(64),
          )
          .refine((g) => Object.keys(g).length > 0, 'Give at least one setting to vary'),
        name: Name.optional(),
      })
      .strict()
      // Every combination is checked here, at the door, so that the handler only derives runs from valid settings.
      .superRefine((i, ctx) => {
        if (sweepSize(i.grid) > SWEEP_MAX_RUNS) return; // refused by the handler, which names the count
        for (const { values, label } of sweepCombinations(i.grid)) {
          const r = TrainSettings.safeParse({ ...i.settings, ...values });
          if (!r.success) {
            const why = r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
            ctx.addIssue({ code: 'custom', path: ['grid'], message: `Sweep setting ${label}: ${why}` });
            return;
          }
        }
      }),
    output: z.object({ jobId: z.number().int(), runIds: z.array(z.number().int()), group: z.string() }),
  },
  /** Set B of runs against set A (seeds): mean ± std, gain, paired tests over seeds and users, segments. */
  'runs.compareSets': {
    input: z
      .object({
        a: RunIds,
        b: RunIds,
        metric: MetricName.optional(),
        protocol: Protocol.optional(),
      })
      .strict(),
    output: SetComparison,
  },
  /** Users whose test item two runs rank most differently (stored ranks, every evaluated user). */
  'runs.rankDiff': {
    input: z
      .object({
        a: z.number().int().positive(),
        b: z.number().int().positive(),
        protocol: Protocol.optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: z.object({
      users: z.array(z.object({ idx: z.number().int(), originalId: z.string(), rankA: z.number().int(), rankB: z.number().int() })),
    }),
  },
  /** A user's history, the rationales each run used, and each run's top-k (best checkpoint). */
  'runs.userView': {
    input: z
      .object({
        runs: z.array(z.number().int().positive()).min(1).max(4),
        user: z.union([z.number().int().min(0), z.string().min(1).max(256)]).describe('user idx, or the original user id as a string'),
        k: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    output: UserView,
  },
  /** The results table as CSV or Markdown text. */
  'runs.export': {
    input: z
      .object({ format: z.enum(['csv', 'md']), ids: z.array(z.number().int().positive()).max(10000).optional(), includeArchived: z.boolean().optional() })
      .strict(),
    output: z.object({ text: z.string(), rows: z.number().int() }),
  },
  /** Writes the item embeddings of a run's best checkpoint as TSV: original item id, then the floats. */
  'runs.embeddings': {
    input: z.object({ id: z.number().int().positive(), out: Path }).strict(),
    output: z.object({ file: z.string(), items: z.number().int(), dim: z.number().int() }),
  },
  /** Starts a 'train.eval' job: the best checkpoint under a protocol (test split unless said). */
  'eval.run': {
    input: z
      .object({ id: z.number().int().positive(), protocol: Protocol, seed: z.number().int().min(0).optional(), split: z.enum(['valid', 'test']).optional() })
      .strict(),
    output: z.object({ jobId: z.number().int() }),
  },
  /** A dataset, its split and curated rationales as RecBole atomic and benchmark files plus rationale JSONL. */
  'export.recbole': {
    input: z.object({ dataset: Name, out: Path }).strict(),
    output: z.object({ dir: z.string(), files: z.array(z.object({ file: z.string(), rows: z.number().int() })) }),
  },
  /** Writes a trained run's scorer (best checkpoint) as an ONNX model: history ids in, item scores out. */
  'runs.exportModel': {
    input: z.object({ id: z.number().int().positive(), format: z.enum(['onnx']), out: Path }).strict(),
    output: z.object({
      run: z.number().int(),
      format: z.enum(['onnx']),
      file: z.string(),
      bytes: z.number().int(),
      nItems: z.number().int(),
      maxLen: z.number().int(),
      input: z.string(),
      output: z.string(),
    }),
  },
  /** The top-k items for a user of the run's dataset (its id in the imported data), scored by the engine or by the ONNX export. */
  'runs.recommend': {
    input: z
      .object({
        id: z.number().int().positive(),
        user: z.string().min(1).max(500),
        k: z.number().int().min(1).max(1000).optional(),
        via: z.enum(['engine', 'onnx']).optional(),
      })
      .strict(),
    output: RecommendResult,
  },
  'train.presets': { input: Empty, output: z.object({ presets: z.record(z.string(), z.record(z.string(), z.unknown())) }) },
};
