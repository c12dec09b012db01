/**
 * The loop of a job's worker thread: runs one job handler and reports back to the host through the parent port.
 * The thread's entry module (given by the composition root, JobRegistry.workerEntry) calls `runJobWorker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorPayload } from '../../base/errors.js';
import { Workspace } from '../workspace/workspace.js';
import { JobCancelled, type JobContext } from './job-context.js';
import { isJobKind, type JobKinds } from './job-kinds.js';
import { runWorkerCleanups } from './worker-cleanup.js';
import type { WorkerMessage, WorkerStart } from './worker-protocol.js';

export interface WorkerHooks {
  /** Receives the secrets the host handed over for this run (never written anywhere). */
  provideSecrets(secrets: Record<string, string>): Promise<void> | void;
}

export function runJobWorker(kinds: JobKinds, hooks: WorkerHooks): void {
  const start = workerData as WorkerStart;
  const port = parentPort!;
  const post = (m: WorkerMessage) => port.postMessage(m);
  // The host ends this thread once it has the result; native resources are released before it is posted.
  runJob(kinds, hooks, start, post).catch(async (err: unknown) => {
    await runWorkerCleanups();
    post({ type: 'error', cancelled: err instanceof JobCancelled, error: toErrorPayload(err) });
  });
}

async function runJob(kinds: JobKinds, hooks: WorkerHooks, start: WorkerStart, post: (m: WorkerMessage) => void): Promise<void> {
  const cancelFlag = new Int32Array(start.cancelFlag);
  if (!isJobKind(kinds, start.kind)) throw new Error(`Unknown job kind "${start.kind}"`);
  if (Object.keys(start.secrets).length) await hooks.provideSecrets(start.secrets);
  const mod = await kinds[start.kind].load();
  const workspace = Workspace.open(start.workspaceDir);
  const ctx: JobContext = {
    jobId: start.jobId,
    params: start.params,
    resumedFrom: start.resumedFrom,
    workspace,
    progress: (p) => post({ type: 'progress', progress: p }),
    event: (name, data) => post({ type: 'event', name, data }),
    log: (message, level = 'info') => post({ type: 'log', level, message }),
    get cancelled() {
      return Atomics.load(cancelFlag, 0) === 1;
    },
    throwIfCancelled() {
      if (Atomics.load(cancelFlag, 0) === 1) throw new JobCancelled();
    },
  };
  try {
    const result = await (mod.run as (c: JobContext) => Promise<unknown>)(ctx);
    await runWorkerCleanups();
    post({ type: 'done', result: result ?? null });
  } finally {
    workspace.close();
  }
}
