/**
 * A trained SASRec/PULSE scorer as an ONNX model (opset 17), so it runs outside the workbench:
 *   input  history  int64 [batch, maxLen]: engine item ids (1..nItems), the most recent last, left-padded with 0
 *   output scores   float [batch, nItems + 1]: the score of every item after the history (index 0, padding, -inf)
 * The graph is the engine's eval-mode forward (model.ts): item table + positions, layer norm, post-norm blocks
 * (masked causal multi-head attention, GELU feed-forward), the last position's hidden state against the
 * effective item table (model.itemTable(): for PULSE the fused table). Padding is masked as attention keys, as
 * the engine does by packing, so the scores equal the engine's (tested within 1e-4).
 */
import fs from 'node:fs';
import path from 'node:path';
import { LN_EPS } from '../../base/engine/layers.js';
import type { Vec } from '../../base/engine/kernels.js';
import { DT, floatAttr, intAttr, intsAttr, model as onnxModel, node, tensor, valueInfo, type Field } from '../../base/onnx-proto.js';
import type { SasrecModel } from './sasrec/model.js';

export const ONNX_OPSET = 17;

/** Row-major [rows, cols] -> [cols, rows], as float32 (MatMul takes x [.., in] times W^T [in, out]). */
function transposed(v: Vec, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c]!;
  return out;
}

const perm = (p: number[]): Field => intsAttr('perm', p);
const f32 = (v: Vec): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));

