// Forward and backward passes of the layers, on row-major [rows, width] buffers. Each forward
// returns what its backward needs; backward adds parameter gradients into Param.grad and returns
// (or writes) the input gradient.
import type { Vec } from './kernels.js';
import type { Rng } from '../rng.js';
import { alloc, type Ctx, type Param } from './tensor.js';

// ---------- linear: y = x W^T + b, W stored [out, in] like PyTorch ----------

export function linearForward(ctx: Ctx, x: Vec, rows: number, w: Param, b: Param | null): Vec {
  const [out, inp] = w.shape as [number, number];
  const y = alloc(ctx, rows * out);
  if (rows === 0) return y;
  if (b) for (let r = 0; r < rows; r++) y.set(b.value, r * out); // then accumulate x W^T onto the bias
  ctx.kernels.sgemm(false, true, rows, out, inp, 1, x, inp, w.value, inp, b ? 1 : 0, y, out);
  return y;
}

export function linearBackward(ctx: Ctx, x: Vec, dy: Vec, rows: number, w: Param, b: Param | null, needDx = true): Vec | null {
  const [out, inp] = w.shape as [number, number];
  if (rows === 0) return needDx ? alloc(ctx, 0) : null;
  ctx.kernels.sgemm(true, false, out, inp, rows, 1, dy, out, x, inp, 1, w.grad, inp);
  // Bias gradient: the column sums of dy, as a product with a vector of ones.
  if (b) ctx.kernels.sgemm(false, false, 1, out, rows, 1, ones(ctx, rows), rows, dy, out, 1, b.grad, out);
  if (!needDx) return null;
  const dx = alloc(ctx, rows * inp);
  ctx.kernels.sgemm(false, false, rows, inp, out, 1, dy, out, w.value, inp, 0, dx, inp);
  return dx;
}

const onesCache: { f32: Float32Array; f64: Float64Array } = { f32: new Float32Array(0), f64: new Float64Array(0) };

/** A vector of at least n ones (shared, read-only). */
function ones(ctx: Ctx, n: number): Vec {
  const have = onesCache[ctx.dtype];
  if (have.length >= n) return have;
  const v = ctx.dtype === 'f64' ? new Float64Array(Math.max(n, 2 * have.length)) : new Float32Array(Math.max(n, 2 * have.length));
  v.fill(1);
  if (v instanceof Float64Array) onesCache.f64 = v;
  else onesCache.f32 = v;
  return v;
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
  ctx.kernels.layerNorm(x, rows, d, g.value, b.value, LN_EPS, y, xhat, rstd);
  return { y, cache: { xhat, rstd } };
}

export function layerNormBackward(ctx: Ctx, cache: LayerNormCache, dy: Vec, rows: number, d: number, g: Param, b: Param): Vec {
  const dx = alloc(ctx, rows * d);
  ctx.kernels.layerNormBackward(dy, cache.xhat, cache.rstd, rows, d, g.value, g.grad, b.grad, dx);
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
  ctx.kernels.dropout(x, mask, p, rng);
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
  ctx.kernels.embeddingGather(table.value, d, ids, y);
  return y;
}

/** table.grad[ids[t]] += dy[t], with the kernels the table was created with. */
export function embeddingBackward(table: Param, ids: Int32Array, dy: Vec): void {
  table.ctx.kernels.embeddingScatterAdd(table.grad, table.shape[1]!, ids, dy);
}
