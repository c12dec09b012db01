import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetService } from '../../../main/features/datasets/dataset-service.js';
import { detect } from '../../../main/features/datasets/detect.js';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { dataSet, missingReason } from '../../support/data.js';
import { freshDb } from '../../unit/datasets/helpers.js';

/** Item original ids of one user (by original id) in time order. */
function historyOf(service: DatasetService, dataset: string, userOriginal: string): string[] {
  const u = service.users(dataset, 0, 500, userOriginal).users.find((x) => x.originalId === userOriginal);
  if (!u) throw new Error(`no user ${userOriginal}`);
  return service.history(dataset, u.idx).history.map((h) => h.item.originalId);
}

const cases = [
  { folder: 'amazon_beauty_s3rec', format: 's3rec', users: 22363, items: 12101, interactions: 198502 },
  { folder: 'amazon_sports_s3rec', format: 's3rec', users: 35598, items: 18357, interactions: 296337 },
  { folder: 'amazon_office_lcrec', format: 'lcrec', users: 4905, items: 2420, interactions: 53258 },
  { folder: 'ml-100k', format: 'recbole', users: 943, items: 1682, interactions: 100000 },
] as const;

for (const c of cases) {
  const dir = dataSet(c.folder);
  describe.skipIf(!dir)(`${c.folder}${dir ? '' : ` (skipped: ${missingReason(c.folder)})`}`, () => {
    it('detects, imports with exact counts, and reads back exact histories', async () => {
      const d = await detect([dir!]);
      expect(d.format).toBe(c.format);
      const db = freshDb();
      const r = await importDataset(db, { paths: [dir!], name: c.folder });
      expect({ format: r.format, users: r.users, items: r.items, interactions: r.interactions }).toEqual({
        format: c.format,
        users: c.users,
        items: c.items,
        interactions: c.interactions,
      });
      expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
      const service = new DatasetService(db);
      const s = service.stats(c.folder);
      expect(s.split.train + s.split.valid + s.split.test).toBe(c.interactions);
      expect(s.lengthHistogram.reduce((a, b) => a + b.count, 0)).toBe(c.users);
      expect(s.popularity[0]!.rank).toBe(1);
      expect(s.popularity.length).toBeLessThanOrEqual(1000);
      expect(service.list()).toHaveLength(1);

      switch (c.folder) {
        case 'amazon_beauty_s3rec': {
          expect(historyOf(service, c.folder, '1')).toEqual(['1', '2', '3', '4', '5']);
          expect(historyOf(service, c.folder, '2')).toEqual(['6', '7', '8', '9', '10', '4', '11']);
          expect(historyOf(service, c.folder, '22363')).toEqual(['6466', '9744', '3025', '10607', '10487']);
          // S3-Rec ids are first-seen ordered, so index = id - 1; item text is attached.
          const h = service.history(c.folder, 0).history;
          expect(h[0]!.item).toMatchObject({ idx: 0, originalId: '1', title: 'nail lacquer simmer and shimmer', brand: 'OPI' });
          expect(JSON.parse(db.prepare("SELECT attributes FROM items WHERE original_id = '1'").pluck().get() as string)).toMatchObject({ asin: 'B004756YJA' });
          break;
        }
        case 'amazon_sports_s3rec':
          expect(historyOf(service, c.folder, '2')).toEqual('9 10 11 12 13 14 15 16 1 17 18 19 20 21 22 23 24 25 26'.split(' '));
          break;
        case 'amazon_office_lcrec': {
          expect(historyOf(service, c.folder, '0')).toEqual(['0', '1', '2', '3', '4']);
          const last = JSON.parse(fs.readFileSync(path.join(dir!, 'Office.inter.json'), 'utf8')) as Record<string, number[]>;
          const lastUser = Object.keys(last).at(-1)!;
          expect(historyOf(service, c.folder, lastUser)).toEqual(last[lastUser]!.map(String));
          expect(service.history(c.folder, 0).history[0]!.item.title).toBe('VTECH CS6114 DECT 6.0 Cordless Phone, White/Grey, 1 Handset');
          break;
        }
        case 'ml-100k': {
          const h196 = historyOf(service, c.folder, '196');
          expect(h196).toHaveLength(39);
          expect(h196.slice(0, 8)).toEqual(['242', '286', '269', '306', '340', '1022', '251', '257']);
          expect(h196.slice(-3)).toEqual(['1118', '94', '110']);
          const h1 = historyOf(service, c.folder, '1');
          expect(h1).toHaveLength(272);
          expect(h1.slice(0, 5)).toEqual(['168', '172', '165', '156', '196']);
          expect(h1.slice(-3)).toEqual(['5', '74', '102']);
          expect(s).toMatchObject({ hasRatings: true, hasTimestamps: true });
          const u = service.users(c.folder, 0, 1, '1').users[0]!;
          const last = service.history(c.folder, service.users(c.folder, 0, 500, '1').users.find((x) => x.originalId === '1')!.idx).history.at(-1)!;
          expect(last).toMatchObject({ split: 'test', rating: 2, ts: 889751736 });
          expect(u.originalId.startsWith('1')).toBe(true);
          break;
        }
      }
    });
  });
}

const beauty = dataSet('amazon_beauty_s3rec');
describe.skipIf(!beauty)(`k-core on Beauty${beauty ? '' : ` (skipped: ${missingReason('amazon_beauty_s3rec')})`}`, () => {
  it('Beauty is already 5-core: k=5 keeps everything and gives the same hash', async () => {
    const db = freshDb();
    const a = await importDataset(db, { paths: [beauty!], name: 'a' });
    const b = await importDataset(db, { paths: [beauty!], name: 'b', kcore: 5 });
    expect(b).toMatchObject({ users: a.users, items: a.items, interactions: a.interactions, contentHash: a.contentHash });
    const c = await importDataset(db, { paths: [beauty!], name: 'c', kcore: 10 });
    expect(c.interactions).toBeLessThan(a.interactions);
  });
});
