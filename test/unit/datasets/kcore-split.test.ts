import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { freshDb, importAndRead, writeFiles } from './helpers.js';

/** Reference k-core on per-user sequences (original ids). */
function reference(seqs: Record<string, string[]>, userMin: number, itemMin: number): Record<string, string[]> {
  let cur = Object.fromEntries(Object.entries(seqs).map(([u, s]) => [u, [...s]]));
  for (;;) {
    let changed = false;
    for (const [u, s] of Object.entries(cur)) {
      if (s.length < userMin) {
        delete cur[u];
        changed = true;
      }
    }
    const cnt = new Map<string, number>();
    for (const s of Object.values(cur)) for (const i of s) cnt.set(i, (cnt.get(i) ?? 0) + 1);
    const next: Record<string, string[]> = {};
    for (const [u, s] of Object.entries(cur)) {
      const t = s.filter((i) => (cnt.get(i) ?? 0) >= itemMin);
      if (t.length !== s.length) changed = true;
      if (t.length) next[u] = t;
    }
    cur = next;
    if (!changed) return cur;
  }
}

function randomSeqs(seed: number, users: number): Record<string, string[]> {
  let x = seed;
  const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: Record<string, string[]> = {};
  for (let u = 1; u <= users; u++) {
    const len = 1 + Math.floor(rand() * 12);
    out[String(u)] = Array.from({ length: len }, () => String(1 + Math.floor(60 * rand() ** 2)));
  }
  return out;
}

describe('k-core and min-history filtering', () => {
  it.each([
    [5, 0],
    [3, 0],
    [0, 4],
    [2, 6],
  ])('matches a reference k-core (k=%i, min history=%i) and renumbers densely', async (k, minHistory) => {
    const seqs = randomSeqs(k * 31 + minHistory, 300);
    const dir = writeFiles({
      'r.txt':
        Object.entries(seqs)
          .map(([u, s]) => `${u} ${s.join(' ')}`)
          .join('\n') + '\n',
    });
    const db = freshDb();
    const { result, seqs: got } = await importAndRead(db, { paths: [path.join(dir, 'r.txt')], kcore: k, minHistory });
    const want = reference(seqs, Math.max(k, minHistory), k);
    expect(got).toEqual(want);
    expect(result.users).toBe(Object.keys(want).length);
    expect(result.items).toBe(new Set(Object.values(want).flat()).size);
    // Dense indices, positions 0..n-1, counts consistent.
    const id = db.prepare("SELECT id FROM datasets WHERE name = 'd'").pluck().get();
    expect(db.prepare('SELECT max(idx) + 1, count(*) FROM users WHERE dataset_id = ?').raw().get(id)).toEqual([result.users, result.users]);
    expect(db.prepare('SELECT max(idx) + 1, count(*) FROM items WHERE dataset_id = ?').raw().get(id)).toEqual([result.items, result.items]);
    expect(
      db
        .prepare('SELECT count(*) FROM (SELECT user_idx FROM interactions WHERE dataset_id = ? GROUP BY user_idx HAVING max(pos) + 1 != count(*))')
        .pluck()
        .get(id),
    ).toBe(0);
    expect(
      db
        .prepare(
          'SELECT count(*) FROM users u WHERE dataset_id = ? AND n_interactions != (SELECT count(*) FROM interactions i WHERE i.dataset_id = u.dataset_id AND i.user_idx = u.idx)',
        )
        .pluck()
        .get(id),
    ).toBe(0);
  });

  it('the same data gives the same content hash whether or not filtering was asked for', async () => {
    const dir = writeFiles({ 'r.txt': '1 1 2 3\n2 2 3 1\n3 3 1 2\n' });
    const db = freshDb();
    const a = await importDataset(db, { paths: [dir], name: 'a' });
    const b = await importDataset(db, { paths: [dir], name: 'b', kcore: 1 });
    const c = await importDataset(db, { paths: [dir], name: 'c', kcore: 3 });
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.contentHash).toBe(c.contentHash);
  });

  it('errors when filtering leaves nothing, naming the options to change', async () => {
    const dir = writeFiles({ 'r.txt': '1 1 2\n2 3 4\n' });
    await expect(importDataset(freshDb(), { paths: [dir], name: 'x', kcore: 5 })).rejects.toMatchObject({
      code: 'empty',
      hint: expect.stringContaining('--kcore'),
    });
  });
});

describe('interaction_split view', () => {
  it('leave-one-out per user: last test, second to last valid, short users all train', async () => {
    const dir = writeFiles({ 'r.txt': '1 1 2 3 4 5\n2 1 2 3\n3 1 2\n4 4\n' });
    const db = freshDb();
    const r = await importDataset(db, { paths: [dir], name: 's' });
    const id = db.prepare("SELECT id FROM datasets WHERE name = 's'").pluck().get();
    const rows = db
      .prepare(
        `SELECT u.original_id AS user, sum(split = 'train') AS train, sum(split = 'valid') AS valid, sum(split = 'test') AS test
        FROM interaction_split s JOIN users u ON u.dataset_id = s.dataset_id AND u.idx = s.user_idx WHERE s.dataset_id = ? GROUP BY s.user_idx ORDER BY s.user_idx`,
      )
      .all(id);
    expect(rows).toEqual([
      { user: '1', train: 3, valid: 1, test: 1 },
      { user: '2', train: 1, valid: 1, test: 1 },
      { user: '3', train: 2, valid: 0, test: 0 },
      { user: '4', train: 1, valid: 0, test: 0 },
    ]);
    const lastTest = db.prepare("SELECT pos FROM interaction_split WHERE dataset_id = ? AND user_idx = 0 AND split = 'test'").pluck().get(id);
    expect(lastTest).toBe(4);
    const { DatasetService } = await import('../../../main/features/datasets/dataset-service.js');
    const st = new DatasetService(db).stats('s');
    expect(st.split).toEqual({ train: 7, valid: 2, test: 2 });
    expect(st.split.train + st.split.valid + st.split.test).toBe(r.interactions);
  });
});
