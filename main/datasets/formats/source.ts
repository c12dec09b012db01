/**
 * What every format reader shares: the sink it writes normalized records into, dense id maps, and a
 * streaming line reader over plain or gzipped files (BOM, CRLF and blank lines handled here once).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserError } from '../../app/errors.js';

export type FormatName = 's3rec' | 'lcrec' | 'recbole' | 'amazon' | 'movielens' | 'csv';

/** A file with the part it plays in its format (interactions, items, users, item-text, ...). */
export interface RoleFile {
  path: string;
  role: string;
  bytes: number;
}

/**
 * Dense ids from 0 in first-seen order. Canonical small non-negative integers ("0", "17", not "017") take a
 * typed-array fast path so numeric formats map ids without creating strings or hashing, and are kept as 4-byte
 * codes rather than strings (memory per distinct id stays small); other ids are kept as given.
 */
export class KeyMap {
  private readonly map = new Map<string, number>();
  private num = new Int32Array(1 << 12).fill(-1);
  /** Per index: the numeric id, or -1 when the id is the string in `strs`. */
  private codes = new Int32Array(1 << 12);
  private readonly strs: string[] = [];
  private n = 0;
  static readonly NUM_LIMIT = 1 << 24;

  get size(): number {
    return this.n;
  }

  /** The original id of index `idx`. */
  id(idx: number): string {
    const c = this.codes[idx]!;
    return c >= 0 ? String(c) : this.strs[idx]!;
  }

  /** Index of the canonical integer n (0 <= n < NUM_LIMIT), assigned on first sight. */
  idxNum(n: number): number {
    if (n >= this.num.length) this.growNum(n);
    const v = this.num[n]!;
    if (v >= 0) return v;
    const idx = this.add(n);
    this.num[n] = idx;
    return idx;
  }

  idx(key: string): number {
    const n = canonicalInt(key);
    if (n >= 0) return this.idxNum(n);
    const v = this.map.get(key);
    if (v !== undefined) return v;
    const idx = this.add(-1);
    this.strs[idx] = key;
    this.map.set(key, idx);
    return idx;
  }

  /** Index of a key already seen, else -1 (metadata for items that have no interactions is skipped). */
  find(key: string): number {
    const n = canonicalInt(key);
    if (n >= 0) return n < this.num.length ? this.num[n]! : -1;
    return this.map.get(key) ?? -1;
  }

