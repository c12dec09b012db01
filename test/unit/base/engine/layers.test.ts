import { describe, expect, it } from 'vitest';
import { attentionBackward, attentionForward } from '../../../../main/base/engine/attention.js';
import { jsKernels, type Vec } from '../../../../main/base/engine/kernels.js';
import {
  erf,
  geluBackwardInPlace,
  geluForward,
  layerNormBackward,
  layerNormForward,
  linearBackward,
  linearForward,
  embeddingBackward,
  embeddingForward,
  dropoutInPlace,
  applyMaskInPlace,
} from '../../../../main/base/engine/layers.js';
import { bceSampled, CeWorkspace, crossEntropyAllItems } from '../../../../main/base/engine/losses.js';
import { Rng } from '../../../../main/base/rng.js';
import { Param, type Ctx } from '../../../../main/base/engine/tensor.js';
import { checkGrad, randomVec } from './gradcheck.js';

const ctx: Ctx = { kernels: jsKernels, dtype: 'f64' };
const TOL = 1e-6;

function param(name: string, shape: number[], seed: number, scale = 0.5): Param {
  const p = new Param(ctx, name, shape);
  p.value.set(randomVec(p.size, seed, scale));
  return p;
}

/** Loss = sum(r * y) for a fixed random r, so dL/dy = r. */
function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('layer gradients (float64 finite differences)', () => {
  it('erf matches known values', () => {
    expect(erf(0)).toBeCloseTo(0, 7);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051465, 6);
  });

  it('linear', () => {
    const rows = 5,
      inp = 4,
      out = 3;
    const x = randomVec(rows * inp, 1);
    const w = param('w', [out, inp], 2);
    const b = param('b', [out], 3);
    const r = randomVec(rows * out, 4);
    const f = (): number => dot(linearForward(ctx, x, rows, w, b), r);
    const dx = linearBackward(ctx, x, r, rows, w, b)!;
    expect(checkGrad(f, x, dx)).toBeLessThan(TOL);
    expect(checkGrad(f, w.value, w.grad)).toBeLessThan(TOL);
    expect(checkGrad(f, b.value, b.grad)).toBeLessThan(TOL);
  });

  it('layer norm', () => {
    const rows = 4,
      d = 6;
    const x = randomVec(rows * d, 5, 2);
    const g = param('g', [d], 6);
    const b = param('b', [d], 7);
    const r = randomVec(rows * d, 8);
    const f = (): number => dot(layerNormForward(ctx, x, rows, d, g, b).y, r);
    const { cache } = layerNormForward(ctx, x, rows, d, g, b);
    const dx = layerNormBackward(ctx, cache, r, rows, d, g, b);
    expect(checkGrad(f, x, dx)).toBeLessThan(1e-5);
    expect(checkGrad(f, g.value, g.grad)).toBeLessThan(TOL);
    expect(checkGrad(f, b.value, b.grad)).toBeLessThan(TOL);
  });

  it('gelu', () => {
    const x = randomVec(40, 9, 3);
    const r = randomVec(40, 10);
    const f = (): number => dot(geluForward(ctx, x), r);
    const dx = Float64Array.from(r);
    geluBackwardInPlace(ctx, x, dx);
    expect(checkGrad(f, x, dx)).toBeLessThan(TOL);
  });

  it('dropout is inverted, seeded and masks the gradient', () => {
    const x = new Float64Array(1000).fill(1);
    const m = dropoutInPlace(ctx, x, 0.5, new Rng(3))!;
    const kept = x.filter((v) => v !== 0);
    expect(kept.every((v) => v === 2)).toBe(true);
    expect(kept.length).toBeGreaterThan(400);
    expect(kept.length).toBeLessThan(600);
    const y = new Float64Array(1000).fill(1);
    dropoutInPlace(ctx, y, 0.5, new Rng(3));
    expect(Array.from(y)).toEqual(Array.from(x));
    const g = new Float64Array(1000).fill(1);
    applyMaskInPlace(g, m);
    expect(Array.from(g)).toEqual(Array.from(x));
  });

  it('embedding gather / scatter-add', () => {
    const table = param('t', [5, 3], 11);
    const ids = Int32Array.from([1, 4, 1, 0]);
    const r = randomVec(ids.length * 3, 12);
    const f = (): number => dot(embeddingForward(ctx, table, ids), r);
    embeddingBackward(table, ids, r);
    expect(checkGrad(f, table.value, table.grad)).toBeLessThan(TOL);
  });

  for (const drop of [0, 0.3]) {
    it(`causal packed attention (dropout ${drop})`, () => {
      const d = 6,
        heads = 2;
      const offsets = Int32Array.from([0, 3, 4, 9]);
      const T = 9;
      const qkv = randomVec(T * 3 * d, 13, 1);
      const r = randomVec(T * d, 14);
      const f = (): number => dot(attentionForward(ctx, qkv, offsets, d, heads, drop, drop ? new Rng(7) : null).out, r);
      const { cache } = attentionForward(ctx, qkv, offsets, d, heads, drop, drop ? new Rng(7) : null);
      const dq = attentionBackward(ctx, qkv, offsets, d, heads, cache, r);
      expect(checkGrad(f, qkv, dq)).toBeLessThan(1e-5);
    });
  }

  it('attention is causal and never crosses sequences', () => {
    const d = 4,
      heads = 1;
    const offsets = Int32Array.from([0, 2, 5]);
    const qkv = randomVec(5 * 12, 15);
    const base = attentionForward(ctx, qkv, offsets, d, heads, 0, null).out;
    // Changing token 4 (last of sequence 2) must not change tokens 0..3.
    for (let c = 0; c < 12; c++) qkv[4 * 12 + c] += 1;
    const moved = attentionForward(ctx, qkv, offsets, d, heads, 0, null).out;
    expect(Array.from(moved.subarray(0, 16))).toEqual(Array.from(base.subarray(0, 16)));
  });

  it('softmax cross-entropy over all items (chunked path included)', () => {
    const rows = 5,
      d = 4,
      n = 9;
    const h = randomVec(rows * d, 16);
    const emb = param('e', [n + 1, d], 17);
    const tg = Int32Array.from([1, 9, 3, 3, 7]);
    const ws = new CeWorkspace();
    const f = (): number => {
      const save = Float64Array.from(emb.grad);
      const l = crossEntropyAllItems(ctx, h, rows, emb, tg, 1 / rows, ws).loss / rows;
      emb.grad.set(save);
      return l;
    };
    emb.grad.fill(0);
    const { dh, loss } = crossEntropyAllItems(ctx, h, rows, emb, tg, 1 / rows, ws);
    expect(loss).toBeGreaterThan(0);
    expect(checkGrad(f, h, dh)).toBeLessThan(TOL);
    const g = Float64Array.from(emb.grad);
    expect(checkGrad(f, emb.value, g)).toBeLessThan(TOL);
    expect(g.subarray(0, d).every((v) => v === 0)).toBe(true); // padding item is not a class
  });

  it('BCE with sampled negatives', () => {
    const rows = 4,
      d = 5;
    const h = randomVec(rows * d, 18);
    const emb = param('e', [8, d], 19);
    const pos = Int32Array.from([1, 2, 3, 1]);
    const neg = Int32Array.from([5, 6, 7, 2]);
    const f = (): number => {
      const save = Float64Array.from(emb.grad);
      const l = bceSampled(ctx, h, rows, emb, pos, neg, 1 / rows).loss / rows;
      emb.grad.set(save);
      return l;
    };
    emb.grad.fill(0);
    const { dh } = bceSampled(ctx, h, rows, emb, pos, neg, 1 / rows);
    expect(checkGrad(f, h, dh)).toBeLessThan(TOL);
    expect(checkGrad(f, emb.value, Float64Array.from(emb.grad))).toBeLessThan(TOL);
  });
});
