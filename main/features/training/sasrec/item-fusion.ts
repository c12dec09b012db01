// The item side of the Thought Space inside the sequence model: a fixed semantic vector per item (item text,
// and the rationales that explain choices of the item) projected into the model's width and added to the
// item's ID embedding. The sum is the item table the model looks inputs up in and scores outputs against
// (tied weights), so items that share words share part of their representation and an item seen rarely in
// training still has a meaningful vector:
//   E' = E + S P^T        S: [nItems + 1, k] fixed, P: [hidden, k] trained, E: ID embeddings.
// Gradients: dE = dE' (so E's gradient buffer doubles as dE'), dP = dE'^T S.
import type { Vec } from '../../../base/engine/kernels.js';
import type { Rng } from '../../../base/rng.js';
import { alloc, Param, type Ctx } from '../../../base/engine/tensor.js';

export interface ItemVectors {
  /** Row-major [(nItems + 1) x dim]; row 0 (padding) and items without any text are zeros. */
  vectors: Float32Array;
  dim: number;
}

export class ItemTextFusion {
  readonly proj: Param;
  private readonly s: Vec;
  private readonly table: Vec;

  constructor(
    private readonly ctx: Ctx,
    items: ItemVectors,
    private readonly rows: number,
    private readonly hidden: number,
  ) {
    if (!(items.dim >= 1) || items.vectors.length !== rows * items.dim)
      throw new RangeError(`item vectors hold ${items.vectors.length} floats; expected ${rows} rows of ${items.dim}`);
    this.s = ctx.dtype === 'f64' ? Float64Array.from(items.vectors) : items.vectors;
    this.proj = new Param(ctx, 'itemText.proj', [hidden, items.dim]);
    this.table = alloc(ctx, rows * hidden);
  }

  get dim(): number {
    return this.proj.shape[1]!;
  }

  /** N(0, 0.02): the projected text starts at the scale of the ID embeddings. */
  init(rng: Rng): void {
    for (let i = 0; i < this.proj.size; i++) this.proj.value[i] = rng.normal() * 0.02;
  }

  /** E + S P^T, recomputed from the current weights (cheap next to the output layer: rows * k * hidden). */
  fused(idEmb: Vec): Vec {
    const { rows, hidden, dim } = this;
    this.table.set(idEmb);
    this.ctx.kernels.sgemm(false, true, rows, hidden, dim, 1, this.s, dim, this.proj.value, dim, 1, this.table, hidden);
    return this.table;
  }

  /** Adds dP = dE'^T S, given the complete gradient of the fused table. */
  backward(dTable: Vec): void {
    const { rows, hidden, dim } = this;
    this.ctx.kernels.sgemm(true, false, hidden, dim, rows, 1, dTable, hidden, this.s, dim, 1, this.proj.grad, dim);
  }
}
