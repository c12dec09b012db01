// The trainable part of a Thought Space: one tower for behaviour text, one for rationale text, each on top of
// the frozen base embedding (l2-normalised first, so encoders with large norms behave like the others).
//   linear: y = W x + b             (W starts as the identity when in = out)
//   mlp:    y = x + W2 gelu(W1 x + b1) + b2   (residual; W2 starts at zero)
// Both start as the identity map, so an untrained space is the base encoder's space: "before training"
// in every report means the frozen encoder alone.
import type { Vec } from '../../base/engine/kernels.js';
import { geluBackwardInPlace, geluForward, linearBackward, linearForward } from '../../base/engine/layers.js';
import { Rng } from '../../base/rng.js';
import { alloc, Param, type Ctx } from '../../base/engine/tensor.js';

export type TowerKind = 'linear' | 'mlp';

export interface TowerConfig {
  kind: TowerKind;
  inDim: number;
  /** Output width; the mlp tower's residual needs outDim = inDim. */
  outDim: number;
  /** Hidden width of the mlp tower. */
  hidden: number;
}

interface TowerCache {
  x: Vec;
  rows: number;
  pre?: Vec;
  h?: Vec;
}

export class Tower {
  readonly params: Param[];
  private readonly w1: Param;
  private readonly b1: Param;
  private readonly w2: Param | null;
  private readonly b2: Param | null;

  constructor(
    readonly ctx: Ctx,
    readonly name: string,
    readonly cfg: TowerConfig,
    seed: number,
  ) {
    const rng = new Rng(seed);
    if (cfg.kind === 'linear') {
      this.w1 = new Param(ctx, `${name}.w`, [cfg.outDim, cfg.inDim]);
      this.b1 = new Param(ctx, `${name}.b`, [cfg.outDim]);
      this.w2 = null;
      this.b2 = null;
      if (cfg.outDim === cfg.inDim) for (let i = 0; i < cfg.inDim; i++) this.w1.value[i * cfg.inDim + i] = 1;
      else {
        const s = 1 / Math.sqrt(cfg.inDim);
        for (let i = 0; i < this.w1.size; i++) this.w1.value[i] = rng.normal() * s;
      }
      this.params = [this.w1, this.b1];
    } else {
      if (cfg.outDim !== cfg.inDim) throw new RangeError('The mlp tower is residual: outDim must equal inDim');
      this.w1 = new Param(ctx, `${name}.w1`, [cfg.hidden, cfg.inDim]);
      this.b1 = new Param(ctx, `${name}.b1`, [cfg.hidden]);
      this.w2 = new Param(ctx, `${name}.w2`, [cfg.outDim, cfg.hidden]);
      this.b2 = new Param(ctx, `${name}.b2`, [cfg.outDim]);
      const s = 1 / Math.sqrt(cfg.inDim);
      for (let i = 0; i < this.w1.size; i++) this.w1.value[i] = rng.normal() * s;
      this.params = [this.w1, this.b1, this.w2, this.b2];
    }
  }

  /** x: [rows x inDim] (already normalised) -> [rows x outDim]. */
  forward(x: Vec, rows: number): { y: Vec; cache: TowerCache } {
    const { ctx } = this;
    if (this.cfg.kind === 'linear') return { y: linearForward(ctx, x, rows, this.w1, this.b1), cache: { x, rows } };
    const pre = linearForward(ctx, x, rows, this.w1, this.b1);
    const h = geluForward(ctx, pre);
    const y = linearForward(ctx, h, rows, this.w2!, this.b2);
    for (let i = 0; i < y.length; i++) y[i] += x[i]!;
    return { y, cache: { x, rows, pre, h } };
  }

  /** Adds parameter gradients for dL/dy (the input is frozen, so no dx). */
  backward(cache: TowerCache, dy: Vec): void {
    const { ctx } = this;
    if (this.cfg.kind === 'linear') {
      linearBackward(ctx, cache.x, dy, cache.rows, this.w1, this.b1, false);
      return;
    }
    const dh = linearBackward(ctx, cache.h!, dy, cache.rows, this.w2!, this.b2, true)!;
    geluBackwardInPlace(ctx, cache.pre!, dh);
    linearBackward(ctx, cache.x, dh, cache.rows, this.w1, this.b1, false);
  }
}

/** Copies rows of base embeddings into one l2-normalised [rows x dim] buffer. */
export function gatherNormalized(ctx: Ctx, base: readonly Float32Array[], idx: ArrayLike<number>, dim: number): Vec {
  const out = alloc(ctx, idx.length * dim);
  for (let r = 0; r < idx.length; r++) {
    const v = base[idx[r]!]!;
    let n = 0;
    for (let c = 0; c < dim; c++) n += v[c]! * v[c]!;
    n = Math.sqrt(n) || 1;
    for (let c = 0; c < dim; c++) out[r * dim + c] = v[c]! / n;
  }
  return out;
}

/** Tower outputs for many rows, in chunks, each row l2-normalised (what retrieval, maps and embed() use). */
export function embedRows(tower: Tower, base: readonly Float32Array[], chunk = 512): Float32Array[] {
  const out: Float32Array[] = [];
  const { inDim, outDim } = tower.cfg;
  for (let s = 0; s < base.length; s += chunk) {
    const idx = Array.from({ length: Math.min(chunk, base.length - s) }, (_, i) => s + i);
    const { y } = tower.forward(gatherNormalized(tower.ctx, base, idx, inDim), idx.length);
    for (let r = 0; r < idx.length; r++) {
      const v = new Float32Array(outDim);
      let n = 0;
      for (let c = 0; c < outDim; c++) n += y[r * outDim + c]! ** 2;
      n = Math.sqrt(n) || 1;
      for (let c = 0; c < outDim; c++) v[c] = y[r * outDim + c]! / n;
      out.push(v);
    }
  }
  return out;
}
