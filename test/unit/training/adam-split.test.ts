import { describe, expect, it } from 'vitest';
import { Adam } from '../../../main/base/engine/adam.js';
import { jsKernels } from '../../../main/base/engine/kernels.js';
import { Rng } from '../../../main/base/rng.js';
import { Param, type Ctx } from '../../../main/base/engine/tensor.js';
import { leaveOneOut, parseS3Rec } from '../../../main/features/training/sasrec/split.js';

const ctx: Ctx = { kernels: jsKernels, dtype: 'f64' };

describe('Adam', () => {
  it('matches a hand computation over two steps (with L2 weight decay)', () => {
    const p = new Param(ctx, 'w', [2]);
    p.value.set([1, -2]);
    const opt = new Adam(ctx, [p], { lr: 0.1, weightDecay: 0.01 });
    p.grad.set([0.5, 0.25]);
    opt.update();
    // step 1: g = grad + 0.01 w = [0.51, 0.23]; mhat = g; vhat = g^2; update = lr * g / (|g| + eps) ~ lr * sign
    const g1 = [0.51, 0.23];
    const w1 = [1 - (0.1 * g1[0]!) / (Math.abs(g1[0]!) + 1e-8), -2 - (0.1 * g1[1]!) / (Math.abs(g1[1]!) + 1e-8)];
    expect(p.value[0]).toBeCloseTo(w1[0]!, 12);
    expect(p.value[1]).toBeCloseTo(w1[1]!, 12);
    p.grad.set([-1, 0]);
    opt.update();
    const w2 = w1.map((w, i) => {
      const g2 = [-1, 0][i]! + 0.01 * w;
      const m = 0.9 * 0.1 * g1[i]! + 0.1 * g2;
      const v = 0.999 * 0.001 * g1[i]! ** 2 + 0.001 * g2 ** 2;
      const mhat = m / (1 - 0.9 ** 2);
      const vhat = v / (1 - 0.999 ** 2);
      return w - (0.1 * mhat) / (Math.sqrt(vhat) + 1e-8);
    });
    expect(p.value[0]).toBeCloseTo(w2[0]!, 9);
    expect(p.value[1]).toBeCloseTo(w2[1]!, 9);
  });
});

describe('Rng', () => {
  it('is deterministic and its state round-trips', () => {
    const a = new Rng(42);
    a.next();
    const s = a.getState();
    const x = [a.next(), a.nextU32(), a.normal()];
    const b = new Rng(1);
    b.setState(s);
    expect([b.next(), b.nextU32(), b.normal()]).toEqual(x);
    expect(new Rng(42).next()).toBe(new Rng(42).next());
    // The inlined dropout draws the same stream as next() < p.
    const c = new Rng(9),
      d = new Rng(9);
    const xs = new Float64Array(500).fill(1),
      mask = new Float64Array(500);
    c.dropout(xs, mask, 0.3, 2);
    expect(Array.from(mask)).toEqual(Array.from({ length: 500 }, () => (d.next() < 0.3 ? 0 : 2)));
    expect(c.getState()).toEqual(d.getState());
    expect(new Rng(42).next()).not.toBe(new Rng(43).next());
  });
});

describe('leave-one-out split', () => {
  it('never leaks the valid or test item into training', () => {
    const { sequences } = parseS3Rec('1 5 6 7 8\n2 1 2 3\n3 9 9\n4 4 3 2 1 7\n');
    expect(sequences.length).toBe(3); // user 3 has 2 items, dropped
    const s = leaveOneOut(sequences);
    sequences.forEach((seq, u) => {
      expect(Array.from(s.train[u]!)).toEqual(Array.from(seq.slice(0, -2)));
      expect(s.validTarget[u]).toBe(seq[seq.length - 2]);
      expect(s.testTarget[u]).toBe(seq[seq.length - 1]);
      expect(Array.from(s.testHistory[u]!)).toEqual(Array.from(seq.slice(0, -1)));
      // The train part is a strict prefix that stops before the validation position.
      expect(s.train[u]!.length).toBe(seq.length - 2);
    });
    expect(Array.from(s.train[0]!)).toEqual([5, 6]);
    expect(s.validTarget[0]).toBe(7);
    expect(s.testTarget[0]).toBe(8);
  });
});
