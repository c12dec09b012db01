// The TypeScript kernels: the reference the native ones are tested against, the fallback when the addon
// is not built, and (over Float64Array) the float64 path of the gradient tests.
import { geluBackwardTs, geluTs } from './gelu.js';
import type { Kernels, Vec } from './kernel-types.js';
import type { Rng } from '../rng.js';

/** Rows of logits computed at once by the reference output layer (fewer when that would pass 2^23 floats). */
export const CE_CHUNK = 1024;

function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Vec,
  lda: number,
  b: Vec,
  ldb: number,
  beta: number,
  c: Vec,
  ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
  if (k === 0 || alpha === 0) return;
  if (!transB) {
    // i-p-j order: the inner loop walks rows of B and C contiguously.
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let p = 0; p < k; p++) {
        const av = alpha * (transA ? a[p * lda + i]! : a[i * lda + p]!);
        if (av === 0) continue;
        const bp = p * ldb;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let j = 0; j < n; j++) {
        const bj = j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[p * lda + i]! * b[bj + p]!;
        else {
          const ai = i * lda;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        }
        c[ci + j] += alpha * s;
      }
    }
  }
}

function softmaxCrossEntropy(logits: Vec, rows: number, cols: number, targets: Int32Array, scale: number): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) if (logits[o + j]! > mx) mx = logits[o + j]!;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(logits[o + j]! - mx);
      logits[o + j] = e;
      sum += e;
    }
    const t = targets[r]!;
    if (t < 0 || t >= cols) throw new RangeError('softmaxCrossEntropy: target out of range');
    loss += -Math.log(Math.max(logits[o + t]! / sum, 1e-30));
    const inv = scale / sum;
    for (let j = 0; j < cols; j++) logits[o + j] *= inv;
    logits[o + t] -= scale;
  }
  return loss;
}

/** The output layer unfused: CE_CHUNK rows of logits at a time, softmax-CE over them, then dh and dtable. */
function crossEntropyItems(
  h: Vec,
  rows: number,
  d: number,
  table: Vec,
  nItems: number,
  cls: Int32Array,
  scale: number,
  dh: Vec,
  dtable: Vec,
  scratch?: (n: number) => Vec,
): number {
  let loss = 0;
  const chunk = Math.max(1, Math.min(CE_CHUNK, rows, Math.floor((1 << 23) / nItems)));
  const need = chunk * nItems;
  const buf = scratch ? scratch(need) : h instanceof Float64Array ? new Float64Array(need) : new Float32Array(need);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const rc = Math.min(chunk, rows - r0);
    const hs = h.subarray(r0 * d, (r0 + rc) * d);
    const logits = buf.subarray(0, rc * nItems);
    sgemm(false, true, rc, nItems, d, 1, hs, d, table, d, 0, logits, nItems);
    loss += softmaxCrossEntropy(logits, rc, nItems, cls.subarray(r0, r0 + rc), scale);
    sgemm(false, false, rc, d, nItems, 1, logits, nItems, table, d, 0, dh.subarray(r0 * d, (r0 + rc) * d), d);
    sgemm(true, false, nItems, d, rc, 1, logits, nItems, hs, d, 1, dtable, d);
  }
  return loss;
}

function layerNorm(x: Vec, rows: number, d: number, g: Vec, b: Vec, eps: number, y: Vec, xhat: Vec, rstd: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j]!;
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = x[o + j]! - mean;
      v += c * c;
    }
    const rs = 1 / Math.sqrt(v / d + eps);
    rstd[r] = rs;
    for (let j = 0; j < d; j++) {
      const h = (x[o + j]! - mean) * rs;
      xhat[o + j] = h;
      y[o + j] = h * g[j]! + b[j]!;
    }
  }
}

function layerNormBackward(dy: Vec, xhat: Vec, rstd: Vec, rows: number, d: number, g: Vec, dg: Vec, db: Vec, dx: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < d; j++) {
      const dyj = dy[o + j]!;
      const xh = xhat[o + j]!;
      dg[j] += dyj * xh;
      db[j] += dyj;
      const dxh = dyj * g[j]!;
      s1 += dxh;
      s2 += dxh * xh;
    }
    s1 /= d;
    s2 /= d;
    const rs = rstd[r]!;
    for (let j = 0; j < d; j++) {
      const dxh = dy[o + j]! * g[j]!;
      dx[o + j] = rs * (dxh - s1 - xhat[o + j]! * s2);
    }
  }
}

