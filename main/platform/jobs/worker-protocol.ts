import type { ErrorPayload, JobProgress } from '../../../common/contract/index.js';

export interface WorkerStart {
  jobId: number;
  kind: string;
  params: unknown;
  workspaceDir: string;
  resumedFrom: { jobId: number; progress: JobProgress } | null;
  /** Int32 flag set to 1 to ask for cancel; readable even while the job runs synchronous code. */
  cancelFlag: SharedArrayBuffer;
  /** Secrets for this run only (an endpoint's API key), passed in memory and never written to the workspace. */
  secrets: Record<string, string>;
}

export type WorkerMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'event'; name: string; data: unknown }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; cancelled: boolean; error: ErrorPayload };
