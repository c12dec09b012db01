/**
 * Writes small but valid GGUF v3 files (llama architecture, SentencePiece-style "llama" tokenizer, random weights)
 * so that tests and benchmarks can load a real model in node-llama-cpp without downloading weights.
 *
 * Layout follows the GGUF spec (ggml/docs/gguf.md): header, metadata key/values, tensor infos, padding to
 * `general.alignment`, then each tensor's data aligned to the same boundary. Tensor dims are written in ggml order
 * (ne0 = the fastest-varying dimension, i.e. the input width of a matrix).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TinyGgufShape {
  nEmbd: number;
  nLayer: number;
  nHead: number;
  /** Key/value heads (grouped-query attention); defaults to nHead. */
  nHeadKv?: number;
  nFf: number;
  /** Total vocabulary size; at least the built-in tokens (special + 256 bytes + word pieces). */
  nVocab: number;
  contextLength: number;
}

export type TinyGgufWeightType = 'f32' | 'f16' | 'q8_0';

export interface TinyGgufOptions extends Partial<TinyGgufShape> {
  /** Weight type of the matrices (norms are always F32). Default 'f32'. */
  weightType?: TinyGgufWeightType;
  /** Include a ChatML `tokenizer.chat_template` (and its control tokens). Default true. */
  chatTemplate?: boolean;
  /** Seed for the deterministic weights. Default 1. */
  seed?: number;
  name?: string;
  /** Write a split model (`<stem>-00001-of-0000N.gguf` ...), tensors spread over N parts like gguf-split does. */
  splitParts?: number;
}

/** Shapes of the tiny test model: loads and generates in milliseconds. */
export const TINY_SHAPE: TinyGgufShape = { nEmbd: 64, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 128, nVocab: 512, contextLength: 2048 };

/**
 * Qwen2.5-0.5B-Instruct's shapes (n_embd 896, 24 layers, 14 heads, 2 KV heads, n_ff 4864, context 32768,
 * vocabulary 151936) in the llama architecture (Qwen2's q/k/v biases are left out). Q8_0 keeps the file ~0.67 GB
 * with the compute cost of a real Q8_0 0.5B model.
 */
export const QWEN05B_SHAPE: TinyGgufShape = { nEmbd: 896, nLayer: 24, nHead: 14, nHeadKv: 2, nFf: 4864, nVocab: 151936, contextLength: 32768 };

const GGUF_MAGIC = 0x46554747; // "GGUF" little endian
const ALIGNMENT = 32;

enum VT {
  UINT16 = 2,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}
enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q8_0 = 8,
}
/** llama.cpp token types. */
const TT = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;
/** llama_ftype written to general.file_type. */
const FILE_TYPE: Record<TinyGgufWeightType, number> = { f32: 0, f16: 1, q8_0: 7 };

type MetaValue =
  | { t: VT.UINT16 | VT.UINT32 | VT.INT32 | VT.FLOAT32 | VT.UINT64; v: number }
  | { t: VT.BOOL; v: boolean }
  | { t: VT.STRING; v: string }
  | { t: VT.ARRAY; of: VT.STRING; v: string[] }
  | { t: VT.ARRAY; of: VT.FLOAT32 | VT.INT32; v: number[] };

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const WORDS = (
  'the of and to a in is that for it as with was on be by this are or his from at which but have an they not ' +
  'you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over man ' +
  'me even most made after also did many before must through back years where much your way well down should because ' +
  'each just those people how too little state good very make world still own see men work long get here between both ' +
  'life being under never day same another know while last might us great old year off come since against go came right ' +
  'used take three user item chose bought rating review because likes prefers brand quality price style rationale ' +
  'history preference product beauty game luxury recommend reason why what'
).split(' ');

