/**
 * The 'train.eval' job: a run's best-validation checkpoint evaluated again under any protocol (full or sampled:N
 * with stored negatives of a seed), on the test split unless asked for validation. The result is stored with the
 * run (same protocol, seed and split replace the earlier one: evaluation is deterministic).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { evaluate } from './run-eval.js';
import { getRun, saveResult } from './run-store.js';
import { FILES, openRunTrainer } from './train-job.js';

export interface EvalJobParams {
  runId: number;
  protocol: string;
  seed?: number;
  split?: 'valid' | 'test';
}

export interface EvalJobResult {
  run: number;
  protocol: string;
  split: 'valid' | 'test';
  seed: number | null;
  epoch: number;
  users: number;
  test?: Record<string, Record<string, number>>;
  valid?: Record<string, Record<string, number>>;
}

export const run: JobHandler<EvalJobParams, EvalJobResult> = async (ctx) => {
  const { runId, protocol } = ctx.params;
  const split = ctx.params.split ?? 'test';
  const rec = getRun(ctx.workspace.db, runId);
  const { trainer, data, dir } = await openRunTrainer(ctx.workspace, rec);
  const best = path.join(dir, FILES.best);
  if (!fs.existsSync(best)) throw new UserError(`Run ${runId} has no best checkpoint yet.`, { hint: 'Train it (or resume its job) first.', code: 'bad_state' });
  trainer.loadCheckpoint(best);
  const seed = ctx.params.seed ?? rec.config.negSeed;
  ctx.progress({ message: `Evaluating ${split} (${protocol})` });
  const o = evaluate(trainer, data, ctx.workspace.db, split, protocol, seed);
  const epoch = rec.summary.bestEpoch ?? trainer.epoch;
  const negSeed = protocol === 'full' ? 0 : seed;
  saveResult(ctx.workspace.db, runId, { protocol, negSeed, split, epoch, metrics: o.metrics, users: o.users, ranks: o.ranks });
  const metrics = Object.fromEntries(Object.entries(o.metrics).map(([k, v]) => [k, +v.toFixed(6)]));
  return { run: runId, protocol, split, seed: protocol === 'full' ? null : seed, epoch, users: o.users.length, [split]: { [protocol]: metrics } };
};
