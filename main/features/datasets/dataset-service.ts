/** Reading and managing imported datasets in a workspace database (list, stats, users, history, rename, delete). */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetStats, DatasetSummary, HistoryEntry } from '../../../common/contract/datasets.js';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';

interface DatasetRow {
  id: number;
  name: string;
  format: string;
  source: string;
  synthetic: number;
  n_users: number;
  n_items: number;
  n_interactions: number;
  content_hash: string;
  options: string;
}

interface DatasetOptions {
  hasRatings?: boolean;
  hasTimestamps?: boolean;
  hasReviews?: boolean;
}

const summary = (r: DatasetRow): DatasetSummary => ({
  name: r.name,
  format: r.format,
  source: r.source,
  synthetic: r.synthetic === 1,
  users: r.n_users,
  items: r.n_items,
  interactions: r.n_interactions,
  contentHash: r.content_hash,
});

const HIST_BINS = 30;
const POPULARITY_POINTS = 1000;

export class DatasetService {
  constructor(private readonly db: Db) {}

  list(): DatasetSummary[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY name').all() as DatasetRow[]).map(summary);
  }

  /** The dataset row by name, or a UserError that lists what exists. */
  get(name: string): DatasetRow {
    const row = this.db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
    if (!row) {
      const names = this.db.prepare('SELECT name FROM datasets ORDER BY name LIMIT 20').pluck().all() as string[];
      throw new UserError(`There is no dataset named "${name}" in this workspace.`, {
        hint: names.length ? `Datasets here: ${names.join(', ')}.` : 'Import one first (datasets import).',
        code: 'not_found',
      });
    }
    return row;
  }

  stats(name: string): DatasetStats {
    const r = this.get(name);
    const opts = JSON.parse(r.options || '{}') as DatasetOptions;
    const lengths = this.db.prepare('SELECT n_interactions FROM users WHERE dataset_id = ? ORDER BY n_interactions').pluck().all(r.id) as number[];
    const n = lengths.length;
    const min = n ? lengths[0]! : 0;
    const max = n ? lengths[n - 1]! : 0;
    const mean = n ? lengths.reduce((a, b) => a + b, 0) / n : 0;
    const median = n ? (n % 2 ? lengths[(n - 1) / 2]! : (lengths[n / 2 - 1]! + lengths[n / 2]!) / 2) : 0;
    const counts = this.db.prepare('SELECT count(*) FROM interactions WHERE dataset_id = ? GROUP BY item_idx ORDER BY 1 DESC').pluck().all(r.id) as number[];
    const step = Math.max(1, Math.ceil(counts.length / POPULARITY_POINTS));
    const popularity: DatasetStats['popularity'] = [];
    for (let k = 0; k < counts.length; k += step) popularity.push({ rank: k + 1, count: counts[k]! });
    if (counts.length && popularity.at(-1)!.rank !== counts.length) {
      if (popularity.length >= POPULARITY_POINTS) popularity.pop();
      popularity.push({ rank: counts.length, count: counts.at(-1)! });
    }
    const evalUsers = lengths.filter((x) => x >= 3).length;
    const itemsWithTitles = this.db.prepare("SELECT count(*) FROM items WHERE dataset_id = ? AND title <> ''").pluck().get(r.id) as number;
    return {
      ...summary(r),
      density: r.n_users && r.n_items ? r.n_interactions / (r.n_users * r.n_items) : 0,
      sequenceLength: { min, max, mean, median },
      lengthHistogram: histogram(lengths, min, max),
      popularity,
      split: { train: r.n_interactions - 2 * evalUsers, valid: evalUsers, test: evalUsers },
      hasRatings: !!opts.hasRatings,
      hasReviews: !!opts.hasReviews,
      hasTimestamps: !!opts.hasTimestamps,
      itemsWithTitles,
    };
  }

  rename(name: string, newName: string): void {
    const r = this.get(name);
    if (name === newName) return;
    if (this.db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(newName)) {
      throw new UserError(`A dataset named "${newName}" already exists.`, { hint: 'Choose another name.', code: 'duplicate_name' });
    }
    this.db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(newName, r.id);
  }

  /** Marks a dataset as generated (the demo), with where it came from. */
  markSynthetic(name: string, source: string): void {
    this.db.prepare('UPDATE datasets SET synthetic = 1, source = ? WHERE id = ?').run(source, this.get(name).id);
  }

