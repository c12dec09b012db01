import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTrainer, type TrainerOptions } from '../../../main/features/training/sasrec/trainer.js';

const dir = mkdtempSync(join(tmpdir(), 'pulse-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function data(): Int32Array[] {
  const seqs: Int32Array[] = [];
  let s = 7;
  for (let u = 0; u < 90; u++) {
    const len = 2 + (u % 11);
    const a = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      a[i] = 1 + (s % 40);
    }
    seqs.push(a);
  }
  return seqs;
}

function weights(t: ReturnType<typeof createTrainer>): number[] {
  return t.model.params.flatMap((p) => Array.from(p.value));
}

describe('checkpoint / resume', () => {
  for (const loss of ['ce', 'bce'] as const) {
    it(`resuming mid-epoch from a file is bit-identical to an uninterrupted run (${loss})`, () => {
      const opts: TrainerOptions = {
        sequences: data(),
        nItems: 40,
        config: { hidden: 16, heads: 2, inner: 32, blocks: 2, maxLen: 8, batch: 16, loss, seed: 11, dropout: 0.3, attnDropout: 0.2 },
      };
      const full = createTrainer(opts);
      const r1 = full.trainEpoch();
      const r2 = full.trainEpoch();
      expect(r1.completed && r2.completed).toBe(true);

      // "Kill" after 3 batches of epoch 2, save, then continue in a brand-new trainer.
      const a = createTrainer(opts);
      a.trainEpoch();
      let n = 0;
      const part = a.trainEpoch({ shouldStop: () => n++ >= 3 });
      expect(part.completed).toBe(false);
      expect(a.batchInEpoch).toBe(3);
      const file = join(dir, `ck-${loss}.bin`);
      a.saveCheckpoint(file);
      const b = createTrainer(opts);
      b.loadCheckpoint(file);
      expect(b.epoch).toBe(1);
      expect(b.batchInEpoch).toBe(3);
      const rb = b.trainEpoch();
      expect(rb.completed).toBe(true);
      expect(b.step).toBe(full.step);
      expect(rb.loss).toBe(r2.loss);
      expect(weights(b)).toEqual(weights(full));
      const h = [Int32Array.from([1, 2, 3])];
      expect(Array.from(b.scoreUsers(h))).toEqual(Array.from(full.scoreUsers(h)));
    });
  }

  it('refuses a checkpoint from other data or config', () => {
    const opts: TrainerOptions = { sequences: data(), nItems: 40, config: { hidden: 8, heads: 2, inner: 8, maxLen: 8, batch: 32 } };
    const a = createTrainer(opts);
    const file = join(dir, 'other.bin');
    a.saveCheckpoint(file);
    const other = createTrainer({ ...opts, sequences: data().slice(1) });
    expect(() => other.loadCheckpoint(file)).toThrow(/different data/);
    const cfg = createTrainer({ ...opts, config: { ...opts.config, lr: 0.01 } });
    expect(() => cfg.loadCheckpoint(file)).toThrow(/different config/);
  });
});
