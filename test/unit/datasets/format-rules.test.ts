/**
 * Each format's rules (docs/datasets.md, "What each format allows"): what is refused, with the file, the line
 * (or JSON path), what was found and what was expected; and the real-world looseness accepted on purpose.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import { importDataset } from '../../../main/features/datasets/importer.js';
import type { FormatName } from '../../../main/features/datasets/formats/source.js';
import { freshDb, importAndRead, writeFiles } from './helpers.js';

const FLAGS = (k: number) => Array.from({ length: 19 }, (_, j) => (j === k ? '1' : '0')).join('|');

/** [label, format, files, the file named, its line, a fragment of the message] */
type Refusal = [string, FormatName, Record<string, string | Buffer>, string, number, string];

const refusals: Refusal[] = [
  // S3-Rec
  ['S3-Rec: a non-numeric item', 's3rec', { 's.txt': '1 1 2\n2 5 x 7\n' }, 's.txt', 2, 'found "x" as the id of item 2'],
  ['S3-Rec: item 0 (the padding index)', 's3rec', { 's.txt': '1 0 2\n' }, 's.txt', 1, 'found "0" as the id of item 1'],
  ['S3-Rec: a leading zero', 's3rec', { 's.txt': '1 007 2\n' }, 's.txt', 1, 'found "007"'],
  ['S3-Rec: a negative id', 's3rec', { 's.txt': '1 3 -2\n' }, 's.txt', 1, 'found "-2"'],
  ['S3-Rec: an id beyond 2^31-1', 's3rec', { 's.txt': '1 2147483648\n' }, 's.txt', 1, 'from 1 to 2147483647'],
  ['S3-Rec: a tab between ids', 's3rec', { 's.txt': '1 2\t3\n' }, 's.txt', 1, 'found "2\\t3"'],
  ['S3-Rec: two spaces', 's3rec', { 's.txt': '1 2  3\n' }, 's.txt', 1, 'two spaces in a row'],
  ['S3-Rec: a user twice', 's3rec', { 's.txt': '1 2 3\n2 4\n1 5\n' }, 's.txt', 3, 'found user 1 again (first on line 1)'],
  ['S3-Rec: a blank line in the middle', 's3rec', { 's.txt': '1 2 3\n\n2 4\n' }, 's.txt', 2, 'blank line between records'],
  ['S3-Rec: bad bytes', 's3rec', { 's.txt': Buffer.from('1 2 3\n2 4\xff\n', 'latin1') }, 's.txt', 2, 'found "4\u00ff"'],
  [
    'S3-Rec item text: a repeated item',
    's3rec',
    { 'T.txt': '1 1 2\n', 'item_text.tsv': '1\tB000000001\ta\n1\tB000000002\tb\n' },
    'item_text.tsv',
    2,
    'found item 1 again',
  ],
  [
    'S3-Rec item2attributes: a repeated key',
    's3rec',
    { 'T.txt': '1 1 2\n', 'T_item2attributes.json': '{"1": [1],\n"1": [2]}' },
    'T_item2attributes.json',
    2,
    'appears twice',
  ],
  [
    'S3-Rec item2attributes: a string attribute',
    's3rec',
    { 'T.txt': '1 1 2\n', 'T_item2attributes.json': '{"1": [1, "a"]}' },
    'T_item2attributes.json',
    1,
    '$["1"][1]',
  ],
  // LC-Rec
  [
    'LC-Rec: an item given as a string',
    'lcrec',
    { 'X.inter.json': '{\n  "0": [1,\n "2"]\n}' },
    'X.inter.json',
    3,
    'at $["0"][1]: found "2"; expected an item id',
  ],
  ['LC-Rec: a negative item', 'lcrec', { 'X.inter.json': '{"0": [1, -2]}' }, 'X.inter.json', 1, 'found -2'],
  ['LC-Rec: a fractional item', 'lcrec', { 'X.inter.json': '{"0": [1.5]}' }, 'X.inter.json', 1, 'found 1.5'],
  ['LC-Rec: a user id that is not a number', 'lcrec', { 'X.inter.json': '{"0": [1], "u1": [2]}' }, 'X.inter.json', 1, 'found "u1" as a user id'],
  [
    'LC-Rec: a user twice (JSON.parse would keep the last)',
    'lcrec',
    { 'X.inter.json': '{"0": [1],\n"0": [2]}' },
    'X.inter.json',
    2,
    'the key "0" appears twice',
  ],
  ['LC-Rec: a user with no items', 'lcrec', { 'X.inter.json': '{"0": [1], "1": []}' }, 'X.inter.json', 1, 'found an empty list'],
  ['LC-Rec: nested one level too deep', 'lcrec', { 'X.inter.json': '{"0": [[1]]}' }, 'X.inter.json', 1, 'found a list; expected an item id'],
  ['LC-Rec: cut off', 'lcrec', { 'X.inter.json': '{"0": [1, 2],\n"1": [3' }, 'X.inter.json', 2, 'not valid JSON'],
  [
    'LC-Rec item text: a title that is a number',
    'lcrec',
    { 'X.inter.json': '{"0": [1]}', 'X.item.json': '{"1": {"title": 5}}' },
    'X.item.json',
    1,
    '$["1"]["title"]',
  ],
  // RecBole
  ['RecBole: an untyped header', 'recbole', { 'x.inter': 'user_id\titem_id\n1\t2\n' }, 'x.inter', 1, 'expected name:type'],
  ['RecBole: an unknown type', 'recbole', { 'x.inter': 'user_id:token\titem_id:int\n1\t2\n' }, 'x.inter', 1, 'found "item_id:int"'],
  ['RecBole: user_id typed float', 'recbole', { 'x.inter': 'user_id:float\titem_id:token\n1\t2\n' }, 'x.inter', 1, 'expected user_id:token'],
  [
    'RecBole: a missing field',
    'recbole',
    { 'x.inter': 'user_id:token\titem_id:token\trating:float\n1\t2\t3\n1\t2\n' },
    'x.inter',
    3,
    'found 2 tab-separated fields; expected 3',
  ],
  ['RecBole: an extra field', 'recbole', { 'x.inter': 'user_id:token\titem_id:token\n1\t2\t3\n' }, 'x.inter', 2, 'found 3 tab-separated fields; expected 2'],
  [
    'RecBole: a float that is not a number',
    'recbole',
    { 'x.inter': 'user_id:token\titem_id:token\ttimestamp:float\n1\t2\tnan\n' },
    'x.inter',
    2,
    'found "nan" in timestamp:float',
  ],
  ['RecBole: an empty user', 'recbole', { 'x.inter': 'user_id:token\titem_id:token\n\t2\n' }, 'x.inter', 2, 'found "" in user_id: it is empty'],
  ['RecBole: spaces around an id', 'recbole', { 'x.inter': 'user_id:token\titem_id:token\n1\t2 \n' }, 'x.inter', 2, 'spaces at the start or end'],
  [
    'RecBole: an item listed twice in .item',
    'recbole',
    { 'x.inter': 'user_id:token\titem_id:token\n1\t2\n', 'x.item': 'item_id:token\ttitle:token_seq\n2\ta\n2\tb\n' },
    'x.item',
    3,
    'found item_id "2" again',
  ],
  ['RecBole: not UTF-8', 'recbole', { 'x.inter': Buffer.from('user_id:token\titem_id:token\n1\t\xe9\n', 'latin1') }, 'x.inter', 2, 'not valid UTF-8'],
  // Amazon
  [
    'Amazon: an asin that is not an ASIN',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B01", "overall": 5.0, "unixReviewTime": 1}\n' },
    'r.json',
    1,
    'found "B01" in "asin"',
  ],
  [
    'Amazon: a rating out of range',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "overall": 7, "unixReviewTime": 1}\n' },
    'r.json',
    1,
    'found 7 in "overall"',
  ],
  [
    'Amazon: a time as a string',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "overall": 5, "unixReviewTime": "1"}\n' },
    'r.json',
    1,
    'in "unixReviewTime"',
  ],
  ['Amazon: a negative time', 'amazon', { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "unixReviewTime": -5}\n' }, 'r.json', 1, 'found -5'],
  ['Amazon: no time', 'amazon', { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "overall": 5}\n' }, 'r.json', 1, 'without unixReviewTime'],
  [
    'Amazon: a reviewer id as a number',
    'amazon',
    { 'r.json': '{"reviewerID": 17, "asin": "B000000001", "unixReviewTime": 1}\n' },
    'r.json',
    1,
    'found 17 in "reviewerID"',
  ],
  [
    'Amazon: a repeated key',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "asin": "B000000002", "unixReviewTime": 1}\n' },
    'r.json',
    1,
    'appears twice',
  ],
  [
    'Amazon: a review as a Python literal',
    'amazon',
    { 'r.json': "{'reviewerID': 'A1', 'asin': 'B000000001', 'unixReviewTime': 1}\n" },
    'r.json',
    1,
    'not a JSON record',
  ],
  [
    'Amazon metadata: categories nested wrongly',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "unixReviewTime": 1}\n', 'meta.json': "{'asin': 'B000000001', 'categories': ['Beauty']}\n" },
    'meta.json',
    1,
    'a list of lists of strings',
  ],
  [
    'Amazon metadata: a repeated key in a Python literal',
    'amazon',
    { 'r.json': '{"reviewerID": "A1", "asin": "B000000001", "unixReviewTime": 1}\n', 'meta.json': "{'asin': 'B000000001', 'title': 'a', 'title': 'b'}\n" },
    'meta.json',
    1,
    'appears twice',
  ],
  // MovieLens
  ['MovieLens u.data: three fields', 'movielens', { 'u.data': '1\t2\t3\t4\n1\t3\t4\n' }, 'u.data', 2, 'found 3 fields; expected 4'],
  ['MovieLens u.data: a half star', 'movielens', { 'u.data': '1\t2\t3.5\t4\n' }, 'u.data', 1, 'found "3.5" as the rating'],
  ['MovieLens u.data: user 0', 'movielens', { 'u.data': '0\t2\t3\t4\n' }, 'u.data', 1, 'found "0" as the user id'],
  ['MovieLens ratings.dat: a rating of 6', 'movielens', { 'ratings.dat': '1::2::6::4\n' }, 'ratings.dat', 1, 'found "6" as the rating'],
  ['MovieLens ratings.dat: a negative timestamp', 'movielens', { 'ratings.dat': '1::2::5::-4\n' }, 'ratings.dat', 1, 'found "-4" as the timestamp'],
  [
    'MovieLens u.item: a genre flag of 2',
    'movielens',
    { 'u.data': '1\t2\t3\t4\n', 'u.item': `2|Heat (1995)|01-Jan-1995||http://x|${FLAGS(1).replace(/^0/, '2')}\n` },
    'u.item',
    1,
    'as the unknown flag',
  ],
  [
    'MovieLens movies.dat: a movie twice',
    'movielens',
    { 'ratings.dat': '1::2::5::4\n', 'movies.dat': '2::Heat (1995)::Action\n2::Heat::Crime\n' },
    'movies.dat',
    2,
    'found MovieID 2 again',
  ],
  // CSV
  ['CSV: a row with a missing field', 'csv', { 'r.csv': 'user,item,rating\na,b,5\nc,d\n' }, 'r.csv', 3, 'found 2 fields; expected 3'],
  ['CSV: a row with an extra field', 'csv', { 'r.csv': 'user,item\na,b,c\n' }, 'r.csv', 2, 'found 3 fields; expected 2'],
  ['CSV: an empty item', 'csv', { 'r.csv': 'user,item\na, \n' }, 'r.csv', 2, 'as the item: it is empty'],
  ['CSV: a rating that is not a number', 'csv', { 'r.csv': 'user,item,rating\na,b,five\n' }, 'r.csv', 2, 'found "five" as the rating'],
  ['CSV: a time that is neither seconds nor ISO 8601', 'csv', { 'r.csv': 'user,item,time\na,b,yesterday\n' }, 'r.csv', 2, 'found "yesterday" as the time'],
  ['CSV: a negative time', 'csv', { 'r.csv': 'user,item,time\na,b,-1\n' }, 'r.csv', 2, 'found "-1" as the time'],
  ['CSV: a stray quote', 'csv', { 'r.csv': 'user,item\na,b"c\n' }, 'r.csv', 2, 'a quote inside the unquoted field'],
  ['CSV: a column name twice', 'csv', { 'r.csv': 'user,item,User\na,b,c\n' }, 'r.csv', 1, 'found the column name "User" twice'],
  ['CSV: a blank line in the middle', 'csv', { 'r.csv': 'user,item\na,b\n\nc,d\n' }, 'r.csv', 3, 'blank line between records'],
  ['CSV: UTF-16', 'csv', { 'r.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('user,item\na,b\n', 'utf16le')]) }, 'r.csv', 1, 'UTF-16'],
];

describe('each format refuses what its rules do not allow, naming the file, the line, what was found and what was expected', () => {
  it.each(refusals)('%s', async (_label, format, files, name, line, fragment) => {
    const db = freshDb();
    const dir = writeFiles(files);
    const before = db.prepare('SELECT count(*) FROM datasets').pluck().get();
    let err: unknown;
    try {
      await importDataset(db, { paths: [dir], name: 'x', format });
    } catch (e) {
      err = e;
    }
    expect(err, 'the import should have been refused').toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.file).toBe(path.join(dir, name));
    expect(e.line).toBe(line);
    expect(e.message).toContain(fragment);
    expect(e.hint).toBeTruthy();
    expect(db.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(before);
  });
});

describe('real-world looseness accepted on purpose', () => {
  it('S3-Rec: spaces or tabs at either end of a line (S3-Rec strips lines), CRLF, a BOM, trailing blank lines, gzip', async () => {
    const plain = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt': '1 1 2 3\n2 3 1\n' })] });
    const loose = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt.gz': '\uFEFF1 1 2 3 \t\r\n 2 3 1\r\n\r\n  \n' })], format: 's3rec' });
    expect(loose.seqs).toEqual(plain.seqs);
    expect(loose.result.contentHash).toBe(plain.result.contentHash);
  });

  it('S3-Rec: a repeated item within a user (repeat purchases) is kept', async () => {
    const r = await importAndRead(freshDb(), { paths: [writeFiles({ 's.txt': '1 4 4 5\n' })] });
    expect(r.seqs).toEqual({ '1': ['4', '4', '5'] });
  });

  it('RecBole: blank lines anywhere (RecBole reads with pandas, which skips them) and empty float fields', async () => {
    const r = await importAndRead(freshDb(), {
      paths: [writeFiles({ 'x.inter': 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n\n1\ta\t\t2\n\n1\tb\t4\t1\n' })],
    });
    expect(r.seqs).toEqual({ '1': ['b', 'a'] });
  });

  it('CSV: string ids, spaces around values, quoted fields, CRLF, a BOM, ISO dates and trailing blank lines', async () => {
    const csv = '\uFEFFuser,item,time,rating\r\n alice , "item, one" ,2014-07-02T10:00:00Z, 4.5\r\nalice,item-2,2014-07-01,3\r\n\r\n';
    const r = await importAndRead(freshDb(), { paths: [writeFiles({ 'r.csv': csv })] });
    expect(r.seqs).toEqual({ alice: ['item-2', 'item, one'] });
  });

  it('Amazon: a repeated metadata record (the 2018 metadata repeats some products) and the 2023 field names', async () => {
    const reviews = '{"user_id": "AGKH", "asin": "B000000001", "parent_asin": "B000000001", "rating": 5.0, "timestamp": 1588687728923, "text": "ok"}\n';
    const meta = '{"asin": "B000000001", "title": "A"}\n{"asin": "B000000001", "title": "B"}\n';
    const r = await importAndRead(freshDb(), { paths: [writeFiles({ 'reviews.jsonl': reviews, 'meta.jsonl': meta })], format: 'amazon' });
    expect(r.seqs).toEqual({ AGKH: ['B000000001'] });
    expect(r.service.history('d', 0).history[0]).toMatchObject({ ts: 1588687728, item: { title: 'B' } });
  });

  it('MovieLens: 10M half stars in ratings.dat; titles in UTF-8 or ISO-8859-1', async () => {
    const r = await importAndRead(freshDb(), {
      paths: [
        writeFiles({
          'ratings.dat': '1::2::4.5::10\n1::3::0.5::20\n',
          'movies.dat': Buffer.concat([Buffer.from('2::Am\xe9lie (2001)::Comedy\n', 'latin1'), Buffer.from('3::Léon (1994)::Drama\n', 'utf8')]),
        }),
      ],
    });
    expect(r.seqs).toEqual({ '1': ['2', '3'] });
    expect(r.service.history('d', 0).history.map((h) => h.item.title)).toEqual(['Amélie (2001)', 'Léon (1994)']);
  });
});
