import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../../main/features/training/sasrec/trainer.js';

describe('trainer with the auxiliary alignment loss', () => {
  for (const kind of ['cosine', 'infonce'] as const) {
    it(`${kind}: aux loss goes down and survives a checkpoint`, () => {
      const seqs = Array.from({ length: 120 }, (_, u) => Int32Array.from({ length: 3 + (u % 5) }, (_, i) => 1 + ((u + i) % 20)));
      // A rationale for every position of most users (rows shared by users u and u + 60).
      const vectors = Float32Array.from({ length: 60 * 8 * 4 }, (_, i) => Math.cos(i * 0.37 + 1));
      const rowOf = seqs.map((s, u) => Int32Array.from(s, (_, p) => (u % 7 === 0 || p === 0 ? -1 : (u % 60) * 8 + p)));
      const targets = { dim: 4, vectors, rowOf };
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

  it('the weight schedule halves the alignment weight every halfLife epochs', () => {
    const seqs = [Int32Array.from([1, 2, 3])];
    const targets = { dim: 2, vectors: Float32Array.from([1, 0]), rowOf: [Int32Array.from([-1, 0, 0])] };
    const t = createTrainer({
      sequences: seqs,
      nItems: 3,
      config: { hidden: 4, heads: 1, inner: 4 },
      aux: { targets, weight: 0.4, kind: 'cosine', halfLife: 10 },
    });
    const aux = (t as unknown as { aux: { weightAt(e: number): number } }).aux;
    expect([0, 10, 20].map((e) => aux.weightAt(e))).toEqual([0.4, 0.2, 0.1]);
    const c = createTrainer({ sequences: seqs, nItems: 3, config: { hidden: 4, heads: 1, inner: 4 }, aux: { targets, weight: 0.4, kind: 'cosine' } });
    expect((c as unknown as { aux: { weightAt(e: number): number } }).aux.weightAt(50)).toBe(0.4);
  });
});
