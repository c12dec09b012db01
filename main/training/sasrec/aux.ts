// Auxiliary alignment loss: pulls each user's final sequence representation h (eval-free, taken at
// the last token) towards a given target vector through a trainable projection z = W h.
// 'cosine': 1 - cos(z, t). 'infonce': in-batch contrastive CE over cos(z_i, t_j) / temperature.
import type { Vec } from '../engine/kernels.js';
import type { Rng } from '../engine/rng.js';
import { Param, type Ctx } from '../engine/tensor.js';

export interface AuxOptions {
  /** Target vector per training sequence (same index as sequences); undefined = no target for that user. */
  targets: readonly (Float32Array | undefined)[];
  weight: number;
  kind: 'cosine' | 'infonce';
  temperature?: number;
}

export class AuxAlignment {
  readonly proj: Param;
  private readonly k: number;

  constructor(
    ctx: Ctx,
    readonly opts: AuxOptions,
    private readonly d: number,
    nSeq: number,
    rng: Rng,
  ) {
    if (opts.targets.length !== nSeq) throw new RangeError('aux.targets must have one entry per sequence');
    const first = opts.targets.find((t) => t !== undefined);
    if (!first) throw new RangeError('aux.targets has no vectors');
    this.k = first.length;
    for (const t of opts.targets) if (t && t.length !== this.k) throw new RangeError('aux.targets vectors differ in length');
    this.proj = new Param(ctx, 'aux.proj', [this.k, d]);
    const bound = Math.sqrt(6 / (this.k + d));
    for (let i = 0; i < this.proj.size; i++) this.proj.value[i] = (rng.next() * 2 - 1) * bound;
  }

  /** Returns the mean (unweighted) aux loss; adds weight * gradient into dh (last tokens) and proj.grad. */
  lossAndGrad(h: Vec, offsets: Int32Array, users: readonly number[], dh: Vec): number {
    const { d, k } = this;
    const W = this.proj.value;
    const GW = this.proj.grad;
    const rows: { b: number; last: number; t: Float32Array }[] = [];
    users.forEach((u, b) => {
      const t = this.opts.targets[u];
      if (t) rows.push({ b, last: offsets[b + 1]! - 1, t });
    });
    const n = rows.length;
    if (n === 0 || this.opts.weight === 0) return 0;
    // z = W h, and unit vectors of z and t.
    const z = new Float64Array(n * k);
    const zn = new Float64Array(n);
    const tu = new Float64Array(n * k);
    rows.forEach((r, i) => {
      const ho = r.last * d;
      let zz = 0;
      let tt = 0;
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += W[a * d + j]! * h[ho + j]!;
        z[i * k + a] = s;
        zz += s * s;
        tt += r.t[a]! * r.t[a]!;
      }
      zn[i] = Math.sqrt(zz) + 1e-12;
      const tn = Math.sqrt(tt) + 1e-12;
      for (let a = 0; a < k; a++) tu[i * k + a] = r.t[a]! / tn;
    });
    const dzhat = new Float64Array(n * k); // d loss / d (z / |z|)
    let loss = 0;
    if (this.opts.kind === 'cosine') {
      for (let i = 0; i < n; i++) {
        let c = 0;
        for (let a = 0; a < k; a++) c += (z[i * k + a]! / zn[i]!) * tu[i * k + a]!;
        loss += 1 - c;
        for (let a = 0; a < k; a++) dzhat[i * k + a] = -tu[i * k + a]! / n;
      }
    } else {
      const tau = this.opts.temperature ?? 0.1;
      const logits = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let mx = -Infinity;
        for (let j = 0; j < n; j++) {
          let c = 0;
          for (let a = 0; a < k; a++) c += (z[i * k + a]! / zn[i]!) * tu[j * k + a]!;
          logits[j] = c / tau;
          if (logits[j]! > mx) mx = logits[j]!;
        }
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(logits[j]! - mx);
        loss += -(logits[i]! - mx - Math.log(sum));
        for (let j = 0; j < n; j++) {
          const g = (Math.exp(logits[j]! - mx) / sum - (i === j ? 1 : 0)) / (tau * n);
          for (let a = 0; a < k; a++) dzhat[i * k + a] += g * tu[j * k + a]!;
        }
      }
    }
    const w = this.opts.weight;
    rows.forEach((r, i) => {
      // Through the normalisation: dz = (dzhat - zhat (zhat . dzhat)) / |z|.
      let dot = 0;
      for (let a = 0; a < k; a++) dot += (z[i * k + a]! / zn[i]!) * dzhat[i * k + a]!;
      const ho = r.last * d;
      for (let a = 0; a < k; a++) {
        const dz = (w * (dzhat[i * k + a]! - (z[i * k + a]! / zn[i]!) * dot)) / zn[i]!;
        if (dz === 0) continue;
        for (let j = 0; j < d; j++) {
          dh[ho + j] += dz * W[a * d + j]!;
          GW[a * d + j] += dz * h[ho + j]!;
        }
      }
    });
    return loss / n;
  }
}
