// SASRec forward and manual backward on packed sequences. Architecture matches PyTorch
// nn.TransformerEncoder(post-norm, GELU) as used by ../shared/bench/sasrec_ref.py:
//   x = dropout(LN0(itemEmb[i] + posEmb[p]))
//   per block: x = LN1(x + drop(MHA(x))); x = LN2(x + drop(W2 drop(gelu(W1 x))))
// Positions are right-aligned (the last item of a sequence has position maxLen-1), as with the
// reference's left padding.
import { attentionBackward, attentionForward, type AttentionCache } from '../../../base/engine/attention.js';
import type { Vec } from '../../../base/engine/kernels.js';
import {
  applyMaskInPlace,
  dropoutInPlace,
  embeddingBackward,
  embeddingForward,
  geluBackwardInPlace,
  geluForward,
  layerNormBackward,
  layerNormForward,
  linearBackward,
  linearForward,
  type LayerNormCache,
} from '../../../base/engine/layers.js';
import type { Rng } from '../../../base/rng.js';
import { alloc, Param, type Ctx } from '../../../base/engine/tensor.js';
import type { SasrecConfig } from './config.js';
import { ItemTextFusion, type ItemVectors } from './item-fusion.js';

export interface Block {
  inW: Param;
  inB: Param;
  outW: Param;
  outB: Param;
  ln1g: Param;
  ln1b: Param;
  ff1W: Param;
  ff1B: Param;
  ff2W: Param;
  ff2B: Param;
  ln2g: Param;
  ln2b: Param;
}

/** Packed batch: sequence b's tokens are rows offsets[b]..offsets[b+1]. */
export interface PackedBatch {
  offsets: Int32Array;
  items: Int32Array;
  positions: Int32Array;
}

interface BlockCache {
  x: Vec;
  qkv: Vec;
  attn: AttentionCache;
  ctxOut: Vec;
  dropA: Vec | null;
  ln1: LayerNormCache;
  x1: Vec;
  f1: Vec;
  g: Vec;
  dropG: Vec | null;
  dropF: Vec | null;
  ln2: LayerNormCache;
}

export interface ForwardCache {
  batch: PackedBatch;
  /** The item table the inputs were looked up in (the fused one when item text is on). */
  table: Vec;
  T: number;
  ln0: LayerNormCache;
  drop0: Vec | null;
  blocks: BlockCache[];
}

export class SasrecModel {
  readonly itemEmb: Param;
  readonly posEmb: Param;
  readonly ln0g: Param;
  readonly ln0b: Param;
  readonly blocks: Block[] = [];
  readonly params: Param[] = [];
  /** PULSE's item side (item-fusion.ts); null for plain SASRec. */
  readonly itemText: ItemTextFusion | null;

  constructor(
    readonly ctx: Ctx,
    readonly cfg: SasrecConfig,
    readonly nItems: number,
    itemVectors?: ItemVectors,
  ) {
    const d = cfg.hidden;
    const P = (name: string, shape: number[]): Param => {
      const p = new Param(ctx, name, shape);
      this.params.push(p);
      return p;
    };
    this.itemEmb = P('itemEmb', [nItems + 1, d]);
    this.posEmb = P('posEmb', [cfg.maxLen, d]);
    this.ln0g = P('ln0.g', [d]);
    this.ln0b = P('ln0.b', [d]);
    for (let l = 0; l < cfg.blocks; l++) {
      this.blocks.push({
        inW: P(`b${l}.inW`, [3 * d, d]),
        inB: P(`b${l}.inB`, [3 * d]),
        outW: P(`b${l}.outW`, [d, d]),
        outB: P(`b${l}.outB`, [d]),
        ln1g: P(`b${l}.ln1.g`, [d]),
        ln1b: P(`b${l}.ln1.b`, [d]),
        ff1W: P(`b${l}.ff1W`, [cfg.inner, d]),
        ff1B: P(`b${l}.ff1B`, [cfg.inner]),
        ff2W: P(`b${l}.ff2W`, [d, cfg.inner]),
        ff2B: P(`b${l}.ff2B`, [d]),
        ln2g: P(`b${l}.ln2.g`, [d]),
        ln2b: P(`b${l}.ln2.b`, [d]),
      });
    }
    this.itemText = itemVectors ? new ItemTextFusion(ctx, itemVectors, nItems + 1, d) : null;
    if (this.itemText) this.params.push(this.itemText.proj);
  }

