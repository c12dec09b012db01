/**
 * The local SLM runtime: node-llama-cpp's Llama (one per GPU setting for the process, prebuilt binaries only) and
 * loading a GGUF model into it (memory check, model, one context with `parallel` sequences, LoRA adapters) as a
 * {@link LocalGgufBackend} (gguf-backend.ts), the SlmBackend callers use.
 */
import { registerWorkerCleanup } from '../../platform/jobs/worker-cleanup.js';
import os from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { UserError } from '../../base/errors.js';
import { LocalGgufBackend } from './gguf-backend.js';
import { readGgufInfo } from './gguf-info.js';
import { estimateMemoryFit } from './memory-fit.js';

export * from './backend.js';
export type { LocalGgufBackend } from './gguf-backend.js';

export interface LocalLoadOptions {
  modelPath: string;
  /** CPU threads for decoding. Always explicit: node-llama-cpp's default was ~100x slower on small machines. */
  threads?: number;
  /**
   * Context size of each sequence (node-llama-cpp gives every sequence its own cells, so the KV cache holds
   * contextSize x parallel tokens). Default 4096, capped by the model's training context.
   */
  contextSize?: number;
  /** Sequences decoded in parallel in one context. Default 1. */
  parallel?: number;
  /** false (default): CPU only. 'auto': use a GPU when node-llama-cpp finds one. */
  gpu?: 'auto' | false;
  batchSize?: number;
  /** LoRA adapters applied when the context is created. */
  lora?: Array<{ filePath: string; scale?: number }>;
  /**
   * Keep each sequence's tokens between requests so that a prompt sharing a prefix with the sequence's previous
   * one (same system prompt and instructions) is not evaluated again. Default true. Set false for bit-exact
   * reproducibility of seeded samples (a reused KV prefix can differ from a fresh one in the last float bits).
   */
  reusePromptPrefix?: boolean;
  /** Refuse models that estimateMemoryFit calls 'too-large' for this machine (CPU only). Default true. */
  memoryCheck?: boolean;
  /** Create the embedding context up front (otherwise on first embed()). */
  embeddings?: boolean;
  /** Context size of the embedding context. Default 512. */
  embeddingContextSize?: number;
  signal?: AbortSignal;
}

/** Default threads: all cores but one on big machines, all cores on small ones. */
export function defaultThreads(): number {
  const n = os.availableParallelism?.() ?? os.cpus().length;
  return n <= 4 ? n : n - 1;
}

const llamaByGpu = new Map<string, Promise<Llama>>();

/** One Llama instance per GPU setting for the process; prebuilt binaries only (never compiles). */
export function getLlamaRuntime(gpu: 'auto' | false = false): Promise<Llama> {
  const key = String(gpu);
  let p = llamaByGpu.get(key);
  if (!p) {
    p = getLlama({ build: 'never', gpu, logLevel: LlamaLogLevel.error, progressLogs: false });
    p.catch(() => llamaByGpu.delete(key));
    llamaByGpu.set(key, p);
    const created = p;
    registerWorkerCleanup(async () => {
      llamaByGpu.delete(key);
      await (await created).dispose();
    });
  }
  return p;
}

/** Loads a local GGUF model and creates one context with `parallel` sequences (and the LoRA adapters, if any). */
export async function loadLocalModel(opts: LocalLoadOptions): Promise<LocalGgufBackend> {
  const threads = opts.threads ?? defaultThreads();
  const parallel = Math.max(1, opts.parallel ?? 1);
  if (opts.memoryCheck !== false && !opts.gpu) {
    // Refuse before llama.cpp tries: an oversized CPU model gets the process killed rather than an error.
    const info = await readGgufInfo(opts.modelPath);
    const contextSize = Math.min(opts.contextSize ?? 4096, info.contextLength ?? Infinity);
    const fit = estimateMemoryFit(info, { contextSize, sequences: parallel });
    if (fit.verdict === 'too-large') {
      throw new UserError(fit.explanation, {
        file: opts.modelPath,
        hint: 'Choose a smaller model or quantization, or lower the context size / parallel sequences.',
        code: 'model_too_large',
      });
    }
  }
  const llama = await getLlamaRuntime(opts.gpu ?? false);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: path.resolve(opts.modelPath), loadSignal: opts.signal, gpuLayers: opts.gpu ? 'auto' : 0 });
  } catch (err) {
    throw new UserError(`Could not load the model: ${(err as Error).message}`, {
      file: opts.modelPath,
      hint: 'Check that the file is a complete GGUF model (a download may have been cut) and that it fits in memory.',
      code: 'model_load_failed',
    });
  }
  const contextSize = Math.min(opts.contextSize ?? 4096, model.trainContextSize);
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize,
      sequences: parallel,
      threads,
      batchSize: opts.batchSize,
      lora: opts.lora?.length ? { adapters: opts.lora.map((a) => ({ filePath: path.resolve(a.filePath), scale: a.scale })) } : undefined,
      createSignal: opts.signal,
    });
  } catch (err) {
    await model.dispose();
    throw new UserError(`Could not create a context of ${contextSize} tokens x ${parallel} sequences: ${(err as Error).message}`, {
      file: opts.modelPath,
      hint: 'Lower the context size or the number of parallel sequences, or check the LoRA adapter matches this model.',
      code: 'context_failed',
    });
  }
  const backend = new LocalGgufBackend(llama, model, context, {
    modelPath: opts.modelPath,
    threads,
    parallel,
    embeddingContextSize: opts.embeddingContextSize ?? 512,
    reusePromptPrefix: opts.reusePromptPrefix,
  });
  if (opts.embeddings) await backend.prepareEmbeddings();
  return backend;
}
