// A dataset's leave-one-out split read from the workspace (view interaction_split), in the engine's item ids
// (items.idx + 1; 0 is padding). Training sequences hold only 'train' interactions; the validation history is
// the training sequence, the test history is training + validation. Users with fewer than 3 interactions train
// on everything and are not evaluated.
import { UserError } from '../../base/errors.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import type { Db } from '../../platform/storage/database.js';

export interface RunData {
  datasetId: number;
  datasetName: string;
  contentHash: string;
  nItems: number;
  /** users[s] = users.idx of training sequence s (every user of the dataset, in idx order). */
  users: Int32Array;
  /** Training sequence per user (engine ids). */
  train: Int32Array[];
  /** Evaluated users: indices into `train` / `users`. */
  evalIdx: Int32Array;
  validHistory: Int32Array[];
  validTarget: Int32Array;
  testHistory: Int32Array[];
  testTarget: Int32Array;
}

export function loadRunData(db: Db, datasetName: string): RunData {
  const ds = datasetByName(db, datasetName);
  const nItems = ((db.prepare('SELECT MAX(idx) FROM items WHERE dataset_id = ?').pluck().get(ds.id) as number | null) ?? -1) + 1;
  if (nItems < 2) throw new UserError(`Dataset "${datasetName}" has too few items to train on.`, { code: 'too_small' });
  const users = db.prepare('SELECT idx FROM users WHERE dataset_id = ? ORDER BY idx').pluck().all(ds.id) as number[];
  const slot = new Map<number, number>(users.map((u, i) => [u, i]));
  const train: number[][] = users.map(() => []);
  const valid = new Int32Array(users.length);
  const test = new Int32Array(users.length);
  const it = db
    .prepare('SELECT user_idx AS u, item_idx AS i, split AS s FROM interaction_split WHERE dataset_id = ? ORDER BY user_idx, pos')
    .raw()
    .iterate(ds.id) as IterableIterator<[number, number, string]>;
  for (const [u, i, s] of it) {
    const k = slot.get(u);
    if (k === undefined) continue;
    if (s === 'train') train[k]!.push(i + 1);
    else if (s === 'valid') valid[k] = i + 1;
    else test[k] = i + 1;
  }
  const evalIdx: number[] = [];
  for (let k = 0; k < users.length; k++) if (valid[k]! > 0 && test[k]! > 0 && train[k]!.length > 0) evalIdx.push(k);
  if (!evalIdx.length) throw new UserError(`Dataset "${datasetName}" has no user with 3 or more interactions to evaluate.`, { code: 'too_small' });
  const trainSeqs = train.map((s) => Int32Array.from(s));
  return {
    datasetId: ds.id,
    datasetName: ds.name,
    contentHash: ds.contentHash,
    nItems,
    users: Int32Array.from(users),
    train: trainSeqs,
    evalIdx: Int32Array.from(evalIdx),
    validHistory: evalIdx.map((k) => trainSeqs[k]!),
    validTarget: Int32Array.from(evalIdx, (k) => valid[k]!),
    testHistory: evalIdx.map((k) => {
      const h = new Int32Array(trainSeqs[k]!.length + 1);
      h.set(trainSeqs[k]!);
      h[h.length - 1] = valid[k]!;
      return h;
    }),
    testTarget: Int32Array.from(evalIdx, (k) => test[k]!),
  };
}
