import type { JobProgress } from '../../../common/contract/index.js';
import type { Workspace } from '../workspace/workspace.js';

/** What a job handler gets, inside its worker thread. */
export interface JobContext<P = unknown> {
  jobId: number;
  params: P;
  /** The job this one continues (after a crash, cancel or failure), with its last progress. */
  resumedFrom: { jobId: number; progress: JobProgress } | null;
  /** The worker's own connection to the workspace (WAL lets it write beside the host). */
  workspace: Workspace;
  /** Reports progress; calls are throttled before they reach the host. */
  progress(p: JobProgress): void;
  /** A named event for live views (training metrics, one generated rationale...). */
  event(name: string, data: unknown): void;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  readonly cancelled: boolean;
  /** Throws JobCancelled if cancel was asked; call it between units of work. */
  throwIfCancelled(): void;
}

export type JobHandler<P = unknown, R = unknown> = (ctx: JobContext<P>) => Promise<R>;

export class JobCancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'JobCancelled';
  }
}
