// Output losses on the rows that have a target. Scores are dot products with the item embedding
// table (tied weights, as SASRec). Both return the summed loss and the gradient scaled by `scale`
// (1 / rows for a mean), and add the item-table gradient into emb.grad.
import type { Vec } from './kernels.js';
import { alloc, type Ctx, type Param } from './tensor.js';

export { CE_CHUNK } from './ts-kernels.js';

/** A reusable logits buffer for the TypeScript output layer (the native one works in cache-sized tiles). */
export class CeWorkspace {
  private buf: Vec | null = null;
  get(ctx: Ctx, n: number): Vec {
    // Kept across steps, so never from the step arena.
    if (!this.buf || this.buf.length < n || (ctx.dtype === 'f64') !== this.buf instanceof Float64Array)
      this.buf = ctx.dtype === 'f64' ? new Float64Array(n) : new Float32Array(n);
    return this.buf;
  }
}

/**
 * Softmax cross-entropy over all real items 1..N (the padding item 0 is not a class).
 * h: [rows, d]; targets: item ids in 1..N.
 */
export function crossEntropyAllItems(
  ctx: Ctx,
  h: Vec,
  rows: number,
  emb: Param,
  targets: Int32Array,
  scale: number,
  ws: CeWorkspace,
): { loss: number; dh: Vec } {
  const d = emb.shape[1]!;
  const nItems = emb.shape[0]! - 1;
  const dh = alloc(ctx, rows * d);
  const cls = new Int32Array(rows);
  for (let r = 0; r < rows; r++) cls[r] = targets[r]! - 1;
  const loss = ctx.kernels.crossEntropyItems(h, rows, d, emb.value.subarray(d), nItems, cls, scale, dh, emb.grad.subarray(d), (n) => ws.get(ctx, n));
  return { loss, dh };
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Binary cross-entropy with one sampled negative per row (the original SASRec loss). */
export function bceSampled(ctx: Ctx, h: Vec, rows: number, emb: Param, pos: Int32Array, neg: Int32Array, scale: number): { loss: number; dh: Vec } {
  const d = emb.shape[1]!;
  const E = emb.value;
  const G = emb.grad;
  const dh = alloc(ctx, rows * d);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const ho = r * d;
    const po = pos[r]! * d;
    const no = neg[r]! * d;
    let sp = 0;
    let sn = 0;
    for (let j = 0; j < d; j++) {
      sp += h[ho + j]! * E[po + j]!;
      sn += h[ho + j]! * E[no + j]!;
    }
    loss += softplus(-sp) + softplus(sn);
    const gp = (sigmoid(sp) - 1) * scale;
    const gn = sigmoid(sn) * scale;
    for (let j = 0; j < d; j++) {
      const hj = h[ho + j]!;
      dh[ho + j] = gp * E[po + j]! + gn * E[no + j]!;
      G[po + j] += gp * hj;
      G[no + j] += gn * hj;
    }
  }
  return { loss, dh };
}
