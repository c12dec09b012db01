// The compute kernels the engine needs, behind one interface: the native addon (native/, float32, both
// cores; matrix products through OpenBLAS when it was built with it, else its own blocked SGEMM) when it
// is built, else the TypeScript kernels (ts-kernels.ts), which also accept Float64Array for the gradient
// tests. Every kernel writes into buffers the caller allocated.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernels, Vec } from './kernel-types.js';
import type { Rng } from '../rng.js';
import { jsKernels } from './ts-kernels.js';

export { jsKernels };
export type { Kernels, Vec };

/** What the addon exports (native/src/addon.cc); float32 only, and rng state passed as 4 uint32 words. */
interface NativeAddon {
  sgemm: Kernels['sgemm'];
  builtinSgemm: Kernels['sgemm'];
  softmaxCrossEntropy: Kernels['softmaxCrossEntropy'];
  crossEntropyItems(h: Vec, rows: number, d: number, table: Vec, nItems: number, cls: Int32Array, scale: number, dh: Vec, dtable: Vec): number;
  gelu: Kernels['gelu'];
  geluBackward: Kernels['geluBackward'];
  layerNorm: Kernels['layerNorm'];
  layerNormBackward: Kernels['layerNormBackward'];
  dropout(x: Vec, mask: Vec, p: number, keep: number, state: Uint32Array): void;
  attention(
    qkv: Vec,
    offsets: Int32Array,
    d: number,
    heads: number,
    blockOffsets: Int32Array,
    probs: Vec,
    mask: Vec | null,
    dropout: number,
    state: Uint32Array | null,
    out: Vec,
  ): void;
  attentionBackward: Kernels['attentionBackward'];
  embeddingGather: Kernels['embeddingGather'];
  embeddingScatterAdd: Kernels['embeddingScatterAdd'];
  adam: Kernels['adam'];
  setThreads(n: number): void;
  info(): { gemm: 'openblas' | 'builtin'; blas: string; isa: string; threads: number };
}

/** Which kernels run, and why: what `pulse doctor` and the status bar show. */
export interface KernelInfo {
  kernels: 'native' | 'js';
  /** native+openblas, native+builtin (the addon's own SGEMM) or typescript. */
  variant: 'native+openblas' | 'native+builtin' | 'typescript';
  reason: string;
  /** The addon file, when one was found. */
  addon?: string;
  blas?: string;
  isa?: string;
  threads?: number;
}

const REQUIRED = [
  'sgemm',
  'softmaxCrossEntropy',
  'crossEntropyItems',
  'gelu',
  'geluBackward',
  'layerNorm',
  'layerNormBackward',
  'dropout',
  'attention',
  'attentionBackward',
  'embeddingGather',
  'embeddingScatterAdd',
  'adam',
  'info',
] as const;

let cached: Kernels | undefined;
let cachedInfo: KernelInfo | undefined;
let loadedAddon: NativeAddon | undefined;

function addonPath(): string | undefined {
  const env = process.env.PULSE_NATIVE_ADDON;
  if (env) return resolve(env);
  // Walk up from this file (main/base/engine or build/main/base/engine) to find native/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'native', 'build', 'Release', 'pulse_kernels.node');
    if (existsSync(p)) return p;
    dir = resolve(dir, '..');
  }
  return undefined;
}

function nativeKernels(addon: NativeAddon): Kernels {
  const state = new Uint32Array(4);
  const withState = (rng: Rng, f: (s: Uint32Array) => void): void => {
    state.set(rng.getState());
    f(state);
    rng.setState([state[0]!, state[1]!, state[2]!, state[3]!]);
  };
  return {
    name: 'native',
    sgemm: addon.sgemm,
    softmaxCrossEntropy: addon.softmaxCrossEntropy,
    crossEntropyItems: (h, rows, d, table, nItems, cls, scale, dh, dtable) => addon.crossEntropyItems(h, rows, d, table, nItems, cls, scale, dh, dtable),
    gelu: addon.gelu,
    geluBackward: addon.geluBackward,
    layerNorm: addon.layerNorm,
    layerNormBackward: addon.layerNormBackward,
    dropout: (x, mask, p, rng) => withState(rng, (s) => addon.dropout(x, mask, p, 1 / (1 - p), s)),
    attention(qkv, offsets, d, heads, blockOffsets, probs, mask, dropout, rng, out) {
      if (mask && rng) withState(rng, (s) => addon.attention(qkv, offsets, d, heads, blockOffsets, probs, mask, dropout, s, out));
      else addon.attention(qkv, offsets, d, heads, blockOffsets, probs, null, 0, null, out);
    },
    attentionBackward: addon.attentionBackward,
    embeddingGather: addon.embeddingGather,
    embeddingScatterAdd: addon.embeddingScatterAdd,
    adam: addon.adam,
  };
}

/**
 * The native kernels if the addon is built and loads (and PULSE_KERNELS is not 'js'), else the TypeScript
 * ones, with a one-line warning saying why.
 */
export function loadKernels(): Kernels {
  if (cached) return cached;
  const p = addonPath();
  if (process.env.PULSE_KERNELS === 'js') {
    cachedInfo = { kernels: 'js', variant: 'typescript', reason: 'PULSE_KERNELS=js is set', ...(p ? { addon: p } : {}) };
  } else if (!p) {
    cachedInfo = {
      kernels: 'js',
      variant: 'typescript',
      reason: 'the native addon is not built (run `node scripts/build-native.mjs`; it needs a C++ compiler: apt-get install -y g++ make)',
    };
    console.warn(`[pulse] native kernels not built (run \`node scripts/build-native.mjs\`); using slow TypeScript kernels`);
  } else {
    try {
      const addon = createRequire(import.meta.url)(p) as NativeAddon;
      const missing = REQUIRED.filter((k) => typeof addon[k] !== 'function');
      if (missing.length) throw new Error(`it is an older build without ${missing.join(', ')}; rebuild it with \`node scripts/build-native.mjs\``);
      const i = addon.info();
      loadedAddon = addon;
      cached = nativeKernels(addon);
      cachedInfo = {
        kernels: 'native',
        variant: i.gemm === 'openblas' ? 'native+openblas' : 'native+builtin',
        reason:
          i.gemm === 'openblas'
            ? 'native addon built with OpenBLAS'
            : 'native addon built with its own SGEMM (no OpenBLAS found at build time, or PULSE_NATIVE_BLAS=none)',
        addon: p,
        blas: i.blas,
        isa: i.isa,
        threads: i.threads,
      };
      return cached;
    } catch (e) {
      const msg = (e as Error).message;
      cachedInfo = { kernels: 'js', variant: 'typescript', reason: `the native addon at ${p} failed to load: ${msg}`, addon: p };
      console.warn(`[pulse] native kernels failed to load (${msg}); using slow TypeScript kernels`);
    }
  }
  cached = jsKernels;
  return cached;
}

/** Which kernels are in use and why (loads them if needed). */
export function kernelInfo(): KernelInfo {
  loadKernels();
  return cachedInfo!;
}

/**
 * Threads the native kernels use from now on (default: PULSE_THREADS, else the cores, at most 16). Results do not
 * depend on it. No effect on the TypeScript kernels.
 */
export function setKernelThreads(n: number): void {
  loadKernels();
  if (!loadedAddon) return;
  loadedAddon.setThreads(Math.max(1, Math.floor(n)));
  cachedInfo = { ...cachedInfo!, threads: loadedAddon.info().threads };
}
