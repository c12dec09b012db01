import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { histogram } from '../../../main/features/datasets/dataset-service.js';
import { tmpDir, writeFiles } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const built = fs.existsSync(path.join(root, 'build/main/features/job-worker.js')) && fs.existsSync(path.join(root, 'build/main/features/datasets/importer.js'));

let host: Host | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function hostWithData(): Promise<Host> {
  host = Host.open(tmpDir('pulse-host-'), 'cli', CONTRIBUTIONS);
  const dir = writeFiles({
    'x.inter': 'user_id:token\titem_id:token\trating:float\ttimestamp:float\nu1\ti1\t5\t3\nu1\ti2\t4\t1\nu1\ti3\t3\t2\nu2\ti1\t2\t1\nalice\ti2\t1\t1\n',
  });
  await importDataset(host.workspace.db, { paths: [dir], name: 'small' });
  return host;
}

describe('dataset service through the host', () => {
  it('list, stats, users, history', async () => {
    const h = await hostWithData();
    const { datasets } = await h.invoke('datasets.list', {});
    expect(datasets).toEqual([
      {
        name: 'small',
        format: 'recbole',
        source: expect.any(String),
        synthetic: false,
        users: 3,
        items: 3,
        interactions: 5,
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    const s = await h.invoke('datasets.stats', { name: 'small' });
    expect(s).toMatchObject({
      density: 5 / 9,
      sequenceLength: { min: 1, max: 3, mean: 5 / 3, median: 1 },
      split: { train: 3, valid: 1, test: 1 },
      hasRatings: true,
      hasTimestamps: true,
      hasReviews: false,
      itemsWithTitles: 0,
    });
    expect(s.lengthHistogram).toEqual([
      { from: 1, to: 2, count: 2 },
      { from: 2, to: 3, count: 0 },
      { from: 3, to: 4, count: 1 },
    ]);
    expect(s.popularity).toEqual([
      { rank: 1, count: 2 },
      { rank: 2, count: 2 },
      { rank: 3, count: 1 },
    ]);
    const users = await h.invoke('datasets.users', { name: 'small', limit: 2 });
    expect(users).toEqual({
      total: 3,
      users: [
        { idx: 0, originalId: 'u1', interactions: 3 },
        { idx: 1, originalId: 'u2', interactions: 1 },
      ],
    });
    expect((await h.invoke('datasets.users', { name: 'small', offset: 2 })).users.map((u) => u.originalId)).toEqual(['alice']);
    expect(await h.invoke('datasets.users', { name: 'small', search: 'al' })).toEqual({ total: 1, users: [{ idx: 2, originalId: 'alice', interactions: 1 }] });
    const hist = await h.invoke('datasets.history', { name: 'small', user: 0 });
    expect(hist.history.map((x) => [x.item.originalId, x.split, x.rating, x.ts])).toEqual([
      ['i2', 'train', 4, 1],
      ['i3', 'valid', 3, 2],
      ['i1', 'test', 5, 3],
    ]);
    await expect(h.invoke('datasets.history', { name: 'small', user: 99 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.invoke('datasets.stats', { name: 'nope' })).rejects.toMatchObject({ code: 'not_found', hint: expect.stringContaining('small') });
  });

  it('rename and delete (cascade, other datasets untouched)', async () => {
    const h = await hostWithData();
    await importDataset(h.workspace.db, { paths: [writeFiles({ 'a.txt': '1 1 2\n' })], name: 'other' });
    await expect(h.invoke('datasets.rename', { name: 'small', newName: 'other' })).rejects.toMatchObject({ code: 'duplicate_name' });
    await h.invoke('datasets.rename', { name: 'small', newName: 'renamed' });
    expect((await h.invoke('datasets.list', {})).datasets.map((d) => d.name)).toEqual(['other', 'renamed']);
    await h.invoke('datasets.delete', { name: 'renamed' });
    const db = h.workspace.db;
    expect((await h.invoke('datasets.list', {})).datasets.map((d) => d.name)).toEqual(['other']);
    expect(db.prepare('SELECT count(*) FROM interactions').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM items').pluck().get()).toBe(2);
  });

  it('detect, uploads, and import rejects a duplicate name before starting a job', async () => {
    const h = await hostWithData();
    const dir = writeFiles({ 'r.csv': 'user,item\na,b\n' });
    const d = await h.invoke('datasets.detect', { paths: [dir] });
    expect(d).toMatchObject({ format: 'csv', columns: ['user', 'item'], preview: [{ user: 'a', item: 'b', rating: null, time: null }] });
    await expect(h.invoke('datasets.import', { paths: [dir], name: 'small' })).rejects.toMatchObject({
      code: 'duplicate_name',
      message: expect.stringContaining('"small"'),
    });
    await expect(h.invoke('datasets.import', { paths: ['/no/such/file.csv'], name: 'new' })).rejects.toMatchObject({ code: 'not_found' });
    expect(h.jobs.list()).toEqual([]);
    const up = await h.invoke('datasets.uploads', {});
    expect(up.dir).toBe(path.join(h.workspace.dir, 'uploads'));
    expect(up.files).toEqual([]);
    fs.writeFileSync(path.join(up.dir, 'ratings.dat'), '1::2::3::4\n');
    expect((await h.invoke('datasets.uploads', {})).files).toEqual([{ path: path.join(up.dir, 'ratings.dat'), name: 'ratings.dat', bytes: 11 }]);
  });

  it.skipIf(!built)(`import through the job service (worker thread)${built ? '' : ' (skipped: build/ missing, run npm run build)'}`, async () => {
    const h = await hostWithData();
    const dir = writeFiles({ 's.txt': '1 1 2 3\n2 2 3 1\n' });
    const { jobId } = await h.invoke('datasets.import', { paths: [dir], name: 'via-job' });
    const job = await h.jobs.wait(jobId);
    expect(job.error).toBeNull();
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ dataset: 'via-job', users: 2, items: 3, interactions: 6, format: 's3rec' });
    expect(job.progress).toMatchObject({ unit: 'bytes' });
    expect((await h.invoke('datasets.list', {})).datasets.map((d) => d.name)).toEqual(['small', 'via-job']);
    const bad = await h.invoke('datasets.import', { paths: [writeFiles({ 's.txt': '1 1 2\n2\n' })], name: 'bad', format: 's3rec' });
    const failed = await h.jobs.wait(bad.jobId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ line: 2, file: expect.stringContaining('s.txt'), hint: expect.any(String) });
  });
});

describe('histogram', () => {
  it('one bin per length for short ranges, log bins otherwise, counts add up', () => {
    const xs = Array.from({ length: 1000 }, (_, k) => 3 + (k % 500)).sort((a, b) => a - b);
    const bins = histogram(xs, 3, 502);
    expect(bins.length).toBeLessThanOrEqual(31);
    expect(bins[0]!.from).toBe(3);
    expect(bins.at(-1)!.to).toBe(503);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(1000);
  });
});