  private add(code: number): number {
    const idx = this.n++;
    if (idx >= this.codes.length) {
      const next = new Int32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[idx] = code;
    return idx;
  }

  private growNum(n: number): void {
    let len = this.num.length;
    while (len <= n) len *= 2;
    const next = new Int32Array(len).fill(-1);
    next.set(this.num);
    this.num = next;
  }
}

/** The integer a key spells canonically (no sign, no leading zero, below KeyMap.NUM_LIMIT), else -1. */
export function canonicalInt(key: string): number {
  const len = key.length;
  if (len === 0 || len > 8) return -1;
  let n = 0;
  for (let k = 0; k < len; k++) {
    const c = key.charCodeAt(k) - 48;
    if (c < 0 || c > 9 || (k === 0 && c === 0 && len > 1)) return -1;
    n = n * 10 + c;
  }
  return n < KeyMap.NUM_LIMIT ? n : -1;
}

/** Where readers put records. Hot-path methods take primitives only (no per-row objects). */
export interface Sink {
  readonly users: KeyMap;
  readonly items: KeyMap;
  /** Time-ordered formats: the next interaction of user u (its position is counted by the sink). */
  seq(u: number, i: number): void;
  /** Formats ordered later by timestamp (stable): rating/ts NaN when absent. */
  raw(u: number, i: number, rating: number, ts: number, review: string | null): void;
  itemMeta(i: number, title: string, brand: string, categories: string, description: string, attributes: string | null): void;
  userMeta(u: number, attributes: string): void;
  /** Bytes read from disk (compressed bytes for .gz), for progress. */
  bytes(n: number): void;
  note(message: string): void;
}

export interface FormatReader {
  format: FormatName;
  /** True when the files give each user's interactions in time order (no sort needed). */
  ordered: boolean;
  /** Interaction files first, then metadata; `columns` only for CSV. */
  read(files: RoleFile[], sink: Sink, columns?: Record<string, string | undefined>): Promise<void>;
}

export function badLine(file: string, line: number, what: string, hint: string): UserError {
  return new UserError(`${file}, line ${line}: ${what}`, { file, line, hint, code: 'bad_input' });
}

function isGzip(file: string): boolean {
  if (file.endsWith('.gz')) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return fs.readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

export function checkReadable(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new UserError(`File not found: ${file}`, { file, hint: 'Check the path, or pick the file again.', code: 'not_found' });
  }
  if (!st.isFile()) throw new UserError(`Not a file: ${file}`, { file, hint: 'Give a data file or a folder of data files.', code: 'bad_input' });
  return st.size;
}

/** Opens a file as a byte stream, gunzipping when it is gzip (by name or magic bytes). */
export function openBytes(file: string, onRawBytes?: (n: number) => void): { stream: Readable; gz: boolean } {
  checkReadable(file);
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (onRawBytes) raw.on('data', (c) => onRawBytes((c as Buffer).length));
  if (!isGzip(file)) return { stream: raw, gz: false };
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  raw.on('error', (e) => gunzip.destroy(e));
  return { stream: raw.pipe(gunzip), gz: true };
}

/** Thrown by a line callback to stop reading early (previews). */
export class StopReading extends Error {
  constructor() {
    super('stop');
  }
}

export type LineFn = (buf: Buffer, start: number, end: number, lineNo: number) => void;

/**
 * Calls `onLine` for every line (1-based numbers) with the byte range inside `buf`, without the line break
 * (LF or CRLF) and without a leading UTF-8 BOM. Memory stays at about one chunk plus one line.
 */
export async function forEachLine(file: string, onLine: LineFn, onRawBytes?: (n: number) => void): Promise<number> {
  const { stream, gz } = openBytes(file, onRawBytes);
  let carry: Buffer | null = null;
  let lineNo = 0;
  let first = true;
  try {
    for await (const chunk0 of stream) {
      let buf = chunk0 as Buffer;
      if (carry) {
        buf = Buffer.concat([carry, buf]);
        carry = null;
      }
      let s = 0;
      if (first) {
        first = false;
        if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
      }
      for (;;) {
        const nl = buf.indexOf(10, s);
        if (nl < 0) break;
        const e = nl > s && buf[nl - 1] === 13 ? nl - 1 : nl;
        onLine(buf, s, e, ++lineNo);
        s = nl + 1;
      }
      if (s < buf.length) carry = buf.subarray(s);
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof StopReading || err instanceof UserError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (gz && (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end|incorrect header|invalid/i.test(e.message))) {
      throw new UserError(`${file}: the gzip data is damaged or cut off after line ${lineNo} (${e.message}).`, {
        file,
        line: lineNo + 1,
        hint: 'Download the file again (it is probably incomplete), or unpack it to see how far it reads.',
        code: 'bad_input',
      });
    }
    throw new UserError(`${file}: could not be read (${e.message}).`, { file, line: lineNo + 1, hint: 'Check that the file is readable.', code: 'bad_input' });
  }
  if (carry && carry.length > 0) {
    const e = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    onLine(carry, 0, e, ++lineNo);
  }
  return lineNo;
}

/** Line reader over decoded text (utf8 or latin1); blank lines are skipped. */
export async function forEachTextLine(
  file: string,
  onLine: (line: string, lineNo: number) => void,
  onRawBytes?: (n: number) => void,
  encoding: BufferEncoding = 'utf8',
): Promise<number> {
  return forEachLine(
    file,
    (buf, s, e, n) => {
      if (e <= s) return;
      const line = buf.toString(encoding, s, e);
      if (line.trim() === '') return;
      onLine(line, n);
    },
    onRawBytes,
  );
}

/** Largest whole-file JSON document accepted (LC-Rec, item2attributes): these are moderate in size. */
export const MAX_JSON_BYTES = 1 << 30;

/** Reads a whole JSON document (optionally gzipped), with errors that name the file and line. */
export async function readJsonFile(file: string, onRawBytes?: (n: number) => void): Promise<unknown> {
  const size = checkReadable(file);
  if (size > MAX_JSON_BYTES) {
    throw new UserError(`${file} is ${(size / 2 ** 30).toFixed(1)} GiB; whole-file JSON is read into memory and is limited to 1 GiB.`, {
      file,
      hint: 'Convert it to JSON lines or CSV and import that instead.',
      code: 'too_large',
    });
  }
  const { stream } = openBytes(file, onRawBytes);
  const parts: Buffer[] = [];
  try {
    for await (const c of stream) parts.push(c as Buffer);
  } catch (err) {
    throw new UserError(`${file}: could not be read (${(err as Error).message}).`, {
      file,
      hint: 'Download the file again; it may be incomplete.',
      code: 'bad_input',
    });
  }
  let text = Buffer.concat(parts).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new UserError(`${file} is empty.`, { file, line: 1, hint: 'Pick the file that holds the data.', code: 'empty' });
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new UserError(`${file}${line ? `, line ${line}` : ''}: not valid JSON (${(err as Error).message}).`, {
      file,
      line,
      hint: 'Check the file is complete JSON (not cut off), or choose another format.',
      code: 'bad_input',
    });
  }
}
