// The compute kernels the engine needs, behind one interface: the native addon (OpenBLAS sgemm,
// fused softmax-CE) when it is built, else pure TypeScript. The TypeScript kernels also accept
// Float64Array, which the gradient tests use to check the math without float32 rounding.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geluBackwardTs, geluTs } from './gelu.js';

export type Vec = Float32Array | Float64Array;

export interface Kernels {
  readonly name: 'native' | 'js';
  /** Row-major C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C; arrays are views at their first element. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Vec,
    lda: number,
    b: Vec,
    ldb: number,
    beta: number,
    c: Vec,
    ldc: number,
  ): void;
  /** Overwrites logits[rows,cols] with scale*(softmax - onehot(target)); returns the summed -log p(target). */
  softmaxCrossEntropy(logits: Vec, rows: number, cols: number, targets: Int32Array, scale: number): number;
  /** y = gelu(x) (erf form). */
  gelu(x: Vec, y: Vec): void;
  /** dy *= gelu'(x), in place. */
  geluBackward(x: Vec, dy: Vec): void;
}

export const jsKernels: Kernels = {
  gelu: geluTs,
  geluBackward: geluBackwardTs,
  name: 'js',
  sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
      else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
    }
    if (k === 0 || alpha === 0) return;
    if (!transB) {
      // i-p-j order: the inner loop walks rows of B and C contiguously.
      for (let i = 0; i < m; i++) {
        const ci = i * ldc;
        for (let p = 0; p < k; p++) {
          const av = alpha * (transA ? a[p * lda + i]! : a[i * lda + p]!);
          if (av === 0) continue;
          const bp = p * ldb;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j]!;
        }
      }
    } else {
      for (let i = 0; i < m; i++) {
        const ci = i * ldc;
        for (let j = 0; j < n; j++) {
          const bj = j * ldb;
          let s = 0;
          if (transA) for (let p = 0; p < k; p++) s += a[p * lda + i]! * b[bj + p]!;
          else {
            const ai = i * lda;
            for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
          }
          c[ci + j] += alpha * s;
        }
      }
    }
  },
  softmaxCrossEntropy(logits, rows, cols, targets, scale) {
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let mx = -Infinity;
      for (let j = 0; j < cols; j++) if (logits[o + j]! > mx) mx = logits[o + j]!;
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(logits[o + j]! - mx);
        logits[o + j] = e;
        sum += e;
      }
      const t = targets[r]!;
      if (t < 0 || t >= cols) throw new RangeError('softmaxCrossEntropy: target out of range');
      loss += -Math.log(Math.max(logits[o + t]! / sum, 1e-30));
      const inv = scale / sum;
      for (let j = 0; j < cols; j++) logits[o + j] *= inv;
      logits[o + t] -= scale;
    }
    return loss;
  },
};

interface NativeAddon {
  sgemm: Kernels['sgemm'];
  softmaxCrossEntropy: Kernels['softmaxCrossEntropy'];
  gelu?: Kernels['gelu'];
  geluBackward?: Kernels['geluBackward'];
  setThreads(n: number): void;
  info(): { blas: string; threads: number };
}

let cached: Kernels | undefined;
let nativeInfo: { blas: string; threads: number } | undefined;

function addonPath(): string | undefined {
  const env = process.env.PULSE_NATIVE_ADDON;
  if (env) return env;
  // Walk up from this file (main/training/engine or build/main/training/engine) to find native/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'native', 'build', 'Release', 'pulse_kernels.node');
    if (existsSync(p)) return p;
    dir = resolve(dir, '..');
  }
  return undefined;
}

/** The native kernels if the addon is built (and PULSE_KERNELS is not 'js'), else the TypeScript ones. */
export function loadKernels(): Kernels {
  if (cached) return cached;
  const p = process.env.PULSE_KERNELS === 'js' ? undefined : addonPath();
  if (p) {
    try {
      const addon = createRequire(import.meta.url)(p) as NativeAddon;
      nativeInfo = addon.info();
      cached = {
        name: 'native',
        sgemm: addon.sgemm as Kernels['sgemm'],
        softmaxCrossEntropy: addon.softmaxCrossEntropy as Kernels['softmaxCrossEntropy'],
        // An addon built before gelu existed still works for the rest.
        gelu: (addon.gelu as Kernels['gelu'] | undefined) ?? geluTs,
        geluBackward: (addon.geluBackward as Kernels['geluBackward'] | undefined) ?? geluBackwardTs,
      };
      return cached;
    } catch (e) {
      console.warn(`[pulse] native kernels failed to load (${(e as Error).message}); using slow TypeScript kernels`);
    }
  } else if (process.env.PULSE_KERNELS !== 'js') {
    console.warn('[pulse] native kernels not built (run `node scripts/build-native.mjs`); using slow TypeScript kernels');
  }
  cached = jsKernels;
  return cached;
}

/** BLAS build string and thread count when the native kernels are loaded. */
export function kernelInfo(): { kernels: 'native' | 'js'; blas?: string; threads?: number } {
  const k = loadKernels();
  return { kernels: k.name, ...nativeInfo };
}
