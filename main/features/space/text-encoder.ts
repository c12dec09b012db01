// The frozen base text encoder under a Thought Space. Three kinds share one interface; the towers on top are
// the only trainable part, so any encoder whose output has a fixed width works.
import { UserError } from '../../base/errors.js';

export interface TextEncoder {
  /** Stable description of the encoder and its weights (recorded with every space trained on it). */
  readonly id: string;
  readonly dim: number;
  /** One vector of length `dim` per text, in order. Deterministic for a given encoder. */
  encode(texts: string[]): Promise<Float32Array[]>;
  /** Releases native resources (models, sessions). */
  dispose?(): Promise<void>;
}

export type EncoderSpec = { kind: 'tfidf' } | { kind: 'gguf'; path: string } | { kind: 'onnx'; dir: string };

/** Parses `tfidf`, `gguf:PATH` or `onnx:DIR` (as typed on the command line). */
export function parseEncoderSpec(spec: string): EncoderSpec {
  const s = spec.trim();
  if (s === 'tfidf') return { kind: 'tfidf' };
  if (s.startsWith('gguf:') && s.length > 5) return { kind: 'gguf', path: s.slice(5) };
  if (s.startsWith('onnx:') && s.length > 5) return { kind: 'onnx', dir: s.slice(5) };
  throw new UserError(`Unknown text encoder "${spec}".`, {
    hint: 'Use tfidf (built in, no weights), gguf:PATH (a GGUF model file) or onnx:DIR (a folder with model.onnx and tokenizer.json or vocab.txt).',
    code: 'bad_encoder',
  });
}

export function formatEncoderSpec(spec: EncoderSpec): string {
  return spec.kind === 'tfidf' ? 'tfidf' : spec.kind === 'gguf' ? `gguf:${spec.path}` : `onnx:${spec.dir}`;
}

/** Encodes in chunks so callers can report progress and honour cancel between them. */
export async function encodeInChunks(
  enc: TextEncoder,
  texts: string[],
  opts: { chunk?: number; onChunk?: (done: number, total: number) => void } = {},
): Promise<Float32Array[]> {
  const chunk = opts.chunk ?? 64;
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += chunk) {
    out.push(...(await enc.encode(texts.slice(i, i + chunk))));
    opts.onChunk?.(Math.min(texts.length, i + chunk), texts.length);
  }
  return out;
}
