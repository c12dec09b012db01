import fs from 'node:fs';
import path from 'node:path';
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
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await this.db.backup(target);
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
