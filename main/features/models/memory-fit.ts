/**
 * Whether a model fits this machine's memory, for a chosen context. CPU inference only (what this workbench
 * targets); GPU offload would move weights to VRAM and is not modelled here.
 *
 * Rule (documented so the UI can show it):
 *   need      = weights + kvCache + overhead
 *   weights   = the GGUF file size (all parts; mmap'd, every page is touched while decoding)
 *   kvCache   = kvBytesPerToken x contextSize x sequences (f16 K and V for every layer; node-llama-cpp gives each
 *               sequence its own contextSize cells)
 *   overhead  = 256 MiB + 5% of weights (compute graph, logits, runtime)
 *   available = MemAvailable from /proc/meminfo on Linux (free + reclaimable cache), else os.freemem()
 *   fits      : need <= 80% of available
 *   tight     : need <= available, or need <= 85% of total (fits once other programs free memory)
 *   too-large : otherwise
 */
import fs from 'node:fs';
import os from 'node:os';
import type { GgufModelInfo } from './gguf-info.js';

export type FitVerdict = 'fits' | 'tight' | 'too-large';

export interface MemoryFit {
  verdict: FitVerdict;
  needBytes: number;
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  availableBytes: number;
  totalBytes: number;
  contextSize: number;
  sequences: number;
  /** One line a person can read. */
  explanation: string;
}

export interface MemoryState {
  totalBytes: number;
  availableBytes: number;
}

const MiB = 1024 * 1024;
/** Used when the header does not say (unusual architectures): a 4k-wide, 32-layer model's cell size. */
const FALLBACK_KV_BYTES_PER_TOKEN = 512 * 1024;

/** This machine's memory now. */
export function currentMemory(): MemoryState {
  const totalBytes = os.totalmem();
  let availableBytes = os.freemem();
  if (process.platform === 'linux') {
    try {
      const m = /^MemAvailable:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
      if (m) availableBytes = Number(m[1]) * 1024;
    } catch {
      /* keep freemem */
    }
  }
  return { totalBytes, availableBytes };
}

function gib(n: number): string {
  return `${(n / 1024 ** 3).toFixed(n < 1024 ** 3 ? 2 : 1)} GiB`;
}

export function estimateMemoryFit(
  model: Pick<GgufModelInfo, 'fileBytes' | 'kvBytesPerToken'>,
  opts: { contextSize: number; sequences?: number; memory?: MemoryState },
): MemoryFit {
  const sequences = Math.max(1, opts.sequences ?? 1);
  const mem = opts.memory ?? currentMemory();
  const weightsBytes = model.fileBytes;
  const kvCacheBytes = (model.kvBytesPerToken ?? FALLBACK_KV_BYTES_PER_TOKEN) * opts.contextSize * sequences;
  const overheadBytes = 256 * MiB + Math.round(0.05 * weightsBytes);
  const needBytes = weightsBytes + kvCacheBytes + overheadBytes;
  const verdict: FitVerdict =
    needBytes <= 0.8 * mem.availableBytes ? 'fits' : needBytes <= mem.availableBytes || needBytes <= 0.85 * mem.totalBytes ? 'tight' : 'too-large';
  const what = `needs about ${gib(needBytes)} (weights ${gib(weightsBytes)}, KV cache ${gib(kvCacheBytes)} for ${opts.contextSize} tokens x ${sequences}, overhead ${gib(overheadBytes)}); ${gib(mem.availableBytes)} of ${gib(mem.totalBytes)} available`;
  const explanation =
    verdict === 'fits'
      ? `Fits: ${what}.`
      : verdict === 'tight'
        ? `Tight: ${what}. Close other programs or lower the context or parallel sequences.`
        : `Too large for this machine: ${what}. Pick a smaller model or quantization.`;
  return {
    verdict,
    needBytes,
    weightsBytes,
    kvCacheBytes,
    overheadBytes,
    availableBytes: mem.availableBytes,
    totalBytes: mem.totalBytes,
    contextSize: opts.contextSize,
    sequences,
    explanation,
  };
}
