// GELU in the erf form (PyTorch's default) for the TypeScript kernels.
import type { Vec } from './kernel-types.js';

/**
 * erf with |error| < 1.2e-7 (Numerical Recipes erfc Chebyshev fit), and its exact derivative, so
 * the GELU backward is the true gradient of the GELU forward (the gradient tests rely on it).
 */
function erfParts(x: number): { erf: number; deriv: number } {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const dpoly =
    1.00002368 +
    t *
      (2 * 0.37409196 +
        t *
          (3 * 0.09678418 +
            t * (4 * -0.18628806 + t * (5 * 0.27886807 + t * (6 * -1.13520398 + t * (7 * 1.48851587 + t * (8 * -0.82215223 + t * 9 * 0.17087277)))))));
  const e = Math.exp(-z * z + poly);
  const r = t * e;
  const dt = -0.5 * t * t;
  const dr = dt * e + r * (-2 * z + dpoly * dt);
  return { erf: x >= 0 ? 1 - r : r - 1, deriv: -dr };
}

export function erf(x: number): number {
  return erfParts(x).erf;
}

const INV_SQRT2 = Math.SQRT1_2;

export function geluTs(x: Vec, y: Vec): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = 0.5 * v * (1 + erf(v * INV_SQRT2));
  }
}

/** In place: dy becomes dx. */
export function geluBackwardTs(x: Vec, dy: Vec): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const p = erfParts(v * INV_SQRT2);
    dy[i] = dy[i]! * (0.5 * (1 + p.erf) + 0.5 * v * p.deriv * INV_SQRT2);
  }
}
