import { describe, expect, it } from 'vitest';
import { mean, meanStdOverRuns, pairedTTest, regIncBeta, std, studentTwoSidedP } from '../../../main/base/stats.js';

describe('stats', () => {
  it('mean and sample std', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 8);
    const s = meanStdOverRuns([{ 'HR@10': 0.1 }, { 'HR@10': 0.3 }]);
    expect(s['HR@10']!.mean).toBeCloseTo(0.2, 12);
    expect(s['HR@10']!.std).toBeCloseTo(Math.SQRT2 * 0.1, 12);
  });

  it('incomplete beta and Student t tail against known values', () => {
    expect(regIncBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 10);
    // scipy.stats.t.sf(2.0, 10) * 2 = 0.07338803477
    expect(studentTwoSidedP(2.0, 10)).toBeCloseTo(0.07338803477, 8);
    // two-sided p for t = 1.0, df = 1 is 0.5
    expect(studentTwoSidedP(1.0, 1)).toBeCloseTo(0.5, 10);
  });

  it('paired t-test matches a hand computation', () => {
    const a = [0.5, 0.7, 0.2, 0.9, 0.4];
    const b = [0.4, 0.5, 0.3, 0.6, 0.3];
    // d = [0.1, 0.2, -0.1, 0.3, 0.1]; mean 0.12; sd = 0.14832397; t = 0.12 / (0.14832397 / sqrt 5) = 1.80907
    const r = pairedTTest(a, b);
    expect(r.meanDiff).toBeCloseTo(0.12, 12);
    expect(r.t).toBeCloseTo(1.809068067, 6);
    expect(r.df).toBe(4);
    // scipy.stats.ttest_rel(a, b).pvalue = 0.14468...
    expect(r.p).toBeCloseTo(0.1446, 3);
    expect(pairedTTest([1, 2], [1, 2]).p).toBe(1);
  });
});
