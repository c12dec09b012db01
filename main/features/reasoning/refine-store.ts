/**
 * Refinement runs and their trees (refine_runs, refine_trees): opened or resumed and written by the refine job,
 * read back for the Tree view; and resolving `--space RUN` to a trained Thought Space.
 */
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import { listSpaces, type SpaceRecord } from '../space/space-store.js';
import type { RefineTree } from '../../../common/contract/reasoning.js';
import { chainOf, type TotNode } from './tot.js';
import { finishJobRun, openJobRun } from './run-rows.js';

/** A space by id ("3") or by name; it must be ready. */
export function resolveSpace(db: Db, ref: string): SpaceRecord {
  const spaces = listSpaces(db);
  const s = /^\d+$/.test(ref) ? spaces.find((x) => x.id === Number(ref)) : spaces.find((x) => x.name === ref);
  if (!s) {
    throw new UserError(`There is no Thought Space "${ref}" in this workspace.`, {
      hint: spaces.length
        ? `Spaces here: ${spaces.map((x) => `${x.id} (${x.name})`).join(', ')}.`
        : 'Train one first: `pulse space train --dataset NAME --encoder tfidf`.',
      code: 'not_found',
    });
  }
  if (s.state !== 'ready')
    throw new UserError(`Thought Space ${s.id} (${s.name}) is ${s.state}, not ready.`, {
      hint: 'Wait for its training to finish, or resume it.',
      code: 'bad_state',
    });
  return s;
}

export function readRefineTree(db: Db, dataset: { id: number; name: string }, userIdx: number, runId?: number): RefineTree {
  const row = db
    .prepare(
      `SELECT t.*, r.model, r.space, r.settings FROM refine_trees t JOIN refine_runs r ON r.id = t.run_id
       WHERE r.dataset_id = ? AND t.user_idx = ? ${runId ? 'AND t.run_id = ?' : ''} ORDER BY t.run_id DESC LIMIT 1`,
    )
    .get(...(runId ? [dataset.id, userIdx, runId] : [dataset.id, userIdx])) as
    | {
        run_id: number;
        tree: string;
        best_node: number;
        best_score: number;
        rationale_text: string;
        rationale_version_id: number | null;
        model: string;
        space: string;
        settings: string;
      }
    | undefined;
  if (!row) {
    throw new UserError(`User ${userIdx} of "${dataset.name}" has no refinement tree${runId ? ` in run ${runId}` : ''}.`, {
      hint: 'Run Tree-of-Thought refinement first: `pulse refine --dataset NAME --model M --space RUN`.',
      code: 'not_found',
    });
  }
  const nodes = JSON.parse(row.tree) as TotNode[];
  return {
    runId: row.run_id,
    dataset: dataset.name,
    userIdx,
    space: row.space,
    model: row.model,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    nodes,
    bestNode: row.best_node,
    bestScore: row.best_score,
    bestChain: chainOf(nodes, row.best_node),
    rationale: row.rationale_text,
    rationaleVersionId: row.rationale_version_id,
  };
}

export function openRefineRun(
  db: Db,
  jobId: number,
  resumedFromJob: number | null,
  r: { datasetId: number; model: string; space: string; settings: unknown },
): number {
  return openJobRun(db, 'refine_runs', jobId, resumedFromJob, () =>
    Number(
      db
        .prepare('INSERT INTO refine_runs(job_id, dataset_id, model, space, settings) VALUES (?, ?, ?, ?, ?)')
        .run(jobId, r.datasetId, r.model, r.space, JSON.stringify(r.settings)).lastInsertRowid,
    ),
  );
}

/** Users this run has refined already (skipped on resume). */
export function refinedUsers(db: Db, runId: number): Set<number> {
  return new Set(db.prepare('SELECT user_idx FROM refine_trees WHERE run_id = ?').pluck().all(runId) as number[]);
}

export function saveRefineTree(
  db: Db,
  runId: number,
  t: { userIdx: number; nodes: TotNode[]; bestNode: number; bestScore: number; text: string; versionId: number; ms: number },
): void {
  db.prepare(
    'INSERT OR REPLACE INTO refine_trees(run_id, user_idx, tree, best_node, best_score, rationale_text, rationale_version_id, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(runId, t.userIdx, JSON.stringify(t.nodes), t.bestNode, t.bestScore, t.text, t.versionId, t.ms);
}

/**
 * Marks the run done and sums it up: users with a tree, the mean best score, and the mean of the best
 * single-step chain per user (the root level, what refinement improves on).
 */
export function finishRefineRun(db: Db, runId: number): { users: number; meanBestScore: number; meanRootScore: number } {
  finishJobRun(db, 'refine_runs', runId);
  const agg = db.prepare('SELECT COUNT(*) AS c, AVG(best_score) AS best FROM refine_trees WHERE run_id = ?').get(runId) as { c: number; best: number | null };
  const trees = db.prepare('SELECT tree FROM refine_trees WHERE run_id = ?').pluck().all(runId) as string[];
  const rootBest = trees.map((t) => Math.max(...(JSON.parse(t) as TotNode[]).filter((x) => x.depth === 1).map((x) => x.score)));
  return { users: agg.c, meanBestScore: agg.best ?? 0, meanRootScore: rootBest.length ? rootBest.reduce((a, b) => a + b, 0) / rootBest.length : 0 };
}
