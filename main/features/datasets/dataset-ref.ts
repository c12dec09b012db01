import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';

export interface DatasetRef {
  id: number;
  name: string;
  contentHash: string;
}

/** A dataset by name, or an error that lists the datasets there are (every service looks datasets up here). */
export function datasetByName(db: Db, name: string): DatasetRef {
  const row = db.prepare('SELECT id, name, content_hash AS contentHash FROM datasets WHERE name = ?').get(name) as DatasetRef | undefined;
  if (!row) {
    const names = db.prepare('SELECT name FROM datasets ORDER BY name').pluck().all() as string[];
    throw new UserError(`There is no dataset "${name}" in this workspace.`, {
      hint: names.length ? `Datasets here: ${names.join(', ')}.` : 'Import one first (`pulse import`), or build the demo (`pulse demo`).',
      code: 'not_found',
    });
  }
  return row;
}

/** A user by index (numbered from 0 in dataset order), or an error that says how users are numbered. */
export function assertUser(db: Db, ds: DatasetRef, userIdx: number): void {
  if (userOriginalId(db, ds.id, userIdx) === null)
    throw new UserError(`Dataset "${ds.name}" has no user ${userIdx}.`, { hint: 'Users are numbered from 0 in dataset order.', code: 'not_found' });
}

/** The original id of a user (by index), or null when the dataset has no such user. */
export function userOriginalId(db: Db, datasetId: number, userIdx: number): string | null {
  return (db.prepare('SELECT original_id FROM users WHERE dataset_id = ? AND idx = ?').pluck().get(datasetId, userIdx) as string | undefined) ?? null;
}
