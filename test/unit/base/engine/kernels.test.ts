import { describe, expect, it } from 'vitest';
import { jsKernels, kernelInfo, loadKernels } from '../../../../main/base/engine/kernels.js';
import { randomVec } from './gradcheck.js';

const k = loadKernels();
const native = k.name === 'native';

describe('kernels', () => {
  it('reports which kernels are active', () => {
    expect(['native', 'js']).toContain(kernelInfo().kernels);
  });

  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`sgemm transA=${ta} transB=${tb} with leading dimensions and beta (active vs float64 reference)`, () => {
      const m = 5,
        n = 7,
        kk = 3,
        lda = (ta ? m : kk) + 2,
        ldb = (tb ? kk : n) + 1,
        ldc = n + 3;
      const A = Float32Array.from(randomVec((ta ? kk : m) * lda, 1));
      const B = Float32Array.from(randomVec((tb ? n : kk) * ldb, 2));
      const C0 = Float32Array.from(randomVec(m * ldc, 3));
      const C = Float32Array.from(C0);
      k.sgemm(ta, tb, m, n, kk, 0.5, A, lda, B, ldb, 2, C, ldc);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < kk; p++) s += (ta ? A[p * lda + i]! : A[i * lda + p]!) * (tb ? B[j * ldb + p]! : B[p * ldb + j]!);
          expect(C[i * ldc + j]).toBeCloseTo(0.5 * s + 2 * C0[i * ldc + j]!, 5);
        }
      // Padding columns beyond n are untouched.
      expect(C[ldc - 1]).toBe(C0[ldc - 1]);
    });
  }

  it('softmax cross-entropy: active kernels agree with the TypeScript ones', () => {
    const rows = 6,
      cols = 300;
    const L = Float32Array.from(randomVec(rows * cols, 4, 8));
    const L2 = Float32Array.from(L);
    const t = Int32Array.from([0, 5, 299, 17, 17, 100]);
    const a = k.softmaxCrossEntropy(L, rows, cols, t, 0.25);
    const b = jsKernels.softmaxCrossEntropy(L2, rows, cols, t, 0.25);
    expect(a).toBeCloseTo(b, 3);
    for (let i = 0; i < L.length; i++) expect(Math.abs(L[i]! - L2[i]!)).toBeLessThan(1e-6);
  });

  it('gelu forward / backward: active kernels agree with the TypeScript ones', () => {
    const x = Float32Array.from(randomVec(257, 5, 6));
    const y1 = new Float32Array(257),
      y2 = new Float32Array(257);
    k.gelu(x, y1);
    jsKernels.gelu(x, y2);
    const d1 = Float32Array.from(randomVec(257, 6)),
      d2 = Float32Array.from(d1);
    k.geluBackward(x, d1);
    jsKernels.geluBackward(x, d2);
    for (let i = 0; i < 257; i++) {
      expect(Math.abs(y1[i]! - y2[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(y2[i]!)));
      expect(Math.abs(d1[i]! - d2[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(d2[i]!)));
    }
  });

  it.skipIf(!native)('native kernels reject wrong shapes instead of writing out of bounds', () => {
    const A = new Float32Array(4),
      B = new Float32Array(4),
      C = new Float32Array(3);
    expect(() => k.sgemm(false, false, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2)).toThrow(/too small/);
    expect(() => k.sgemm(false, false, 2, 2, 2, 1, new Float64Array(4), 2, B, 2, 0, C, 2)).toThrow(/Float32Array/);
    expect(() => k.softmaxCrossEntropy(new Float32Array(4), 2, 2, Int32Array.from([0, 2]), 1)).toThrow(/out of range/);
  });
});