function attention(
  qkv: Vec,
  offsets: Int32Array,
  d: number,
  heads: number,
  blockOffsets: Int32Array,
  probs: Vec,
  mask: Vec | null,
  dropout: number,
  rng: Rng | null,
  out: Vec,
): void {
  const nSeq = offsets.length - 1;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const keep = 1 / (1 - dropout);
  const w3 = 3 * d;
  let rowBuf = new Float64Array(64);
  for (let b = 0; b < nSeq; b++) {
    const s = offsets[b]!;
    const n = offsets[b + 1]! - s;
    if (rowBuf.length < n) rowBuf = new Float64Array(n);
    for (let h = 0; h < heads; h++) {
      const base = blockOffsets[b]! + h * n * n;
      const qo = h * dh;
      const ko = d + h * dh;
      const vo = 2 * d + h * dh;
      for (let i = 0; i < n; i++) {
        const qi = (s + i) * w3 + qo;
        let mx = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = (s + j) * w3 + ko;
          let dot = 0;
          for (let c = 0; c < dh; c++) dot += qkv[qi + c]! * qkv[kj + c]!;
          dot *= scale;
          rowBuf[j] = dot;
          if (dot > mx) mx = dot;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(rowBuf[j]! - mx);
          rowBuf[j] = e;
          sum += e;
        }
        const pr = base + i * n;
        const oi = (s + i) * d + qo;
        for (let j = 0; j <= i; j++) {
          const p = rowBuf[j]! / sum;
          probs[pr + j] = p;
          let pd = p;
          if (mask) {
            const m = rng!.next() < dropout ? 0 : keep;
            mask[pr + j] = m;
            pd = p * m;
          }
          if (pd === 0) continue;
          const vj = (s + j) * w3 + vo;
          for (let c = 0; c < dh; c++) out[oi + c] += pd * qkv[vj + c]!;
        }
      }
    }
  }
}

function attentionBackward(
  qkv: Vec,
  offsets: Int32Array,
  d: number,
  heads: number,
  blockOffsets: Int32Array,
  probs: Vec,
  mask: Vec | null,
  dout: Vec,
  dqkv: Vec,
): void {
  const nSeq = offsets.length - 1;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const w3 = 3 * d;
  let dp = new Float64Array(64);
  for (let b = 0; b < nSeq; b++) {
    const s = offsets[b]!;
    const n = offsets[b + 1]! - s;
    if (dp.length < n) dp = new Float64Array(n);
    for (let h = 0; h < heads; h++) {
      const base = blockOffsets[b]! + h * n * n;
      const qo = h * dh;
      const ko = d + h * dh;
      const vo = 2 * d + h * dh;
      for (let i = 0; i < n; i++) {
        const pr = base + i * n;
        const oi = (s + i) * d + qo;
        let rowDot = 0;
        for (let j = 0; j <= i; j++) {
          const vj = (s + j) * w3 + vo;
          let g = 0;
          for (let c = 0; c < dh; c++) g += dout[oi + c]! * qkv[vj + c]!;
          const m = mask ? mask[pr + j]! : 1;
          const pd = probs[pr + j]! * m;
          if (pd !== 0) for (let c = 0; c < dh; c++) dqkv[vj + c] += pd * dout[oi + c]!;
          g *= m; // d loss / d prob (before dropout)
          dp[j] = g;
          rowDot += g * probs[pr + j]!;
        }
        const qi = (s + i) * w3 + qo;
        for (let j = 0; j <= i; j++) {
          const ds = probs[pr + j]! * (dp[j]! - rowDot) * scale;
          if (ds === 0) continue;
          const kj = (s + j) * w3 + ko;
          for (let c = 0; c < dh; c++) {
            dqkv[qi + c] += ds * qkv[kj + c]!;
            dqkv[kj + c] += ds * qkv[qi + c]!;
          }
        }
      }
    }
  }
}

function embeddingGather(table: Vec, d: number, ids: Int32Array, out: Vec): void {
  for (let t = 0; t < ids.length; t++) {
    const src = ids[t]! * d;
    const dst = t * d;
    for (let j = 0; j < d; j++) out[dst + j] += table[src + j]!;
  }
}

function embeddingScatterAdd(grad: Vec, d: number, ids: Int32Array, dy: Vec): void {
  for (let t = 0; t < ids.length; t++) {
    const dst = ids[t]! * d;
    const src = t * d;
    for (let j = 0; j < d; j++) grad[dst + j] += dy[src + j]!;
  }
}

function adam(w: Vec, g: Vec, m: Vec, v: Vec, stepSize: number, b1: number, b2: number, eps: number, bc2: number, wd: number): void {
  for (let i = 0; i < w.length; i++) {
    let gi = g[i]!;
    if (wd !== 0) gi += wd * w[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / bc2 + eps);
  }
}

export const jsKernels: Kernels = {
  name: 'js',
  sgemm,
  softmaxCrossEntropy,
  crossEntropyItems,
  gelu: geluTs,
  geluBackward: geluBackwardTs,
  layerNorm,
  layerNormBackward,
  dropout: (x, mask, p, rng) => rng.dropout(x, mask, p, 1 / (1 - p)),
  attention,
  attentionBackward,
  embeddingGather,
  embeddingScatterAdd,
  adam,
};
