import { z } from 'zod';
import { Empty, ErrorPayload, Ok } from './common.js';

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  done: z.number().optional(),
  total: z.number().optional(),
  unit: z.string().optional(),
  message: z.string().optional(),
  rate: z.number().optional(),
  etaSeconds: z.number().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/**
 * The kinds of long work the host runs. Each feature brings the modules for its kinds (main/features/<name>/jobs.ts);
 * the composition root's map is typed by this list, so a kind without a module is a compile error.
 * `Job.kind` stays a string: a workspace can hold rows of kinds another version ran.
 */
export const JobKind = z.enum([
  'import',
  'demo.build',
  'models.download',
  'rationales.generate',
  'rationales.draft',
  'review.quality',
  'space.train',
  'space.apply',
  'train.run',
  'train.eval',
  'train.sweep',
  'qa.run',
  'qa.ask',
  'rank.run',
  'rationales.refine',
]);
export type JobKind = z.infer<typeof JobKind>;

export const Job = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  state: JobState,
  params: z.unknown(),
  progress: JobProgress,
  result: z.unknown().nullable(),
  error: ErrorPayload.nullable(),
  resumedFrom: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof Job>;

const JobId = z.object({ id: z.number().int().positive() }).strict();

export const jobsApi = {
  'jobs.list': { input: Empty, output: z.object({ jobs: z.array(Job) }) },
  'jobs.get': { input: JobId, output: Job },
  'jobs.cancel': { input: JobId, output: Ok },
  /** Starts a new job that continues an interrupted, failed or cancelled one. */
  'jobs.resume': { input: JobId, output: z.object({ jobId: z.number().int() }) },
};
