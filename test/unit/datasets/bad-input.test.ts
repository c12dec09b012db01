import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import { importDataset } from '../../../main/features/datasets/importer.js';
import type { Db } from '../../../main/platform/storage/database.js';
import { freshDb, importAndRead, tmpDir, writeFiles } from './helpers.js';

/** A workspace with one good dataset, and a check that it is exactly as before. */
async function withExisting(): Promise<{ db: Db; check: () => void }> {
  const db = freshDb();
  const dir = writeFiles({ 'good.txt': '1 1 2 3\n2 2 3\n' });
  const r = await importDataset(db, { paths: [dir], name: 'good' });
  const snapshot = () => ({
    datasets: db.prepare('SELECT name, n_users, n_items, n_interactions, content_hash FROM datasets').all(),
    rows: db.prepare('SELECT count(*) FROM interactions').pluck().get(),
    users: db.prepare('SELECT count(*) FROM users').pluck().get(),
    items: db.prepare('SELECT count(*) FROM items').pluck().get(),
  });
  const before = snapshot();
  expect(before.rows).toBe(r.interactions);
  return { db, check: () => expect(snapshot()).toEqual(before) };
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected the import to fail');
}

describe('bad input gives a UserError with file, line and hint, and leaves the workspace as it was', () => {
  it('missing file', async () => {
    const { db, check } = await withExisting();
    const e = await failure(importDataset(db, { paths: ['/nonexistent/ratings.dat'], name: 'x' }));
    expect(e.message).toContain('/nonexistent/ratings.dat');
    expect(e.hint).toBeTruthy();
    check();
  });

  it('wrong format', async () => {
    const { db, check } = await withExisting();
    const dir = writeFiles({ 'notes.md': '# hello\n' });
    const e = await failure(importDataset(db, { paths: [dir], name: 'x' }));
    expect(e.code).toBe('unknown_format');
    expect(e.file).toContain('notes.md');
    const e2 = await failure(importDataset(db, { paths: [path.join(writeFiles({ 'a.inter': 'no header here\n' }), 'a.inter')], name: 'x' }));
    expect(e2.line).toBe(1);
    check();
  });

  it('malformed line (names the 1-based line)', async () => {
    const { db, check } = await withExisting();
    const cases: [Record<string, string>, string, number][] = [
      [{ 'ratings.dat': '1::2::5::10\n1::3::5::11\nbroken line\n' }, 'ratings.dat', 3],
      [{ 'r.json': '{"reviewerID": "A", "asin": "B000000001", "overall": 5, "unixReviewTime": 1}\n{"reviewerID": "A", "asin": \n' }, 'r.json', 2],
      [{ 'x.inter': 'user_id:token\titem_id:token\trating:float\n1\t2\t5\n1\t3\tfive\n' }, 'x.inter', 3],
      [{ 's.txt': '1 1 2\n2\n' }, 's.txt', 2],
      [{ 'c.csv': 'user,item\na,b\nc,"d\n' }, 'c.csv', 3],
    ];
    for (const [files, name, line] of cases) {
      const dir = writeFiles(files);
      const e = await failure(importDataset(db, { paths: [path.join(dir, name)], name: 'x', format: name === 's.txt' ? 's3rec' : 'auto' }));
      expect(e.file, name).toContain(name);
      expect(e.line, name).toBe(line);
      expect(e.message, name).toContain(`line ${line}`);
      expect(e.hint, name).toBeTruthy();
    }
    check();
  });

  it('truncated gzip', async () => {
    const { db, check } = await withExisting();
    const dir = tmpDir();
    const body = Array.from({ length: 20000 }, (_, k) => `${k + 1} ${k + 2} ${k + 3}`).join('\n');
    const gz = zlib.gzipSync(Buffer.from(body));
    const file = path.join(dir, 'seq.txt.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const e = await failure(importDataset(db, { paths: [file], name: 'x', format: 's3rec' }));
    expect(e.message).toMatch(/gzip/);
    expect(e.file).toBe(file);
    expect(e.line).toBeGreaterThan(1);
    expect(e.hint).toMatch(/again/);
    check();
  });

  it('empty file', async () => {
    const { db, check } = await withExisting();
    for (const name of ['ratings.dat', 'x.inter', 'Y.inter.json', 'r.csv']) {
      const dir = writeFiles({ [name]: '' });
      const e = await failure(importDataset(db, { paths: [path.join(dir, name)], name: 'x' }));
      expect(e.code, name).toBe('empty');
      expect(e.file, name).toContain(name);
    }
    const blank = writeFiles({ 'ratings.dat': '\n\n\n' });
    expect((await failure(importDataset(db, { paths: [blank], name: 'x' }))).code).toBe('empty');
    check();
  });

  it('duplicate name: rejected up front, suggesting another', async () => {
    const { db, check } = await withExisting();
    const dir = writeFiles({ 'r.txt': '1 1 2\n' });
    const e = await failure(importDataset(db, { paths: [dir], name: 'good' }));
    expect(e.code).toBe('duplicate_name');
    expect(e.message).toContain('"good"');
    expect(e.hint).toContain('good-2');
    check();
  });

  it('cancel in the middle leaves nothing behind', async () => {
    const { db, check } = await withExisting();
    const dir = writeFiles({
      'big.txt': Array.from({ length: 5000 }, (_, k) => `${k + 1} ${1 + (k % 50)} ${1 + ((k + 1) % 50)} ${1 + ((k + 2) % 50)} ${1 + ((k + 3) % 50)}`).join(
        '\n',
      ),
    });
    let calls = 0;
    await expect(
      importDataset(
        db,
        { paths: [dir], name: 'x' },
        {
          throwIfCancelled: () => {
            if (++calls === 2) throw new Error('Cancelled');
          },
        },
      ),
    ).rejects.toThrow('Cancelled');
    check();
    // And the connection is usable for the next import.
    expect((await importDataset(db, { paths: [dir], name: 'x' })).interactions).toBe(20000);
  });
});

describe('real-world variants', () => {
  it('CRLF line ends, UTF-8 BOM and blank trailing lines give the same data', async () => {
    const plain = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt': '1 1 2 3\n2 3 1\n' })] });
    const messy = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt': '\uFEFF1 1 2 3\r\n2 3 1\r\n\r\n\r\n' })] });
    expect(messy.seqs).toEqual(plain.seqs);
    expect(messy.result.contentHash).toBe(plain.result.contentHash);

    const r1 = await importAndRead(freshDb(), { paths: [writeFiles({ 'x.inter': 'user_id:token\titem_id:token\ttimestamp:float\n1\t2\t5\n1\t3\t4\n' })] });
    const r2 = await importAndRead(freshDb(), {
      paths: [writeFiles({ 'x.inter': '\uFEFFuser_id:token\titem_id:token\ttimestamp:float\r\n1\t2\t5\r\n1\t3\t4\r\n\r\n' })],
    });
    expect(r2.seqs).toEqual(r1.seqs);
    expect(r1.seqs).toEqual({ '1': ['3', '2'] });

    const c1 = await importAndRead(freshDb(), { paths: [writeFiles({ 'x.csv': '\uFEFFuser,item,time\r\na,b,2\r\na,c,1\r\n\r\n' })] });
    expect(c1.seqs).toEqual({ a: ['c', 'b'] });
    const m1 = await importAndRead(freshDb(), { paths: [writeFiles({ 'ratings.dat.gz': '\uFEFF1::2::5::2\r\n1::3::5::1\r\n\r\n' })] });
    expect(m1.seqs).toEqual({ '1': ['3', '2'] });
    const l1 = await importAndRead(freshDb(), { paths: [writeFiles({ 'A.inter.json': '\uFEFF{"7": [1, 2]}\r\n\r\n' })] });
    expect(l1.seqs).toEqual({ '7': ['1', '2'] });
    const a1 = await importAndRead(freshDb(), {
      paths: [writeFiles({ 'r.json': '\uFEFF{"reviewerID": "A", "asin": "B000000001", "unixReviewTime": 1}\r\n\r\n' })],
    });
    expect(a1.seqs).toEqual({ A: ['B000000001'] });
  });

  it('a last line without a line break is read', async () => {
    const r = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt': '1 1 2\n2 2 3' })] });
    expect(r.seqs).toEqual({ '1': ['1', '2'], '2': ['2', '3'] });
  });
});
