// Parameters and buffers are flat typed arrays; a Ctx says which float width and kernels to use.
import type { Kernels, Vec } from './kernels.js';

export type DType = 'f32' | 'f64';

export interface Ctx {
  readonly kernels: Kernels;
  readonly dtype: DType;
  /** Recycles the buffers of one training step for the next (see StepArena); absent = always fresh. */
  readonly arena?: StepArena;
}

function fresh(dtype: DType, n: number): Vec {
  return dtype === 'f64' ? new Float64Array(n) : new Float32Array(n);
}

/** A zeroed buffer of n floats: from the step arena while a training step runs, else new. */
export function alloc(ctx: Ctx, n: number): Vec {
  return ctx.arena?.active ? ctx.arena.take(n) : fresh(ctx.dtype, n);
}

/**
 * The buffers of a training step, handed out again in the same order in the next step (zeroed, grown when a
 * batch needs more), so a step allocates nothing new: tens of MB of short-lived typed arrays per step otherwise
 * cost a full garbage collection every batch or two. Only between begin() and end(); a buffer taken in a step is
 * valid until the next step begins, so nothing allocated in a step may be kept for a later step.
 */
export class StepArena {
  private readonly bufs: Vec[] = [];
  private next = 0;
  active = false;
  constructor(private readonly dtype: DType) {}

  begin(): void {
    this.next = 0;
    this.active = true;
  }

  end(): void {
    this.active = false;
  }

  take(n: number): Vec {
    let b = this.bufs[this.next];
    if (!b || b.length < n) {
      b = fresh(this.dtype, Math.ceil(n * 1.25));
      this.bufs[this.next] = b;
    }
    this.next++;
    const v = b.subarray(0, n);
    v.fill(0);
    return v;
  }
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
    this.value = fresh(ctx.dtype, n);
    this.grad = fresh(ctx.dtype, n);
  }
  get size(): number {
    return this.value.length;
  }
}

export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) p.grad.fill(0);
}