/** The tokenizer's pieces: <unk>, <s>, </s>, 256 byte tokens, optional ChatML controls, word pieces, fillers. */
export function buildVocabulary(nVocab: number, chatTemplate: boolean): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TT.UNKNOWN, TT.CONTROL, TT.CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TT.BYTE);
  }
  if (chatTemplate) {
    tokens.push('<|im_start|>', '<|im_end|>');
    types.push(TT.CONTROL, TT.CONTROL);
  }
  const seen = new Set(tokens);
  const pieces: string[] = ['\u2581'];
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?"\'{}[]()-_/') pieces.push(c);
  // Every prefix of "▁word": SentencePiece merges adjacent pairs only into pieces in the vocabulary, so whole
  // words are reachable (the first words of the list fit even in the tiny vocabulary).
  for (const w of WORDS) {
    const full = `\u2581${w}`;
    for (let n = 2; n <= full.length; n++) pieces.push(full.slice(0, n));
  }
  const firstPiece = tokens.length;
  for (const p of pieces) {
    if (tokens.length >= nVocab) break;
    if (seen.has(p)) continue;
    seen.add(p);
    tokens.push(p);
    types.push(TT.NORMAL);
  }
  // Fill up to nVocab with unique pieces (a realistic vocabulary size for benchmarks).
  for (let i = 0; tokens.length < nVocab; i++) {
    const p = `\u2581w${i.toString(36)}`;
    if (seen.has(p)) continue;
    tokens.push(p);
    types.push(TT.NORMAL);
  }
  if (tokens.length > nVocab) throw new Error(`nVocab ${nVocab} is smaller than the ${tokens.length} built-in tokens`);
  // SentencePiece scores: higher merges first; longer pieces get higher scores so words beat letters.
  const scores = tokens.map((t, i) => (i < firstPiece ? 0 : -i / 1000 + t.length));
  return { tokens, scores, types };
}

/** Minimum vocabulary that holds every built-in token (special + bytes + word pieces). */
export const MIN_VOCAB = 3 + 256 + 2;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** IEEE half from a float (round to nearest, no NaN handling needed for small weights). */
function toHalf(f: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, f);
  const x = buf.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign; // flush tiny values to zero
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | Math.round(mant / 8192);
}

interface TensorSpec {
  name: string;
  dims: number[]; // ggml order
  type: GgmlType;
  /** Standard deviation of the random values (0 = all ones, for norms). */
  std: number;
}

function tensorBytes(t: TensorSpec): number {
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (t.type === GgmlType.F32) return n * 4;
  if (t.type === GgmlType.F16) return n * 2;
  return (n / 32) * 34;
}

