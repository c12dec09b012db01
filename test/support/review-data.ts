/**
 * A small synthetic dataset with rationales for the review tests and the benchmark: users with histories of
 * distinct items (titles of three or more words, so the quality checks can see them named), drafted by the
 * extractive drafter or written directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../main/platform/storage/database.js';
import { draftDataset } from '../../main/features/rationales/draft-job.js';

export interface ReviewFixture {
  db: Db;
  datasetId: number;
  name: string;
}

const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka'];
const KINDS = [
  'Gel Pen Set',
  'Spiral Notebook Pack',
  'Desk Stapler Pro',
  'Sticky Notes Cube',
  'Paper Clip Box',
  'Highlighter Marker Kit',
  'Binder Clip Assortment',
  'Copy Paper Ream',
];
const CATS = ['Office Products, Writing, Pens', 'Office Products, Paper, Notebooks', 'Office Products, Desk, Staplers', 'Office Products, Paper, Notes'];

export function itemTitle(i: number): string {
  return `${BRANDS[i % BRANDS.length]} ${KINDS[Math.floor(i / BRANDS.length) % KINDS.length]} Model ${i}`;
}

/** Inserts dataset `name`: `users` users, `items` items, each user 4..9 interactions (the last two held out). */
export function insertDataset(db: Db, name: string, o: { users: number; items: number; seed?: number }): number {
  let seed = o.seed ?? 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return db.transaction(() => {
    const id = Number(db.prepare("INSERT INTO datasets(name, format, source, synthetic) VALUES (?, 'synthetic', 'review tests', 1)").run(name).lastInsertRowid);
    const addItem = db.prepare('INSERT INTO items(dataset_id, idx, original_id, title, brand, categories, description) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < o.items; i++)
      addItem.run(id, i, `ITEM${String(i).padStart(6, '0')}`, itemTitle(i), BRANDS[i % BRANDS.length], CATS[i % CATS.length], `Description of item ${i}.`);
    const addUser = db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)');
    const addInter = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx, rating, ts, review) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let n = 0;
    for (let u = 0; u < o.users; u++) {
      const len = 4 + Math.floor(rand() * 6);
      const seen = new Set<number>();
      let pos = 0;
      while (pos < len) {
        const it = Math.floor(rand() * o.items);
        if (seen.has(it)) continue;
        seen.add(it);
        addInter.run(id, u, pos, it, 1 + Math.floor(rand() * 5), 1_600_000_000 + pos * 86400, pos % 2 ? `Review ${u}/${pos}: works fine.` : null);
        pos++;
        n++;
      }
      addUser.run(id, u, `U${u}`, len);
    }
    db.prepare('UPDATE datasets SET n_users = ?, n_items = ?, n_interactions = ? WHERE id = ?').run(o.users, o.items, n, id);
    return id;
  })();
}

/** A workspace database in `dir` with one drafted dataset. */
export function reviewFixture(dir: string, o: { name?: string; users?: number; items?: number; seed?: number } = {}): ReviewFixture {
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(path.join(dir, 'workspace.sqlite'));
  const name = o.name ?? 'tiny';
  const datasetId = insertDataset(db, name, { users: o.users ?? 30, items: o.items ?? 60, seed: o.seed });
  draftDataset(db, { dataset: name });
  return { db, datasetId, name };
}

export function rationaleIds(db: Db, datasetId: number): number[] {
  return db.prepare('SELECT id FROM rationales WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as number[];
}
