import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../../main/training/sasrec/trainer.js';

describe('trainer with the auxiliary alignment loss', () => {
  for (const kind of ['cosine', 'infonce'] as const) {
    it(`${kind}: aux loss goes down and survives a checkpoint`, () => {
      const seqs = Array.from({ length: 120 }, (_, u) => Int32Array.from({ length: 3 + (u % 5) }, (_, i) => 1 + ((u + i) % 20)));
      const targets = seqs.map((_, u) => (u % 7 === 0 ? undefined : Float32Array.from({ length: 4 }, (_, a) => Math.cos(u * (a + 1)))));
      const opts = {
        sequences: seqs,
        nItems: 20,
        config: { hidden: 16, heads: 2, inner: 32, batch: 32, dropout: 0.1, attnDropout: 0.1, lr: 5e-3 },
        aux: { targets, weight: 1, kind },
      };
      const t = createTrainer(opts);
      const first = t.trainEpoch().auxLoss;
      let last = first;
      for (let e = 0; e < 6; e++) last = t.trainEpoch().auxLoss;
      expect(last).toBeLessThan(first);
      const dir = mkdtempSync(join(tmpdir(), 'pulse-aux-'));
      try {
        t.saveCheckpoint(join(dir, 'a.bin'));
        const u = createTrainer(opts);
        u.loadCheckpoint(join(dir, 'a.bin'));
        expect(u.trainEpoch().loss).toBe(t.trainEpoch().loss);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
