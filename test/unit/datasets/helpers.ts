import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DatasetService } from '../../../main/features/datasets/dataset-service.js';
import { importDataset, type ImportParams } from '../../../main/features/datasets/importer.js';
import { openDatabase, type Db } from '../../../main/platform/storage/database.js';

export function tmpDir(prefix = 'pulse-ds-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (name -> text; names ending .gz are gzipped) into a new temp folder. */
export function writeFiles(files: Record<string, string | Buffer>): string {
  const dir = tmpDir();
  for (const [name, body] of Object.entries(files)) {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    fs.writeFileSync(path.join(dir, name), name.endsWith('.gz') ? zlib.gzipSync(buf) : buf);
  }
  return dir;
}

export function freshDb(): Db {
  return openDatabase(path.join(tmpDir('pulse-ws-'), 'workspace.sqlite'));
}

/** Imports and returns, per user original id, the item original ids in time order. */
export async function importAndRead(db: Db, params: Partial<ImportParams> & { paths: string[] }) {
  const r = await importDataset(db, { name: 'd', ...params });
  const rows = db
    .prepare(
      `SELECT u.original_id AS u, it.original_id AS i FROM interactions x
       JOIN datasets d ON d.id = x.dataset_id JOIN users u ON u.dataset_id = d.id AND u.idx = x.user_idx
       JOIN items it ON it.dataset_id = d.id AND it.idx = x.item_idx WHERE d.name = ? ORDER BY x.user_idx, x.pos`,
    )
    .all(r.dataset) as { u: string; i: string }[];
  const seqs: Record<string, string[]> = {};
  for (const x of rows) (seqs[x.u] ??= []).push(x.i);
  return { result: r, seqs, service: new DatasetService(db) };
}
