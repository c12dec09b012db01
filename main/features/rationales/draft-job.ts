/**
 * The 'rationales.draft' job: extractive rationales (no model) for the first N users of a dataset, explaining
 * each user's last training item or every training item ('all': what PULSE aligns at every position). Targets
 * already drafted by the same drafter version are skipped (never duplicated) unless regenerate.
 */
import type { JobHandler } from '../../platform/jobs/job-context.js';
import type { Db } from '../../platform/storage/database.js';
import { DRAFTER_NAME, DRAFTER_VERSION, draftRationale, EXTRACTIVE_GENERATION_KEY } from './extractive-drafter.js';
import { finishedTargets, targetKey, trainingTargets, userIndices, writeRationale, type TargetPositions } from './rationale-store.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { loadUserContext } from './user-context.js';

export interface DraftParams {
  dataset: string;
  users?: number;
  regenerate?: boolean;
  /** 'last' (default): each user's last training item; 'all': every training item after the first. */
  positions?: TargetPositions;
}

export interface DraftResult {
  dataset: string;
  users: number;
  targets: number;
  drafted: number;
  skipped: number;
  seconds: number;
}

export interface DraftHooks {
  jobId?: number | null;
  progress?(done: number, total: number): void;
  throwIfCancelled?(): void;
}

/** Drafts for a dataset on an open database; batches of users per transaction keep it fast and kill-safe. */
export function draftDataset(db: Db, p: DraftParams, hooks: DraftHooks = {}): DraftResult {
  const t0 = performance.now();
  const ds = datasetByName(db, p.dataset);
  const users = userIndices(db, ds.id, p.users);
  const done = p.regenerate ? new Set<string>() : finishedTargets(db, ds.id, EXTRACTIVE_GENERATION_KEY);
  const positions = p.positions ?? 'last';
  let drafted = 0;
  let skipped = 0;
  let targets = 0;
  const BATCH = positions === 'all' ? 50 : 200;
  for (let i = 0; i < users.length; i += BATCH) {
    hooks.throwIfCancelled?.();
    db.transaction(() => {
      for (const u of users.slice(i, i + BATCH)) {
        const todo = trainingTargets(db, ds.id, u, positions);
        if (!todo.length) skipped++; // no training item: nothing to explain
        targets += todo.length;
        for (const t of todo) {
          const ctx = done.has(targetKey(t)) ? null : loadUserContext(db, ds.id, u, t);
          if (!ctx) {
            skipped++;
            continue;
          }
          const d = draftRationale(ctx);
          writeRationale(db, ds.id, ctx.target, {
            text: d.text,
            agentKind: 'extractive',
            agent: { drafter: DRAFTER_NAME, version: DRAFTER_VERSION, features: d.features },
            generationKey: EXTRACTIVE_GENERATION_KEY,
            jobId: hooks.jobId ?? null,
          });
          drafted++;
        }
      }
    })();
    hooks.progress?.(Math.min(users.length, i + BATCH), users.length);
  }
  return { dataset: ds.name, users: users.length, targets, drafted, skipped, seconds: (performance.now() - t0) / 1000 };
}

export const run: JobHandler<DraftParams, DraftResult> = async (ctx) =>
  draftDataset(ctx.workspace.db, ctx.params, {
    jobId: ctx.jobId,
    progress: (done, total) => ctx.progress({ done, total, unit: 'users' }),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
