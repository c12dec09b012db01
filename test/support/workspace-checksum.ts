/**
 * A checksum of a workspace database's content: sha256 over every table's rows (sorted, so it does not depend
 * on storage order), table by table in name order. Two databases with the same rows give the same checksum
 * whatever their pages, WAL or free lists look like; one changed, added or removed row changes it.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** `except`: tables left out (e.g. the job log a command writes by design). */
export function workspaceChecksum(db: Database.Database, except: string[] = []): string {
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    if (except.includes(t)) continue;
    const rows = (
      db
        .prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`)
        .raw()
        .all() as unknown[][]
    ).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Buffer.isBuffer(v) ? v.toString('base64') : v)));
    rows.sort();
    hash.update(`${t}\n${rows.length}\n${rows.join('\n')}\n`);
  }
  return hash.digest('hex');
}
