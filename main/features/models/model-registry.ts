/**
 * The workspace's list of local GGUF models (table `models`, migration 0003). Files stay where they are; the
 * registry stores the path (first part for split models), an identifying hash and the header metadata.
 *
 * Quick hash (`quick:<hex>`): SHA-256 over the decimal total size, then the first MiB and the last MiB of
 * every part in order. It tells files apart in milliseconds even for multi-GB models and changes when a file is
 * replaced or truncated; it is not a content checksum (use `sha256:` from a verified download for that).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../platform/storage/database.js';
import { UserError } from '../../base/errors.js';
import { readGgufInfo, splitPartsOf, type GgufModelInfo } from './gguf-info.js';

export interface RegisteredModel {
  id: number;
  name: string;
  /** The model file (first part for split models). */
  path: string;
  /** `sha256:<hex>` or `quick:<hex>`. */
  hash: string;
  metadata: GgufModelInfo;
  addedAt: string;
}

export interface AddFolderResult {
  added: RegisteredModel[];
  skipped: Array<{ file: string; reason: string }>;
}

const MiB = 1024 * 1024;

/** See the file comment for the exact definition. */
export function quickHash(parts: string[]): string {
  const h = crypto.createHash('sha256');
  const sizes = parts.map((p) => fs.statSync(p).size);
  h.update(String(sizes.reduce((a, b) => a + b, 0)));
  parts.forEach((p, i) => {
    const size = sizes[i]!;
    const fd = fs.openSync(p, 'r');
    try {
      const head = Buffer.alloc(Math.min(MiB, size));
      fs.readSync(fd, head, 0, head.length, 0);
      h.update(head);
      const tailLen = Math.min(MiB, size);
      const tail = Buffer.alloc(tailLen);
      fs.readSync(fd, tail, 0, tailLen, size - tailLen);
      h.update(tail);
    } finally {
      fs.closeSync(fd);
    }
  });
  return `quick:${h.digest('hex')}`;
}

interface Row {
  id: number;
  name: string;
  path: string;
  hash: string;
  metadata: string;
  added_at: string;
}

function fromRow(r: Row): RegisteredModel {
  return { id: r.id, name: r.name, path: r.path, hash: r.hash, metadata: JSON.parse(r.metadata) as GgufModelInfo, addedAt: r.added_at };
}

/** Name shown for a model: the header's general.name, else the file name without split suffix and extension. */
function displayName(info: GgufModelInfo): string {
  return info.name?.trim() || path.basename(info.file).replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '');
}

export class ModelRegistry {
  constructor(private readonly db: Db) {}

  /**
   * Registers one model file (any part of a split model registers the whole model). Adding a path already in
   * the registry refreshes its hash and metadata and keeps its id.
   */
  async addFile(file: string, opts: { name?: string; sha256?: string } = {}): Promise<RegisteredModel> {
    const abs = path.resolve(file);
    if (!fs.existsSync(abs)) throw new UserError(`No such model file: ${abs}`, { file: abs, code: 'model_missing' });
    if (!/\.gguf$/i.test(abs)) {
      throw new UserError(`Not a GGUF file: ${path.basename(abs)}`, {
        file: abs,
        hint: 'Models must be .gguf files (llama.cpp format).',
        code: 'model_not_gguf',
      });
    }
    const first = splitPartsOf(abs)?.files[0] ?? abs;
    const info = await readGgufInfo(first);
    const hash = opts.sha256 ? `sha256:${opts.sha256.toLowerCase()}` : quickHash(info.parts);
    const name = opts.name ?? displayName(info);
    const row = this.db
      .prepare(
        `INSERT INTO models(name, path, hash, metadata) VALUES (?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET name = excluded.name, hash = excluded.hash, metadata = excluded.metadata
         RETURNING *`,
      )
      .get(name, info.file, hash, JSON.stringify(info)) as Row;
    return fromRow(row);
  }

  /** Scans a folder recursively for .gguf files; split models are grouped and registered once. */
  async addFolder(dir: string): Promise<AddFolderResult> {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      throw new UserError(`Not a folder: ${root}`, { file: root, code: 'folder_missing' });
    }
    const files = (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((d) => d.isFile() && /\.gguf$/i.test(d.name))
      .map((d) => path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name))
      .sort();
    const groups = new Map<string, string>(); // first part -> a file that named it
    for (const f of files) groups.set(splitPartsOf(f)?.files[0] ?? f, f);
    const result: AddFolderResult = { added: [], skipped: [] };
    for (const [first, seen] of groups) {
      try {
        result.added.push(await this.addFile(fs.existsSync(first) ? first : seen));
      } catch (err) {
        result.skipped.push({ file: first, reason: (err as Error).message });
      }
    }
    return result;
  }

  list(): RegisteredModel[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY name, id').all() as Row[]).map(fromRow);
  }

  get(id: number): RegisteredModel | null {
    const r = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Looks a model up by any of its files (a split model's later parts find the model too). */
  findByPath(file: string): RegisteredModel | null {
    const abs = path.resolve(file);
    const first = splitPartsOf(abs)?.files[0] ?? abs;
    const r = this.db.prepare('SELECT * FROM models WHERE path = ?').get(first) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  findByHash(hash: string): RegisteredModel[] {
    return (this.db.prepare('SELECT * FROM models WHERE hash = ? ORDER BY id').all(hash) as Row[]).map(fromRow);
  }

  /** Forgets a model; the file itself is left on disk. */
  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes > 0;
  }

  /** Models whose files are gone or changed since they were added (quick hashes only are re-checked). */
  stale(): Array<{ model: RegisteredModel; reason: 'missing' | 'changed' }> {
    const out: Array<{ model: RegisteredModel; reason: 'missing' | 'changed' }> = [];
    for (const m of this.list()) {
      const parts = m.metadata.parts?.length ? m.metadata.parts : [m.path];
      if (!parts.every((p) => fs.existsSync(p))) out.push({ model: m, reason: 'missing' });
      else if (m.hash.startsWith('quick:') && quickHash(parts) !== m.hash) out.push({ model: m, reason: 'changed' });
    }
    return out;
  }
}
