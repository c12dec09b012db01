import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRIBUTIONS } from '../../../../main/features/index.js';
import { Host } from '../../../../main/platform/host/host.js';
import { tempDir } from '../../../support/temp.js';

/** A small S3-Rec file: `users` lines of `user item item item item`. */
function s3rec(dir: string, name: string, users: number): string {
  const file = path.join(dir, name);
  const lines = Array.from({ length: users }, (_, u) => `${u + 1} ${[1, 2, 3, 4].map((k) => 1 + ((u * 7 + k * 3) % 40)).join(' ')}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('job lanes: imports wait for each other instead of starving the host', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('runs two imports at a time, queues the rest, starts them as others end, and cancels a queued one', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const host = Host.open(path.join(t.dir, 'ws'), 'cli', CONTRIBUTIONS);
    try {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const file = s3rec(t.dir, `f${i}.txt`, 30 + i);
        ids.push(((await host.call('datasets.import', { paths: [file], name: `lane ${i}`, format: 's3rec' })) as { jobId: number }).jobId);
      }
      expect(ids.map((id) => host.jobs.get(id).state)).toEqual(['running', 'running', 'queued', 'queued', 'queued']);
      host.jobs.cancel(ids[4]!);
      expect(host.jobs.get(ids[4]!).state).toBe('cancelled');
      const ends = await Promise.all(ids.map((id) => host.jobs.wait(id)));
      expect(ends.map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'cancelled']);
      const names = ((await host.call('datasets.list', {})) as { datasets: { name: string; users: number }[] }).datasets.map((d) => d.name).sort();
      expect(names).toEqual(['lane 0', 'lane 1', 'lane 2', 'lane 3']);
    } finally {
      await host.close();
    }
  });

  it('leaves queued jobs interrupted (resumable) when the host shuts down', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const host = Host.open(path.join(t.dir, 'ws'), 'cli', CONTRIBUTIONS);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const file = s3rec(t.dir, `g${i}.txt`, 20);
      ids.push(((await host.call('datasets.import', { paths: [file], name: `stop ${i}`, format: 's3rec' })) as { jobId: number }).jobId);
    }
    expect(host.jobs.get(ids[2]!).state).toBe('queued');
    const waited = host.jobs.wait(ids[2]!);
    await host.close();
    expect((await waited).state).toBe('interrupted');
    const again = Host.open(path.join(t.dir, 'ws'), 'cli', CONTRIBUTIONS);
    try {
      expect(again.jobs.get(ids[2]!).state).toBe('interrupted');
      const resumed = again.jobs.resume(ids[2]!);
      expect((await again.jobs.wait(resumed.id)).state).toBe('succeeded');
    } finally {
      await again.close();
    }
  });
});
