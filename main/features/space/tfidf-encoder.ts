// The built-in encoder that needs no weights: TF-IDF over word unigrams and bigrams (sublinear tf, smooth
// idf, l2 rows, as scikit-learn's TfidfVectorizer) reduced by a seeded randomized truncated SVD (LSA),
// fitted on the workspace's own text. Serialized as one file: vocabulary and options in the header,
// idf and the projection as float32 arrays.
import { createHash } from 'node:crypto';
import { readCheckpointFile, writeCheckpointFile } from '../../base/engine/checkpoint-file.js';
import { dense, l2normalize, randomizedSvd, type Dense, type LinearOperator } from '../../base/linalg.js';
import type { TextEncoder } from './text-encoder.js';

export interface TfidfOptions {
  /** Output width (SVD components); capped by the corpus' rank. Default 128. */
  dim: number;
  /** Keep at most this many terms, the most frequent by document frequency. Default 20000. */
  maxFeatures: number;
  /** Drop terms seen in fewer documents (falls back to 1 on corpora too small for it). Default 2. */
  minDf: number;
  seed: number;
  powerIters: number;
}

export const TFIDF_DEFAULTS: TfidfOptions = { dim: 128, maxFeatures: 20000, minDf: 2, seed: 0, powerIters: 2 };

const FORMAT = 'pulse-tfidf-1';

/** Lower-cased word tokens of two or more letters or digits, then adjacent pairs as bigrams. */
export function tfidfTerms(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2);
  const terms = [...words];
  for (let i = 0; i + 1 < words.length; i++) terms.push(`${words[i]} ${words[i + 1]}`);
  return terms;
}

interface SparseRow {
  idx: Int32Array;
  val: Float64Array;
}

export class TfidfEncoder implements TextEncoder {
  readonly id: string;
  private readonly index: Map<string, number>;

  private constructor(
    readonly terms: string[],
    readonly idf: Float32Array,
    /** [terms x dim] row-major. */
    readonly projection: Float32Array,
    readonly dim: number,
    readonly options: TfidfOptions,
  ) {
    this.index = new Map(terms.map((t, i) => [t, i]));
    const h = createHash('sha256');
    h.update(JSON.stringify(terms));
    h.update(new Uint8Array(idf.buffer, idf.byteOffset, idf.byteLength));
    h.update(new Uint8Array(projection.buffer, projection.byteOffset, projection.byteLength));
    this.id = `tfidf:d${dim}:${h.digest('hex').slice(0, 12)}`;
  }

  /** Fits vocabulary, idf and projection on a corpus. Deterministic for a given corpus and seed. */
  static fit(corpus: string[], opts: Partial<TfidfOptions> = {}, tick?: () => void): TfidfEncoder {
    const o = { ...TFIDF_DEFAULTS, ...opts };
    const df = new Map<string, number>();
    const docs = corpus.map((t) => tfidfTerms(t));
    for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
    const byDf = (min: number) =>
      [...df.entries()]
        .filter(([, c]) => c >= min)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, o.maxFeatures);
    let kept = byDf(o.minDf);
    if (kept.length < Math.min(o.dim, df.size)) kept = byDf(1);
    // Sorted terms give a vocabulary order independent of the corpus' order.
    const terms = kept.map(([t]) => t).sort();
    const n = corpus.length;
    const idf = new Float32Array(terms.length);
    terms.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1));
    const proto = new TfidfEncoder(terms, idf, new Float32Array(0), 0, o);
    const rows = docs.map((d) => proto.vectorize(d));
    const op = sparseOperator(rows, terms.length);
    const k = Math.max(1, Math.min(o.dim, n, terms.length));
    const { v } = randomizedSvd(op, k, { seed: o.seed, powerIters: o.powerIters, tick });
    return new TfidfEncoder(terms, idf, Float32Array.from(v.data), v.cols, o);
  }

  /** The l2-normalised sublinear TF-IDF row of a tokenised text (unknown terms dropped). */
  private vectorize(terms: string[]): SparseRow {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const i = this.index.get(t);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    idx.forEach((i, j) => {
      const w = (1 + Math.log(tf.get(i)!)) * this.idf[i]!;
      val[j] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < val.length; j++) val[j]! /= norm;
    return { idx, val };
  }

  /** TF-IDF vector projected to `dim` and l2-normalised (a text with no known term maps to zeros). */
  async encode(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.encodeOne(t));
  }

  encodeOne(text: string): Float32Array {
    const { idx, val } = this.vectorize(tfidfTerms(text));
    const out = new Float64Array(this.dim);
    for (let j = 0; j < idx.length; j++) {
      const o = idx[j]! * this.dim;
      const w = val[j]!;
      for (let c = 0; c < this.dim; c++) out[c] += w * this.projection[o + c]!;
    }
    return l2normalize(out);
  }

  /** Nothing native to release. */
  async dispose(): Promise<void> {}

  save(file: string): void {
    writeCheckpointFile(file, { format: FORMAT, dim: this.dim, options: this.options, terms: this.terms }, [
      { name: 'idf', data: this.idf },
      { name: 'projection', data: this.projection },
    ]);
  }

  static load(file: string): TfidfEncoder {
    const { header, arrays } = readCheckpointFile(file);
    if (header.format !== FORMAT) throw new Error(`${file} is not a PULSE TF-IDF encoder`);
    return new TfidfEncoder(
      header.terms as string[],
      arrays.get('idf') as Float32Array,
      arrays.get('projection') as Float32Array,
      header.dim as number,
      header.options as TfidfOptions,
    );
  }
}

/** X (docs x terms) as a sparse linear operator for the randomized SVD. */
function sparseOperator(rows: SparseRow[], cols: number): LinearOperator {
  return {
    rows: rows.length,
    cols,
    mul(m: Dense) {
      const k = m.cols;
      const out = dense(rows.length, k);
      rows.forEach((r, i) => {
        const o = i * k;
        for (let j = 0; j < r.idx.length; j++) {
          const w = r.val[j]!;
          const p = r.idx[j]! * k;
          for (let c = 0; c < k; c++) out.data[o + c] += w * m.data[p + c]!;
        }
      });
      return out;
    },
    mulT(m: Dense) {
      const k = m.cols;
      const out = dense(cols, k);
      rows.forEach((r, i) => {
        const o = i * k;
        for (let j = 0; j < r.idx.length; j++) {
          const w = r.val[j]!;
          const p = r.idx[j]! * k;
          for (let c = 0; c < k; c++) out.data[p + c] += w * m.data[o + c]!;
        }
      });
      return out;
    },
  };
}
