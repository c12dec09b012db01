/**
 * A small ONNX writer: the protobuf wire format by hand (no onnx package) for the messages a model needs.
 * Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
 */

// ---------- protobuf wire format ----------

export type Field = Uint8Array;

function varintBytes(n: number | bigint): number[] {
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

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const key = (field: number, wire: 0 | 2 | 5): number[] => varintBytes((field << 3) | wire);
export const fInt = (field: number, v: number | bigint): Field => Uint8Array.from([...key(field, 0), ...varintBytes(v)]);
export const fFloat = (field: number, v: number): Field => {
  const k = key(field, 5);
  const b = new Uint8Array(k.length + 4);
  b.set(k);
  new DataView(b.buffer).setFloat32(k.length, v, true);
  return b;
};
export const fBytes = (field: number, bytes: Uint8Array): Field => concat([Uint8Array.from([...key(field, 2), ...varintBytes(bytes.length)]), bytes]);
export const fStr = (field: number, s: string): Field => fBytes(field, new Uint8Array(Buffer.from(s, 'utf8')));
export const fMsg = (field: number, ...parts: Field[]): Field => fBytes(field, concat(parts));

// ---------- ONNX messages ----------

/** TensorProto.DataType */
export const DT = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
const ATTR = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;

function rawBytes(data: Float32Array | BigInt64Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A TensorProto with raw little-endian data. */
export function tensor(name: string, dataType: number, dims: readonly number[], data: Float32Array | BigInt64Array | Int32Array | Uint8Array): Field {
  return concat([...dims.map((d) => fInt(1, d)), fInt(2, dataType), fStr(8, name), fBytes(9, rawBytes(data))]);
}

/** A ValueInfoProto of a tensor; dims: numbers are fixed sizes, strings are symbolic (batch, seq). */
export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): Field {
  const shape = dims.map((d) => fMsg(1, typeof d === 'number' ? fInt(1, d) : fStr(2, d)));
  const tensorType = concat([fInt(1, elemType), fMsg(2, ...shape)]);
  return concat([fStr(1, name), fMsg(2, fMsg(1, tensorType))]);
}

export type Attr = Field;
export const intAttr = (name: string, v: number): Attr => fMsg(5, fStr(1, name), fInt(3, v), fInt(20, ATTR.INT));
export const floatAttr = (name: string, v: number): Attr => fMsg(5, fStr(1, name), fFloat(2, v), fInt(20, ATTR.FLOAT));
export const intsAttr = (name: string, vs: readonly number[]): Attr => fMsg(5, fStr(1, name), ...vs.map((v) => fInt(8, v)), fInt(20, ATTR.INTS));
export const tensorAttr = (name: string, t: Field): Attr => fMsg(5, fStr(1, name), fMsg(5, t), fInt(20, ATTR.TENSOR));

/** A NodeProto. */
export function node(op: string, inputs: readonly string[], outputs: readonly string[], name: string, attrs: readonly Attr[] = []): Field {
  return concat([...inputs.map((i) => fStr(1, i)), ...outputs.map((o) => fStr(2, o)), fStr(3, name), fStr(4, op), ...attrs]);
}

export interface GraphSpec {
  name: string;
  nodes: Field[];
  initializers: Field[];
  inputs: Field[];
  outputs: Field[];
}

/** A ModelProto: IR version 8, the default ONNX domain at `opset`, optional metadata (string pairs). */
export function model(graph: GraphSpec, opts: { opset: number; producer: string; docString?: string; metadata?: Record<string, string> }): Uint8Array {
  const g = concat([
    ...graph.nodes.map((n) => fMsg(1, n)),
    fStr(2, graph.name),
    ...graph.initializers.map((t) => fMsg(5, t)),
    ...graph.inputs.map((v) => fMsg(11, v)),
    ...graph.outputs.map((v) => fMsg(12, v)),
  ]);
  const meta = Object.entries(opts.metadata ?? {}).map(([k, v]) => fMsg(14, fStr(1, k), fStr(2, v)));
  return concat([
    fInt(1, 8),
    fStr(2, opts.producer),
    ...(opts.docString ? [fStr(6, opts.docString)] : []),
    fMsg(7, g),
    fMsg(8, fStr(1, ''), fInt(2, opts.opset)),
    ...meta,
  ]);
}
