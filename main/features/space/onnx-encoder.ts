// A sentence encoder from a local folder (model.onnx + tokenizer.json or vocab.txt) run by onnxruntime-node:
// WordPiece ids in, last_hidden_state out, mean-pooled over the attention mask (as sentence-transformers
// do). A model whose first output is already pooled ([batch x dim]) is used as is.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InferenceSession as Session, Tensor } from 'onnxruntime-node';
import { UserError } from '../../base/errors.js';
import type { TextEncoder } from './text-encoder.js';
import { WordPieceTokenizer } from './wordpiece.js';

export interface OnnxEncoderOptions {
  /** Texts per forward pass. Default 16. */
  batchSize?: number;
  /** Token limit per text (defaults to the tokenizer's, else 256). */
  maxLength?: number;
  /** Intra-op threads; explicit so a worker does not take every core. Default 2. */
  threads?: number;
}

export class OnnxEncoder implements TextEncoder {
  private constructor(
    readonly id: string,
    readonly dim: number,
    private readonly session: Session,
    private readonly tokenizer: WordPieceTokenizer,
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly batchSize: number,
  ) {}

  static async load(dir: string, opts: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
    const abs = path.resolve(dir);
    const modelFile = path.join(abs, 'model.onnx');
    if (!fs.existsSync(modelFile)) {
      throw new UserError(`No model.onnx in ${abs}.`, {
        file: abs,
        hint: 'Point onnx:DIR at a folder holding model.onnx and tokenizer.json (or vocab.txt).',
        code: 'bad_encoder',
      });
    }
    const tokenizer = WordPieceTokenizer.fromDir(abs, opts.maxLength);
    const ort = await import('onnxruntime-node');
    let session: Session;
    try {
      session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: opts.threads ?? 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    } catch (err) {
      throw new UserError(`onnxruntime could not load the model: ${(err as Error).message}`, { file: modelFile, code: 'model_load_failed' });
    }
    if (!session.inputNames.includes('input_ids')) {
      throw new UserError(`The ONNX model has no input_ids input (it has ${session.inputNames.join(', ')}).`, { file: modelFile, code: 'bad_encoder' });
    }
    const hash = createHash('sha256').update(fs.readFileSync(modelFile)).digest('hex').slice(0, 12);
    const enc = new OnnxEncoder(`onnx:${path.basename(abs)}:${hash}`, 0, session, tokenizer, ort, opts.batchSize ?? 16);
    // The width is whatever the model puts out: probe once.
    const [probe] = await enc.encode(['probe']);
    return new OnnxEncoder(enc.id, probe!.length, session, tokenizer, ort, enc.batchSize);
  }

  async encode(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) out.push(...(await this.encodeBatch(texts.slice(i, i + this.batchSize))));
    return out;
  }

  private async encodeBatch(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const enc = texts.map((t) => this.tokenizer.encode(t).ids);
    const b = enc.length;
    const s = Math.max(...enc.map((e) => e.length));
    const ids = new BigInt64Array(b * s).fill(BigInt(this.tokenizer.pad));
    const mask = new BigInt64Array(b * s);
    enc.forEach((e, r) =>
      e.forEach((id, j) => {
        ids[r * s + j] = BigInt(id);
        mask[r * s + j] = 1n;
      }),
    );
    const feeds: Record<string, Tensor> = { input_ids: new this.ort.Tensor('int64', ids, [b, s]) };
    const names = this.session.inputNames;
    if (names.includes('attention_mask')) feeds.attention_mask = new this.ort.Tensor('int64', mask, [b, s]);
    if (names.includes('token_type_ids')) feeds.token_type_ids = new this.ort.Tensor('int64', new BigInt64Array(b * s), [b, s]);
    const results = await this.session.run(feeds);
    const name = this.session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : this.session.outputNames[0]!;
    const t = results[name]!;
    const data = t.data as Float32Array;
    const dims = t.dims;
    if (dims.length === 2) {
      const d = dims[1]!;
      return enc.map((_, r) => Float32Array.from(data.subarray(r * d, (r + 1) * d)));
    }
    if (dims.length !== 3 || dims[0] !== b || dims[1] !== s)
      throw new UserError(`Unexpected ONNX output shape [${dims.join(', ')}]; expected [${b}, ${s}, dim].`, { code: 'bad_encoder' });
    const d = dims[2]!;
    return enc.map((e, r) => {
      const v = new Float32Array(d);
      // Mean over real tokens only: padding must not change a text's vector.
      for (let j = 0; j < e.length; j++) {
        const o = (r * s + j) * d;
        for (let c = 0; c < d; c++) v[c] += data[o + c]!;
      }
      for (let c = 0; c < d; c++) v[c]! /= e.length;
      return v;
    });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
