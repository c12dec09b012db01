// Leave-one-out ranking evaluation. Full ranking: the target is ranked against every real item
// (the padding item 0 is never a candidate) with the user's other history items masked; rank = the
// number of candidates scored strictly higher. Sampled ranking: against N negatives drawn once from
// a seed among items outside the user's history. HR, NDCG and MRR at K = 1, 5, 10, 20.
import { Rng } from './rng.js';
import { sequenceRange, sequenceSource, type Sequences } from './sequence-source.js';

export const DEFAULT_KS = [1, 5, 10, 20] as const;

/** Scores over all items for each history: row u has nItems + 1 floats (index 0 = padding). */
export type Scorer = (histories: readonly Int32Array[]) => Float32Array;

export interface RankingResult {
  /** 0-based rank of each user's target. */
  ranks: Int32Array;
  /** Mean metrics, keys like 'HR@10', 'NDCG@10', 'MRR@10'. */
  metrics: Record<string, number>;
}

export interface RankingInput {
  scorer: Scorer;
  /** Each user's history: an array, or a source read a chunk at a time (base/sequence-source.ts). */
  histories: Sequences;
  targets: Int32Array;
  nItems: number;
  /** Users scored per scorer call (bounds memory to chunk * (nItems + 1) floats); default: defaultChunk(nItems). */
  chunk?: number;
  ks?: readonly number[];
}

/** Floats of scores held at once by default: 32 MB, whatever the number of items. */
export const SCORE_BUFFER_FLOATS = 1 << 23;

/** Users per scorer call: 512, fewer when that many rows of scores would pass SCORE_BUFFER_FLOATS (100k items: 83). */
export function defaultChunk(nItems: number): number {
  return Math.max(1, Math.min(512, Math.floor(SCORE_BUFFER_FLOATS / (nItems + 1))));
}

/**
 * Scores the users a chunk at a time and ranks each one's target with `rankOf` (its score row over all items,
 * the user's index, its history); the ranking loop both protocols share.
 */
function rankInChunks(input: RankingInput, rankOf: (row: Float32Array, u: number, history: Int32Array) => number): RankingResult {
  const { scorer, targets, nItems } = input;
  const histories = sequenceSource(input.histories);
  const n1 = nItems + 1;
  const chunk = input.chunk ?? defaultChunk(nItems);
  const ranks = new Int32Array(histories.length);
  for (let u0 = 0; u0 < histories.length; u0 += chunk) {
    const part = sequenceRange(histories, u0, u0 + chunk);
    const scores = scorer(part);
    for (let b = 0; b < part.length; b++) {
      const u = u0 + b;
      const t = targets[u]!;
      if (t < 1 || t > nItems) throw new RangeError(`target ${t} of user ${u} outside 1..${nItems}`);
      ranks[u] = rankOf(scores.subarray(b * n1, (b + 1) * n1), u, part[b]!);
    }
  }
  return { ranks, metrics: metricsFromRanks(ranks, input.ks) };
}

export function fullRanking(input: RankingInput): RankingResult {
  const { targets, nItems } = input;
  return rankInChunks(input, (row, u, history) => {
    const t = targets[u]!;
    const ts = row[t]!;
    let rank = 0;
    for (let i = 1; i <= nItems; i++) if (row[i]! > ts) rank++;
    // Remove masked history items that were counted (each distinct item once, never the target).
    const seen = new Set<number>();
    for (const h of history) {
      if (h === t || seen.has(h)) continue;
      seen.add(h);
      if (row[h]! > ts) rank--;
    }
    return rank;
  });
}

/**
 * Draws, once, n distinct negatives per user from the items outside the user's history and target, handing each
 * user's to `emit` in user order (one RNG stream: the same seed gives the same negatives however they are kept).
 */
export function drawNegatives(
  histories: Sequences,
  targets: Int32Array,
  nItems: number,
  n: number,
  seed: number,
  emit: (u: number, negatives: Int32Array) => void,
): void {
  const rng = new Rng(seed);
  const src = sequenceSource(histories);
  for (let u = 0; u < src.length; u++) {
    const h = src.get(u);
    const banned = new Set<number>(h);
    banned.add(targets[u]!);
    const avail = nItems - banned.size;
    if (avail < n) throw new RangeError(`user ${u} has only ${avail} candidate negatives (< ${n})`);
    const out = new Int32Array(n);
    const taken = new Set<number>();
    for (let k = 0; k < n;) {
      const c = 1 + rng.int(nItems);
      if (banned.has(c) || taken.has(c)) continue;
      taken.add(c);
      out[k++] = c;
    }
    emit(u, out);
  }
}

export function sampledRanking(input: RankingInput & { negatives: Sequences }): RankingResult {
  const negatives = sequenceSource(input.negatives);
  return rankInChunks(input, (row, u) => {
    const ts = row[input.targets[u]!]!;
    let rank = 0;
    for (const c of negatives.get(u)) if (row[c]! > ts) rank++;
    return rank;
  });
}

export function perUserMetric(ranks: Int32Array, metric: 'HR' | 'NDCG' | 'MRR', k: number): Float64Array {
  const out = new Float64Array(ranks.length);
  for (let u = 0; u < ranks.length; u++) {
    const r = ranks[u]!;
    if (r >= k) continue;
    out[u] = metric === 'HR' ? 1 : metric === 'NDCG' ? 1 / Math.log2(r + 2) : 1 / (r + 1);
  }
  return out;
}

export function metricsFromRanks(ranks: Int32Array, ks: readonly number[] = DEFAULT_KS): Record<string, number> {
  const m: Record<string, number> = {};
  const n = Math.max(1, ranks.length);
  for (const k of ks) {
    for (const name of ['HR', 'NDCG', 'MRR'] as const) {
      const v = perUserMetric(ranks, name, k);
      let s = 0;
      for (const x of v) s += x;
      m[`${name}@${k}`] = s / n;
    }
  }
  return m;
}
