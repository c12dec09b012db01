import { z } from 'zod';
import { Empty, Name } from './common.js';

/** tfidf, gguf:PATH or onnx:DIR. */
export const EncoderSpecString = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(/^(tfidf|gguf:.+|onnx:.+)$/, 'Use tfidf, gguf:PATH or onnx:DIR');

export const SpaceTrainInput = z
  .object({
    dataset: Name,
    encoder: EncoderSpecString,
    name: Name.optional(),
    epochs: z.number().int().min(1).max(1000).optional(),
    temperature: z.number().positive().max(100).optional(),
    negatives: z.number().int().min(1).max(1024).optional(),
    batchSize: z.number().int().min(2).max(4096).optional(),
    lr: z.number().positive().max(1).optional(),
    weightDecay: z.number().min(0).max(1).optional(),
    tower: z.enum(['linear', 'mlp']).optional(),
    hidden: z.number().int().min(0).max(8192).optional(),
    seed: z.number().int().min(0).optional(),
    holdout: z.number().gt(0).lt(1).optional(),
    /** TF-IDF output width (SVD components). */
    dim: z.number().int().min(2).max(1024).optional(),
    threads: z.number().int().min(1).max(256).optional(),
    maxHistory: z.number().int().min(1).max(200).optional(),
  })
  .strict();
export type SpaceTrainInput = z.infer<typeof SpaceTrainInput>;

export const SpaceRetrieval = z.object({
  users: z.number().int(),
  'recall@1': z.number(),
  'recall@5': z.number(),
  'recall@10': z.number(),
  mrr: z.number(),
  meanPositiveCos: z.number(),
  meanNegativeCos: z.number(),
});
export type SpaceRetrieval = z.infer<typeof SpaceRetrieval>;

/** 'interrupted': its training job was killed (resume the job to continue the same space). */
export const SpaceState = z.enum(['training', 'ready', 'failed', 'cancelled', 'interrupted']);

export const SpaceSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: SpaceState,
  dataset: z.string(),
  datasetHash: z.string(),
  encoder: z.string(),
  encoderId: z.string(),
  users: z.number().int(),
  jobId: z.number().int().nullable(),
  before: SpaceRetrieval.nullable(),
  after: SpaceRetrieval.nullable(),
  createdAt: z.string(),
});
export type SpaceSummary = z.infer<typeof SpaceSummary>;

export const SpaceDetail = SpaceSummary.extend({
  config: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  rationaleVersions: z.array(z.number().int()),
  appVersion: z.string(),
  applications: z.array(z.object({ id: z.number().int(), dataset: z.string(), before: SpaceRetrieval, after: SpaceRetrieval, createdAt: z.string() })),
});
export type SpaceDetail = z.infer<typeof SpaceDetail>;

export const SpaceMapPoint = z.object({
  userIdx: z.number().int(),
  userOriginalId: z.string(),
  kind: z.enum(['behaviour', 'rationale']),
  split: z.enum(['train', 'holdout']),
  /** rationale_versions.id of the text behind the point: the UI opens it on click. */
  rationaleVersionId: z.number().int().nullable(),
  x: z.number(),
  y: z.number(),
});
export type SpaceMapPoint = z.infer<typeof SpaceMapPoint>;

const SpaceRef = z.object({ id: z.number().int().positive() }).strict();

export const spaceApi = {
  /** Starts a 'space.train' job. */
  'space.train': { input: SpaceTrainInput, output: z.object({ jobId: z.number().int() }) },
  'space.list': { input: Empty, output: z.object({ spaces: z.array(SpaceSummary) }) },
  'space.get': { input: SpaceRef, output: SpaceDetail },
  /** Behaviour and rationale points before and after training (seeded PCA), with users. */
  'space.map': {
    input: SpaceRef,
    output: z.object({
      space: z.number().int(),
      before: z.array(SpaceMapPoint),
      after: z.array(SpaceMapPoint),
      explained: z.object({ before: z.tuple([z.number(), z.number()]), after: z.tuple([z.number(), z.number()]) }),
    }),
  },
  /** Starts a 'space.apply' job: the space on another dataset (cross-domain retrieval before/after). */
  'space.apply': { input: z.object({ id: z.number().int().positive(), dataset: Name }).strict(), output: z.object({ jobId: z.number().int() }) },
  /** Unit vectors of texts in a space, from the behaviour or the rationale tower. */
  'space.embed': {
    input: z
      .object({ id: z.number().int().positive(), texts: z.array(z.string().max(20000)).min(1).max(256), tower: z.enum(['behaviour', 'rationale']) })
      .strict(),
    output: z.object({ dim: z.number().int(), vectors: z.array(z.array(z.number())) }),
  },
};
