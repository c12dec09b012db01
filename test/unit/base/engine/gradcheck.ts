// Central finite differences in float64 for the engine's gradient tests.
import type { Vec } from '../../../../main/base/engine/kernels.js';

/** Max relative error between analytic grad and numeric d f / d x[i] over the given indices. */
export function checkGrad(f: () => number, x: Vec, analytic: Vec, indices?: number[], eps = 1e-6): number {
  const idx = indices ?? Array.from({ length: x.length }, (_, i) => i);
  let worst = 0;
  for (const i of idx) {
    const old = x[i]!;
    x[i] = old + eps;
    const fp = f();
    x[i] = old - eps;
    const fm = f();
    x[i] = old;
    const num = (fp - fm) / (2 * eps);
    const a = analytic[i]!;
    const err = Math.abs(num - a) / Math.max(1e-6, Math.abs(num) + Math.abs(a));
    if (err > worst) worst = err;
  }
  return worst;
}

export function randomVec(n: number, seed: number, scale = 1): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Up to n evenly spread indices of an array of length len. */
export function sampleIdx(len: number, n: number): number[] {
  if (len <= n) return Array.from({ length: len }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.floor((i * len) / n + (i % 3)));
}
