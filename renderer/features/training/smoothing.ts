/**
 * TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's first moment, so the first
 * points are not pulled towards zero. weight in [0, 1); 0 returns the values unchanged. Non-finite values pass
 * through without touching the average.
 */
export function debiasedEma(values: number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
