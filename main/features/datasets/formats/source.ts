/**
 * What every format reader shares: the sink it writes normalized records into, dense id maps, and a
 * streaming line reader over plain or gzipped files (BOM, CRLF and blank lines handled here once).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { UserError } from '../../../base/errors.js';
import { badLine, TrailingBlankLines } from './rules.js';
import { JsonSyntaxError, formatPath, lineAt, parseStrictJson } from './strict-json.js';

export { badLine };

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

  /** Index of the non-negative integer n, assigned on first sight (large ones are kept as strings). */
  idxNum(n: number): number {
    if (n >= KeyMap.NUM_LIMIT) return this.idxStr(String(n));
    if (n >= this.num.length) this.growNum(n);
    const v = this.num[n]!;
    if (v >= 0) return v;
    const idx = this.add(n);
    this.num[n] = idx;
    return idx;
  }

  idx(key: string): number {
    const n = canonicalInt(key);
    return n >= 0 ? this.idxNum(n) : this.idxStr(key);
  }

  private idxStr(key: string): number {
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

/** Longest line accepted: a record this long is not one of these formats' records. */
export const MAX_LINE_BYTES = 64 << 20;

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
        else if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
          throw new UserError(`${file}: the file is UTF-16 text (it starts with a UTF-16 byte order mark); PULSE reads UTF-8.`, {
            file,
            line: 1,
            hint: 'Save the file as UTF-8 (in most editors: Save As, encoding UTF-8) and import it again.',
            code: 'bad_input',
          });
        }
      }
      for (;;) {
        const nl = buf.indexOf(10, s);
        if (nl < 0) break;
        const e = nl > s && buf[nl - 1] === 13 ? nl - 1 : nl;
        onLine(buf, s, e, ++lineNo);
        s = nl + 1;
      }
      if (s < buf.length) {
        if (buf.length - s > MAX_LINE_BYTES) {
          throw badLine(
            file,
            lineNo + 1,
            `found a line longer than ${MAX_LINE_BYTES >> 20} MiB; expected one record per line.`,
            'Check that the file has line breaks (LF or CRLF; old Mac CR-only line ends are not read) and is the format chosen.',
          );
        }
        carry = buf.subarray(s);
      }
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

export type TextEncoding = 'utf8' | 'latin1' | 'utf8-or-latin1';

/** Offset (within the line) of the first byte that breaks UTF-8, for messages. */
function firstBadUtf8(buf: Buffer, s: number, e: number): number {
  let k = s;
  while (k < e) {
    const b = buf[k]!;
    if (b < 0x80) {
      k++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || k + len > e || !isUtf8(buf.subarray(k, k + len))) return k - s;
    k += len;
  }
  return 0;
}

export function utf8Error(file: string, lineNo: number, buf: Buffer, s: number, e: number): UserError {
  const at = firstBadUtf8(buf, s, e);
  return badLine(
    file,
    lineNo,
    `found bytes that are not valid UTF-8 (near column ${at + 1}: ${[...buf.subarray(s + at, Math.min(e, s + at + 4))].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}); expected UTF-8 text.`,
    'Save the file as UTF-8, or fix the damaged bytes on this line.',
  );
}

/**
 * Line reader over decoded text. `encoding`: utf8 (invalid bytes are refused with their line), latin1, or
 * utf8-or-latin1 (each line as UTF-8 when it is valid UTF-8, else ISO-8859-1: MovieLens metadata).
 * Blank lines are skipped; `blankLines: 'trailing'` (the default) refuses them anywhere but at the end.
 */
export async function forEachTextLine(
  file: string,
  onLine: (line: string, lineNo: number) => void,
  onRawBytes?: (n: number) => void,
  opts: { encoding?: TextEncoding; blankLines?: 'trailing' | 'anywhere' } = {},
): Promise<number> {
  const encoding = opts.encoding ?? 'utf8';
  const blanks = opts.blankLines === 'anywhere' ? null : new TrailingBlankLines(file);
  return forEachLine(
    file,
    (buf, s, e, n) => {
      let k = s;
      while (k < e && (buf[k] === 32 || buf[k] === 9)) k++;
      if (k === e) {
        blanks?.blank(n);
        return;
      }
      blanks?.record();
      let line: string;
      if (encoding === 'latin1') line = buf.toString('latin1', s, e);
      else if (isUtf8(buf.subarray(s, e))) line = buf.toString('utf8', s, e);
      else if (encoding === 'utf8-or-latin1') line = buf.toString('latin1', s, e);
      else throw utf8Error(file, n, buf, s, e);
      onLine(line, n);
    },
    onRawBytes,
  );
}

/** Largest whole-file JSON document accepted (LC-Rec, item2attributes): these are moderate in size. */
export const MAX_JSON_BYTES = 1 << 30;

/**
 * Reads a whole JSON document (optionally gzipped) strictly: UTF-8 (a BOM is allowed), RFC 8259, no duplicate
 * keys. Errors name the file, the line and the JSON path. Returns the text too, for later errors' lines.
 */
export async function readJsonFile(file: string, onRawBytes?: (n: number) => void): Promise<{ value: unknown; text: string }> {
  const size = checkReadable(file);
  if (size > MAX_JSON_BYTES) {
    throw new UserError(`${file} is ${(size / 2 ** 30).toFixed(1)} GiB; whole-file JSON is read into memory and is limited to 1 GiB.`, {
      file,
      hint: 'Convert it to JSON lines or CSV and import that instead.',
      code: 'too_large',
    });
  }
  const { stream, gz } = openBytes(file, onRawBytes);
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const c of stream) {
      total += (c as Buffer).length;
      if (total > MAX_JSON_BYTES) {
        stream.destroy();
        throw new UserError(`${file} unpacks to more than 1 GiB; whole-file JSON is read into memory and is limited to 1 GiB.`, {
          file,
          hint: 'Convert it to JSON lines or CSV and import that instead.',
          code: 'too_large',
        });
      }
      parts.push(c as Buffer);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const at = lineAt(Buffer.concat(parts).toString('latin1'), total);
    throw new UserError(`${file}: could not be read${gz ? ' (the gzip data is damaged or cut off)' : ''} after line ${at} (${(err as Error).message}).`, {
      file,
      line: at,
      hint: 'Download the file again; it may be incomplete.',
      code: 'bad_input',
    });
  }
  let buf = Buffer.concat(parts);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    throw new UserError(`${file}: the file is UTF-16 text; PULSE reads UTF-8.`, {
      file,
      line: 1,
      hint: 'Save the file as UTF-8 and import it again.',
      code: 'bad_input',
    });
  }
  if (!isUtf8(buf)) {
    // Find the line that breaks UTF-8.
    let s = 0;
    let lineNo = 1;
    for (;;) {
      const nl = buf.indexOf(10, s);
      const e = nl < 0 ? buf.length : nl;
      if (!isUtf8(buf.subarray(s, e))) throw utf8Error(file, lineNo, buf, s, e);
      if (nl < 0) break;
      s = nl + 1;
      lineNo++;
    }
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new UserError(`${file} is empty.`, { file, line: 1, hint: 'Pick the file that holds the data.', code: 'empty' });
  try {
    return { value: parseStrictJson(text), text };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const line = lineAt(text, err.offset);
    throw new UserError(`${file}, line ${line}, at ${formatPath(err.path)}: not valid JSON: found ${err.what}.`, {
      file,
      line,
      hint: 'Fix the JSON at that place (a cut-off file, a missing comma or quote, a repeated key), or choose another format.',
      code: 'bad_input',
    });
  }
}
