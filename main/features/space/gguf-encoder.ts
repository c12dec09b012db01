// Embeddings from a GGUF model, through the SLM runtime's LocalGgufBackend (node-llama-cpp, prebuilt
// binaries only, explicit threads, one embedding context). Texts longer than the embedding context are
// cut to fit rather than failing a whole training run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import { loadLocalModel, type LocalGgufBackend } from '../models/runtime.js';
import type { TextEncoder } from './text-encoder.js';

export interface GgufEncoderOptions {
  threads?: number;
  /** Embedding context size in tokens. Default 512. */
  contextSize?: number;
}

/** A cheap identity for a model file: name, size and hashes of its first and last MiB. */
export function fileFingerprint(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const h = createHash('sha256');
    const n = Math.min(size, 1 << 20);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, 0);
    h.update(buf);
    fs.readSync(fd, buf, 0, n, Math.max(0, size - n));
    h.update(buf);
    h.update(String(size));
    return h.digest('hex').slice(0, 12);
  } finally {
    fs.closeSync(fd);
  }
}

export class GgufEncoder implements TextEncoder {
  private constructor(
    readonly id: string,
    readonly dim: number,
    private readonly backend: LocalGgufBackend,
    private readonly maxTokens: number,
  ) {}

  static async load(file: string, opts: GgufEncoderOptions = {}): Promise<GgufEncoder> {
    const abs = path.resolve(file);
    if (!fs.existsSync(abs))
      throw new UserError(`No GGUF model at ${abs}.`, { file: abs, hint: 'Give gguf:PATH with the path of a .gguf file.', code: 'bad_encoder' });
    const contextSize = opts.contextSize ?? 512;
    // The generation context is not used here: keep it as small as the runtime allows.
    const backend = await loadLocalModel({
      modelPath: abs,
      threads: opts.threads ?? 2,
      contextSize: 256,
      parallel: 1,
      embeddings: true,
      embeddingContextSize: contextSize,
    });
    const info = await backend.info();
    if (!info.embeddingSize) {
      await backend.dispose();
      throw new UserError('This GGUF model reports no embedding size.', { file: abs, code: 'bad_encoder' });
    }
    return new GgufEncoder(`gguf:${path.basename(abs)}:${fileFingerprint(abs)}`, info.embeddingSize, backend, contextSize - 8);
  }

  async encode(texts: string[]): Promise<Float32Array[]> {
    const fitted: string[] = [];
    for (const t of texts) {
      const tokens = await this.backend.tokenize(t);
      fitted.push(tokens.length > this.maxTokens ? await this.backend.detokenize(tokens.slice(0, this.maxTokens)) : t);
    }
    const vecs = await this.backend.embed(fitted);
    return vecs.map((v) => Float32Array.from(v));
  }

  async dispose(): Promise<void> {
    await this.backend.dispose();
  }
}
