/**
 * The 'train.sweep' job: several runs (prepared and validated up front, one per combination of the sweep's
 * settings) trained one after another in one job, with overall progress (runs done plus the current run's
 * epochs), cancel between and within runs, and resume: a resumed sweep skips runs that already succeeded and
 * continues the interrupted one from its checkpoint.
 */
import type { JobContext, JobHandler } from '../../platform/jobs/job-context.js';
import { getRun, setRunJob } from './run-store.js';
import { run as trainRun, type TrainJobParams, type TrainJobResult } from './train-job.js';

export interface SweepParams {
  runIds: number[];
}

export interface SweepResult {
  runs: number[];
  results: TrainJobResult[];
}

/** The context one run of the sweep trains with: the sweep's, with progress scaled to the whole sweep. */
function runContext(ctx: JobContext<SweepParams>, runId: number, index: number, total: number): JobContext<TrainJobParams> {
  return {
    jobId: ctx.jobId,
    params: { runId },
    resumedFrom: null,
    workspace: ctx.workspace,
    progress: (p) =>
      ctx.progress({
        ...p,
        done: index + (p.total ? Math.min(1, (p.done ?? 0) / p.total) : 0),
        total,
        unit: 'runs',
        message: `run ${runId} (${index + 1} of ${total})${p.message ? `: ${p.message}` : ''}`,
      }),
    event: (name, data) => ctx.event(name, data),
    log: (m, level) => ctx.log(`run ${runId}: ${m}`, level),
    get cancelled() {
      return ctx.cancelled;
    },
    throwIfCancelled: () => ctx.throwIfCancelled(),
  };
}

export const run: JobHandler<SweepParams, SweepResult> = async (ctx) => {
  const db = ctx.workspace.db;
  const ids = ctx.params.runIds;
  const results: TrainJobResult[] = [];
  for (const [i, id] of ids.entries()) {
    ctx.throwIfCancelled();
    if (getRun(db, id).state === 'succeeded') continue;
    setRunJob(db, id, ctx.jobId);
    results.push(await trainRun(runContext(ctx, id, i, ids.length)));
  }
  ctx.progress({ done: ids.length, total: ids.length, unit: 'runs', message: 'sweep finished' });
  return { runs: ids, results };
};
