import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import { openDatabase, type Db } from '../storage/database.js';

export const DATABASE_FILE = 'workspace.sqlite';

/** A workspace: one folder with one SQLite database plus models/ and artifacts/. */
export class Workspace {
  readonly db: Db;
  private constructor(
    readonly dir: string,
    db: Db,
  ) {
    this.db = db;
  }

  static open(dir: string): Workspace {
    const abs = path.resolve(dir);
    fs.mkdirSync(path.join(abs, 'models'), { recursive: true });
    fs.mkdirSync(path.join(abs, 'artifacts'), { recursive: true });
    return new Workspace(abs, openDatabase(path.join(abs, DATABASE_FILE)));
  }

  get databaseFile(): string {
    return path.join(this.dir, DATABASE_FILE);
  }
  get modelsDir(): string {
    return path.join(this.dir, 'models');
  }
  get artifactsDir(): string {
    return path.join(this.dir, 'artifacts');
  }
  /** A folder under artifacts/ for one thing (a run, a job), created on demand. */
  artifactDir(...parts: string[]): string {
    const d = path.join(this.artifactsDir, ...parts);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Consistent online copy of the database to one file (SQLite backup API), usable as a workspace database. */
  async backup(toFile: string): Promise<{ file: string; bytes: number }> {
    const target = path.resolve(toFile);
    // Never over another file (SQLite would write into an existing database, and fail on a folder or other file),
    // and never a half-written one: the copy lands under a temporary name and is renamed when complete.
    if (fs.existsSync(target))
      throw new UserError(`The backup file already exists: ${target}`, {
        file: target,
        code: 'duplicate_name',
        hint: 'Choose a new file name, or remove the old file first.',
      });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    try {
      await this.db.backup(partial);
      fs.renameSync(partial, target);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    return { file: target, bytes: fs.statSync(target).size };
  }

  getSetting<T>(key: string, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }
  setSetting(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
