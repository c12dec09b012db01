/**
 * Near-duplicate candidates by MinHash LSH over word 3-shingles: two texts whose signatures agree on one band of
 * rows are candidates; the caller then computes their Jaccard exactly. Pure functions, no storage.
 */
import { tokens } from './words.js';

const HASHES = 64;
const BANDS = 16;
const ROWS = HASHES / BANDS;
const SEEDS = Array.from({ length: HASHES }, (_, i) => fmix(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Hashed word 3-shingles (the words themselves for texts under three words). */
export function shingles(text: string): Set<number> {
  const t = tokens(text);
  const out = new Set<number>();
  if (t.length < 3) {
    if (t.length) out.add(fnv(t.join(' ')));
    return out;
  }
  for (let i = 0; i + 3 <= t.length; i++) out.add(fnv(`${t[i]} ${t[i + 1]} ${t[i + 2]}`));
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Band keys of the MinHash signature: two texts sharing one are near-duplicate candidates. Unique across bands. */
export function bandKeys(sh: Set<number>): number[] {
  if (sh.size === 0) return [];
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of sh) {
    for (let k = 0; k < HASHES; k++) {
      const h = fmix(x ^ SEEDS[k]!);
      if (h < sig[k]!) sig[k] = h;
    }
  }
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = fmix(Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193));
    keys.push(b * 2 ** 32 + h);
  }
  return keys;
}

/** Up to `n` members of a sorted id list closest to `id` (a bounded look into a large LSH bucket). */
export function nearest(list: number[], id: number, n: number): number[] {
  if (list.length <= n) return list;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  const from = Math.max(0, Math.min(lo - (n >> 1), list.length - n));
  return list.slice(from, from + n);
}
