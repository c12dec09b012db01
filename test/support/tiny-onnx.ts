/**
 * Writes a tiny ONNX sentence encoder (hand-encoded protobuf, no onnx package) and a BERT-style vocab.txt, so
 * tests load a real model through onnxruntime-node without downloading weights. The graph:
 *   input_ids [batch, seq] int64 --Gather(embedding)--> [batch, seq, dim]
 *   attention_mask [batch, seq] int64 --Cast(float)--Unsqueeze(-1)--> [batch, seq, 1]
 *   last_hidden_state = Mul(embeddings, mask)
 * The protobuf is written by main/base/onnx-proto.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DT, intAttr, model, node, tensor, valueInfo } from '../../main/base/onnx-proto.js';

export const TINY_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  '.',
  ',',
  ':',
  ';',
  '(',
  ')',
  'history',
  'chosen',
  'item',
  'user',
  'likes',
  'the',
  'a',
  'and',
  'red',
  'lip',
  '##stick',
  'matte',
  'tennis',
  'rack',
  '##et',
  'ball',
  '##s',
  'office',
  'stap',
  '##ler',
  '##les',
  'brand',
  'beauty',
  'sports',
  'game',
  '##s',
];

export interface TinyOnnx {
  dir: string;
  dim: number;
  vocabSize: number;
  /** The embedding table, row-major [vocab x dim]. */
  embedding: Float32Array;
}

/** Writes model.onnx and vocab.txt into `dir`. Weights are a deterministic function of (token, column). */
export function writeTinyOnnx(dir: string, opts: { dim?: number } = {}): TinyOnnx {
  const dim = opts.dim ?? 8;
  // A vocabulary with the '##s' token twice would confuse a reader; keep it unique.
  const vocab = [...new Set(TINY_VOCAB)];
  const embedding = new Float32Array(vocab.length * dim);
  for (let t = 0; t < vocab.length; t++) for (let c = 0; c < dim; c++) embedding[t * dim + c] = Math.sin(1.3 * t + 0.7 * c + 0.1 * t * c);
  const axes = new BigInt64Array([-1n]);
  const bytes = model(
    {
      name: 'tiny-encoder',
      nodes: [
        node('Gather', ['embedding', 'input_ids'], ['emb'], 'gather', [intAttr('axis', 0)]),
        node('Cast', ['attention_mask'], ['mask_f'], 'cast', [intAttr('to', DT.FLOAT)]),
        node('Unsqueeze', ['mask_f', 'axes'], ['mask3'], 'unsqueeze'),
        node('Mul', ['emb', 'mask3'], ['last_hidden_state'], 'mul'),
      ],
      initializers: [tensor('embedding', DT.FLOAT, [vocab.length, dim], embedding), tensor('axes', DT.INT64, [1], axes)],
      inputs: [valueInfo('input_ids', DT.INT64, ['batch', 'seq']), valueInfo('attention_mask', DT.INT64, ['batch', 'seq'])],
      outputs: [valueInfo('last_hidden_state', DT.FLOAT, ['batch', 'seq', dim])],
    },
    { opset: 13, producer: 'pulse-test' },
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
  fs.writeFileSync(path.join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  return { dir, dim, vocabSize: vocab.length, embedding };
}
