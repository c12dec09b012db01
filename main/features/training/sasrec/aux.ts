// PULSE's alignment loss: the sequence state that predicts an item is pulled towards the Thought-Space
// embedding of the rationale that explains why the user chose that item. Every training position whose target
// has a rationale takes part (not only the last one). A trainable projection maps the state into the
// rationale space: z = W h.
//   'cosine':  1 - cos(z_i, r_i).
//   'infonce': -log( exp(cos(z_i, r_i)/t) / sum_j exp(cos(z_i, r_j)/t) ) over the other aligned rows of the batch
//              (in-batch negatives; rows whose rationale is the very same vector are not counted as negatives).
// At most `maxRows` rows per batch are aligned (a seeded sample), which bounds the n x n logits.
import type { Vec } from '../../../base/engine/kernels.js';
import type { Rng } from '../../../base/rng.js';
import { alloc, Param, type Ctx } from '../../../base/engine/tensor.js';

export interface AlignmentTargets {
  dim: number;
  /** Row-major [rows x dim] (normalised to unit length when used); identical rationale texts share one row. */
  vectors: Float32Array;
  /** rowOf[s][p]: the vector row explaining item p of training sequence s, or -1. */
  rowOf: readonly Int32Array[];
}

export interface AuxOptions {
  targets: AlignmentTargets;
  weight: number;
  kind: 'cosine' | 'infonce';
  temperature?: number;
  /** Aligned rows per batch at most (default 1024). */
  maxRows?: number;
  /** Schedule: the weight halves every `halfLife` epochs (0 or absent: constant). */
  halfLife?: number;
}

export const AUX_MAX_ROWS = 1024;

export class AuxAlignment {
  readonly proj: Param;
  private readonly k: number;
  /** The weight at an epoch under the schedule. */
  weightAt(epoch: number): number {
    const h = this.opts.halfLife ?? 0;
    return h > 0 ? this.opts.weight * 2 ** (-epoch / h) : this.opts.weight;
  }

  constructor(
    private readonly ctx: Ctx,
    readonly opts: AuxOptions,
    private readonly d: number,
    nSeq: number,
    rng: Rng,
  ) {
    const t = opts.targets;
    if (t.rowOf.length !== nSeq) throw new RangeError('aux.targets must have one entry per sequence');
    if (!(t.dim >= 1) || t.vectors.length % t.dim !== 0) throw new RangeError('aux.targets vectors do not match their dimension');
    const rows = t.vectors.length / t.dim;
    if (rows === 0) throw new RangeError('aux.targets has no vectors');
    for (const r of t.rowOf) for (const v of r) if (v >= rows) throw new RangeError('aux.targets row index out of range');
    this.k = t.dim;
    this.proj = new Param(ctx, 'aux.proj', [this.k, d]);
    const bound = Math.sqrt(6 / (this.k + d));
    for (let i = 0; i < this.proj.size; i++) this.proj.value[i] = (rng.next() * 2 - 1) * bound;
  }

