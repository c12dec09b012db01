import { describe, expect, it } from 'vitest';
import { jsKernels, loadKernels } from '../../../main/base/engine/kernels.js';
import { CeWorkspace, crossEntropyAllItems } from '../../../main/base/engine/losses.js';
import { Rng } from '../../../main/base/rng.js';
import { StepArena, type Ctx } from '../../../main/base/engine/tensor.js';
import { resolveConfig } from '../../../main/features/training/sasrec/config.js';
import { packSequences, SasrecModel } from '../../../main/features/training/sasrec/model.js';

const cfg = resolveConfig('reference', { hidden: 8, heads: 2, inner: 12, blocks: 2, maxLen: 6, dropout: 0.2, attnDropout: 0.3 });
const batches = [
  [Int32Array.from([1, 2, 3, 4]), Int32Array.from([5, 6])],
  [Int32Array.from([7, 8, 9, 1, 2, 3, 4, 5]), Int32Array.from([2, 3]), Int32Array.from([4, 5, 6])],
  [Int32Array.from([1, 9])],
];

/** Gradients and losses of three steps of different sizes; with an arena the buffers of each step are reused by the next. */
function steps(ctx: Ctx): number[][] {
  const m = new SasrecModel(ctx, cfg, 9);
  m.init(new Rng(1));
  const ws = new CeWorkspace();
  const out: number[][] = [];
  batches.forEach((seqs, i) => {
    ctx.arena?.begin();
    const batch = packSequences(
      seqs.map((s) => s.subarray(0, s.length - 1)),
      cfg.maxLen,
    );
    const targets = packSequences(
      seqs.map((s) => s.subarray(1)),
      cfg.maxLen,
    ).items;
    for (const p of m.params) p.grad.fill(0);
    const { h, cache } = m.forward(batch, new Rng(10 + i));
    const { loss, dh } = crossEntropyAllItems(ctx, h, targets.length, m.itemEmb, targets, 1 / targets.length, ws);
    m.backward(cache, dh);
    ctx.arena?.end();
    out.push([loss, ...m.params.flatMap((p) => Array.from(p.grad))]);
  });
  return out;
}

describe('step arena', () => {
  for (const kernels of [jsKernels, loadKernels()]) {
    it(`gives the same losses and gradients as fresh buffers, step after step (${kernels.name} kernels)`, () => {
      const a = steps({ kernels, dtype: 'f32' });
      const b = steps({ kernels, dtype: 'f32', arena: new StepArena('f32') });
      expect(b).toEqual(a);
    });
  }

  it('hands out zeroed buffers, and fresh ones outside a step', () => {
    const arena = new StepArena('f32');
    const ctx: Ctx = { kernels: jsKernels, dtype: 'f32', arena };
    arena.begin();
    const a = arena.take(10);
    a.fill(7);
    arena.end();
    arena.begin();
    const b = arena.take(8);
    expect(b.buffer).toBe(a.buffer);
    expect(Array.from(b)).toEqual(new Array(8).fill(0));
    arena.end();
    const outside = new SasrecModel(ctx, cfg, 9);
    expect(outside.itemEmb.value.buffer).not.toBe(a.buffer);
  });
});
