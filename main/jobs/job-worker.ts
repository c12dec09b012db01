/** Worker-thread entry: runs one job handler and reports back to the host through the parent port. */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorPayload } from '../app/errors.js';
import { Workspace } from '../workspace/workspace.js';
import { JobCancelled, type JobContext } from './job-context.js';
import { JOB_KINDS, isJobKind } from './registry.js';
import { runWorkerCleanups } from './worker-cleanup.js';
import type { WorkerMessage, WorkerStart } from './worker-protocol.js';

const start = workerData as WorkerStart;
const port = parentPort!;
const cancelFlag = new Int32Array(start.cancelFlag);
const post = (m: WorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  if (!isJobKind(start.kind)) throw new Error(`Unknown job kind "${start.kind}"`);
  if (Object.keys(start.secrets).length) (await import('../slm/secret-store.js')).provideJobSecrets(start.secrets);
  const mod = await JOB_KINDS[start.kind]();
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

// The host ends this thread once it has the result; native resources are released before it is posted.
main().catch(async (err: unknown) => {
  await runWorkerCleanups();
  post({ type: 'error', cancelled: err instanceof JobCancelled, error: toErrorPayload(err) });
});