  /** Reference initialisation: N(0, 0.02) for embeddings and linear weights, xavier for in_proj, LN = (1, 0). */
  init(rng: Rng): void {
    const normal = (p: Param, std: number): void => {
      for (let i = 0; i < p.size; i++) p.value[i] = rng.normal() * std;
    };
    normal(this.itemEmb, 0.02);
    this.itemEmb.value.fill(0, 0, this.cfg.hidden); // padding row
    normal(this.posEmb, 0.02);
    this.ln0g.value.fill(1);
    const d = this.cfg.hidden;
    const xav = Math.sqrt(6 / (d + 3 * d));
    for (const b of this.blocks) {
      for (let i = 0; i < b.inW.size; i++) b.inW.value[i] = (rng.next() * 2 - 1) * xav;
      normal(b.outW, 0.02);
      normal(b.ff1W, 0.02);
      normal(b.ff2W, 0.02);
      b.ln1g.value.fill(1);
      b.ln2g.value.fill(1);
    }
    this.itemText?.init(rng);
  }

  /**
   * The effective item table [nItems + 1, hidden] that inputs are looked up in and outputs are scored against
   * (tied weights). Plain SASRec: the ID embeddings themselves.
   */
  itemTable(): Vec {
    return this.itemText ? this.itemText.fused(this.itemEmb.value) : this.itemEmb.value;
  }

  /**
   * The output layer's view of a forward pass's item table: scores against `cache.table`, gradients into
   * itemEmb.grad (which is also the fused table's gradient, see item-fusion.ts).
   */
  outputTable(cache: ForwardCache): Param {
    return this.tableParam(cache.table);
  }

  private tableParam(table: Vec): Param {
    const e = this.itemEmb;
    return table === e.value ? e : { ctx: e.ctx, name: e.name, shape: e.shape, value: table, grad: e.grad, size: e.size };
  }

  /** Final hidden states [T, hidden] for every packed token. rng = null means eval (no dropout). */
  forward(batch: PackedBatch, rng: Rng | null): { h: Vec; cache: ForwardCache } {
    const { ctx, cfg } = this;
    const d = cfg.hidden;
    const T = batch.items.length;
    const table = this.itemTable();
    const e = embeddingForward(ctx, this.tableParam(table), batch.items);
    embeddingForward(ctx, this.posEmb, batch.positions, e);
    const n0 = layerNormForward(ctx, e, T, d, this.ln0g, this.ln0b);
    let x = n0.y;
    const drop0 = dropoutInPlace(ctx, x, cfg.dropout, rng);
    const blocks: BlockCache[] = [];
    for (const b of this.blocks) {
      const qkv = linearForward(ctx, x, T, b.inW, b.inB);
      const at = attentionForward(ctx, qkv, batch.offsets, d, cfg.heads, cfg.attnDropout, rng);
      const a = linearForward(ctx, at.out, T, b.outW, b.outB);
      const dropA = dropoutInPlace(ctx, a, cfg.dropout, rng);
      for (let i = 0; i < a.length; i++) a[i] += x[i]!;
      const n1 = layerNormForward(ctx, a, T, d, b.ln1g, b.ln1b);
      const x1 = n1.y;
      const f1 = linearForward(ctx, x1, T, b.ff1W, b.ff1B);
      const g = geluForward(ctx, f1);
      const gd = g; // dropout applied in place: the backward only needs the mask and gd itself
      const dropG = dropoutInPlace(ctx, gd, cfg.dropout, rng);
      const f2 = linearForward(ctx, gd, T, b.ff2W, b.ff2B);
      const dropF = dropoutInPlace(ctx, f2, cfg.dropout, rng);
      for (let i = 0; i < f2.length; i++) f2[i] += x1[i]!;
      const n2 = layerNormForward(ctx, f2, T, d, b.ln2g, b.ln2b);
      blocks.push({ x, qkv, attn: at.cache, ctxOut: at.out, dropA, ln1: n1.cache, x1, f1, g: gd, dropG, dropF, ln2: n2.cache });
      x = n2.y;
    }
    return { h: x, cache: { batch, table, T, ln0: n0.cache, drop0, blocks } };
  }

