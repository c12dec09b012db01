// Checkpoint file format: "PULSECK1", uint32 header length, JSON header, then raw little-endian
// arrays (float32 or float64 as the header says) back to back. Written to a temp file and renamed,
// so a crash mid-save never leaves a torn checkpoint.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Vec } from './kernels.js';

const MAGIC = 'PULSECK1';

export interface CheckpointHeader {
  dtype: 'f32' | 'f64';
  arrays: { name: string; length: number }[];
  [key: string]: unknown;
}

export function writeCheckpointFile(file: string, header: Omit<CheckpointHeader, 'arrays' | 'dtype'>, arrays: { name: string; data: Vec }[]): void {
  const dtype = arrays.length && arrays[0]!.data instanceof Float64Array ? 'f64' : 'f32';
  const full: CheckpointHeader = { ...header, dtype, arrays: arrays.map((a) => ({ name: a.name, length: a.data.length })) };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const pre = Buffer.alloc(12);
  pre.write(MAGIC, 0, 'ascii');
  pre.writeUInt32LE(json.length, 8);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, pre);
    writeSync(fd, json);
    for (const a of arrays) writeSync(fd, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function readCheckpointFile(file: string): { header: CheckpointHeader; arrays: Map<string, Vec> } {
  const buf = readFileSync(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== MAGIC) throw new Error(`${file} is not a PULSE checkpoint`);
  const hlen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as CheckpointHeader;
  const width = header.dtype === 'f64' ? 8 : 4;
  let off = 12 + hlen;
  const arrays = new Map<string, Vec>();
  for (const a of header.arrays) {
    const bytes = a.length * width;
    if (off + bytes > buf.length) throw new Error(`${file} is truncated`);
    const copy = new Uint8Array(bytes);
    copy.set(buf.subarray(off, off + bytes));
    arrays.set(a.name, width === 8 ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer));
    off += bytes;
  }
  return { header, arrays };
}
