/**
 * A trained run's model outside training: exported as an ONNX scorer (onnx-export.ts), and the top-k items
 * for a dataset user with titles, scored by the engine (the best checkpoint) or by onnxruntime on the exported
 * model. Items the user already has are not recommended. A run must have finished training (or stopped with a
 * best checkpoint); one still training is refused with what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { historyTensorData, writeSasrecOnnx } from './onnx-export.js';
import { effectiveState, getRun, runDir, type RunRecord } from './run-store.js';
import type { Trainer } from './sasrec/index.js';
import { FILES, openRunTrainer, type RunTrainer } from './train-job.js';

export const MODEL_FILE = 'model.onnx';

export interface Recommendation {
  rank: number;
  /** The item's id in the imported data. */
  item: string;
  title: string;
  score: number;
}

export interface RecommendResult {
  run: number;
  dataset: string;
  user: string;
  via: 'engine' | 'onnx';
  /** Items in the user's history (all of them are excluded from the recommendations). */
  history: number;
  items: Recommendation[];
}

/** The run, checked to hold a trained model: not training now, and with a best checkpoint. */
function trainedRun(ws: Workspace, id: number): { rec: RunRecord; best: string } {
  const rec = getRun(ws.db, id);
  const state = effectiveState(ws.db, rec);
  if (state === 'running' || state === 'queued')
    throw new UserError(`Run ${id} is still training${rec.jobId !== null ? ` (job ${rec.jobId})` : ''}; its model is not final.`, {
      hint: `Wait for it to finish (\`pulse jobs\` shows its progress), or cancel its job and use the best checkpoint so far.`,
      code: 'bad_state',
    });
  const best = path.join(runDir(ws, id), FILES.best);
  if (!fs.existsSync(best))
    throw new UserError(`Run ${id} has no trained model yet (no best checkpoint: it ${state === 'succeeded' ? 'has none' : `is ${state}`}).`, {
      hint: rec.jobId !== null ? `Resume its training: \`pulse jobs resume ${rec.jobId}\`.` : 'Train it again with `pulse train`.',
      code: 'bad_state',
    });
  return { rec, best };
}

/** Trainers opened at a run's best checkpoint, the last two kept (a newer best checkpoint reopens). */
const opened = new Map<string, Promise<RunTrainer>>();

/** A run's trainer and data at its best checkpoint `best`, opened once while that checkpoint stands. */
export function openBestTrainer(ws: Workspace, rec: RunRecord, best: string): Promise<RunTrainer> {
  const key = `${ws.dir}#${rec.id}#${fs.statSync(best).mtimeMs}`;
  let p = opened.get(key);
  if (!p) {
    p = openRunTrainer(ws, rec).then((t) => {
      t.trainer.loadCheckpoint(best);
      return t;
    });
    p.catch(() => opened.delete(key));
    opened.set(key, p);
    while (opened.size > 2) opened.delete(opened.keys().next().value as string);
  }
  return p;
}

async function bestTrainer(ws: Workspace, rec: RunRecord, best: string): Promise<Trainer> {
  return (await openBestTrainer(ws, rec, best)).trainer;
}

/** Writes the run's scorer (best checkpoint) as ONNX to `out`. */
export async function exportRunModel(ws: Workspace, id: number, format: 'onnx', out: string) {
  const { rec, best } = trainedRun(ws, id);
  const abs = path.resolve(out);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory())
    throw new UserError(`${abs} is a folder; --out names the ONNX file to write.`, {
      file: abs,
      hint: `For example --out ${path.join(abs, `run-${id}.onnx`)}`,
    });
  const trainer = await bestTrainer(ws, rec, best);
  const r = writeSasrecOnnx(trainer.model, abs, { run: String(id), dataset: rec.datasetName, datasetHash: rec.datasetHash, arch: rec.arch });
  return {
    run: id,
    format,
    file: r.file,
    bytes: r.bytes,
    nItems: trainer.model.nItems,
    maxLen: trainer.config.maxLen,
    input: `history int64 [batch, ${trainer.config.maxLen}]: item ids 1..${trainer.model.nItems} (items.idx + 1), most recent last, left-padded with 0`,
    output: `scores float [batch, ${trainer.model.nItems + 1}]: index 0 is padding (-inf)`,
  };
}

