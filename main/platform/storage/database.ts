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
  immediateTransactions(db);
  migrate(db);
  return db;
}

/**
 * Makes `db.transaction(fn)()` take the write lock at BEGIN (IMMEDIATE). Workspaces are written by the host and by
 * job workers at once; a deferred transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT when
 * another connection commits in between, and the busy timeout cannot help it. `.deferred()` stays available.
 */
function immediateTransactions(db: Db): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = make(fn);
    const run = ((...args: unknown[]) => t.immediate(...args)) as typeof t;
    return Object.assign(run, { default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive });
  }) as Db['transaction'];
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
