/**
 * Sequences for the trainer outside memory: a packed file read a batch at a time (bench/train-scale.ts trains 1M
 * users this way; the workbench's runs read the workspace's SQLite, training/run-data.ts), and the scan the
 * trainer does once over any source (base/sequence-source.ts).
 *
 * Packed file ("PULSESQ1", little-endian): magic (8 bytes), uint32 users, uint32 max item id, float64 total
 * items, then float64 offsets[users + 1] (item positions), then int32 items; user u's sequence (oldest first) is
 * items[offsets[u] .. offsets[u + 1]).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SequenceSource } from '../../../base/sequence-source.js';

/**
 * One pass over the sequences: checks every id is in 1..nItems, lists the sequences long enough to train on
 * (2 items or more), and fingerprints the data (so a checkpoint is not resumed on other data).
 */
export function scanSequences(src: SequenceSource, nItems: number): { eligible: Int32Array; hash: string } {
  const eligible = new Int32Array(src.length);
  let n = 0;
  let h = 0x811c9dc5;
  for (let u = 0; u < src.length; u++) {
    const s = src.get(u);
    h = Math.imul(h ^ s.length, 0x01000193);
    for (const v of s) {
      if (v < 1 || v > nItems) throw new RangeError(`item id ${v} outside 1..${nItems}`);
      h = Math.imul(h ^ v, 0x01000193);
    }
    if (s.length >= 2) eligible[n++] = u;
  }
  return { eligible: eligible.slice(0, n), hash: (h >>> 0).toString(16) };
}

const MAGIC = 'PULSESQ1';
const HEADER = 24;

/** Writes sequences to a packed file, streaming them through `next` (called for u = 0 .. users - 1). */
export function writePackedSequences(file: string, users: number, lengths: Int32Array, next: (u: number) => Int32Array, maxItem: number): void {
  const offsets = new Float64Array(users + 1);
  for (let u = 0; u < users; u++) offsets[u + 1] = offsets[u]! + lengths[u]!;
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, 'ascii');
  head.writeUInt32LE(users, 8);
  head.writeUInt32LE(maxItem, 12);
  head.writeDoubleLE(offsets[users]!, 16);
  const tmp = `${file}.tmp-${crypto.randomUUID()}`; // unique per thread too
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, head);
    fs.writeSync(fd, new Uint8Array(offsets.buffer));
    const chunk = new Int32Array(1 << 20);
    let fill = 0;
    const flush = (): void => {
      fs.writeSync(fd, new Uint8Array(chunk.buffer, 0, fill * 4));
      fill = 0;
    };
    for (let u = 0; u < users; u++) {
      const s = next(u);
      if (s.length !== lengths[u]) throw new RangeError(`sequence ${u} has ${s.length} items, not the announced ${lengths[u]}`);
      for (let i = 0; i < s.length; i++) {
        if (fill === chunk.length) flush();
        chunk[fill++] = s[i]!;
      }
    }
    flush();
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * A packed sequence file read with positioned reads, two per sequence; only the file descriptor stays open.
 * `dropLast` hides the last items of every sequence (2 = the training part of a leave-one-out split).
 */
export class PackedSequenceFile implements SequenceSource {
  readonly length: number;
  readonly maxItem: number;
  readonly totalItems: number;
  private readonly fd: number;
  private readonly off = Buffer.alloc(16);

  constructor(
    readonly file: string,
    private readonly dropLast = 0,
  ) {
    this.fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(HEADER);
    if (fs.readSync(this.fd, head, 0, HEADER, 0) !== HEADER || head.toString('ascii', 0, 8) !== MAGIC) {
      fs.closeSync(this.fd);
      throw new Error(`${file} is not a packed sequence file (no ${MAGIC} header)`);
    }
    this.length = head.readUInt32LE(8);
    this.maxItem = head.readUInt32LE(12);
    this.totalItems = head.readDoubleLE(16);
    const size = fs.fstatSync(this.fd).size;
    if (size !== HEADER + 8 * (this.length + 1) + 4 * this.totalItems) {
      fs.closeSync(this.fd);
      throw new Error(`${file} is truncated or damaged (${size} bytes for ${this.length} sequences of ${this.totalItems} items)`);
    }
  }

  get(u: number): Int32Array {
    if (!(u >= 0 && u < this.length)) throw new RangeError(`sequence ${u} outside 0..${this.length - 1}`);
    fs.readSync(this.fd, this.off, 0, 16, HEADER + 8 * u);
    const a = this.off.readDoubleLE(0);
    const n = Math.max(0, this.off.readDoubleLE(8) - a - this.dropLast);
    const out = new Int32Array(n);
    if (n > 0) fs.readSync(this.fd, new Uint8Array(out.buffer), 0, 4 * n, HEADER + 8 * (this.length + 1) + 4 * a);
    return out;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
