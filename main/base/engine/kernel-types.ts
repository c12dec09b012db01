// The kernel interface the engine computes through (kernels.ts picks the native or the TypeScript implementation).
import type { Rng } from '../rng.js';

export type Vec = Float32Array | Float64Array;

export interface Kernels {
  readonly name: 'native' | 'js';
  /** Row-major C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C; arrays are views at their first element. */
  sgemm(
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
  ): void;
  /** Overwrites logits[rows,cols] with scale*(softmax - onehot(target)); returns the summed -log p(target). */
  softmaxCrossEntropy(logits: Vec, rows: number, cols: number, targets: Int32Array, scale: number): number;
  /**
   * The output layer with softmax CE over items: logits = h[rows, d] table[nItems, d]^T, classes cls (0-based).
   * Writes dh = scale * d loss / dh, adds scale * d loss / dtable into dtable, returns the summed -log p(cls).
   * scratch (optional) lends a buffer of n floats to an implementation that needs one.
   */
  crossEntropyItems(
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
  ): number;
  /** y = gelu(x) (erf form). */
  gelu(x: Vec, y: Vec): void;
  /** dy *= gelu'(x), in place. */
  geluBackward(x: Vec, dy: Vec): void;
  /** Layer norm over rows of width d: y = xhat * g + b, with xhat and 1/std per row kept for the backward. */
  layerNorm(x: Vec, rows: number, d: number, g: Vec, b: Vec, eps: number, y: Vec, xhat: Vec, rstd: Vec): void;
  /** Writes dx; adds the gradients of g and b into dg and db. */
  layerNormBackward(dy: Vec, xhat: Vec, rstd: Vec, rows: number, d: number, g: Vec, dg: Vec, db: Vec, dx: Vec): void;
  /** Inverted dropout in place, one rng draw per element (the same stream on every kernel); mask gets 0 or 1/(1-p). */
  dropout(x: Vec, mask: Vec, p: number, rng: Rng): void;
  /**
   * Causal multi-head attention over packed sequences (see attention.ts): out[T, d] += softmax(q k^T / sqrt(dh)) v,
   * probs and (with dropout) mask per sequence and head in n*n blocks at blockOffsets; out must start at zero.
   */
  attention(
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
  ): void;
  /** Adds the gradient with respect to qkv [T, 3d] into dqkv. */
  attentionBackward(
    qkv: Vec,
    offsets: Int32Array,
    d: number,
    heads: number,
    blockOffsets: Int32Array,
    probs: Vec,
    mask: Vec | null,
    dout: Vec,
    dqkv: Vec,
  ): void;
  /** out[t] += table[ids[t]] (rows of width d). */
  embeddingGather(table: Vec, d: number, ids: Int32Array, out: Vec): void;
  /** grad[ids[t]] += dy[t]. */
  embeddingScatterAdd(grad: Vec, d: number, ids: Int32Array, dy: Vec): void;
  /** One Adam step on one parameter tensor (see adam.ts for the formula). */
  adam(w: Vec, g: Vec, m: Vec, v: Vec, stepSize: number, beta1: number, beta2: number, eps: number, bc2: number, weightDecay: number): void;
}