/** The user's whole history (engine item ids, oldest first). */
function userHistory(db: Db, rec: RunRecord, user: string): Int32Array {
  if (rec.datasetId === null) throw new UserError(`Run ${rec.id}'s dataset "${rec.datasetName}" was deleted.`, { code: 'not_found' });
  const row = db.prepare('SELECT idx FROM users WHERE dataset_id = ? AND original_id = ?').get(rec.datasetId, user) as { idx: number } | undefined;
  if (!row) {
    const sample = db.prepare('SELECT original_id FROM users WHERE dataset_id = ? ORDER BY idx LIMIT 3').pluck().all(rec.datasetId) as string[];
    throw new UserError(`Dataset "${rec.datasetName}" has no user "${user}".`, {
      hint: `Users are named by their ids in the imported data${sample.length ? `, e.g. ${sample.map((s) => `"${s}"`).join(', ')}` : ''}.`,
      code: 'not_found',
    });
  }
  const items = db
    .prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ? ORDER BY pos')
    .pluck()
    .all(rec.datasetId, row.idx) as number[];
  return Int32Array.from(items, (i) => i + 1);
}

/** The run's ONNX scorer in its folder, exported again when the best checkpoint is newer. */
async function runModelFile(ws: Workspace, rec: RunRecord, best: string): Promise<string> {
  const file = path.join(runDir(ws, rec.id), MODEL_FILE);
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(best).mtimeMs) await exportRunModel(ws, rec.id, 'onnx', file);
  return file;
}

async function scoreWithOnnx(file: string, history: Int32Array, maxLen: number): Promise<Float32Array> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, interOpNumThreads: 1 });
  try {
    const out = await session.run({ history: new ort.Tensor('int64', historyTensorData([history], maxLen), [1, maxLen]) });
    return out.scores!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The top k items for a user of the run's dataset (by the original user id), with titles. */
export async function recommendForUser(ws: Workspace, o: { id: number; user: string; k?: number; via?: 'engine' | 'onnx' }): Promise<RecommendResult> {
  const { rec, best } = trainedRun(ws, o.id);
  const via = o.via ?? 'engine';
  const history = userHistory(ws.db, rec, o.user);
  const maxLen = rec.config.sasrec.maxLen;
  let scores: Float32Array;
  if (via === 'onnx') scores = await scoreWithOnnx(await runModelFile(ws, rec, best), history, maxLen);
  else scores = (await bestTrainer(ws, rec, best)).scoreUsers([history]);
  const seen = new Set(history);
  const k = Math.max(0, Math.min(o.k ?? 10, scores.length - 1 - seen.size));
  // Top k by a partial selection: candidates kept sorted, ties to the lower item id.
  const top: number[] = [];
  for (let i = 1; i < scores.length && k > 0; i++) {
    if (seen.has(i) || !(scores[i]! > -Infinity)) continue;
    if (top.length === k && scores[i]! <= scores[top[k - 1]!]!) continue;
    let p = top.length < k ? top.length : k - 1;
    while (p > 0 && scores[top[p - 1]!]! < scores[i]!) p--;
    top.splice(p, 0, i);
    if (top.length > k) top.pop();
  }
  const itemRow = ws.db.prepare('SELECT original_id AS id, title FROM items WHERE dataset_id = ? AND idx = ?');
  const items = top.map((i, r) => {
    const row = itemRow.get(rec.datasetId, i - 1) as { id: string; title: string } | undefined;
    return { rank: r + 1, item: row?.id ?? String(i - 1), title: row?.title ?? '', score: scores[i]! };
  });
  return { run: rec.id, dataset: rec.datasetName, user: o.user, via, history: history.length, items };
}
