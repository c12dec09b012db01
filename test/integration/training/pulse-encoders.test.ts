// PULSE's item side through a model a user brings: item text embedded by a real GGUF model (the tiny one the
// tests write: random weights, the real load and embed path of node-llama-cpp), fused into the item table.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPulseInputs, readPulseInputsSummary } from '../../../main/features/training/pulse-inputs.js';
import { loadRunData } from '../../../main/features/training/run-data.js';
import { runDir } from '../../../main/features/training/run-store.js';
import { run as trainJob } from '../../../main/features/training/train-job.js';
import { prepareRun } from '../../../main/features/training/training-handlers.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { makeTempDir, TINY_SHAPE, writeTinyModel } from '../../support/tiny-gguf.js';
import { fakeJobContext, insertSynthetic } from '../../support/training-data.js';

const dir = makeTempDir('pulse-pulse-gguf-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('PULSE item side with a GGUF encoder', () => {
  it('embeds every item text with the model and trains on the fused item table', async () => {
    const model = writeTinyModel(dir);
    const ws = Workspace.open(path.join(dir, 'ws'));
    try {
      insertSynthetic(ws.db, 'syn', { users: 60, items: 30 });
      const id = prepareRun(ws, {
        dataset: 'syn',
        arch: 'pulse',
        auxWeight: 0,
        itemSide: 'text',
        itemEncoder: `gguf:${model.file}`,
        epochs: 1,
        hidden: 8,
        inner: 16,
        blocks: 1,
        heads: 1,
        batch: 16,
        testProtocols: ['full'],
      });
      const r = await trainJob(fakeJobContext(ws, { runId: id }).ctx);
      expect(r.test.full!['hr@10']).toBeGreaterThanOrEqual(0);
      const inputs = loadPulseInputs(runDir(ws, id), loadRunData(ws.db, 'syn'))!;
      expect(inputs.itemVectors!.dim).toBe(TINY_SHAPE.nEmbd);
      // Every item has text here, so every row but the padding one is a unit vector.
      const v = inputs.itemVectors!.vectors;
      for (let i = 1; i <= 30; i++) {
        const row = v.subarray(i * TINY_SHAPE.nEmbd, (i + 1) * TINY_SHAPE.nEmbd);
        expect(Math.hypot(...row)).toBeCloseTo(1, 4);
      }
      expect(readPulseInputsSummary(runDir(ws, id))).toMatchObject({ itemDim: TINY_SHAPE.nEmbd, rationaleEncoder: null });
      expect(readPulseInputsSummary(runDir(ws, id))!.itemEncoder).toMatch(/gguf/);
    } finally {
      ws.close();
    }
  });
});
