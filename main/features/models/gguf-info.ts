/**
 * What a GGUF file holds, read from its header only (node-llama-cpp's `readGgufFileInfo`; the vocabulary arrays
 * are skipped so a 150k-token vocabulary costs nothing). Split models (`name-00001-of-00003.gguf`) are read as one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GgmlType, GgufFileType, readGgufFileInfo, type GgufFileInfo, type GgufTensorInfo } from 'node-llama-cpp';
import { UserError } from '../../base/errors.js';

export interface GgufModelInfo {
  /** The file given (first part for split models). */
  file: string;
  /** All parts, in order (one entry when not split). */
  parts: string[];
  /** Size on disk of all parts together. */
  fileBytes: number;
  ggufVersion: number;
  architecture: string;
  name: string | null;
  /** Total weights counted from the tensor shapes. */
  parameters: number;
  /** llama.cpp file type as written in `general.file_type`, e.g. "MOSTLY_Q4_K_M"; null when absent. */
  fileType: string | null;
  /** Short quantization label: from the file type ("Q4_K_M"), else the dominant tensor type ("Q8_0"). */
  quantization: string;
  contextLength: number | null;
  embeddingLength: number | null;
  layers: number | null;
  heads: number | null;
  headsKv: number | null;
  vocabularySize: number | null;
  hasChatTemplate: boolean;
  /** Bytes a KV cache cell takes (K + V, all layers, f16), for memory estimates; null when unknown. */
  kvBytesPerToken: number | null;
}

const HEADER_TIMEOUT_MS = 10_000;

/** Cheap sanity check of the fixed 24-byte header before handing the file to the full parser. */
export function checkGgufHeader(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(24);
    const n = fs.readSync(fd, b, 0, 24, 0);
    if (n < 24 || b.toString('latin1', 0, 4) !== 'GGUF') throw new Error('no GGUF magic at the start of the file');
    const version = b.readUInt32LE(4);
    if (version < 2 || version > 3) throw new Error(`unsupported GGUF version ${version}`);
    const tensors = b.readBigUInt64LE(8);
    const kvs = b.readBigUInt64LE(16);
    if (tensors > 1_000_000n || kvs > 100_000n) throw new Error('implausible tensor or metadata counts in the header');
  } finally {
    fs.closeSync(fd);
  }
}

const SPLIT_RE = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** For `x-00002-of-00003.gguf`: part 2 of 3 and every part's path; null for a single file. */
export function splitPartsOf(file: string): { part: number; parts: number; files: string[] } | null {
  const m = SPLIT_RE.exec(file);
  if (!m) return null;
  const parts = Number(m[2]);
  const stem = file.slice(0, m.index);
  const files = Array.from({ length: parts }, (_, i) => `${stem}-${String(i + 1).padStart(5, '0')}-of-${m[2]}.gguf`);
  return { part: Number(m[1]), parts, files };
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
}

function countParameters(tensors: GgufTensorInfo[]): number {
  let n = 0;
  for (const t of tensors) n += t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
  return n;
}

function dominantType(tensors: GgufTensorInfo[]): string {
  const byType = new Map<number, number>();
  for (const t of tensors) {
    const n = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    byType.set(t.ggmlType, (byType.get(t.ggmlType) ?? 0) + n);
  }
  let best = -1;
  let bestN = -1;
  for (const [type, n] of byType) if (n > bestN) [best, bestN] = [type, n];
  return (GgmlType as unknown as Record<number, string>)[best] ?? `type_${best}`;
}

/** Reads a GGUF header (first part for split models) and the sizes of all parts. */
export async function readGgufInfo(file: string): Promise<GgufModelInfo> {
  const abs = path.resolve(file);
  const split = splitPartsOf(abs);
  const parts = split ? split.files : [abs];
  const missing = parts.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    throw new UserError(`Missing model file${missing.length > 1 ? 's' : ''}: ${missing.map((p) => path.basename(p)).join(', ')}`, {
      file: missing[0],
      hint: split ? 'A split GGUF needs all its parts in the same folder.' : 'Check the path.',
      code: 'model_missing',
    });
  }
  let info: GgufFileInfo;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    checkGgufHeader(parts[0]!);
    // node-llama-cpp's reader can wait forever on a file cut inside its header; bound it.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error('the header could not be read (file cut short?)'));
      }, HEADER_TIMEOUT_MS);
    });
    info = await Promise.race([
      readGgufFileInfo(parts[0]!, {
        sourceType: 'filesystem',
        logWarnings: false,
        signal: abort.signal,
        ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
      }),
      timeout,
    ]);
  } catch (err) {
    throw new UserError(`Not a readable GGUF model: ${(err as Error).message}`, {
      file: abs,
      hint: 'The file may be incomplete (an interrupted download) or not a GGUF model.',
      code: 'gguf_unreadable',
    });
  } finally {
    clearTimeout(timer);
  }
  // A cut file can still parse (the reader pads with zeros): every tensor must start inside its part.
  const tensorsAll = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensorsAll.length === 0) {
    throw new UserError('The GGUF file lists no tensors.', { file: abs, hint: 'The file is incomplete or not a model.', code: 'gguf_unreadable' });
  }
  for (const t of tensorsAll) {
    const part = parts[(t.filePart ?? 1) - 1] ?? parts[0]!;
    if (Number(t.fileOffset) >= fs.statSync(part).size) {
      throw new UserError(`Not a readable GGUF model: the file ends before tensor ${t.name}.`, {
        file: part,
        hint: 'The file is incomplete (an interrupted download?). Download it again or resume the download.',
        code: 'gguf_incomplete',
      });
    }
  }
  const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
  const general = meta.general ?? {};
  const arch = String(general.architecture ?? 'unknown');
  const a = (info.architectureMetadata ?? {}) as Record<string, unknown>;
  const attention = (a.attention ?? {}) as Record<string, unknown>;
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const fileTypeNum = num(general.file_type);
  const fileType = fileTypeNum === null ? null : ((GgufFileType as unknown as Record<number, string>)[fileTypeNum] ?? `FILE_TYPE_${fileTypeNum}`);
  const quantization = fileType ? fileType.replace(/^(MOSTLY_|ALL_)/, '') : dominantType(tensors);

  const embd = num(a.embedding_length);
  const layers = num(a.block_count);
  const heads = num(attention.head_count);
  const headsKv = num(attention.head_count_kv) ?? heads;
  const keyLen = num(attention.key_length) ?? (embd && heads ? embd / heads : null);
  const valLen = num(attention.value_length) ?? keyLen;
  const kvBytesPerToken = layers && headsKv && keyLen && valLen ? layers * headsKv * (keyLen + valLen) * 2 : null;
  const tokenizer = (meta.tokenizer ?? {}) as Record<string, unknown>;
  const vocabSize = num(a.vocab_size) ?? tensors.find((t) => t.name === 'token_embd.weight')?.dimensions.map(Number)[1] ?? null;

  return {
    file: parts[0]!,
    parts,
    fileBytes: parts.reduce((s, p) => s + fs.statSync(p).size, 0),
    ggufVersion: info.version,
    architecture: arch,
    name: typeof general.name === 'string' ? general.name : null,
    parameters: countParameters(tensors),
    fileType,
    quantization,
    contextLength: num(a.context_length),
    embeddingLength: embd,
    layers,
    heads,
    headsKv,
    vocabularySize: vocabSize,
    hasChatTemplate: typeof tokenizer.chat_template === 'string' && (tokenizer.chat_template as string).length > 0,
    kvBytesPerToken,
  };
}

/** "630M", "1.5B". */
export function formatParameters(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}