function tensorData(t: TensorSpec, rand: () => number): Buffer {
  const n = t.dims.reduce((a, b) => a * b, 1);
  const out = Buffer.allocUnsafe(tensorBytes(t));
  // Uniform in [-a, a] has std a/sqrt(3).
  const a = t.std * Math.sqrt(3);
  if (t.type === GgmlType.F32) {
    for (let i = 0; i < n; i++) out.writeFloatLE(t.std === 0 ? 1 : (rand() * 2 - 1) * a, i * 4);
  } else if (t.type === GgmlType.F16) {
    for (let i = 0; i < n; i++) out.writeUInt16LE(toHalf(t.std === 0 ? 1 : (rand() * 2 - 1) * a), i * 2);
  } else {
    // Q8_0 blocks: f16 scale + 32 int8. Random int8 (std ~74) with one scale per block gives std ~ t.std.
    crypto.randomFillSync(out);
    const scale = toHalf(t.std / 74);
    for (let off = 0; off < out.length; off += 34) out.writeUInt16LE(scale, off);
  }
  return out;
}

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  bytes(b: Buffer): void {
    this.push(b);
  }
  pad(to: number): void {
    const rem = this.length % to;
    if (rem) this.push(Buffer.alloc(to - rem));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(w: ByteWriter, m: MetaValue): void {
  w.u32(m.t);
  switch (m.t) {
    case VT.UINT16: {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(m.v);
      w.bytes(b);
      break;
    }
    case VT.UINT32:
      w.u32(m.v);
      break;
    case VT.INT32:
      w.i32(m.v);
      break;
    case VT.FLOAT32:
      w.f32(m.v);
      break;
    case VT.UINT64:
      w.u64(m.v);
      break;
    case VT.BOOL:
      w.bytes(Buffer.from([m.v ? 1 : 0]));
      break;
    case VT.STRING:
      w.str(m.v);
      break;
    case VT.ARRAY:
      w.u32(m.of);
      w.u64(m.v.length);
      if (m.of === VT.STRING) for (const s of m.v as string[]) w.str(s);
      else if (m.of === VT.FLOAT32) for (const x of m.v as number[]) w.f32(x);
      else for (const x of m.v as number[]) w.i32(x);
      break;
  }
}

export interface WrittenGguf {
  /** The model file (first part when split). */
  file: string;
  parts: string[];
  bytes: number;
  shape: TinyGgufShape;
  weightType: TinyGgufWeightType;
  chatTemplate: boolean;
  /** Parameters counted from the tensors written. */
  parameters: number;
  vocabulary: { tokens: string[] };
}

/** Writes a GGUF model at `file` and returns what it holds. Streams tensor by tensor (big shapes stay cheap in RAM). */
export function writeTinyGguf(file: string, opts: TinyGgufOptions = {}): WrittenGguf {
  const shape: TinyGgufShape = {
    nEmbd: opts.nEmbd ?? TINY_SHAPE.nEmbd,
    nLayer: opts.nLayer ?? TINY_SHAPE.nLayer,
    nHead: opts.nHead ?? TINY_SHAPE.nHead,
    nHeadKv: opts.nHeadKv ?? opts.nHead ?? TINY_SHAPE.nHeadKv,
    nFf: opts.nFf ?? TINY_SHAPE.nFf,
    nVocab: opts.nVocab ?? TINY_SHAPE.nVocab,
    contextLength: opts.contextLength ?? TINY_SHAPE.contextLength,
  };
  const weightType = opts.weightType ?? 'f32';
  const chatTemplate = opts.chatTemplate ?? true;
  const { nEmbd, nLayer, nHead, nFf, nVocab } = shape;
  const nHeadKv = shape.nHeadKv ?? nHead;
  if (nEmbd % nHead !== 0) throw new Error('nEmbd must be a multiple of nHead');
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const wt = weightType === 'f32' ? GgmlType.F32 : weightType === 'f16' ? GgmlType.F16 : GgmlType.Q8_0;
  if (wt === GgmlType.Q8_0 && (nEmbd % 32 !== 0 || nFf % 32 !== 0)) throw new Error('Q8_0 needs nEmbd and nFf multiples of 32');

  const vocab = buildVocabulary(nVocab, chatTemplate);
  const bos = 1;
  const eos = chatTemplate ? vocab.tokens.indexOf('<|im_end|>') : 2;

  const meta: Array<[string, MetaValue]> = [
    ['general.architecture', { t: VT.STRING, v: 'llama' }],
    ['general.name', { t: VT.STRING, v: opts.name ?? `tiny-llama-${nEmbd}x${nLayer}` }],
    ['general.alignment', { t: VT.UINT32, v: ALIGNMENT }],
    ['general.file_type', { t: VT.UINT32, v: FILE_TYPE[weightType] }],
    ['llama.context_length', { t: VT.UINT32, v: shape.contextLength }],
    ['llama.embedding_length', { t: VT.UINT32, v: nEmbd }],
    ['llama.block_count', { t: VT.UINT32, v: nLayer }],
    ['llama.feed_forward_length', { t: VT.UINT32, v: nFf }],
    ['llama.attention.head_count', { t: VT.UINT32, v: nHead }],
    ['llama.attention.head_count_kv', { t: VT.UINT32, v: nHeadKv }],
    ['llama.rope.dimension_count', { t: VT.UINT32, v: headDim }],
    ['llama.rope.freq_base', { t: VT.FLOAT32, v: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { t: VT.FLOAT32, v: 1e-6 }],
    ['llama.vocab_size', { t: VT.UINT32, v: nVocab }],
    ['tokenizer.ggml.model', { t: VT.STRING, v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: VT.ARRAY, of: VT.STRING, v: vocab.tokens }],
    ['tokenizer.ggml.scores', { t: VT.ARRAY, of: VT.FLOAT32, v: vocab.scores }],
    ['tokenizer.ggml.token_type', { t: VT.ARRAY, of: VT.INT32, v: vocab.types }],
    ['tokenizer.ggml.bos_token_id', { t: VT.UINT32, v: bos }],
    ['tokenizer.ggml.eos_token_id', { t: VT.UINT32, v: eos }],
    ['tokenizer.ggml.unknown_token_id', { t: VT.UINT32, v: 0 }],
    ['tokenizer.ggml.add_bos_token', { t: VT.BOOL, v: true }],
    ['tokenizer.ggml.add_eos_token', { t: VT.BOOL, v: false }],
  ];
  if (chatTemplate) meta.push(['tokenizer.chat_template', { t: VT.STRING, v: CHATML_TEMPLATE }]);

  const init = 0.02;
  const tensors: TensorSpec[] = [{ name: 'token_embd.weight', dims: [nEmbd, nVocab], type: wt, std: init }];
  for (let i = 0; i < nLayer; i++) {
    const b = `blk.${i}.`;
    tensors.push(
      { name: `${b}attn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, std: 0 },
      { name: `${b}attn_q.weight`, dims: [nEmbd, nEmbd], type: wt, std: init },
      { name: `${b}attn_k.weight`, dims: [nEmbd, nEmbdKv], type: wt, std: init },
      { name: `${b}attn_v.weight`, dims: [nEmbd, nEmbdKv], type: wt, std: init },
      { name: `${b}attn_output.weight`, dims: [nEmbd, nEmbd], type: wt, std: init },
      { name: `${b}ffn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, std: 0 },
      { name: `${b}ffn_gate.weight`, dims: [nEmbd, nFf], type: wt, std: init },
      { name: `${b}ffn_up.weight`, dims: [nEmbd, nFf], type: wt, std: init },
      { name: `${b}ffn_down.weight`, dims: [nFf, nEmbd], type: wt, std: init },
    );
  }
  // Larger output weights give the random model a peaked next-token distribution (less uniform gibberish).
  tensors.push({ name: 'output_norm.weight', dims: [nEmbd], type: GgmlType.F32, std: 0 });
  tensors.push({ name: 'output.weight', dims: [nEmbd, nVocab], type: wt, std: 0.5 });

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rand = mulberry32(opts.seed ?? 1);
  const nParts = Math.max(1, opts.splitParts ?? 1);
  const files: string[] = [];
  let parameters = 0;
  for (let p = 0; p < nParts; p++) {
    const from = Math.floor((p * tensors.length) / nParts);
    const to = Math.floor(((p + 1) * tensors.length) / nParts);
    const partTensors = tensors.slice(from, to);
    const splitMeta: Array<[string, MetaValue]> =
      nParts > 1
        ? [
            // Types as llama.cpp's gguf-split writes them (it asserts on them).
            ['split.no', { t: VT.UINT16 as const, v: p }],
            ['split.count', { t: VT.UINT16 as const, v: nParts }],
            ['split.tensors.count', { t: VT.INT32 as const, v: tensors.length }],
          ]
        : [];
    // gguf-split keeps the model metadata in the first part only.
    const partMeta = p === 0 ? [...meta, ...splitMeta] : splitMeta;
    const partFile = nParts > 1 ? file.replace(/\.gguf$/i, '') + `-${String(p + 1).padStart(5, '0')}-of-${String(nParts).padStart(5, '0')}.gguf` : file;
    parameters += writePart(partFile, partMeta, partTensors, rand);
    files.push(partFile);
  }
  const bytes = files.reduce((a, f) => a + fs.statSync(f).size, 0);
  return { file: files[0]!, parts: files, bytes, shape, weightType, chatTemplate, parameters, vocabulary: { tokens: vocab.tokens } };
}

function writePart(file: string, meta: Array<[string, MetaValue]>, tensors: TensorSpec[], rand: () => number): number {
  const head = new ByteWriter();
  head.u32(GGUF_MAGIC);
  head.u32(3);
  head.u64(tensors.length);
  head.u64(meta.length);
  for (const [k, v] of meta) {
    head.str(k);
    writeValue(head, v);
  }
  let offset = 0;
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    offset += Math.ceil(tensorBytes(t) / ALIGNMENT) * ALIGNMENT;
  }
  head.pad(ALIGNMENT);
  const tmp = `${file}.writing`;
  const fd = fs.openSync(tmp, 'w');
  let parameters = 0;
  try {
    fs.writeSync(fd, head.toBuffer());
    for (const t of tensors) {
      const data = tensorData(t, rand);
      fs.writeSync(fd, data);
      const rem = data.length % ALIGNMENT;
      if (rem) fs.writeSync(fd, Buffer.alloc(ALIGNMENT - rem));
      parameters += t.dims.reduce((a, b) => a * b, 1);
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return parameters;
}

/** A fresh temp folder for test artefacts (caller removes it). */
export function makeTempDir(prefix = 'pulse-slm-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The tiny model (F32, ~0.4 MB) in a temp folder; `chatTemplate: false` gives the no-template variant. */
export function writeTinyModel(dir: string, opts: TinyGgufOptions = {}): WrittenGguf {
  const suffix = opts.chatTemplate === false ? 'notemplate' : 'chatml';
  return writeTinyGguf(path.join(dir, `tiny-${suffix}.gguf`), opts);
}

/**
 * A model with Qwen2.5-0.5B's shapes and vocabulary size, Q8_0 weights (~0.67 GB; ~25 s to write on 2 cores),
 * for throughput benchmarks. Cached by name under `dir` so repeated benchmark runs reuse it.
 */
export function write05bShapedModel(dir: string = path.join(os.tmpdir(), 'pulse-bench-models'), opts: TinyGgufOptions = {}): WrittenGguf {
  const weightType = opts.weightType ?? 'q8_0';
  const file = path.join(dir, `qwen05b-shaped-${weightType}-${opts.chatTemplate === false ? 'notemplate' : 'chatml'}.gguf`);
  const sidecar = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(sidecar)) {
    const cached = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Omit<WrittenGguf, 'vocabulary'>;
    if (fs.statSync(file).size === cached.bytes) {
      return { ...cached, vocabulary: { tokens: buildVocabulary(cached.shape.nVocab, cached.chatTemplate).tokens } };
    }
  }
  const w = writeTinyGguf(file, { ...QWEN05B_SHAPE, name: 'qwen2.5-0.5b-shaped-random', ...opts, weightType });
  const { vocabulary: _v, ...rest } = w;
  fs.writeFileSync(sidecar, JSON.stringify(rest));
  return w;
}

/**
 * A LoRA adapter GGUF for a model written with the same shape (llama.cpp's adapter format: general.type
 * "adapter", adapter.type "lora", tensors `<weight>.lora_a` [n_in, rank] and `<weight>.lora_b` [rank, n_out]).
 * Adapts attn_q and attn_v of every layer; `std` sets how strongly it changes the model.
 */
export function writeTinyLora(
  file: string,
  shapeIn: Partial<TinyGgufShape> = {},
  opts: { rank?: number; alpha?: number; std?: number; seed?: number } = {},
): { file: string; bytes: number } {
  const shape = { ...TINY_SHAPE, ...shapeIn };
  const rank = opts.rank ?? 4;
  const nHeadKv = shape.nHeadKv ?? shape.nHead;
  const nEmbdKv = (shape.nEmbd / shape.nHead) * nHeadKv;
  const std = opts.std ?? 0.5;
  const meta: Array<[string, MetaValue]> = [
    ['general.architecture', { t: VT.STRING, v: 'llama' }],
    ['general.type', { t: VT.STRING, v: 'adapter' }],
    ['general.name', { t: VT.STRING, v: 'tiny-lora' }],
    ['general.alignment', { t: VT.UINT32, v: ALIGNMENT }],
    ['adapter.type', { t: VT.STRING, v: 'lora' }],
    ['adapter.lora.alpha', { t: VT.FLOAT32, v: opts.alpha ?? rank }],
  ];
  const tensors: TensorSpec[] = [];
  for (let i = 0; i < shape.nLayer; i++) {
    for (const [w, nOut] of [
      ['attn_q', shape.nEmbd],
      ['attn_v', nEmbdKv],
    ] as const) {
      tensors.push({ name: `blk.${i}.${w}.weight.lora_a`, dims: [shape.nEmbd, rank], type: GgmlType.F32, std });
      tensors.push({ name: `blk.${i}.${w}.weight.lora_b`, dims: [rank, nOut], type: GgmlType.F32, std });
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writePart(file, meta, tensors, mulberry32(opts.seed ?? 7));
  return { file, bytes: fs.statSync(file).size };
}
