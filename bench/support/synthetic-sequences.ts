// Generated interaction sequences for the scale benchmarks (never committed, written where a benchmark asks):
// lengths 5 + exponential (mean 15, at most 400), scaled so the total is exact; items from a Zipf-like
// popularity (exponent 1.05) mixed with a per-user neighbourhood (half the picks near the user's last item), so
// sequences have some structure. Users are produced one at a time, in order; the interactions are never held.
import fs from 'node:fs';
import { Rng } from '../../main/base/rng.js';

export interface SyntheticSequences {
  users: number;
  items: number;
  lengths: Int32Array;
  /** User u's sequence (item ids 1..items); call for u = 0, 1, 2, ... in order. The array is reused. */
  next(u: number): Int32Array;
}

/** Defaults: the 1M users, 100k items, 20M interactions. `total` must be at least 5 per user. */
export function syntheticSequences(users = 1_000_000, items = 100_000, total = 20_000_000, seed = 20251206): SyntheticSequences {
  if (total < 5 * users) throw new RangeError(`${total} interactions cannot give ${users} users 5 each`);
  const rng = new Rng(seed);
  const lengths = new Int32Array(users);
  let sum = 0;
  for (let u = 0; u < users; u++) {
    lengths[u] = Math.min(400, 5 + Math.floor(-Math.log(1 - rng.next()) * 15));
    sum += lengths[u]!;
  }
  // Exactly `total`: spread the difference one item at a time over the users (never below 5).
  for (let u = 0; sum !== total; u = (u + 1) % users) {
    const step = sum < total ? 1 : lengths[u]! > 5 ? -1 : 0;
    lengths[u] += step;
    sum += step;
  }
  const cdf = new Float64Array(items);
  let z = 0;
  for (let i = 0; i < items; i++) cdf[i] = z += 1 / Math.pow(i + 1, 1.05);
  const popular = (): number => {
    const x = rng.next() * z;
    let lo = 0;
    let hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const buf = new Int32Array(400);
  return {
    users,
    items,
    lengths,
    next: (u) => {
      const s = buf.subarray(0, lengths[u]!);
      let prev = popular();
      for (let i = 0; i < s.length; i++) {
        prev = rng.next() < 0.5 ? popular() : 1 + ((prev - 1 + Math.floor(rng.next() * 41) - 20 + items) % items);
        s[i] = prev;
      }
      return s;
    },
  };
}

/** Writes generated sequences as S3-Rec text (`user item item ...`, ids from 1), streamed. */
export function writeS3RecText(file: string, g: SyntheticSequences): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk: string[] = [];
    for (let u = 0; u < g.users; u++) {
      chunk.push(`${u + 1} ${Array.from(g.next(u)).join(' ')}\n`);
      if (chunk.length === 10_000) {
        fs.writeSync(fd, chunk.join(''));
        chunk = [];
      }
    }
    fs.writeSync(fd, chunk.join(''));
  } finally {
    fs.closeSync(fd);
  }
}
