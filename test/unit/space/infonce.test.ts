import { describe, expect, it } from 'vitest';
import { infoNce } from '../../../main/features/space/infonce.js';

function numericGrad(f: () => number, x: Float64Array, eps = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const o = x[i]!;
    x[i] = o + eps;
    const fp = f();
    x[i] = o - eps;
    const fm = f();
    x[i] = o;
    g[i] = (fp - fm) / (2 * eps);
  }
  return g;
}

function maxRelErr(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1e-8, Math.abs(a[i]!) + Math.abs(b[i]!)));
  return worst;
}

function rand(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

describe('InfoNCE (PULSE stage 5)', () => {
  it('matches hand-computed values', () => {
    // Aligned pairs, orthogonal negatives, t = 1: L = -log(e / (e + 1)) = log(1 + 1/e).
    const eye = Float64Array.from([1, 0, 0, 1]);
    expect(infoNce(eye, eye, 2, 2, 1).loss).toBeCloseTo(Math.log(1 + Math.exp(-1)), 12);
    // Swapped pairs: the positive has cos 0 and the negative cos 1: L = log(1 + e); at t = 0.5, log(1 + e^2).
    const swapped = Float64Array.from([0, 1, 1, 0]);
    expect(infoNce(eye, swapped, 2, 2, 1).loss).toBeCloseTo(Math.log(1 + Math.E), 12);
    expect(infoNce(eye, swapped, 2, 2, 0.5).loss).toBeCloseTo(Math.log(1 + Math.exp(2)), 12);
    // Three users, cos(b0, r1) = 0.6: row 0 is -log(e / (e + e^0.6 + e^0)), rows 1 and 2 computed the same way.
    const b = Float64Array.from([1, 0, 0, 1, -1, 0]);
    const r = Float64Array.from([1, 0, 0.6, 0.8, -1, 0]);
    const row = (pos: number, negs: number[]) => -Math.log(Math.exp(pos) / (Math.exp(pos) + negs.reduce((s, x) => s + Math.exp(x), 0)));
    const expected = (row(1, [0.6, -1]) + row(0.8, [0, 0]) + row(1, [-0.6, -1])) / 3;
    expect(infoNce(b, r, 3, 2, 1).loss).toBeCloseTo(expected, 12);
  });

  it('uses cosines: scaling a row changes nothing', () => {
    const b = rand(12, 3);
    const r = rand(12, 4);
    const b2 = b.map((v, i) => (i < 4 ? v * 7 : v));
    expect(infoNce(b2, r, 3, 4, 0.3).loss).toBeCloseTo(infoNce(b, r, 3, 4, 0.3).loss, 12);
  });

  it('restricts the denominator to the given negatives', () => {
    const eye = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const none = infoNce(eye, eye, 3, 3, 1, [[], [], []]);
    expect(none.loss).toBeCloseTo(0, 12);
    const one = infoNce(eye, eye, 3, 3, 1, [[1], [2], [0]]);
    expect(one.loss).toBeCloseTo(Math.log(1 + Math.exp(-1)), 12);
  });

  it('has the right gradient (central differences), with all and with sampled negatives', () => {
    const n = 5;
    const d = 4;
    for (const negs of [null, [[1, 2], [0], [4, 3], [2], [0, 1, 2, 3]]]) {
      const b = rand(n * d, 11);
      const r = rand(n * d, 12);
      const res = infoNce(b, r, n, d, 0.2, negs);
      expect(
        maxRelErr(
          res.db,
          numericGrad(() => infoNce(b, r, n, d, 0.2, negs).loss, b),
        ),
      ).toBeLessThan(1e-6);
      expect(
        maxRelErr(
          res.dr,
          numericGrad(() => infoNce(b, r, n, d, 0.2, negs).loss, r),
        ),
      ).toBeLessThan(1e-6);
    }
  });

  it('counts in-batch hits', () => {
    const eye = Float64Array.from([1, 0, 0, 1]);
    expect(infoNce(eye, eye, 2, 2, 1).correct).toBe(2);
    expect(infoNce(eye, Float64Array.from([0, 1, 1, 0]), 2, 2, 1).correct).toBe(0);
  });
});
