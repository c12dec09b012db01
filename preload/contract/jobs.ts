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
