import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../../main/platform/storage/database.js';
import { MIGRATIONS } from '../../../../main/platform/storage/migrations/index.js';
import { Workspace } from '../../../../main/platform/workspace/workspace.js';
import { tempDir } from '../../../support/temp.js';

const newest = Math.max(...MIGRATIONS.map((m) => m.version));

describe('workspace database', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('applies every migration on open, with WAL and foreign keys on', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(path.join(t.dir, 'w.sqlite'));
    expect(schemaVersion(db)).toBe(newest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','view')").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['datasets', 'items', 'users', 'interactions', 'interaction_split', 'jobs', 'settings']));
    db.close();
  });

  it('is idempotent: reopening runs nothing twice', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'w.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(newest);
    db.close();
  });

  it('refuses a database written by a newer version, and says what to do', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(path.join(t.dir, 'w.sqlite'));
    db.pragma(`user_version = ${newest + 1}`);
    expect(() => migrate(db)).toThrow(/newer PULSE Workbench/);
    db.close();
  });

  it('derives the leave-one-out split: last test, second to last valid, rest train', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = Workspace.open(t.dir);
    const db = ws.db;
    db.prepare("INSERT INTO datasets(id, name, format) VALUES (1, 'd', 'test')").run();
    db.prepare("INSERT INTO items(dataset_id, idx, original_id) VALUES (1,0,'a'),(1,1,'b'),(1,2,'c'),(1,3,'d')").run();
    db.prepare("INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (1,0,'u0',4),(1,1,'u1',2)").run();
    const ins = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx) VALUES (1, ?, ?, ?)');
    [0, 1, 2, 3].forEach((i) => ins.run(0, i, i));
    [0, 1].forEach((i) => ins.run(1, i, i));
    const rows = db.prepare('SELECT user_idx, pos, split FROM interaction_split ORDER BY user_idx, pos').all();
    expect(rows).toEqual([
      { user_idx: 0, pos: 0, split: 'train' },
      { user_idx: 0, pos: 1, split: 'train' },
      { user_idx: 0, pos: 2, split: 'valid' },
      { user_idx: 0, pos: 3, split: 'test' },
      { user_idx: 1, pos: 0, split: 'train' },
      { user_idx: 1, pos: 1, split: 'train' },
    ]);
    // deleting a dataset removes everything that belongs to it
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) n FROM interactions').get()).toEqual({ n: 0 });
    ws.close();
  });

  it('backs up to one file that opens as a workspace database', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = Workspace.open(path.join(t.dir, 'ws'));
    ws.setSetting('x', { a: 1 });
    const { file, bytes } = await ws.backup(path.join(t.dir, 'backup.sqlite'));
    expect(bytes).toBeGreaterThan(0);
    const copy = openDatabase(file);
    expect(copy.prepare("SELECT value FROM settings WHERE key='x'").get()).toEqual({ value: '{"a":1}' });
    copy.close();
    ws.close();
  });
});
