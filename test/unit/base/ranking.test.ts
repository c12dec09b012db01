import { describe, expect, it } from 'vitest';
import { drawNegatives, fullRanking, metricsFromRanks, sampledRanking, type Scorer } from '../../../main/base/ranking.js';

const nItems = 6;
// Fixed scores per user over items 0..6 (index 0 = padding).
const table = [
  [-Infinity, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4], // user 0
  [-Infinity, 0.1, 0.9, 0.9, 0.2, 0.3, 0.95], // user 1
];
const scorer: Scorer = (hs) => Float32Array.from(hs.flatMap((h) => table[h[0] === 1 ? 0 : 1]!));

describe('full ranking', () => {
  it('masks the other history items and counts strictly higher scores', () => {
    // user 0: history [1, 2], target 4 (0.6): higher are 1 (masked), 2 (masked), 3 -> rank 1.
    // user 1: history [5, 4], target 3 (0.9): higher is 6 (0.95); 2 ties (not counted) -> rank 1.
    const r = fullRanking({ scorer, histories: [Int32Array.from([1, 2]), Int32Array.from([5, 4])], targets: Int32Array.from([4, 3]), nItems });
    expect(Array.from(r.ranks)).toEqual([1, 1]);
    expect(r.metrics['HR@1']).toBe(0);
    expect(r.metrics['HR@5']).toBe(1);
    expect(r.metrics['NDCG@5']).toBeCloseTo(1 / Math.log2(3), 12);
    expect(r.metrics['MRR@5']).toBeCloseTo(0.5, 12);
  });

  it('does not mask the target when it also appears in the history', () => {
    const r = fullRanking({ scorer, histories: [Int32Array.from([1, 3, 3])], targets: Int32Array.from([3]), nItems });
    // target 3 (0.7); higher: 1 (masked), 2 (not in history) -> rank 1
    expect(r.ranks[0]).toBe(1);
  });
});

describe('metrics', () => {
  it('hand-computed HR / NDCG / MRR at K = 1, 5, 10, 20', () => {
    const m = metricsFromRanks(Int32Array.from([0, 3, 9, 15, 40]));
    expect(m['HR@1']).toBeCloseTo(1 / 5, 12);
    expect(m['HR@5']).toBeCloseTo(2 / 5, 12);
    expect(m['HR@10']).toBeCloseTo(3 / 5, 12);
    expect(m['HR@20']).toBeCloseTo(4 / 5, 12);
    expect(m['NDCG@10']).toBeCloseTo((1 + 1 / Math.log2(5) + 1 / Math.log2(11)) / 5, 12);
    expect(m['MRR@20']).toBeCloseTo((1 + 1 / 4 + 1 / 10 + 1 / 16) / 5, 12);
    expect(m['NDCG@1']).toBeCloseTo(1 / 5, 12);
  });
});

describe('sampled ranking', () => {
  it('draws negatives outside the history, once, reproducibly', () => {
    const hs = [Int32Array.from([1, 2]), Int32Array.from([5, 4])];
    const tg = Int32Array.from([4, 3]);
    const draw = (n: number): Int32Array[] => {
      const out: Int32Array[] = [];
      drawNegatives(hs, tg, nItems, n, 7, (u, neg) => (out[u] = neg));
      return out;
    };
    const a = draw(3);
    const b = draw(3);
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
    a.forEach((neg, u) => {
      expect(new Set(neg).size).toBe(3);
      for (const c of neg) {
        expect(hs[u]!.includes(c)).toBe(false);
        expect(c).not.toBe(tg[u]);
        expect(c).toBeGreaterThanOrEqual(1);
      }
    });
    // user 0's candidates outside {1,2,4} are exactly {3,5,6}: rank of 4 (0.6) = #{3 (0.7)} = 1
    const r = sampledRanking({ scorer, histories: hs, targets: tg, nItems, negatives: a });
    expect(r.ranks[0]).toBe(1);
    expect(() => draw(4)).toThrow(/candidate negatives/);
  });
});
