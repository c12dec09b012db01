import { afterEach, describe, expect, it } from 'vitest';
import { run as trainJob } from '../../../main/features/training/train-job.js';
import { loadRunData } from '../../../main/features/training/run-data.js';
import { getRun } from '../../../main/features/training/run-store.js';
import { readCheckpointFile } from '../../../main/base/engine/checkpoint-file.js';
import { prepareRun } from '../../../main/features/training/training-handlers.js';
import { DatasetService } from '../../../main/features/datasets/dataset-service.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { fakeJobContext, insertSynthetic } from '../../support/training-data.js';
import { tempWorkspace } from '../../support/temp.js';
import path from 'node:path';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const workspace = (): Workspace => tempWorkspace(cleanups, 'pulse-runs-');

describe('training split', () => {
  it('trains on all but the last two items; validation = second to last, test = last', () => {
    const ws = workspace();
    const seqs = insertSynthetic(ws.db, 'syn');
    const d = loadRunData(ws.db, 'syn');
    expect(d.train.length).toBe(seqs.length);
    let evaluated = 0;
    seqs.forEach((s, u) => {
      const ids = s.map((i) => i + 1);
      if (s.length < 3) {
        expect(Array.from(d.train.get(u))).toEqual(ids);
        expect(Array.from(d.evalIdx)).not.toContain(u);
        return;
      }
      expect(Array.from(d.train.get(u))).toEqual(ids.slice(0, -2));
      const k = Array.from(d.evalIdx).indexOf(u);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(d.validTarget[k]).toBe(ids.at(-2));
      expect(d.testTarget[k]).toBe(ids.at(-1));
      expect(Array.from(d.validHistory.get(k))).toEqual(ids.slice(0, -2));
      expect(Array.from(d.testHistory.get(k))).toEqual(ids.slice(0, -1));
      evaluated++;
    });
    expect(evaluated).toBe(d.evalIdx.length);
    expect(evaluated).toBeGreaterThan(50);
  });

  it('never leaks validation or test items into training: changing them leaves training bit-identical', async () => {
    const ws = workspace();
    // Same training prefixes; the held-out items differ completely between the two datasets.
    insertSynthetic(ws.db, 'a', { heldOut: () => [1, 2] });
    insertSynthetic(ws.db, 'b', { heldOut: (u) => [10 + (u % 30), 40 + (u % 19)] });
    const settings = { epochs: 2, hidden: 8, inner: 16, blocks: 1, heads: 1, batch: 16, testProtocols: ['full'], seed: 3 };
    const losses: number[][] = [];
    const weights: Float32Array[] = [];
    for (const name of ['a', 'b']) {
      const runId = prepareRun(ws, { dataset: name, ...settings });
      const { ctx, events } = fakeJobContext(ws, { runId });
      await trainJob(ctx);
      losses.push(
        events
          .filter((e) => e.name === 'metrics')
          .flatMap((e) =>
            Object.entries((e.data as { values: Record<string, number> }).values)
              .filter(([k]) => k.startsWith('train.') && k !== 'train.sequences_per_second')
              .map(([, v]) => v),
          ),
      );
      const ck = readCheckpointFile(path.join(ws.artifactsDir, 'runs', String(runId), 'last.ckpt'));
      weights.push(ck.arrays.get('itemEmb') as Float32Array);
      expect(getRun(ws.db, runId).state).toBe('succeeded');
    }
    expect(losses[0]!.length).toBeGreaterThan(2);
    expect(losses[0]).toEqual(losses[1]);
    expect(Buffer.from(weights[0]!.buffer).equals(Buffer.from(weights[1]!.buffer))).toBe(true);
  });

  it('reads sequences from the workspace as it goes: a dataset deleted under a training run stops it with data_changed', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'gone', { users: 200 });
    const runId = prepareRun(ws, { dataset: 'gone', epochs: 3, hidden: 8, inner: 16, blocks: 1, heads: 1, batch: 16, testProtocols: ['full'], seed: 3 });
    let deleted = false;
    const { ctx } = fakeJobContext(
      ws,
      { runId },
      {
        cancelWhen: (events) => {
          // After the first metrics of epoch 1: delete the dataset the way `pulse datasets delete` does.
          if (!deleted && events.some((e) => e.name === 'metrics')) {
            new DatasetService(ws.db).delete('gone');
            deleted = true;
          }
          return false;
        },
      },
    );
    await expect(trainJob(ctx)).rejects.toMatchObject({
      code: 'data_changed',
      message: expect.stringMatching(/Dataset "gone" changed while this run was using it/),
    });
    expect(deleted).toBe(true);
    expect(getRun(ws.db, runId).state).toBe('failed');
  });
});
