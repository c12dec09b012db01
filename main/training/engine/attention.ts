// Multi-head causal self-attention over packed sequences: tokens of sequence b occupy rows
// offsets[b]..offsets[b+1] of qkv [T, 3D] (q | k | v). Packing is the key padding mask: a token
// only ever sees earlier tokens of its own sequence, and no padded position is computed at all.
import type { Vec } from './kernels.js';
import type { Rng } from './rng.js';
import { alloc, type Ctx } from './tensor.js';

export interface AttentionCache {
  probs: Vec; // softmax, before dropout, per (sequence, head) an n*n block (upper triangle 0)
  mask: Vec | null; // attention dropout keep mask (scaled), same layout
  blockOffsets: Int32Array; // start of sequence b's blocks in probs
}

export function attentionForward(
  ctx: Ctx,
  qkv: Vec,
  offsets: Int32Array,
  d: number,
  heads: number,
  dropout: number,
  rng: Rng | null,
): { out: Vec; cache: AttentionCache } {
  const nSeq = offsets.length - 1;
  const T = offsets[nSeq]!;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const blockOffsets = new Int32Array(nSeq + 1);
  for (let b = 0; b < nSeq; b++) {
    const n = offsets[b + 1]! - offsets[b]!;
    blockOffsets[b + 1] = blockOffsets[b]! + heads * n * n;
  }
  const probs = alloc(ctx, blockOffsets[nSeq]!);
  const useDrop = rng !== null && dropout > 0;
  const mask = useDrop ? alloc(ctx, probs.length) : null;
  const keep = 1 / (1 - dropout);
  const out = alloc(ctx, T * d);
  const w3 = 3 * d;
  let rowBuf = new Float64Array(64);
  for (let b = 0; b < nSeq; b++) {
    const s = offsets[b]!;
    const n = offsets[b + 1]! - s;
    if (rowBuf.length < n) rowBuf = new Float64Array(n);
    for (let h = 0; h < heads; h++) {
      const base = blockOffsets[b]! + h * n * n;
      const qo = h * dh;
      const ko = d + h * dh;
      const vo = 2 * d + h * dh;
      for (let i = 0; i < n; i++) {
        const qi = (s + i) * w3 + qo;
        let mx = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = (s + j) * w3 + ko;
          let dot = 0;
          for (let c = 0; c < dh; c++) dot += qkv[qi + c]! * qkv[kj + c]!;
          dot *= scale;
          rowBuf[j] = dot;
          if (dot > mx) mx = dot;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(rowBuf[j]! - mx);
          rowBuf[j] = e;
          sum += e;
        }
        const pr = base + i * n;
        const oi = (s + i) * d + qo;
        for (let j = 0; j <= i; j++) {
          const p = rowBuf[j]! / sum;
          probs[pr + j] = p;
          let pd = p;
          if (mask) {
            const m = rng!.next() < dropout ? 0 : keep;
            mask[pr + j] = m;
            pd = p * m;
          }
          if (pd === 0) continue;
          const vj = (s + j) * w3 + vo;
          for (let c = 0; c < dh; c++) out[oi + c] += pd * qkv[vj + c]!;
        }
      }
    }
  }
  return { out, cache: { probs, mask, blockOffsets } };
}

/** Gradient with respect to qkv [T, 3D], given the gradient of the attention output [T, D]. */
export function attentionBackward(ctx: Ctx, qkv: Vec, offsets: Int32Array, d: number, heads: number, cache: AttentionCache, dout: Vec): Vec {
  const nSeq = offsets.length - 1;
  const T = offsets[nSeq]!;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const w3 = 3 * d;
  const dqkv = alloc(ctx, T * w3);
  const { probs, mask, blockOffsets } = cache;
  let dp = new Float64Array(64);
  for (let b = 0; b < nSeq; b++) {
    const s = offsets[b]!;
    const n = offsets[b + 1]! - s;
    if (dp.length < n) dp = new Float64Array(n);
    for (let h = 0; h < heads; h++) {
      const base = blockOffsets[b]! + h * n * n;
      const qo = h * dh;
      const ko = d + h * dh;
      const vo = 2 * d + h * dh;
      for (let i = 0; i < n; i++) {
        const pr = base + i * n;
        const oi = (s + i) * d + qo;
        let rowDot = 0;
        for (let j = 0; j <= i; j++) {
          const vj = (s + j) * w3 + vo;
          let g = 0;
          for (let c = 0; c < dh; c++) g += dout[oi + c]! * qkv[vj + c]!;
          const m = mask ? mask[pr + j]! : 1;
          const pd = probs[pr + j]! * m;
          if (pd !== 0) for (let c = 0; c < dh; c++) dqkv[vj + c] += pd * dout[oi + c]!;
          g *= m; // d loss / d prob (before dropout)
          dp[j] = g;
          rowDot += g * probs[pr + j]!;
        }
        const qi = (s + i) * w3 + qo;
        for (let j = 0; j <= i; j++) {
          const ds = probs[pr + j]! * (dp[j]! - rowDot) * scale;
          if (ds === 0) continue;
          const kj = (s + j) * w3 + ko;
          for (let c = 0; c < dh; c++) {
            dqkv[qi + c] += ds * qkv[kj + c]!;
            dqkv[kj + c] += ds * qkv[qi + c]!;
          }
        }
      }
    }
  }
  return dqkv;
}