  /**
   * Adds parameter gradients for d loss / d h. Consumes dh. Call it after every output loss has added its
   * item-table gradient (the item-text projection's gradient is taken from the table's complete gradient).
   */
  backward(cache: ForwardCache, dh: Vec): void {
    const { ctx, cfg } = this;
    const d = cfg.hidden;
    const T = cache.T;
    let dx = dh;
    for (let l = this.blocks.length - 1; l >= 0; l--) {
      const b = this.blocks[l]!;
      const c = cache.blocks[l]!;
      // x2 = LN2(x1 + drop(f2))
      const dr2 = layerNormBackward(ctx, c.ln2, dx, T, d, b.ln2g, b.ln2b);
      const df2 = alloc(ctx, dr2.length);
      df2.set(dr2);
      applyMaskInPlace(df2, c.dropF);
      const dgd = linearBackward(ctx, c.g, df2, T, b.ff2W, b.ff2B)!;
      applyMaskInPlace(dgd, c.dropG);
      geluBackwardInPlace(ctx, c.f1, dgd);
      const dx1 = linearBackward(ctx, c.x1, dgd, T, b.ff1W, b.ff1B)!;
      for (let i = 0; i < dx1.length; i++) dx1[i] += dr2[i]!;
      // x1 = LN1(x + drop(attn))
      const dr1 = layerNormBackward(ctx, c.ln1, dx1, T, d, b.ln1g, b.ln1b);
      const da = alloc(ctx, dr1.length);
      da.set(dr1);
      applyMaskInPlace(da, c.dropA);
      const dctx = linearBackward(ctx, c.ctxOut, da, T, b.outW, b.outB)!;
      const dqkv = attentionBackward(ctx, c.qkv, cache.batch.offsets, d, cfg.heads, c.attn, dctx);
      const dxin = linearBackward(ctx, c.x, dqkv, T, b.inW, b.inB)!;
      for (let i = 0; i < dxin.length; i++) dxin[i] += dr1[i]!;
      dx = dxin;
    }
    applyMaskInPlace(dx, cache.drop0);
    const de = layerNormBackward(ctx, cache.ln0, dx, T, d, this.ln0g, this.ln0b);
    embeddingBackward(this.itemEmb, cache.batch.items, de);
    embeddingBackward(this.posEmb, cache.batch.positions, de);
    this.itemText?.backward(this.itemEmb.grad);
  }
}

/**
 * Packs sequences (each truncated to its last maxLen items) into one batch. Each token's position
 * is right-aligned: maxLen - n + j.
 */
export function packSequences(seqs: readonly Int32Array[], maxLen: number): PackedBatch {
  const offsets = new Int32Array(seqs.length + 1);
  for (let b = 0; b < seqs.length; b++) offsets[b + 1] = offsets[b]! + Math.min(seqs[b]!.length, maxLen);
  const T = offsets[seqs.length]!;
  const items = new Int32Array(T);
  const positions = new Int32Array(T);
  for (let b = 0; b < seqs.length; b++) {
    const s = seqs[b]!;
    const n = offsets[b + 1]! - offsets[b]!;
    items.set(s.subarray(s.length - n), offsets[b]!);
    for (let j = 0; j < n; j++) positions[offsets[b]! + j] = maxLen - n + j;
  }
  return { offsets, items, positions };
}
