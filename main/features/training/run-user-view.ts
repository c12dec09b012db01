// One user seen through runs: the history (training items, then validation and test), the rationale versions a
// run aligned to for this user, and each run's top-k after the test history (best checkpoint, the user's own
// items masked, as full-ranking evaluation does). The "edit the why, see the what" loop reads this before and
// after a rationale is edited and a run is fine-tuned from the previous one.
import fs from 'node:fs';
import path from 'node:path';
import type { UserView } from '../../../common/contract/training.js';
import { UserError } from '../../base/errors.js';
import { clean } from '../rationales/user-context.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { getRun, runDir, runRationales } from './run-store.js';
import { openBestTrainer } from './run-model.js';
import { FILES, type RunTrainer } from './train-job.js';

async function bestTrainer(ws: Workspace, runId: number): Promise<RunTrainer> {
  const rec = getRun(ws.db, runId);
  const best = path.join(runDir(ws, runId), FILES.best);
  if (!fs.existsSync(best))
    throw new UserError(`Run ${runId} has no best checkpoint yet (it is ${rec.state}).`, { hint: 'Wait until it has validated once.', code: 'bad_state' });
  return openBestTrainer(ws, rec, best);
}

export async function userView(ws: Workspace, runIds: number[], user: number | string, k = 10): Promise<UserView> {
  const db = ws.db;
  const recs = runIds.map((id) => getRun(db, id));
  const first = recs[0]!;
  for (const r of recs)
    if (r.datasetName !== first.datasetName || r.datasetHash !== first.datasetHash)
      throw new UserError(`Runs ${first.id} and ${r.id} were trained on different data.`, { code: 'not_comparable' });
  if (first.datasetId === null) throw new UserError(`Run ${first.id}'s dataset was deleted.`, { code: 'bad_state' });
  const dsId = first.datasetId;
  const u = (
    typeof user === 'number'
      ? db.prepare('SELECT idx, original_id FROM users WHERE dataset_id = ? AND idx = ?').get(dsId, user)
      : db.prepare('SELECT idx, original_id FROM users WHERE dataset_id = ? AND original_id = ?').get(dsId, user)
  ) as { idx: number; original_id: string } | undefined;
  if (!u)
    throw new UserError(`Dataset "${first.datasetName}" has no user ${typeof user === 'number' ? `#${user}` : `"${user}"`}.`, {
      hint: 'Give the user index (0-based) or the original user id.',
      code: 'not_found',
    });
  const itemStmt = db.prepare('SELECT idx, original_id, title FROM items WHERE dataset_id = ? AND idx = ?');
  const item = (idx: number) => {
    const r = itemStmt.get(dsId, idx) as { idx: number; original_id: string; title: string };
    return { idx: r.idx, originalId: r.original_id, title: clean(r.title) || `item ${r.original_id}` };
  };
  const rows = db.prepare('SELECT pos, item_idx, split FROM interaction_split WHERE dataset_id = ? AND user_idx = ? ORDER BY pos').all(dsId, u.idx) as {
    pos: number;
    item_idx: number;
    split: string;
  }[];
  const train = rows.filter((r) => r.split === 'train');
  const valid = rows.find((r) => r.split === 'valid');
  const test = rows.find((r) => r.split === 'test');
  const versionStmt = db.prepare(
    `SELECT v.id AS versionId, v.rationale_id AS rationaleId, v.text, v.agent_kind AS agentKind, r.target_pos AS targetPos, r.item_idx AS itemIdx
     FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id WHERE v.id = ?`,
  );
  const runs: UserView['runs'] = [];
  for (const rec of recs) {
    const { trainer, data } = await bestTrainer(ws, rec.id);
    const slot = data.users.indexOf(u.idx);
    // The test history: training items then the validation item (what full-ranking test evaluation scores after).
    const hist = Int32Array.from([...train.map((r) => r.item_idx + 1), ...(valid ? [valid.item_idx + 1] : [])]);
    if (slot < 0 || hist.length === 0) throw new UserError(`User ${u.original_id} has no history to recommend from.`, { code: 'bad_target' });
    const scores = trainer.scoreUsers([hist]);
    const seen = new Set(hist);
    const targetEngine = test ? test.item_idx + 1 : -1;
    const ts = targetEngine > 0 ? scores[targetEngine]! : NaN;
    let testRank = 0;
    const order: number[] = [];
    for (let i = 1; i < scores.length; i++) {
      if (seen.has(i) && i !== targetEngine) continue;
      if (targetEngine > 0 && i !== targetEngine && scores[i]! > ts) testRank++;
      order.push(i);
    }
    order.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const top = order.slice(0, k).map((i) => ({ ...item(i - 1), score: scores[i]!, isTest: i === targetEngine }));
    const rationales = runRationales(db, rec.id, u.idx)
      .map(
        (x) => versionStmt.get(x.versionId) as { versionId: number; rationaleId: number; text: string; agentKind: string; targetPos: number; itemIdx: number },
      )
      .filter(Boolean)
      .sort((a, b) => a.targetPos - b.targetPos)
      .map(({ itemIdx, ...r }) => ({ ...r, item: item(itemIdx) }));
    runs.push({ run: rec.id, name: rec.name, arch: rec.arch, testRank: targetEngine > 0 ? testRank : -1, top, rationales });
  }
  return {
    dataset: first.datasetName,
    user: { idx: u.idx, originalId: u.original_id },
    history: train.map((r) => item(r.item_idx)),
    valid: valid ? item(valid.item_idx) : null,
    test: test ? item(test.item_idx) : null,
    runs,
  };
}
