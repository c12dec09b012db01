/**
 * Puts a real dataset from ../shared/data into a test workspace for the rationale tests: through the datasets
 * importer, or (when the importer cannot run) by inserting the LC-Rec Office rows directly, first N users.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../main/platform/storage/database.js';
import { dataSet } from './data.js';

export const OFFICE = 'amazon_office_lcrec';

/** Imports Office (LC-Rec JSON) as `name`; returns the dataset id, or null when the shared data is absent. */
export async function importOffice(db: Db, name = 'office', maxUsers = 400): Promise<number | null> {
  const dir = dataSet(OFFICE);
  if (!dir) return null;
  try {
    const { importDataset } = await import('../../main/features/datasets/importer.js');
    await importDataset(db, { paths: [dir], name, format: 'lcrec' });
  } catch {
    insertOfficeRows(db, dir, name, maxUsers);
  }
  return db.prepare('SELECT id FROM datasets WHERE name = ?').pluck().get(name) as number;
}

/** Direct insert of the first `maxUsers` users with their items (dense indices in first-seen order). */
export function insertOfficeRows(db: Db, dir: string, name: string, maxUsers: number): void {
  const inter = JSON.parse(fs.readFileSync(path.join(dir, 'Office.inter.json'), 'utf8')) as Record<string, number[]>;
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'Office.item.json'), 'utf8')) as Record<string, Record<string, string>>;
  db.transaction(() => {
    db.prepare('DELETE FROM datasets WHERE name = ?').run(name);
    const id = Number(db.prepare("INSERT INTO datasets(name, format, source) VALUES (?, 'lcrec', ?)").run(name, dir).lastInsertRowid);
    const itemIdx = new Map<number, number>();
    const users = Object.entries(inter).slice(0, maxUsers);
    const addUser = db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)');
    const addInter = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx) VALUES (?, ?, ?, ?)');
    let n = 0;
    users.forEach(([orig, seq], u) => {
      addUser.run(id, u, orig, seq.length);
      seq.forEach((it, pos) => {
        if (!itemIdx.has(it)) itemIdx.set(it, itemIdx.size);
        addInter.run(id, u, pos, itemIdx.get(it)!);
        n++;
      });
    });
    const addItem = db.prepare('INSERT INTO items(dataset_id, idx, original_id, title, brand, categories, description) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [orig, idx] of itemIdx) {
      const m = meta[String(orig)] ?? {};
      addItem.run(id, idx, String(orig), m.title ?? '', m.brand ?? '', m.categories ?? '', m.description ?? '');
    }
    db.prepare('UPDATE datasets SET n_users = ?, n_items = ?, n_interactions = ? WHERE id = ?').run(users.length, itemIdx.size, n, id);
  })();
}
