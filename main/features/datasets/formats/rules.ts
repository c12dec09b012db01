/**
 * The rules the format readers share (docs/datasets.md, "What each format allows"): id syntax and range,
 * numbers, blank lines, and errors that say where, what was found, what was expected and what to do.
 */
import { UserError } from '../../../base/errors.js';
import { formatPath, lineAt, offsetOf, type JsonPath } from './strict-json.js';

/** Largest numeric id: ids are kept as 32-bit signed integers by the tools that write these formats. */
export const MAX_ID = 2 ** 31 - 1;
/** Longest text id accepted (Amazon reviewer ids are 10-30 characters; this only stops garbage). */
export const MAX_ID_CHARS = 256;

/** Amazon product ids: 10 characters, digits and capital letters (ISBN-10 for books, B... otherwise). */
export const ASIN = /^[0-9A-Z]{10}$/;

/** A value as it appears in a message: quoted, control characters escaped, long values cut. */
export function shown(v: unknown): string {
  if (typeof v !== 'string') return v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 60) ?? String(v));
  const cut = v.length > 60 ? `${v.slice(0, 57)}...` : v;
  return JSON.stringify(cut);
}

/** Integer id in [min, MAX_ID] written canonically (digits only, no sign, no leading zero); else -1. */
export function intId(s: string, min: 0 | 1): number {
  const len = s.length;
  if (len === 0 || len > 10) return -1;
  let n = 0;
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9 || (k === 0 && c === 0 && len > 1)) return -1;
    n = n * 10 + c;
  }
  return n >= min && n <= MAX_ID ? n : -1;
}

/** What an integer id must look like, for messages. */
export const idRule = (min: 0 | 1) => `a whole number from ${min} to ${MAX_ID}, digits only (no sign, no leading zero)`;

/** A text id: non-empty, at most MAX_ID_CHARS, no control characters and no spaces at either end. */
export function textIdProblem(s: string): string | null {
  if (s.length === 0) return 'it is empty';
  if (s.length > MAX_ID_CHARS) return `it is ${s.length} characters long (at most ${MAX_ID_CHARS})`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(s)) return 'it contains a control character';
  if (s.trim() !== s) return 'it has spaces at the start or end';
  return null;
}

const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A finite decimal number written plainly (no "nan", "inf", hex or spaces); else NaN. */
export function decimal(s: string): number {
  if (!DECIMAL.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/** Unix seconds up to 9999-12-31: later values are not seconds (milliseconds, or garbage). */
export const MAX_UNIX_SECONDS = 253402300799;

export function badLine(file: string, line: number, what: string, hint: string): UserError {
  return new UserError(`${file}, line ${line}: ${what}`, { file, line, hint, code: 'bad_input' });
}

/** An error at a JSON path of a whole-file document (the line is found in `text`). */
export function badJson(file: string, text: string, path: JsonPath, what: string, hint: string): UserError {
  const line = lineAt(text, offsetOf(text, path));
  return new UserError(`${file}, line ${line}, at ${formatPath(path)}: ${what}`, { file, line, hint, code: 'bad_input' });
}

/**
 * Blank lines are allowed only at the end of a file (a trailing newline or two), not between records, where
 * they mean a damaged or concatenated file. Call `blank(n)` for blank lines and `record(n)` before each
 * record; `record` throws naming the first blank line in the middle.
 */
export class TrailingBlankLines {
  private first = 0;
  constructor(private readonly file: string) {}
  blank(lineNo: number): void {
    if (this.first === 0) this.first = lineNo;
  }
  record(): void {
    if (this.first !== 0)
      throw badLine(
        this.file,
        this.first,
        'found a blank line between records; blank lines are allowed only at the end of the file.',
        'Remove the blank line (or check whether two files were joined here).',
      );
  }
}