  /**
   * The aligned rows of a packed batch: row t of sequence b (input position) predicts the item one position
   * later; it takes part when that item has a rationale. `inputLengths[b]` is the untruncated input length.
   */
  private alignedRows(offsets: Int32Array, users: readonly number[], inputLengths: readonly number[], rng: Rng | null): { row: number; target: number }[] {
    const out: { row: number; target: number }[] = [];
    users.forEach((u, b) => {
      const rowOf = this.opts.targets.rowOf[u]!;
      const n = offsets[b + 1]! - offsets[b]!;
      const first = inputLengths[b]! - n; // input positions dropped by the maxLen truncation
      for (let j = 0; j < n; j++) {
        const target = rowOf[first + j + 1] ?? -1;
        if (target >= 0) out.push({ row: offsets[b]! + j, target });
      }
    });
    const max = this.opts.maxRows ?? AUX_MAX_ROWS;
    if (out.length <= max || !rng) return out.slice(0, max);
    // Seeded partial shuffle: a uniform sample of `max` rows.
    for (let i = 0; i < max; i++) {
      const j = i + rng.int(out.length - i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out.slice(0, max);
  }

  /**
   * Returns the mean (unweighted) alignment loss over the aligned rows; adds weight * gradient into dh and
   * proj.grad (the weight of `epoch` under the schedule). `rng` draws the row sample when a batch has more than
   * maxRows aligned rows.
   */
  lossAndGrad(h: Vec, offsets: Int32Array, users: readonly number[], inputLengths: readonly number[], dh: Vec, rng: Rng | null, epoch = 0): number {
    const w = this.weightAt(epoch);
    if (w === 0) return 0;
    const rows = this.alignedRows(offsets, users, inputLengths, rng);
    const n = rows.length;
    if (n === 0) return 0;
    const { d, k } = this;
    const ctx = this.ctx;
    const sg = ctx.kernels.sgemm;
    const tv = this.opts.targets.vectors;
    // Gather H [n, d] and R [n, k].
    const H = alloc(ctx, n * d);
    const R = alloc(ctx, n * k);
    rows.forEach((r, i) => {
      H.set(h.subarray(r.row * d, (r.row + 1) * d), i * d);
      let nn = 0;
      for (let a = 0; a < k; a++) nn += tv[r.target * k + a]! ** 2;
      const inv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
      for (let a = 0; a < k; a++) R[i * k + a] = tv[r.target * k + a]! * inv;
    });
    // Z = H W^T [n, k], unit rows Zh.
    const Z = alloc(ctx, n * k);
    sg(false, true, n, k, d, 1, H, d, this.proj.value, d, 0, Z, k);
    const zn = new Float64Array(n);
    const Zh = alloc(ctx, n * k);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += Z[i * k + a]! * Z[i * k + a]!;
      zn[i] = Math.sqrt(s) + 1e-12;
      for (let a = 0; a < k; a++) Zh[i * k + a] = Z[i * k + a]! / zn[i]!;
    }
    const dZh = alloc(ctx, n * k); // d loss / d Zh, scaled by 1/n
    let loss = 0;
    if (this.opts.kind === 'cosine') {
      for (let i = 0; i < n; i++) {
        let c = 0;
        for (let a = 0; a < k; a++) c += Zh[i * k + a]! * R[i * k + a]!;
        loss += 1 - c;
        for (let a = 0; a < k; a++) dZh[i * k + a] = -R[i * k + a]! / n;
      }
    } else {
      const tau = this.opts.temperature ?? 0.1;
      const L = alloc(ctx, n * n);
      sg(false, true, n, n, k, 1 / tau, Zh, k, R, k, 0, L, n);
      for (let i = 0; i < n; i++) {
        const o = i * n;
        const ti = rows[i]!.target;
        let mx = -Infinity;
        for (let j = 0; j < n; j++) {
          if (j !== i && rows[j]!.target === ti) L[o + j] = -Infinity; // the same rationale is no negative
          if (L[o + j]! > mx) mx = L[o + j]!;
        }
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(L[o + j]! - mx);
        loss += -(L[o + i]! - mx - Math.log(sum));
        // dL_ij = (p_ij - [i = j]) / n, then dZh_i = sum_j dL_ij R_j / tau (below, one sgemm).
        for (let j = 0; j < n; j++) L[o + j] = (Math.exp(L[o + j]! - mx) / sum - (i === j ? 1 : 0)) / n;
      }
      sg(false, false, n, k, n, 1 / tau, L, n, R, k, 0, dZh, k);
    }
    // Through the normalisation: dZ_i = w (dZh_i - Zh_i (Zh_i . dZh_i)) / |Z_i|.
    const dZ = alloc(ctx, n * k);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let a = 0; a < k; a++) dot += Zh[i * k + a]! * dZh[i * k + a]!;
      for (let a = 0; a < k; a++) dZ[i * k + a] = (w * (dZh[i * k + a]! - Zh[i * k + a]! * dot)) / zn[i]!;
    }
    // dW += dZ^T H; dH = dZ W, scattered back into dh.
    sg(true, false, k, d, n, 1, dZ, k, H, d, 1, this.proj.grad, d);
    const dH = alloc(ctx, n * d);
    sg(false, false, n, d, k, 1, dZ, k, this.proj.value, d, 0, dH, d);
    rows.forEach((r, i) => {
      const o = r.row * d;
      for (let j = 0; j < d; j++) dh[o + j] += dH[i * d + j]!;
    });
    return loss / n;
  }
}
