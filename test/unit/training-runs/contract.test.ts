import { afterAll, describe, expect, it } from 'vitest';
import { api, type TrainSettings } from '../../../common/contract/index.js';
import { resolveRunConfig } from '../../../main/features/training/run-config.js';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { run as trainJob } from '../../../main/features/training/train-job.js';
import { prepareRun } from '../../../main/features/training/training-handlers.js';
import { fakeJobContext, insertSynthetic } from '../../support/training-data.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir('pulse-runs-contract-');
const host = Host.open(t.dir, 'cli', CONTRIBUTIONS);
afterAll(async () => {
  await host.close();
  t.cleanup();
});

describe('training contract', () => {
  it('handlers answer with what the contract declares (the Training view relies on it)', async () => {
    insertSynthetic(host.workspace.db, 'syn');
    const ids: number[] = [];
    for (const seed of [1, 2]) {
      const runId = prepareRun(host.workspace, {
        dataset: 'syn',
        epochs: 2,
        hidden: 8,
        inner: 16,
        blocks: 1,
        heads: 1,
        batch: 32,
        seed,
        testProtocols: ['full', 'sampled:10'],
      });
      await trainJob(fakeJobContext(host.workspace, { runId }).ctx);
      ids.push(runId);
    }
    const check = async (m: keyof typeof api, input: unknown) => api[m].output.parse(await host.call(m, input));
    const list = (await check('runs.list', {})) as { runs: { id: number; best: Record<string, number>; test: Record<string, Record<string, number>> }[] };
    expect(list.runs.map((r) => r.id)).toEqual(ids);
    expect(list.runs[0]!.best['valid.ndcg@10']).toBeGreaterThanOrEqual(0);
    expect(Object.keys(list.runs[0]!.test).sort()).toEqual(['full', 'sampled:10']);
    const detail = (await check('runs.get', { id: ids[0] })) as unknown as {
      results: unknown[];
      config: { sasrec: { hidden: number } };
      settings: TrainSettings;
    };
    expect(detail.results).toHaveLength(3);
    expect(detail.config.sasrec.hidden).toBe(8);
    // The flat settings a form reruns or fine-tunes from resolve to exactly the stored config.
    expect(resolveRunConfig(detail.settings)).toEqual(detail.config);
    const m1 = (await check('runs.metrics', { id: ids[0], since: 0, limit: 5 })) as { points: { seq: number }[]; next: number };
    expect(m1.points).toHaveLength(5);
    const m2 = (await check('runs.metrics', { id: ids[0], since: m1.next })) as { points: { seq: number }[] };
    expect(m2.points[0]!.seq).toBeGreaterThan(m1.next);
    const cmp = (await check('runs.compare', { a: ids[0], b: ids[1], metric: 'hr@10' })) as { n: number };
    expect(cmp.n).toBeGreaterThan(50);
    const csv = (await check('runs.export', { format: 'csv' })) as { text: string; rows: number };
    expect(csv.rows).toBe(2);
    await check('train.presets', {});
    await check('runs.rename', { id: ids[1], name: 'second' });
    await check('runs.archive', { id: ids[1] });
    expect(((await check('runs.list', { includeArchived: true })) as { runs: unknown[] }).runs).toHaveLength(2);
    await expect(host.call('train.start', { dataset: 'syn', hidden: 'big' })).rejects.toThrow(/Invalid input/);
    await expect(host.call('runs.get', { id: 999 })).rejects.toThrow(/no run 999/);
  });
});
