import type { JobKind } from '../../../common/contract/index.js';
import type { JobHandler } from './job-context.js';

/** How one kind of job runs: its module (loaded inside the worker thread, never on the host's main thread). */
export interface JobKindModule {
  /** The module exports `run: JobHandler`. */
  load: () => Promise<{ run: JobHandler<never, unknown> }>;
  /** At most this many jobs of the kind run at once; the others wait in state 'queued'. Unlimited when absent. */
  maxRunning?: number;
}

/** Job kinds and their modules: a feature contributes some (its jobs.ts), the composition root all of them. */
export type JobKinds<K extends JobKind = JobKind> = { readonly [k in K]: JobKindModule };

/** What the job service gets from the composition root (main/features/). */
export interface JobRegistry {
  kinds: JobKinds;
  /**
   * The worker thread's entry module: it calls `runJobWorker` (job-worker.ts) with the same kinds. A URL of a
   * TypeScript source tree (tests) is mapped to the build's copy, since workers run compiled code.
   */
  workerEntry: URL;
  /** Secrets a job's worker may need from the host's secret store, handed over when a job starts or resumes. */
  secrets: () => Promise<Record<string, string>>;
}

export function isJobKind(kinds: JobKinds, kind: string): kind is JobKind {
  return Object.prototype.hasOwnProperty.call(kinds, kind);
}