  /** Deletes the dataset and its rows in one transaction (primary-key range deletes, no scans). */
  delete(name: string): void {
    const r = this.get(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM interactions WHERE dataset_id = ?').run(r.id);
      this.db.prepare('DELETE FROM users WHERE dataset_id = ?').run(r.id);
      this.db.prepare('DELETE FROM items WHERE dataset_id = ?').run(r.id);
      this.db.prepare('DELETE FROM datasets WHERE id = ?').run(r.id);
    })();
  }

  /** Users in index order; `search` matches original ids by prefix (index range, not a scan). */
  users(name: string, offset: number, limit: number, search?: string): { total: number; users: { idx: number; originalId: string; interactions: number }[] } {
    const r = this.get(name);
    const s = search?.trim();
    const where = s ? 'dataset_id = ? AND original_id >= ? AND original_id < ?' : 'dataset_id = ?';
    const args: unknown[] = s ? [r.id, s, s + '\u{10FFFF}'] : [r.id];
    const total = this.db
      .prepare(`SELECT count(*) FROM users WHERE ${where}`)
      .pluck()
      .get(...args) as number;
    const rows = this.db
      .prepare(`SELECT idx, original_id AS originalId, n_interactions AS interactions FROM users WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as { idx: number; originalId: string; interactions: number }[];
    return { total, users: rows };
  }

  /** One user's interactions in time order, with item text and the leave-one-out split label. */
  history(name: string, user: number): { user: { idx: number; originalId: string; interactions: number }; history: HistoryEntry[] } {
    const r = this.get(name);
    const u = this.db
      .prepare('SELECT idx, original_id AS originalId, n_interactions AS interactions FROM users WHERE dataset_id = ? AND idx = ?')
      .get(r.id, user) as { idx: number; originalId: string; interactions: number } | undefined;
    if (!u)
      throw new UserError(`Dataset "${name}" has no user ${user} (users are numbered 0 to ${r.n_users - 1}).`, {
        hint: 'Pick a user from the users list.',
        code: 'not_found',
      });
    const rows = this.db
      .prepare(
        `SELECT i.pos, i.rating, i.ts, i.review, it.idx, it.original_id, it.title, it.brand, it.categories, it.description
         FROM interactions i JOIN items it ON it.dataset_id = i.dataset_id AND it.idx = i.item_idx
         WHERE i.dataset_id = ? AND i.user_idx = ? ORDER BY i.pos`,
      )
      .all(r.id, user) as {
      pos: number;
      rating: number | null;
      ts: number | null;
      review: string | null;
      idx: number;
      original_id: string;
      title: string;
      brand: string;
      categories: string;
      description: string;
    }[];
    const n = u.interactions;
    const split = (pos: number): HistoryEntry['split'] => (n < 3 ? 'train' : pos === n - 1 ? 'test' : pos === n - 2 ? 'valid' : 'train');
    return {
      user: u,
      history: rows.map((x) => ({
        pos: x.pos,
        split: split(x.pos),
        rating: x.rating,
        ts: x.ts,
        review: x.review,
        item: { idx: x.idx, originalId: x.original_id, title: x.title, brand: x.brand, categories: x.categories, description: x.description },
      })),
    };
  }
}

/** Bins as [from, to): one per length when the range is small, else log-spaced integer edges. */
export function histogram(sorted: number[], min: number, max: number): { from: number; to: number; count: number }[] {
  if (sorted.length === 0) return [];
  let edges: number[];
  if (max - min + 1 <= HIST_BINS) {
    edges = [];
    for (let v = min; v <= max + 1; v++) edges.push(v);
  } else {
    const lo = Math.log(Math.max(1, min));
    const hi = Math.log(max + 1);
    const set = new Set<number>([min]);
    for (let k = 1; k <= HIST_BINS; k++) set.add(Math.max(min, Math.round(Math.exp(lo + ((hi - lo) * k) / HIST_BINS))));
    set.add(max + 1);
    edges = [...set].sort((a, b) => a - b);
  }
  const bins = edges.slice(0, -1).map((from, k) => ({ from, to: edges[k + 1]!, count: 0 }));
  let b = 0;
  for (const v of sorted) {
    while (b < bins.length - 1 && v >= bins[b]!.to) b++;
    bins[b]!.count++;
  }
  return bins;
}

/** Files in the workspace's uploads/ folder (where the local server stores browser uploads). */
export function listUploads(workspaceDir: string): { dir: string; files: { path: string; name: string; bytes: number }[] } {
  const dir = path.join(workspaceDir, 'uploads');
  fs.mkdirSync(dir, { recursive: true });
  const files: { path: string; name: string; bytes: number }[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(full, name);
      else if (e.isFile()) files.push({ path: full, name, bytes: fs.statSync(full).size });
    }
  };
  walk(dir, '');
  return { dir, files };
}
