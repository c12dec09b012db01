// A dataset's leave-one-out split as a run reads it (view interaction_split: the last item is the test target,
// the one before it the validation target, the rest train; users with fewer than 3 interactions train on
// everything and are not evaluated), in the engine's item ids (items.idx + 1; 0 is padding).
//
// Only per-user numbers are held in memory (4 bytes each: the user ids, the training lengths, the targets); the
// sequences themselves are read from the workspace's SQLite one user at a time, when a batch or an evaluation
// chunk needs them (a primary-key range read, a few microseconds). So a run's memory grows with its model and
// not with the data. Each read is checked against the lengths taken when the run opened its data: a dataset
// deleted or replaced under a training run stops it with a clear error instead of training on other data.
import { UserError } from '../../base/errors.js';
import type { SequenceSource } from '../../base/sequence-source.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import type { Db } from '../../platform/storage/database.js';

export interface RunData {
  datasetId: number;
  datasetName: string;
  contentHash: string;
  nItems: number;
  /** users[s] = users.idx of training sequence s (every user of the dataset, in idx order). */
  users: Int32Array;
  /** Training part of each user's sequence (engine ids), read on demand. */
  train: SequenceSource;
  /** Evaluated users: indices into `train` / `users`. */
  evalIdx: Int32Array;
  /** History scored for validation: the training part (one per evaluated user). */
  validHistory: SequenceSource;
  validTarget: Int32Array;
  /** History scored for test: the training part and the validation item. */
  testHistory: SequenceSource;
  testTarget: Int32Array;
}

export function loadRunData(db: Db, datasetName: string): RunData {
  const ds = datasetByName(db, datasetName);
  const nItems = ((db.prepare('SELECT MAX(idx) FROM items WHERE dataset_id = ?').pluck().get(ds.id) as number | null) ?? -1) + 1;
  if (nItems < 2) throw new UserError(`Dataset "${datasetName}" has too few items to train on.`, { code: 'too_small' });
  // One streamed pass over the split, in one read transaction (one snapshot): per user, the number of training
  // items and the two held-out targets.
  const perUser = db.transaction(() => {
    const nUsers = db.prepare('SELECT COUNT(*) FROM users WHERE dataset_id = ?').pluck().get(ds.id) as number;
    const out = { users: new Int32Array(nUsers), trainLen: new Int32Array(nUsers), valid: new Int32Array(nUsers), test: new Int32Array(nUsers) };
    const rows = db
      .prepare(
        `SELECT u.idx, COALESCE(s.n_train, 0), COALESCE(s.valid, -1), COALESCE(s.test, -1)
         FROM users u LEFT JOIN (
           SELECT user_idx, SUM(split = 'train') AS n_train, MAX(CASE WHEN split = 'valid' THEN item_idx END) AS valid,
                  MAX(CASE WHEN split = 'test' THEN item_idx END) AS test
           FROM interaction_split WHERE dataset_id = ? GROUP BY user_idx
         ) s ON s.user_idx = u.idx
         WHERE u.dataset_id = ? ORDER BY u.idx`,
      )
      .raw()
      .iterate(ds.id, ds.id) as IterableIterator<[number, number, number, number]>;
    let k = 0;
    for (const [u, n, v, t] of rows) {
      out.users[k] = u;
      out.trainLen[k] = n;
      out.valid[k] = v + 1;
      out.test[k] = t + 1;
      k++;
    }
    return out;
  })();
  const { users, trainLen, valid, test } = perUser;
  const nUsers = users.length;
  const evalAt = new Int32Array(nUsers);
  let nEval = 0;
  for (let s = 0; s < nUsers; s++) if (valid[s]! > 0 && test[s]! > 0 && trainLen[s]! > 0) evalAt[nEval++] = s;
  if (!nEval) throw new UserError(`Dataset "${datasetName}" has no user with 3 or more interactions to evaluate.`, { code: 'too_small' });
  const evalIdx = evalAt.slice(0, nEval);
  const read = prefixReader(db, ds.id, datasetName);
  return {
    datasetId: ds.id,
    datasetName: ds.name,
    contentHash: ds.contentHash,
    nItems,
    users,
    train: { length: nUsers, get: (s) => read(users[s]!, trainLen[s]!) },
    evalIdx,
    validHistory: { length: nEval, get: (j) => read(users[evalIdx[j]!]!, trainLen[evalIdx[j]!]!) },
    validTarget: evalIdx.map((s) => valid[s]!),
    testHistory: { length: nEval, get: (j) => read(users[evalIdx[j]!]!, trainLen[evalIdx[j]!]! + 1) },
    testTarget: evalIdx.map((s) => test[s]!),
  };
}

/** Reads the first n interactions of a user (engine ids), and fails if the dataset no longer has them. */
function prefixReader(db: Db, datasetId: number, name: string): (user: number, n: number) => Int32Array {
  const stmt = db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ? AND pos < ? ORDER BY pos').pluck();
  return (user, n) => {
    const rows = stmt.all(datasetId, user, n) as number[];
    if (rows.length !== n)
      throw new UserError(`Dataset "${name}" changed while this run was using it (user #${user} now has ${rows.length} of the ${n} items read at the start).`, {
        hint: 'Start a new run on the current data.',
        code: 'data_changed',
      });
    return Int32Array.from(rows, (i) => i + 1);
  };
}
