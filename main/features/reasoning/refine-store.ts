/** Reading refinement trees back (the Tree view), and resolving `--space RUN` to a trained Thought Space. */
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import { listSpaces, type SpaceRecord } from '../space/space-store.js';
import type { RefineTree } from '../../../common/contract/reasoning.js';
import { chainOf, type TotNode } from './tot.js';

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
