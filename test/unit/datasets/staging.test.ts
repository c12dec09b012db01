import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { freshDb, importAndRead, writeFiles } from './helpers.js';

/**
 * Ordered formats stage one text segment per user (split when a history is very long) and expand it in SQL;
 * these cases pin that the expansion, the positions and the streamed content hash match the filtered path.
 */
describe('segment staging of time-ordered files', () => {
  it('a very long history (several segments) and many users read back exactly, same hash as the SQL path', async () => {
    const long = Array.from({ length: 40_000 }, (_, k) => String(1 + ((k * 7919) % 123_457)));
    const lines = [`7 ${long.join(' ')}`];
    for (let u = 1; u <= 3000; u++) if (u !== 7) lines.push(`${u} ${1 + (u % 97)} ${1 + ((u * 31) % 1013)} 123456789`);
    const dir = writeFiles({ 'r.txt': lines.join('\n') + '\n' });
    const db = freshDb();
    const { result, seqs } = await importAndRead(db, { paths: [path.join(dir, 'r.txt')] });
    expect(result.interactions).toBe(40_000 + 2999 * 3);
    expect(seqs['7']).toEqual(long);
    expect(seqs['3000']).toEqual([String(1 + (3000 % 97)), String(1 + ((3000 * 31) % 1013)), '123456789']);
    const id = db.prepare("SELECT id FROM datasets WHERE name = 'd'").pluck().get();
    expect(db.prepare('SELECT min(pos), max(pos), count(*) FROM interactions WHERE dataset_id = ? AND user_idx = 0').raw().get(id)).toEqual([
      0, 39_999, 40_000,
    ]);
    // kcore 1 keeps everything but takes the expanded (SQL-hashed) path.
    const b = await importDataset(db, { paths: [dir], name: 'b', kcore: 1 });
    expect(b.contentHash).toBe(result.contentHash);
  });

  it('a user on two lines is refused, naming both lines (S3-Rec has one line per user)', async () => {
    const dir = writeFiles({ 'r.txt': '5 1 2\n6 3\n5 4 5 6\n' });
    await expect(importAndRead(freshDb(), { paths: [path.join(dir, 'r.txt')] })).rejects.toMatchObject({
      line: 3,
      message: expect.stringContaining('found user 5 again (first on line 1)'),
    });
  });
});
