/**
 * A small dataset written straight into a workspace database (no import job): users with time-ordered
 * items whose titles use words the tiny GGUF's vocabulary knows, for ranker, refinement and QA-probe tests.
 */
import { Workspace } from '../../main/platform/workspace/workspace.js';

const WORDS = ['good', 'great', 'old', 'new', 'little', 'long', 'right', 'last', 'first', 'same', 'other', 'own'];
const KINDS = ['brand', 'product', 'item', 'style', 'game', 'beauty', 'luxury', 'quality'];

export interface TinyDataset {
  datasetId: number;
  name: string;
  users: number;
  items: number;
  titles: string[];
}

export function writeTinyDataset(workspaceDir: string, o: { name?: string; users?: number; items?: number; length?: number } = {}): TinyDataset {
  const name = o.name ?? 'tiny';
  const nUsers = o.users ?? 6;
  const nItems = o.items ?? 40;
  const ws = Workspace.open(workspaceDir);
  try {
    const db = ws.db;
    const titles: string[] = [];
    const id = Number(
      db.prepare("INSERT INTO datasets(name, format, source, n_users, n_items) VALUES (?, 'test', 'reasoning fixture', ?, ?)").run(name, nUsers, nItems)
        .lastInsertRowid,
    );
    const insItem = db.prepare('INSERT INTO items(dataset_id, idx, original_id, title, brand, categories, description) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insUser = db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)');
    const insX = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx, rating, ts, review) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < nItems; i++) {
        const t = `${WORDS[i % WORDS.length]} ${KINDS[Math.floor(i / WORDS.length) % KINDS.length]} ${i}`;
        titles.push(t);
        insItem.run(id, i, `I${i}`, t, KINDS[i % KINDS.length], 'Beauty, Test', '');
      }
      let n = 0;
      for (let u = 0; u < nUsers; u++) {
        const len = (o.length ?? 6) + (u % 3);
        insUser.run(id, u, `U${u}`, len);
        for (let p = 0; p < len; p++) {
          insX.run(id, u, p, (u * 7 + p * 3) % nItems, 4, 1_700_000_000 + p * 86400, p % 2 ? 'good quality' : null);
          n++;
        }
      }
      db.prepare('UPDATE datasets SET n_interactions = ? WHERE id = ?').run(n, id);
    })();
    return { datasetId: id, name, users: nUsers, items: nItems, titles };
  } finally {
    ws.close();
  }
}
