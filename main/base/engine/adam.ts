// Adam with bias correction, PyTorch semantics: weight decay is L2 added to the gradient
// (torch.optim.Adam), and p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
import type { Vec } from './kernels.js';
import type { Kernels } from './kernels.js';
import { alloc, type Ctx, type Param } from './tensor.js';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export class Adam {
  readonly m: Vec[];
  readonly v: Vec[];
  step = 0;
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly kernels: Kernels;

  constructor(
    ctx: Ctx,
    readonly params: readonly Param[],
    opts: AdamOptions,
  ) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.kernels = ctx.kernels;
    this.m = params.map((p) => alloc(ctx, p.size));
    this.v = params.map((p) => alloc(ctx, p.size));
  }

  update(): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const bc1 = 1 - Math.pow(b1, this.step);
    const bc2 = Math.sqrt(1 - Math.pow(b2, this.step));
    const stepSize = this.lr / bc1;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]!;
      this.kernels.adam(p.value, p.grad, this.m[k]!, this.v[k]!, stepSize, b1, b2, eps, bc2, wd);
    }
  }
}
