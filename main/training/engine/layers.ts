// Forward and backward passes of the layers, on row-major [rows, width] buffers. Each forward
// returns what its backward needs; backward adds parameter gradients into Param.grad and returns
// (or writes) the input gradient.
import type { Vec } from './kernels.js';
import type { Rng } from './rng.js';
import { alloc, type Ctx, type Param } from './tensor.js';

// ---------- linear: y = x W^T + b, W stored [out, in] like PyTorch ----------

export function linearForward(ctx: Ctx, x: Vec, rows: number, w: Param, b: Param | null): Vec {
  const [out, inp] = w.shape as [number, number];
  const y = alloc(ctx, rows * out);
  if (rows === 0) return y;
  ctx.kernels.sgemm(false, true, rows, out, inp, 1, x, inp, w.value, inp, 0, y, out);
  if (b) {
    const bv = b.value;
    for (let r = 0; r < rows; r++) {
      const o = r * out;
      for (let j = 0; j < out; j++) y[o + j] += bv[j]!;
    }
  }
  return y;
}

export function linearBackward(ctx: Ctx, x: Vec, dy: Vec, rows: number, w: Param, b: Param | null, needDx = true): Vec | null {
  const [out, inp] = w.shape as [number, number];
  if (rows === 0) return needDx ? alloc(ctx, 0) : null;
  ctx.kernels.sgemm(true, false, out, inp, rows, 1, dy, out, x, inp, 1, w.grad, inp);
  if (b) {
    const bg = b.grad;
    for (let r = 0; r < rows; r++) {
      const o = r * out;
      for (let j = 0; j < out; j++) bg[j] += dy[o + j]!;
    }
  }
  if (!needDx) return null;
  const dx = alloc(ctx, rows * inp);
  ctx.kernels.sgemm(false, false, rows, inp, out, 1, dy, out, w.value, inp, 0, dx, inp);
  return dx;
}

// ---------- layer norm over the last dimension ----------

export interface LayerNormCache {
  xhat: Vec;
  rstd: Vec;
}

export const LN_EPS = 1e-5;

export function layerNormForward(ctx: Ctx, x: Vec, rows: number, d: number, g: Param, b: Param): { y: Vec; cache: LayerNormCache } {
  const y = alloc(ctx, rows * d);
  const xhat = alloc(ctx, rows * d);
  const rstd = alloc(ctx, rows);
  const gv = g.value;
  const bv = b.value;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j]!;
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = x[o + j]! - mean;
      v += c * c;
    }
    const rs = 1 / Math.sqrt(v / d + LN_EPS);
    rstd[r] = rs;
    for (let j = 0; j < d; j++) {
      const h = (x[o + j]! - mean) * rs;
      xhat[o + j] = h;
      y[o + j] = h * gv[j]! + bv[j]!;
    }
  }
  return { y, cache: { xhat, rstd } };
}

export function layerNormBackward(ctx: Ctx, cache: LayerNormCache, dy: Vec, rows: number, d: number, g: Param, b: Param): Vec {
  const dx = alloc(ctx, rows * d);
  const { xhat, rstd } = cache;
  const gv = g.value;
  const gg = g.grad;
  const bg = b.grad;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < d; j++) {
      const dyj = dy[o + j]!;
      const xh = xhat[o + j]!;
      gg[j] += dyj * xh;
      bg[j] += dyj;
      const dxh = dyj * gv[j]!;
      s1 += dxh;
      s2 += dxh * xh;
    }
    s1 /= d;
    s2 /= d;
    const rs = rstd[r]!;
    for (let j = 0; j < d; j++) {
      const dxh = dy[o + j]! * gv[j]!;
      dx[o + j] = rs * (dxh - s1 - xhat[o + j]! * s2);
    }
  }
  return dx;
}

// ---------- GELU (exact, erf form, as PyTorch's default) ----------

export { erf } from './gelu.js';

export function geluForward(ctx: Ctx, x: Vec): Vec {
  const y = alloc(ctx, x.length);
  ctx.kernels.gelu(x, y);
  return y;
}

/** In place: dy becomes dx. */
export function geluBackwardInPlace(ctx: Ctx, x: Vec, dy: Vec): void {
  ctx.kernels.geluBackward(x, dy);
}

// ---------- dropout (inverted, seeded) ----------

/** Returns the scaled keep mask (0 or 1/(1-p)), or null when p = 0 or not training. Applies it in place. */
export function dropoutInPlace(ctx: Ctx, x: Vec, p: number, rng: Rng | null): Vec | null {
  if (!rng || p <= 0) return null;
  const mask = alloc(ctx, x.length);
  rng.dropout(x, mask, p, 1 / (1 - p));
  return mask;
}

export function applyMaskInPlace(dy: Vec, mask: Vec | null): void {
  if (!mask) return;
  for (let i = 0; i < dy.length; i++) dy[i] = dy[i]! * mask[i]!;
}

// ---------- embeddings ----------

/** out[t] = table[ids[t]] (+ out[t] when accumulate). */
export function embeddingForward(ctx: Ctx, table: Param, ids: Int32Array, out?: Vec): Vec {
  const d = table.shape[1]!;
  const y = out ?? alloc(ctx, ids.length * d);
  const tv = table.value;
  for (let t = 0; t < ids.length; t++) {
    const src = ids[t]! * d;
    const dst = t * d;
    for (let j = 0; j < d; j++) y[dst + j] += tv[src + j]!;
  }
  return y;
}

export function embeddingBackward(table: Param, ids: Int32Array, dy: Vec): void {
  const d = table.shape[1]!;
  const g = table.grad;
  for (let t = 0; t < ids.length; t++) {
    const dst = ids[t]! * d;
    const src = t * d;
    for (let j = 0; j < d; j++) g[dst + j] += dy[src + j]!;
  }
}
