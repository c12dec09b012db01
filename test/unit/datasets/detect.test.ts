import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../main/features/datasets/detect.js';
import { writeFiles } from './helpers.js';

describe('detect', () => {
  it.each([
    ['s3rec', { 'Beauty.txt': '1 1 2\n2 3 1\n', 'Beauty_item2attributes.json': '{}', 'notes.txt': 'hello there\n', 'README.md': '# x' }],
    ['lcrec', { 'X.inter.json': '{"0": [1, 2]}', 'X.item.json': '{}' }],
    ['recbole', { 'x.inter': 'user_id:token\titem_id:token\n1\t2\n', 'x.item': 'item_id:token\n2\n' }],
    ['amazon', { 'reviews.json': '{"reviewerID": "A", "asin": "B000000001", "overall": 5.0, "unixReviewTime": 1}\n', 'meta.json': "{'asin': 'B000000001'}\n" }],
    ['movielens', { 'ratings.dat': '1::2::5::10\n' }],
    ['csv', { 'x.csv': 'user,item\na,b\n' }],
  ] as const)('recognises %s from a folder and previews rows', async (format, files) => {
    const dir = writeFiles(files as Record<string, string>);
    const r = await detect([dir]);
    expect(r.format).toBe(format);
    expect(r.files.some((f) => f.role === 'interactions')).toBe(true);
    expect(r.preview.length).toBeGreaterThan(0);
    expect(r.preview[0]!.user).toBeTruthy();
  });

  it('assigns roles and notes ignored files', async () => {
    const dir = writeFiles({ 'Beauty.txt': '1 1 2\n2 3 1\n', 'Beauty_item2attributes.json': '{}', 'item_text_derived.tsv': 'a\tb\n', 'datamaps.json': '{}' });
    const r = await detect([dir]);
    expect(Object.fromEntries(r.files.map((f) => [path.basename(f.path), f.role]))).toEqual({
      'Beauty.txt': 'interactions',
      'Beauty_item2attributes.json': 'item-attributes',
      'item_text_derived.tsv': 'item-text',
    });
    expect(r.notes.join('\n')).toContain('datamaps.json');
    expect(r.preview.slice(0, 3)).toEqual([
      { user: '1', item: '1', rating: null, time: null },
      { user: '1', item: '2', rating: null, time: null },
      { user: '2', item: '3', rating: null, time: null },
    ]);
  });

  it('previews CSV rows through the column mapping and lists the header', async () => {
    const dir = writeFiles({ 'x.csv': 'a,b,c,d\nu1,i1,5,100\n' });
    const r = await detect([path.join(dir, 'x.csv')], 'auto', { user: 'a', item: 'b', rating: 'c', time: 'd' });
    expect(r.columns).toEqual(['a', 'b', 'c', 'd']);
    expect(r.preview).toEqual([{ user: 'u1', item: 'i1', rating: '5', time: '100' }]);
  });
});
