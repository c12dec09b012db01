// Each native kernel against the TypeScript reference (ts-kernels.ts): outputs and gradients equal within
// float32 tolerance, dropout bit for bit (same RNG stream), and the same result on 1 and 2 threads.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { jsKernels, kernelInfo, loadKernels, setKernelThreads, type Kernels, type Vec } from '../../../main/base/engine/kernels.js';
import { Rng } from '../../../main/base/rng.js';
import { createTrainer } from '../../../main/features/training/sasrec/trainer.js';
import { randomVec } from '../base/engine/gradcheck.js';

const native = loadKernels();
const isNative = native.name === 'native';
const f32 = (n: number, seed: number, scale = 1): Float32Array => Float32Array.from(randomVec(n, seed, scale));

/** max |a - b| / (atol + rtol * |b|) <= 1 for every element. */
function expectClose(a: Vec, b: Vec, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} is ${a[at]} vs ${b[at]}`).toBeLessThanOrEqual(1);
}

/** A packed batch with sequences of the given lengths. */
function packed(lengths: number[], heads: number): { offsets: Int32Array; blockOffsets: Int32Array; T: number; blocks: number } {
  const offsets = new Int32Array(lengths.length + 1);
  const blockOffsets = new Int32Array(lengths.length + 1);
  lengths.forEach((n, b) => {
    offsets[b + 1] = offsets[b]! + n;
    blockOffsets[b + 1] = blockOffsets[b]! + heads * n * n;
  });
  return { offsets, blockOffsets, T: offsets[lengths.length]!, blocks: blockOffsets[lengths.length]! };
}

/** Runs f with the native kernels on 1 thread and on 2, and checks both give the same bits. */
function sameOnOneAndTwoThreads(f: () => Vec[]): Vec[] {
  setKernelThreads(1);
  const one = f();
  setKernelThreads(2);
  const two = f();
  one.forEach((a, i) => expect(Array.from(two[i]!), `output ${i}`).toEqual(Array.from(a)));
  return two;
}

describe.skipIf(!isNative)('native kernels against the TypeScript reference', () => {
  it('reports the variant and why', () => {
    const k = kernelInfo();
    expect(['native+openblas', 'native+builtin']).toContain(k.variant);
    expect(k.reason).toMatch(/native addon/);
    expect(k.threads).toBeGreaterThanOrEqual(1);
  });

  it('built-in SGEMM: all transpositions, odd shapes, leading dimensions, alpha and beta', () => {
    const addon = createRequire(import.meta.url)(kernelInfo().addon!) as { builtinSgemm: Kernels['sgemm'] };
    for (const [m, n, k] of [
      [1, 1, 1],
      [7, 13, 5],
      [97, 65, 300],
      [130, 33, 17],
      [5, 260, 64],
    ] as const)
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const lda = (ta ? m : k) + 3;
          const ldb = (tb ? k : n) + 1;
          const ldc = n + 2;
          const A = f32((ta ? k : m) * lda, 1);
          const B = f32((tb ? n : k) * ldb, 2);
          const C0 = f32(m * ldc, 3);
          const got = sameOnOneAndTwoThreads(() => {
            const C = Float32Array.from(C0);
            addon.builtinSgemm(ta, tb, m, n, k, 0.75, A, lda, B, ldb, -0.5, C, ldc);
            return [C];
          })[0]!;
          const want = Float64Array.from(C0);
          jsKernels.sgemm(ta, tb, m, n, k, 0.75, Float64Array.from(A), lda, Float64Array.from(B), ldb, -0.5, want, ldc);
          expectClose(got, want, `${m}x${n}x${k} ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`, 1e-4, 1e-4);
        }
  });

  it('fused output-layer cross-entropy: loss, dh and dtable (items across several tiles, odd width)', () => {
    for (const [rows, d, nItems] of [
      [37, 50, 1000],
      [300, 64, 2600],
      [1, 8, 3],
    ] as const) {
      const h = f32(rows * d, 4, 2);
      const table = f32(nItems * d, 5, 0.5);
      const cls = Int32Array.from({ length: rows }, (_, r) => (r * 7919) % nItems);
      const dtable0 = f32(nItems * d, 6, 0.1);
      const [dh, dtable, loss] = sameOnOneAndTwoThreads(() => {
        const dh = new Float32Array(rows * d);
        const dt = Float32Array.from(dtable0);
        const l = native.crossEntropyItems(h, rows, d, table, nItems, cls, 1 / rows, dh, dt);
        return [dh, dt, Float32Array.of(l)];
      });
      const wdh = new Float64Array(rows * d);
      const wdt = Float64Array.from(dtable0);
      const wl = jsKernels.crossEntropyItems(Float64Array.from(h), rows, d, Float64Array.from(table), nItems, cls, 1 / rows, wdh, wdt);
      expect(loss![0]! / rows).toBeCloseTo(wl / rows, 4);
      expectClose(dh!, wdh, `dh ${rows}x${d}x${nItems}`, 1e-3, 1e-6);
      expectClose(dtable!, wdt, `dtable ${rows}x${d}x${nItems}`, 1e-3, 1e-6);
    }
  });

  it('softmax cross-entropy over given logits', () => {
    const L = f32(6 * 300, 4, 8);
    const L2 = Float32Array.from(L);
    const t = Int32Array.from([0, 5, 299, 17, 17, 100]);
    expect(native.softmaxCrossEntropy(L, 6, 300, t, 0.25)).toBeCloseTo(jsKernels.softmaxCrossEntropy(L2, 6, 300, t, 0.25), 3);
    expectClose(L, L2, 'gradient', 1e-4, 1e-6);
  });

  it('gelu forward and backward', () => {
    const x = f32(1037, 5, 6);
    const y1 = new Float32Array(1037);
    const y2 = new Float32Array(1037);
    native.gelu(x, y1);
    jsKernels.gelu(x, y2);
    const d1 = f32(1037, 6);
    const d2 = Float32Array.from(d1);
    native.geluBackward(x, d1);
    jsKernels.geluBackward(x, d2);
    expectClose(y1, y2, 'gelu', 1e-5, 1e-6);
    expectClose(d1, d2, 'gelu backward', 1e-5, 1e-6);
  });

  it('layer norm forward and backward (parameter gradients summed over many rows)', () => {
    for (const [rows, d] of [
      [3, 7],
      [1000, 64],
    ] as const) {
      const x = f32(rows * d, 7, 3);
      const g = f32(d, 8, 1).map((v) => v + 1);
      const b = f32(d, 9);
      const dy = f32(rows * d, 10);
      const out = sameOnOneAndTwoThreads(() => {
        const y = new Float32Array(rows * d);
        const xh = new Float32Array(rows * d);
        const rs = new Float32Array(rows);
        native.layerNorm(x, rows, d, g, b, 1e-5, y, xh, rs);
        const dg = new Float32Array(d);
        const db = new Float32Array(d);
        const dx = new Float32Array(rows * d);
        native.layerNormBackward(dy, xh, rs, rows, d, g, dg, db, dx);
        return [y, xh, rs, dg, db, dx];
      });
      const ref = [rows * d, rows * d, rows, d, d, rows * d].map((n) => new Float64Array(n));
      const [y, xh, rs, dg, db, dx] = ref as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      jsKernels.layerNorm(Float64Array.from(x), rows, d, Float64Array.from(g), Float64Array.from(b), 1e-5, y, xh, rs);
      jsKernels.layerNormBackward(Float64Array.from(dy), xh, rs, rows, d, Float64Array.from(g), dg, db, dx);
      ['y', 'xhat', 'rstd', 'dgamma', 'dbeta', 'dx'].forEach((name, i) => expectClose(out[i]!, ref[i]!, `${name} ${rows}x${d}`, 1e-4, 1e-5));
    }
  });

  it('dropout: the same mask and output bits as the TypeScript Rng stream, and the same next state', () => {
    for (const p of [0.1, 0.5, 0.9]) {
      const x1 = f32(10_007, 11, 3);
      const x2 = Float32Array.from(x1);
      const m1 = new Float32Array(x1.length);
      const m2 = new Float32Array(x1.length);
      const r1 = new Rng(42);
      const r2 = new Rng(42);
      native.dropout(x1, m1, p, r1);
      jsKernels.dropout(x2, m2, p, r2);
      expect(Array.from(m1)).toEqual(Array.from(m2));
      expect(Array.from(x1)).toEqual(Array.from(x2));
      expect(r1.getState()).toEqual(r2.getState());
    }
  });

  it('attention forward and backward, with and without dropout (same mask draws as TypeScript)', () => {
    const d = 8;
    const heads = 2;
    const { offsets, blockOffsets, T, blocks } = packed([3, 1, 7, 0, 50, 2], heads);
    const qkv = f32(T * 3 * d, 12, 1.5);
    const dout = f32(T * d, 13);
    for (const p of [0, 0.3]) {
      const run = (k: Kernels, dtype: 'f32' | 'f64'): Vec[] => {
        const mk = (n: number): Vec => (dtype === 'f64' ? new Float64Array(n) : new Float32Array(n));
        const q = dtype === 'f64' ? Float64Array.from(qkv) : qkv;
        const probs = mk(blocks);
        const mask = p > 0 ? mk(blocks) : null;
        const out = mk(T * d);
        const rng = new Rng(7);
        k.attention(q, offsets, d, heads, blockOffsets, probs, mask, p, p > 0 ? rng : null, out);
        const dqkv = mk(T * 3 * d);
        k.attentionBackward(q, offsets, d, heads, blockOffsets, probs, mask, dtype === 'f64' ? Float64Array.from(dout) : dout, dqkv);
        return [out, probs, mask ?? mk(0), dqkv, Float64Array.from(rng.getState())];
      };
      const got = sameOnOneAndTwoThreads(() => run(native, 'f32'));
      const want = run(jsKernels, 'f64');
      ['out', 'probs', 'mask', 'dqkv'].forEach((name, i) => expectClose(got[i]!, want[i]!, `${name} (dropout ${p})`, 1e-4, 1e-5));
      expect(Array.from(got[4]!), 'rng state after').toEqual(Array.from(want[4]!));
    }
  });

  it('embedding gather and scatter-add (repeated ids)', () => {
    const d = 5;
    const table = f32(20 * d, 14);
    const ids = Int32Array.from([3, 0, 19, 3, 3, 7]);
    const out1 = f32(ids.length * d, 15);
    const out2 = Float32Array.from(out1);
    native.embeddingGather(table, d, ids, out1);
    jsKernels.embeddingGather(table, d, ids, out2);
    expect(Array.from(out1)).toEqual(Array.from(out2));
    const g1 = f32(20 * d, 16);
    const g2 = Float32Array.from(g1);
    native.embeddingScatterAdd(g1, d, ids, out1);
    jsKernels.embeddingScatterAdd(g2, d, ids, out2);
    expectClose(g1, g2, 'scatter-add', 1e-6, 1e-7);
  });

  it('Adam step with weight decay', () => {
    const n = 70_001;
    const w1 = f32(n, 17);
    const g = f32(n, 18, 0.01);
    const m1 = f32(n, 19, 0.001);
    const v1 = f32(n, 20, 0.0001).map(Math.abs);
    const [w2, m2, v2] = [Float64Array.from(w1), Float64Array.from(m1), Float64Array.from(v1)];
    const out = sameOnOneAndTwoThreads(() => {
      const [w, m, v] = [Float32Array.from(w1), Float32Array.from(m1), Float32Array.from(v1)];
      native.adam(w, g, m, v, 1e-3 / 0.1, 0.9, 0.999, 1e-8, Math.sqrt(0.001), 0.01);
      return [w, m, v];
    });
    jsKernels.adam(w2, Float64Array.from(g), m2, v2, 1e-3 / 0.1, 0.9, 0.999, 1e-8, Math.sqrt(0.001), 0.01);
    expectClose(out[0]!, w2, 'w', 1e-6, 1e-7);
    expectClose(out[1]!, m2, 'm', 1e-5, 1e-9);
    expectClose(out[2]!, v2, 'v', 1e-5, 1e-12);
  });

  it('rejects wrong types, sizes and ids instead of reading or writing out of bounds', () => {
    const A = new Float32Array(4);
    const B = new Float32Array(4);
    expect(() => native.sgemm(false, false, 2, 2, 2, 1, A, 2, B, 2, 0, new Float32Array(3), 2)).toThrow(/too small/);
    expect(() => native.sgemm(false, false, 2, 2, 2, 1, new Float64Array(4), 2, B, 2, 0, new Float32Array(4), 2)).toThrow(/Float32Array/);
    expect(() => native.softmaxCrossEntropy(new Float32Array(4), 2, 2, Int32Array.from([0, 2]), 1)).toThrow(/out of range/);
    const h = new Float32Array(8);
    expect(() => native.crossEntropyItems(h, 2, 4, new Float32Array(12), 3, Int32Array.from([0, 3]), 1, new Float32Array(8), new Float32Array(12))).toThrow(
      /out of range/,
    );
    expect(() => native.crossEntropyItems(h, 2, 4, new Float32Array(11), 3, Int32Array.from([0, 1]), 1, new Float32Array(8), new Float32Array(12))).toThrow(
      /too small/,
    );
    expect(() => native.embeddingGather(new Float32Array(10), 5, Int32Array.from([2]), new Float32Array(5))).toThrow(/out of range/);
    expect(() => native.embeddingScatterAdd(new Float32Array(10), 5, Int32Array.from([-1]), new Float32Array(5))).toThrow(/out of range/);
    const { offsets, blockOffsets } = packed([3, 2], 2);
    expect(() =>
      native.attention(new Float32Array(5 * 3 * 4 - 1), offsets, 4, 2, blockOffsets, new Float32Array(26), null, 0, null, new Float32Array(20)),
    ).toThrow(/too small/);
    const bad = Int32Array.from([0, 3, 2]);
    expect(() => native.attention(new Float32Array(60), bad, 4, 2, blockOffsets, new Float32Array(26), null, 0, null, new Float32Array(20))).toThrow(
      /inconsistent/,
    );
    expect(() => native.adam(new Float32Array(3), new Float32Array(2), new Float32Array(3), new Float32Array(3), 1, 0.9, 0.999, 1e-8, 1, 0)).toThrow(
      /same length/,
    );
  });

  it('a whole training step: native and TypeScript kernels give the same loss and nearly the same weights', () => {
    const seqs = Array.from({ length: 60 }, (_, u) => Int32Array.from({ length: 3 + (u % 9) }, (_, i) => 1 + ((u * 7 + i * 13) % 50)));
    const config = { hidden: 16, heads: 2, inner: 32, blocks: 2, maxLen: 8, batch: 32, seed: 3, dropout: 0.3, attnDropout: 0.2 };
    const a = createTrainer({ sequences: seqs, nItems: 50, config, kernels: native });
    const b = createTrainer({ sequences: seqs, nItems: 50, config, kernels: jsKernels });
    const ra = a.trainEpoch();
    const rb = b.trainEpoch();
    expect(ra.loss).toBeCloseTo(rb.loss, 4);
    a.model.params.forEach((p, i) => expectClose(p.value, b.model.params[i]!.value, p.name, 1e-3, 1e-5));
  });
});
