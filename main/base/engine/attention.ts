// Multi-head causal self-attention over packed sequences: tokens of sequence b occupy rows
// offsets[b]..offsets[b+1] of qkv [T, 3D] (q | k | v). Packing is the key padding mask: a token
// only ever sees earlier tokens of its own sequence, and no padded position is computed at all.
import type { Vec } from './kernels.js';
import type { Rng } from '../rng.js';
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
  const blockOffsets = new Int32Array(nSeq + 1);
  for (let b = 0; b < nSeq; b++) {
    const n = offsets[b + 1]! - offsets[b]!;
    blockOffsets[b + 1] = blockOffsets[b]! + heads * n * n;
  }
  const probs = alloc(ctx, blockOffsets[nSeq]!);
  const useDrop = rng !== null && dropout > 0;
  const mask = useDrop ? alloc(ctx, probs.length) : null;
  const out = alloc(ctx, T * d);
  ctx.kernels.attention(qkv, offsets, d, heads, blockOffsets, probs, mask, useDrop ? dropout : 0, useDrop ? rng : null, out);
  return { out, cache: { probs, mask, blockOffsets } };
}

/** Gradient with respect to qkv [T, 3D], given the gradient of the attention output [T, D]. */
export function attentionBackward(ctx: Ctx, qkv: Vec, offsets: Int32Array, d: number, heads: number, cache: AttentionCache, dout: Vec): Vec {
  const T = offsets[offsets.length - 1]!;
  const dqkv = alloc(ctx, T * 3 * d);
  ctx.kernels.attentionBackward(qkv, offsets, d, heads, cache.blockOffsets, cache.probs, cache.mask, dout, dqkv);
  return dqkv;
}
