import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

/** Opens (creating if needed) a workspace database with WAL, foreign keys and all migrations applied. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs every numbered migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = schemaVersion(db);
  const sorted = [...MIGRATIONS].sort((a, b) => a.version - b.version);
  const newest = sorted.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `This workspace was written by a newer PULSE Workbench (schema ${current}, this build knows ${newest}). Update the app, or open another workspace.`,
    );
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
