// Small dense linear algebra for the Thought Space: randomized truncated SVD (TF-IDF projection) and
// 2-D PCA (maps). Float64 inside so results do not depend on float32 rounding order; seeded, so fits repeat.
import { Rng } from './rng.js';

/** Row-major dense matrix. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Orthonormalises the columns of `m` in place; returns the rank kept. Through the Gram matrix (G = M^T M =
 * W L W^T, M <- M W L^-1/2, done twice): row-major passes only, so it is fast on tall matrices, and
 * dependent directions become zero columns instead of noise.
 */
export function orthonormalizeColumns(m: Dense, passes = 2): number {
  let rank = 0;
  for (let pass = 0; pass < passes; pass++) {
    const { rows, cols, data } = m;
    const g = new Float64Array(cols * cols);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let a = 0; a < cols; a++) {
        const va = data[o + a]!;
        if (va === 0) continue;
        const ga = a * cols;
        for (let b = a; b < cols; b++) g[ga + b] += va * data[o + b]!;
      }
    }
    for (let a = 0; a < cols; a++) for (let b = 0; b < a; b++) g[a * cols + b] = g[b * cols + a]!;
    const { values, vectors } = symmetricEigen(g, cols);
    const top = values[0] ?? 0;
    const t = new Float64Array(cols * cols);
    rank = 0;
    for (let c = 0; c < cols; c++) {
      const lam = values[c]!;
      if (!(lam > 1e-20 && lam > top * 1e-24)) continue;
      rank++;
      const inv = 1 / Math.sqrt(lam);
      for (let a = 0; a < cols; a++) t[a * cols + c] = vectors.data[a * cols + c]! * inv;
    }
    const row = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      row.fill(0);
      for (let a = 0; a < cols; a++) {
        const va = data[o + a]!;
        if (va === 0) continue;
        const ta = a * cols;
        for (let c = 0; c < cols; c++) row[c] += va * t[ta + c]!;
      }
      data.set(row, o);
    }
  }
  return rank;
}

/** Eigen-decomposition of a symmetric n x n matrix (cyclic Jacobi); eigenvalues sorted descending. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Dense } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y]! - A[x * n + x]!);
  const values = new Float64Array(n);
  const vectors = dense(n, n);
  order.forEach((src, dst) => {
    values[dst] = A[src * n + src]!;
    for (let k = 0; k < n; k++) vectors.data[k * n + dst] = V[k * n + src]!;
  });
  return { values, vectors };
}

/**
 * A matrix known only through products: X is [rows x cols]; `mul` computes X * M for M [cols x k] and
 * `mulT` computes X^T * M for M [rows x k]. Sparse TF-IDF matrices implement it without densifying.
 */
export interface LinearOperator {
  rows: number;
  cols: number;
  mul(m: Dense): Dense;
  mulT(m: Dense): Dense;
}

export function denseOperator(x: Dense): LinearOperator {
  return {
    rows: x.rows,
    cols: x.cols,
    mul(m) {
      const out = dense(x.rows, m.cols);
      for (let i = 0; i < x.rows; i++)
        for (let p = 0; p < x.cols; p++) {
          const v = x.data[i * x.cols + p]!;
          if (v === 0) continue;
          for (let j = 0; j < m.cols; j++) out.data[i * m.cols + j] += v * m.data[p * m.cols + j]!;
        }
      return out;
    },
    mulT(m) {
      const out = dense(x.cols, m.cols);
      for (let i = 0; i < x.rows; i++)
        for (let p = 0; p < x.cols; p++) {
          const v = x.data[i * x.cols + p]!;
          if (v === 0) continue;
          for (let j = 0; j < m.cols; j++) out.data[p * m.cols + j] += v * m.data[i * m.cols + j]!;
        }
      return out;
    },
  };
}

export interface SvdResult {
  /** Singular values, descending, length k. */
  s: Float64Array;
  /** Right singular vectors as columns: [cols x k]. Projecting a row x gives x * V = (U S) row. */
  v: Dense;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with power iterations):
 * a Gaussian sketch, `powerIters` rounds of re-orthonormalised power iteration, then an exact SVD of the
 * small projected matrix through its Gram matrix. Signs are fixed (largest |component| of each right
 * vector positive) so equal inputs give equal outputs.
 */
