import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAndRead, freshDb, writeFiles } from './helpers.js';

describe('format readers', () => {
  it('S3-Rec text with item text TSV and item2attributes', async () => {
    const dir = writeFiles({
      'Toy.txt': '1 1 2 3\n2 4 2\n3 3 1 4 5\n',
      'item_text_derived.tsv':
        's3rec_item_id\tasin\ttitle\tbrand_and_categories\n1\tB000000001\tred lipstick\tAcme; Makeup; Lips\n2\tB000000002\tblue pen\t\n9\tB000000009\tunused\tX\n',
      'Toy_item2attributes.json': '{"1": [3, 4], "5": [7]}',
    });
    const db = freshDb();
    const { result, seqs, service } = await importAndRead(db, { paths: [dir] });
    expect(result).toMatchObject({ format: 's3rec', users: 3, items: 5, interactions: 9 });
    expect(seqs).toEqual({ '1': ['1', '2', '3'], '2': ['4', '2'], '3': ['3', '1', '4', '5'] });
    const h = service.history('d', 0);
    expect(h.history.map((x) => x.split)).toEqual(['train', 'valid', 'test']);
    expect(h.history[0]!.item).toMatchObject({ originalId: '1', title: 'red lipstick', brand: 'Acme', categories: 'Makeup, Lips' });
    const attrs = db.prepare("SELECT attributes FROM items WHERE original_id = '1'").pluck().get() as string;
    expect(JSON.parse(attrs)).toEqual({ asin: 'B000000001', attributeIds: [3, 4] });
  });

  it('LC-Rec JSON with item text', async () => {
    const dir = writeFiles({
      'Shop.inter.json': JSON.stringify({ '0': [0, 1, 2], '1': [2, 3] }, null, 4),
      'Shop.item.json': JSON.stringify({
        '0': { title: 'Phone', description: 'A phone', brand: 'VTech', categories: 'Office, Phones' },
        '3': { title: 'Pen', brand: '', description: '', categories: '' },
      }),
    });
    const { result, seqs, service } = await importAndRead(freshDb(), { paths: [dir] });
    expect(result).toMatchObject({ format: 'lcrec', users: 2, items: 4, interactions: 5 });
    expect(seqs).toEqual({ '0': ['0', '1', '2'], '1': ['2', '3'] });
    expect(service.history('d', 0).history[0]!.item).toMatchObject({ title: 'Phone', description: 'A phone', brand: 'VTech', categories: 'Office, Phones' });
  });

  it('RecBole atomic files, ordered by timestamp with stable ties', async () => {
    const dir = writeFiles({
      'm.inter': 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t300\n2\t10\t5\t100\n1\t11\t3\t100\n1\t12\t2\t100\n2\t13\t1\t50\n',
      'm.item': 'item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n10\tHeat\t1995\tAction Crime\n11\tBabe\t1995\tComedy\n',
      'm.user': 'user_id:token\tage:token\tgender:token\n1\t24\tM\n',
    });
    const db = freshDb();
    const { result, seqs, service } = await importAndRead(db, { paths: [dir] });
    expect(result).toMatchObject({ format: 'recbole', users: 2, items: 4, interactions: 5 });
    expect(seqs).toEqual({ '1': ['11', '12', '10'], '2': ['13', '10'] });
    const h = service.history('d', 0).history;
    expect(h.map((x) => [x.ts, x.rating])).toEqual([
      [100, 3],
      [100, 2],
      [300, 4],
    ]);
    expect(h[2]!.item).toMatchObject({ title: 'Heat', categories: 'Action Crime' });
    expect(JSON.parse(db.prepare("SELECT attributes FROM users WHERE original_id = '1'").pluck().get() as string)).toEqual({ age: '24', gender: 'M' });
    const s = service.stats('d');
    // Titles for two of the four items (the .item file names 10 and 11 only).
    expect(s).toMatchObject({ hasRatings: true, hasTimestamps: true, hasReviews: false, itemsWithTitles: 2 });
  });

  it('Amazon 2018 JSON lines, gzipped, with JSON metadata', async () => {
    const reviews = [
      { reviewerID: 'A', asin: 'B0000000X1', overall: 5, unixReviewTime: 200, reviewText: 'great', summary: 'ok' },
      { reviewerID: 'A', asin: 'B0000000X2', overall: 4, unixReviewTime: 100, reviewText: '', summary: 'fine' },
      { reviewerID: 'B', asin: 'B0000000X1', overall: 3, unixReviewTime: 150 },
    ];
    const meta = [
      { asin: 'B0000000X1', title: 'Lipstick', brand: 'Acme', category: ['Beauty', 'Makeup'], description: ['Red', 'matte'] },
      { asin: 'B0000000Z9', title: 'Other' },
    ];
    const dir = writeFiles({
      'Beauty_5.json.gz': reviews.map((r) => JSON.stringify(r)).join('\n') + '\n',
      'meta_Beauty.json.gz': meta.map((r) => JSON.stringify(r)).join('\n'),
    });
    const { result, seqs, service } = await importAndRead(freshDb(), { paths: [dir] });
    expect(result).toMatchObject({ format: 'amazon', users: 2, items: 2, interactions: 3 });
    expect(seqs).toEqual({ A: ['B0000000X2', 'B0000000X1'], B: ['B0000000X1'] });
    const h = service.history('d', 0).history;
    expect(h.map((x) => x.review)).toEqual(['fine', 'great']);
    expect(h[1]!.item).toMatchObject({ title: 'Lipstick', brand: 'Acme', categories: 'Beauty, Makeup', description: 'Red matte' });
    // One of the two reviewed items has metadata (the other metadata line is for an item nobody reviewed).
    expect(service.stats('d')).toMatchObject({ hasRatings: true, hasReviews: true, hasTimestamps: true, itemsWithTitles: 1 });
  });

  it('Amazon 2014 metadata written as Python literals', async () => {
    const dir = writeFiles({
      'reviews_Office_5.json':
        '{"reviewerID": "U1", "asin": "B0000000P1", "overall": 4.0, "unixReviewTime": 1}\n{"reviewerID": "U1", "asin": "B0000000P2", "overall": 2.0, "unixReviewTime": 2}\n',
      'meta_Office.json':
        "{'asin': 'B0000000P1', 'title': \"Pen's best\", 'categories': [['Office', 'Pens'], ['Office']], 'price': 3.5, 'available': True, 'x': None}\n{'asin': 'B0000000P2', 'description': 'Line1\\nLine2', 'brand': u'Bic'}\n",
    });
    const { seqs, service } = await importAndRead(freshDb(), { paths: [dir] });
    expect(seqs).toEqual({ U1: ['B0000000P1', 'B0000000P2'] });
    const h = service.history('d', 0).history;
    expect(h[0]!.item).toMatchObject({ title: "Pen's best", categories: 'Office, Pens' });
    expect(h[1]!.item).toMatchObject({ brand: 'Bic', description: 'Line1\nLine2' });
  });

  it('MovieLens 1M .dat files with latin1 titles', async () => {
    const dir = writeFiles({
      'ratings.dat': '1::20::5::978300760\n1::10::3::978300700\n2::10::4::978300000\n',
      'movies.dat': Buffer.from('10::Am\xe9lie (2001)::Comedy|Romance\n20::Heat (1995)::Action\n', 'latin1'),
      'users.dat': '1::F::1::10::48067\n',
    });
    const { result, seqs, service } = await importAndRead(freshDb(), { paths: [dir] });
    expect(result).toMatchObject({ format: 'movielens', users: 2, items: 2, interactions: 3 });
    expect(seqs).toEqual({ '1': ['10', '20'], '2': ['10'] });
    expect(service.history('d', 0).history[0]!.item).toMatchObject({ title: 'Amélie (2001)', categories: 'Comedy, Romance' });
  });

  it('MovieLens 100K u.data / u.item', async () => {
    const flags = (k: number) => Array.from({ length: 19 }, (_, j) => (j === k ? '1' : '0')).join('|');
    const dir = writeFiles({
      'u.data': '196\t242\t3\t881250949\n196\t302\t4\t881250000\n',
      'u.item': `242|Kolya (1996)|24-Jan-1997||http://x|${flags(5)}\n302|L.A. Confidential (1997)|01-Jan-1997||http://y|${flags(6)}\n`,
    });
    const { seqs, service } = await importAndRead(freshDb(), { paths: [dir] });
    expect(seqs).toEqual({ '196': ['302', '242'] });
    expect(service.history('d', 0).history.map((x) => [x.item.title, x.item.categories])).toEqual([
      ['L.A. Confidential (1997)', 'Crime'],
      ['Kolya (1996)', 'Comedy'],
    ]);
  });

  it('CSV with a column mapping and RFC 4180 quoting', async () => {
    const dir = writeFiles({
      'r.csv': 'who,what,when,stars,text\r\nu1,i1,20,5,"plain"\r\nu1,"i,2",10,4,"said ""hi""\nnext line"\r\nu2,i1,,3,\r\n',
    });
    const { result, seqs, service } = await importAndRead(freshDb(), {
      paths: [path.join(dir, 'r.csv')],
      format: 'csv',
      columns: { user: 'who', item: 'what', time: 'when', rating: 'stars', review: 'text' },
    });
    expect(result).toMatchObject({ format: 'csv', users: 2, items: 2, interactions: 3 });
    expect(seqs).toEqual({ u1: ['i,2', 'i1'], u2: ['i1'] });
    expect(service.history('d', 0).history[0]!.review).toBe('said "hi"\nnext line');
  });

  it('CSV guesses common column names and accepts column numbers', async () => {
    const dir = writeFiles({ 'a.csv': 'userId,movieId,rating,timestamp\n1,5,4,2\n1,6,3,1\n', 'b.csv': 'x,y\na,b\n' });
    const { seqs } = await importAndRead(freshDb(), { paths: [path.join(dir, 'a.csv')] });
    expect(seqs).toEqual({ '1': ['6', '5'] });
    const r2 = await importAndRead(freshDb(), { paths: [path.join(dir, 'b.csv')], format: 'csv', columns: { user: '1', item: '2' } });
    expect(r2.seqs).toEqual({ a: ['b'] });
  });
});
