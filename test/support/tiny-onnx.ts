/**
 * Writes a tiny ONNX sentence encoder (hand-encoded protobuf, no onnx package) and a BERT-style vocab.txt, so
 * tests load a real model through onnxruntime-node without downloading weights. The graph:
 *   input_ids [batch, seq] int64 --Gather(embedding)--> [batch, seq, dim]
 *   attention_mask [batch, seq] int64 --Cast(float)--Unsqueeze(-1)--> [batch, seq, 1]
 *   last_hidden_state = Mul(embeddings, mask)
 * Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */
import fs from 'node:fs';
import path from 'node:path';

// ---------- protobuf wire format ----------

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

type Field = number[];
const key = (field: number, wire: 0 | 2) => varint((field << 3) | wire);
const fInt = (field: number, v: number | bigint): Field => [...key(field, 0), ...varint(v)];
const fBytes = (field: number, bytes: Uint8Array | number[]): Field => [...key(field, 2), ...varint(bytes.length), ...bytes];
const fStr = (field: number, s: string): Field => fBytes(field, [...Buffer.from(s, 'utf8')]);
const fMsg = (field: number, ...parts: Field[]): Field => fBytes(field, parts.flat());

// ---------- ONNX messages ----------

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Field {
  return [...dims.map((d) => fInt(1, d)).flat(), ...fInt(2, dataType), ...fStr(8, name), ...fBytes(9, raw)];
}

/** dims: numbers are fixed sizes, strings are symbolic (batch, seq). */
function valueInfo(name: string, elemType: number, dims: (number | string)[]): Field {
  const shape = dims.map((d) => fMsg(1, typeof d === 'number' ? fInt(1, d) : fStr(2, d))).flat();
  const tensorType = [...fInt(1, elemType), ...fMsg(2, shape)];
  return [...fStr(1, name), ...fMsg(2, fMsg(1, tensorType))];
}

function node(op: string, inputs: string[], outputs: string[], name: string, attrs: Field[] = []): Field {
  return [...inputs.map((i) => fStr(1, i)).flat(), ...outputs.map((o) => fStr(2, o)).flat(), ...fStr(3, name), ...fStr(4, op), ...attrs.flat()];
}

const intAttr = (name: string, v: number): Field => fMsg(5, fStr(1, name), fInt(3, v), fInt(20, ATTR_INT));

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
  const graph = [
    ...fMsg(1, node('Gather', ['embedding', 'input_ids'], ['emb'], 'gather', [intAttr('axis', 0)])),
    ...fMsg(1, node('Cast', ['attention_mask'], ['mask_f'], 'cast', [intAttr('to', FLOAT)])),
    ...fMsg(1, node('Unsqueeze', ['mask_f', 'axes'], ['mask3'], 'unsqueeze')),
    ...fMsg(1, node('Mul', ['emb', 'mask3'], ['last_hidden_state'], 'mul')),
    ...fStr(2, 'tiny-encoder'),
    ...fMsg(5, tensor('embedding', FLOAT, [vocab.length, dim], new Uint8Array(embedding.buffer))),
    ...fMsg(5, tensor('axes', INT64, [1], new Uint8Array(axes.buffer))),
    ...fMsg(11, valueInfo('input_ids', INT64, ['batch', 'seq'])),
    ...fMsg(11, valueInfo('attention_mask', INT64, ['batch', 'seq'])),
    ...fMsg(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'seq', dim])),
  ];
  const model = [...fInt(1, 8), ...fStr(2, 'pulse-test'), ...fMsg(7, graph), ...fMsg(8, fStr(1, ''), fInt(2, 13))];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.onnx'), Buffer.from(model));
  fs.writeFileSync(path.join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  return { dir, dim, vocabSize: vocab.length, embedding };
}
