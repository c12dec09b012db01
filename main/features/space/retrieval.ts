// How well a space finds each user's rationale from their behaviour: for user i, all rationales of the
// evaluated users are candidates, scored by cosine to b_i; rank = 1 + the number scored strictly higher
// than r_i (ties count in the user's favour, as in the engine's ranking metrics).

export interface RetrievalMetrics {
  users: number;
  'recall@1': number;
  'recall@5': number;
  'recall@10': number;
  mrr: number;
  /** Mean cosine between a user's behaviour and own rationale, and to the others' (the gap is the signal). */
  meanPositiveCos: number;
  meanNegativeCos: number;
}

/** Rows must be l2-normalised (tower outputs from embedRows are). */
export function retrievalRanks(b: readonly Float32Array[], r: readonly Float32Array[]): { ranks: Int32Array; pos: number; neg: number } {
  const n = b.length;
  if (r.length !== n) throw new RangeError('retrieval needs one rationale per behaviour');
  const ranks = new Int32Array(n);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const bi = b[i]!;
    const d = bi.length;
    const scores = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const rk = r[k]!;
      let s = 0;
      for (let c = 0; c < d; c++) s += bi[c]! * rk[c]!;
      scores[k] = s;
    }
    const own = scores[i]!;
    let higher = 0;
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      if (scores[k]! > own) higher++;
      neg += scores[k]!;
    }
    pos += own;
    ranks[i] = higher + 1;
  }
  return { ranks, pos: n ? pos / n : 0, neg: n > 1 ? neg / (n * (n - 1)) : 0 };
}

export function retrievalMetrics(b: readonly Float32Array[], r: readonly Float32Array[]): RetrievalMetrics {
  const { ranks, pos, neg } = retrievalRanks(b, r);
  const n = ranks.length;
  const at = (k: number) => (n ? ranks.filter((x) => x <= k).length / n : 0);
  let mrr = 0;
  for (const x of ranks) mrr += 1 / x;
  return { users: n, 'recall@1': at(1), 'recall@5': at(5), 'recall@10': at(10), mrr: n ? mrr / n : 0, meanPositiveCos: pos, meanNegativeCos: neg };
}