/** The ONNX bytes of the model's scorer. metadata lands in the model's metadata_props (string pairs). */
export function sasrecToOnnx(m: SasrecModel, metadata: Record<string, string> = {}): Uint8Array {
  const { hidden: d, heads, maxLen: L, inner } = m.cfg;
  const n1 = m.nItems + 1;
  const dh = d / heads;
  const nodes: Field[] = [];
  const inits: Field[] = [];
  let k = 0;
  const op = (type: string, inputs: string[], attrs: Field[] = [], name = `${type.toLowerCase()}_${k++}`): string => {
    nodes.push(node(type, inputs, [name], name, attrs));
    return name;
  };
  const init = (name: string, dims: number[], data: Float32Array | BigInt64Array): string => {
    inits.push(tensor(name, data instanceof BigInt64Array ? DT.INT64 : DT.FLOAT, dims, data));
    return name;
  };
  const scalar = (name: string, v: number): string => init(name, [], Float32Array.of(v));
  const ints = (name: string, vs: number[]): string => init(name, [vs.length], BigInt64Array.from(vs.map(BigInt)));
  const layerNorm = (x: string, g: Vec, b: Vec, name: string): string =>
    op('LayerNormalization', [x, init(`${name}.g`, [d], f32(g)), init(`${name}.b`, [d], f32(b))], [intAttr('axis', -1), floatAttr('epsilon', LN_EPS)]);
  const linear = (x: string, w: Vec, b: Vec, out: number, inp: number, name: string): string =>
    op('Add', [op('MatMul', [x, init(`${name}.wT`, [inp, out], transposed(w, out, inp))]), init(`${name}.b`, [out], f32(b))]);

  // Embeddings: the effective item table (looked up and scored against) and right-aligned positions, which for a
  // left-padded row of maxLen are simply 0..maxLen-1.
  const table = init('item_table', [n1, d], f32(m.itemTable()));
  const emb = op('Gather', [table, 'history'], [intAttr('axis', 0)]);
  let x = layerNorm(op('Add', [emb, init('pos_emb', [L, d], f32(m.posEmb.value))]), m.ln0g.value, m.ln0b.value, 'ln0');

  // Attention bias [batch, 1, L, L]: -1e9 on padding keys and on future positions (finite, so fully masked padding
  // rows stay finite and never turn into NaN that a 0 * NaN would spread).
  const causal = new Uint8Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) causal[i * L + j] = 1;
  inits.push(tensor('causal', DT.BOOL, [L, L], causal));
  const pad = op('Equal', ['history', init('zero_id', [], BigInt64Array.of(0n))]);
  const padKeys = op('Unsqueeze', [pad, ints('axes_1_2', [1, 2])]);
  const masked = op('Or', [padKeys, 'causal']);
  const bias = op('Where', [masked, scalar('neg_big', -1e9), scalar('zero_f', 0)]);
  const headShape = ints('head_shape', [0, 0, heads, dh]);
  const modelShape = ints('model_shape', [0, 0, d]);
  const split = ints('qkv_split', [d, d, d]);
  const scale = scalar('attn_scale', 1 / Math.sqrt(dh));
  const half = scalar('half', 0.5);
  const one = scalar('one', 1);
  const invSqrt2 = scalar('inv_sqrt2', Math.SQRT1_2);

  m.blocks.forEach((b, l) => {
    const qkv = linear(x, b.inW.value, b.inB.value, 3 * d, d, `b${l}.in`);
    const parts = [`q_${l}`, `k_${l}`, `v_${l}`];
    nodes.push(node('Split', [qkv, split], parts, `split_${l}`, [intAttr('axis', 2)]));
    const q = op('Transpose', [op('Reshape', [parts[0]!, headShape])], [perm([0, 2, 1, 3])]);
    const kT = op('Transpose', [op('Reshape', [parts[1]!, headShape])], [perm([0, 2, 3, 1])]);
    const v = op('Transpose', [op('Reshape', [parts[2]!, headShape])], [perm([0, 2, 1, 3])]);
    const scores = op('Add', [op('Mul', [op('MatMul', [q, kT]), scale]), bias]);
    const probs = op('Softmax', [scores], [intAttr('axis', -1)]);
    const ctx = op('Reshape', [op('Transpose', [op('MatMul', [probs, v])], [perm([0, 2, 1, 3])]), modelShape]);
    const a = linear(ctx, b.outW.value, b.outB.value, d, d, `b${l}.out`);
    const x1 = layerNorm(op('Add', [x, a]), b.ln1g.value, b.ln1b.value, `b${l}.ln1`);
    const f1 = linear(x1, b.ff1W.value, b.ff1B.value, inner, d, `b${l}.ff1`);
    // GELU, erf form: 0.5 x (1 + erf(x / sqrt 2)).
    const g = op('Mul', [op('Mul', [f1, half]), op('Add', [one, op('Erf', [op('Mul', [f1, invSqrt2])])])]);
    const f2 = linear(g, b.ff2W.value, b.ff2B.value, d, inner, `b${l}.ff2`);
    x = layerNorm(op('Add', [x1, f2]), b.ln2g.value, b.ln2b.value, `b${l}.ln2`);
  });

  // The last position (the most recent item) against every item; the padding item scores -inf.
  const last = op('Gather', [x, init('last_pos', [], BigInt64Array.of(BigInt(L - 1)))], [intAttr('axis', 1)]);
  const noPad = new Float32Array(n1);
  noPad[0] = -Infinity;
  nodes.push(node('Gemm', [last, table, init('padding_mask', [n1], noPad)], ['scores'], 'scores', [intAttr('transB', 1)]));

  return onnxModel(
    {
      name: 'pulse-sasrec-scorer',
      nodes,
      initializers: inits,
      inputs: [valueInfo('history', DT.INT64, ['batch', L])],
      outputs: [valueInfo('scores', DT.FLOAT, ['batch', n1])],
    },
    {
      opset: ONNX_OPSET,
      producer: 'pulse-workbench',
      docString: `SASRec scorer: history int64 [batch, ${L}] (engine item ids 1..${m.nItems}, most recent last, left-padded with 0) -> scores float [batch, ${n1}] (index 0 = padding, -inf)`,
      metadata: { nItems: String(m.nItems), maxLen: String(L), hidden: String(d), paddingId: '0', ...metadata },
    },
  );
}

/** Writes the scorer to `file` atomically (a temp file renamed), so a failed export never leaves a partial file. */
export function writeSasrecOnnx(m: SasrecModel, file: string, metadata: Record<string, string> = {}): { file: string; bytes: number } {
  const bytes = sasrecToOnnx(m, metadata);
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, abs);
  return { file: abs, bytes: bytes.length };
}

/** Histories as the model's input: the last maxLen items of each, left-padded with 0, as int64 [batch, maxLen]. */
export function historyTensorData(histories: readonly Int32Array[], maxLen: number): BigInt64Array {
  const out = new BigInt64Array(histories.length * maxLen);
  histories.forEach((h, b) => {
    const n = Math.min(h.length, maxLen);
    for (let j = 0; j < n; j++) out[b * maxLen + maxLen - n + j] = BigInt(h[h.length - n + j]!);
  });
  return out;
}