export function randomizedSvd(
  op: LinearOperator,
  k: number,
  opts: { oversample?: number; powerIters?: number; seed?: number; /** Called between passes (cancel checks). */ tick?: () => void } = {},
): SvdResult {
  const kk = Math.max(0, Math.min(k, op.rows, op.cols));
  const l = Math.min(kk + (opts.oversample ?? 10), op.rows, op.cols);
  const rng = new Rng(opts.seed ?? 0);
  const omega = dense(op.cols, l);
  for (let i = 0; i < omega.data.length; i++) omega.data[i] = rng.normal();
  // Intermediate bases only need to be well conditioned (one pass); the final one is exact (two passes).
  const iters = opts.powerIters ?? 4;
  let q = op.mul(omega);
  orthonormalizeColumns(q, iters === 0 ? 2 : 1);
  for (let it = 0; it < iters; it++) {
    opts.tick?.();
    const z = op.mulT(q);
    orthonormalizeColumns(z, 1);
    q = op.mul(z);
    orthonormalizeColumns(q, it === iters - 1 ? 2 : 1);
  }
  opts.tick?.();
  // B^T = X^T Q is [cols x l]; B B^T = (X^T Q)^T (X^T Q) is l x l with eigenvalues s^2.
  const bt = op.mulT(q);
  const gram = new Float64Array(l * l);
  // Row by row, so both loops walk memory in order.
  for (let i = 0; i < bt.rows; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const va = bt.data[o + a]!;
      if (va === 0) continue;
      const ga = a * l;
      for (let c = a; c < l; c++) gram[ga + c] += va * bt.data[o + c]!;
    }
  }
  for (let a = 0; a < l; a++) for (let c = 0; c < a; c++) gram[a * l + c] = gram[c * l + a]!;
  const eig = symmetricEigen(gram, l);
  const s = new Float64Array(kk);
  const v = dense(op.cols, kk);
  // v_c = B^T u_c / s_c for every kept component: V = B^T U S^-1, computed as one row-major product.
  const proj = new Float64Array(l * kk);
  for (let c = 0; c < kk; c++) {
    const sv = Math.sqrt(Math.max(0, eig.values[c]!));
    s[c] = sv;
    if (sv < 1e-12) continue;
    for (let a = 0; a < l; a++) proj[a * kk + c] = eig.vectors.data[a * l + c]! / sv;
  }
  for (let i = 0; i < op.cols; i++) {
    const o = i * l;
    const vo = i * kk;
    for (let a = 0; a < l; a++) {
      const x = bt.data[o + a]!;
      if (x === 0) continue;
      const pa = a * kk;
      for (let c = 0; c < kk; c++) v.data[vo + c] += x * proj[pa + c]!;
    }
  }
  // Sign convention: the largest |component| of each right vector is positive.
  for (let c = 0; c < kk; c++) {
    let best = 0;
    for (let i = 0; i < op.cols; i++) {
      const x = v.data[i * kk + c]!;
      if (Math.abs(x) > Math.abs(best)) best = x;
    }
    if (best < 0) for (let i = 0; i < op.cols; i++) v.data[i * kk + c] = -v.data[i * kk + c]!;
  }
  return { s, v };
}

/** Projects rows onto their first two principal components (centred; seeded randomized SVD, exact for 2-D). */
export function pca2(rows: ArrayLike<number>[], seed = 0): { points: [number, number][]; explained: [number, number] } {
  const n = rows.length;
  if (n === 0) return { points: [], explained: [0, 0] };
  const d = rows[0]!.length;
  const x = dense(n, d);
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j]! / n;
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) x.data[i * d + j] = r[j]! - mean[j]!;
  });
  const { s, v } = randomizedSvd(denseOperator(x), 2, { seed, powerIters: 6, oversample: 8 });
  let total = 0;
  for (const val of x.data) total += val * val;
  const k = v.cols;
  const points = rows.map((_, i) => {
    const p: [number, number] = [0, 0];
    for (let c = 0; c < Math.min(2, k); c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += x.data[i * d + j]! * v.data[j * k + c]!;
      p[c] = dot;
    }
    return p;
  });
  const ev = (c: number) => (total > 0 && c < s.length ? s[c]! ** 2 / total : 0);
  return { points, explained: [ev(0), ev(1)] };
}

export function l2normalize(v: Float32Array | Float64Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? d / Math.sqrt(na * nb) : 0;
}
