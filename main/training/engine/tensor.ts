// Parameters and buffers are flat typed arrays; a Ctx says which float width and kernels to use.
import type { Kernels, Vec } from './kernels.js';

export type DType = 'f32' | 'f64';

export interface Ctx {
  readonly kernels: Kernels;
  readonly dtype: DType;
}

export function alloc(ctx: Ctx, n: number): Vec {
  return ctx.dtype === 'f64' ? new Float64Array(n) : new Float32Array(n);
}

export class Param {
  readonly value: Vec;
  readonly grad: Vec;
  constructor(
    /** The float width and kernels this parameter is computed with. */
    readonly ctx: Ctx,
    readonly name: string,
    readonly shape: readonly number[],
  ) {
    const n = shape.reduce((a, b) => a * b, 1);
    this.value = alloc(ctx, n);
    this.grad = alloc(ctx, n);
  }
  get size(): number {
    return this.value.length;
  }
}

export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) p.grad.fill(0);
}
