// InfoNCE as written in PULSE (stage 5), behaviour -> rationale:
//   L_i = -log( exp(cos(b_i, r_i)/t) / (exp(cos(b_i, r_i)/t) + sum_{k in N_i} exp(cos(b_i, r_k)/t)) )
// with N_i the in-batch negatives of row i, and L the mean over rows. Returns the loss and its gradient
// with respect to the raw (unnormalised) b and r rows, so towers can back-propagate straight into it.

export type Rows = Float32Array | Float64Array;

export interface InfoNceResult {
  loss: number;
  /** dL/db, [n x d]. */
  db: Float64Array;
  /** dL/dr, [n x d]. */
  dr: Float64Array;
  /** Rows whose positive scored highest among its candidates (in-batch accuracy). */
  correct: number;
}

/**
 * @param b behaviour rows [n x d]; @param r rationale rows [n x d], row i is b_i's positive.
 * @param negatives per row, the indices k != i of the rationales used as negatives (all others if null).
 */
export function infoNce(b: Rows, r: Rows, n: number, d: number, temperature: number, negatives: number[][] | null = null): InfoNceResult {
  if (!(temperature > 0)) throw new RangeError('InfoNCE temperature must be positive');
  const bn = new Float64Array(n * d);
  const rn = new Float64Array(n * d);
  const bNorm = normalizeRows(b, bn, n, d);
  const rNorm = normalizeRows(r, rn, n, d);
  const dbn = new Float64Array(n * d);
  const drn = new Float64Array(n * d);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const cands = [i, ...(negatives ? negatives[i]! : Array.from({ length: n }, (_, k) => k).filter((k) => k !== i))];
    const logits = cands.map((k) => dot(bn, i * d, rn, k * d, d) / temperature);
    const mx = Math.max(...logits);
    let z = 0;
    for (const l of logits) z += Math.exp(l - mx);
    loss += -(logits[0]! - mx - Math.log(z));
    if (logits.slice(1).every((l) => l < logits[0]!)) correct++;
    // dL_i/dlogit_j = softmax_j - [j is the positive]; mean over rows and 1/t give the scale.
    cands.forEach((k, j) => {
      const g = (Math.exp(logits[j]! - mx) / z - (j === 0 ? 1 : 0)) / (n * temperature);
      if (g === 0) return;
      for (let c = 0; c < d; c++) {
        dbn[i * d + c] += g * rn[k * d + c]!;
        drn[k * d + c] += g * bn[i * d + c]!;
      }
    });
  }
  return { loss: loss / n, db: normalizeBackward(bn, dbn, bNorm, n, d), dr: normalizeBackward(rn, drn, rNorm, n, d), correct };
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += a[ao + c]! * b[bo + c]!;
  return s;
}

const NORM_EPS = 1e-12;

function normalizeRows(x: Rows, out: Float64Array, n: number, d: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += x[i * d + c]! ** 2;
    const nr = Math.max(Math.sqrt(s), NORM_EPS);
    norms[i] = nr;
    for (let c = 0; c < d; c++) out[i * d + c] = x[i * d + c]! / nr;
  }
  return norms;
}

/** Gradient through x_hat = x/|x|: dx = (g - x_hat (x_hat . g)) / |x|. */
function normalizeBackward(xhat: Float64Array, g: Float64Array, norms: Float64Array, n: number, d: number): Float64Array {
  const dx = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const p = dot(xhat, i * d, g, i * d, d);
    for (let c = 0; c < d; c++) dx[i * d + c] = (g[i * d + c]! - xhat[i * d + c]! * p) / norms[i]!;
  }
  return dx;
}
