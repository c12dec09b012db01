/**
 * Damage for the importer fuzz test: byte-level (truncation, bad bytes, inserted or deleted bytes), value-level
 * (wrong types, negative or huge numbers, empty values), structure-level (missing fields, repeated lines or
 * keys, wrong nesting, blank lines) and the looseness real files have (CRLF, a BOM, trailing blank lines or
 * spaces, gzip, also cut short after packing).
 */
import zlib from 'node:zlib';
import { int, pick, type CaseFile, type FuzzCase, type Rng } from './corpus.js';

const BYTES = [0x00, 0xff, 0xfe, 0xc3, 0x80, 0xe2, 0x0a, 0x0d, 0x20, 0x09, 0x2c, 0x22, 0x27, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x7c, 0x5c, 0x30, 0x2d];
/** Replacement values: wrong types, out-of-range and odd numbers, empty, nesting. */
const VALUES = [
  '-1',
  '0',
  '-0',
  '007',
  '1.5',
  '2147483647',
  '2147483648',
  '99999999999999999999',
  '1e400',
  '-1e400',
  '1e3',
  'NaN',
  'inf',
  'x',
  '',
  ' ',
  '"5"',
  "'5'",
  '[1]',
  '[]',
  '{}',
  '{"a": 1}',
  'null',
  'None',
  'true',
  'True',
  'B000000000',
  'b00000000x',
  '2014-07-01',
  '"a,b"',
  'é',
];

export interface Damage {
  /** What was done, for the failure report. */
  steps: string[];
  files: CaseFile[];
}

type Edit = (b: Buffer, rng: Rng) => [Buffer, string];

const text = (b: Buffer) => b.toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

/** Line ranges [start, end) of a buffer's lines (without the LF). */
function lineSpans(b: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  for (;;) {
    const nl = b.indexOf(10, s);
    if (nl < 0) {
      if (s < b.length) out.push([s, b.length]);
      return out;
    }
    out.push([s, nl]);
    s = nl + 1;
  }
}

const EDITS: Record<string, Edit> = {
  truncate: (b, rng) => {
    const at = int(rng, 0, b.length);
    return [b.subarray(0, at), `truncate at byte ${at}`];
  },
  badByte: (b, rng) => {
    if (!b.length) return [b, 'badByte (empty)'];
    const at = int(rng, 0, b.length - 1);
    const v = rng() < 0.8 ? pick(rng, BYTES) : int(rng, 0, 255);
    const c = Buffer.from(b);
    c[at] = v;
    return [c, `byte ${at} := 0x${v.toString(16)}`];
  },
  insertBytes: (b, rng) => {
    const at = int(rng, 0, b.length);
    const ins = Buffer.from(Array.from({ length: int(rng, 1, 4) }, () => pick(rng, BYTES)));
    return [Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]), `insert ${ins.toString('hex')} at ${at}`];
  },
  deleteBytes: (b, rng) => {
    const at = int(rng, 0, b.length);
    const n = int(rng, 1, 20);
    return [Buffer.concat([b.subarray(0, at), b.subarray(at + n)]), `delete ${n} bytes at ${at}`];
  },
  replaceValue: (b, rng) => {
    const t = text(b);
    const tokens = [...t.matchAll(/[A-Za-z0-9_.+-]+/g)];
    if (!tokens.length) return [b, 'replaceValue (no token)'];
    const m = pick(rng, tokens);
    const v = pick(rng, VALUES);
    return [bytes(t.slice(0, m.index) + v + t.slice(m.index! + m[0].length)), `value ${JSON.stringify(m[0])} at ${m.index} := ${JSON.stringify(v)}`];
  },
  quoteNumber: (b, rng) => {
    const t = text(b);
    const nums = [...t.matchAll(/(?<![\w."])\d+(?![\w."])/g)];
    if (!nums.length) return [b, 'quoteNumber (none)'];
    const m = pick(rng, nums);
    return [bytes(t.slice(0, m.index) + `"${m[0]}"` + t.slice(m.index! + m[0].length)), `quote the number at ${m.index}`];
  },
  nest: (b, rng) => {
    const t = text(b);
    const vals = [...t.matchAll(/(?<=[:[,]\s*)(\d+|"[^"\n]*")/g)];
    if (!vals.length) return [b, 'nest (none)'];
    const m = pick(rng, vals);
    const wrapped = rng() < 0.5 ? `[${m[0]}]` : `{"v": ${m[0]}}`;
    return [bytes(t.slice(0, m.index) + wrapped + t.slice(m.index! + m[0].length)), `nest the value at ${m.index}`];
  },
  repeatKey: (b, rng) => {
    const t = text(b);
    const pairs = [...t.matchAll(/["'][A-Za-z_0-9]+["']\s*:\s*("[^"\n]*"|'[^'\n]*'|[-\d.eE]+|\[[^\]\n]*\])/g)];
    if (!pairs.length) return [b, 'repeatKey (none)'];
    const m = pick(rng, pairs);
    const at = m.index! + m[0].length;
    return [bytes(t.slice(0, at) + ', ' + m[0] + t.slice(at)), `repeat the key ${m[0].slice(0, 20)} at ${m.index}`];
  },
  dropField: (b, rng) => {
    const spans = lineSpans(b);
    if (!spans.length) return [b, 'dropField (no lines)'];
    const k = int(rng, 0, spans.length - 1);
    const [s, e] = spans[k]!;
    const line = text(b.subarray(s, e));
    const sep = pick(rng, ['\t', ' ', ',', '::', '|']);
    const parts = line.split(sep);
    let out: string;
    if (parts.length > 1) {
      parts.splice(int(rng, 0, parts.length - 1), 1);
      out = parts.join(sep);
    } else {
      // JSON: drop one "key": value pair.
      const pairs = [...line.matchAll(/["'][A-Za-z_0-9]+["']\s*:\s*("[^"]*"|'[^']*'|[^,}]+),?\s*/g)];
      if (!pairs.length) return [b, 'dropField (nothing to drop)'];
      const m = pick(rng, pairs);
      out = line.slice(0, m.index) + line.slice(m.index! + m[0].length);
    }
    return [Buffer.concat([b.subarray(0, s), bytes(out), b.subarray(e)]), `drop a field of line ${k + 1}`];
  },
  repeatLine: (b, rng) => {
    const spans = lineSpans(b);
    if (!spans.length) return [b, 'repeatLine (no lines)'];
    const k = int(rng, 0, spans.length - 1);
    const [s, e] = spans[k]!;
    const at = spans[int(rng, 0, spans.length - 1)]![0];
    return [Buffer.concat([b.subarray(0, at), b.subarray(s, e), Buffer.from('\n'), b.subarray(at)]), `repeat line ${k + 1}`];
  },
  dropLine: (b, rng) => {
    const spans = lineSpans(b);
    if (!spans.length) return [b, 'dropLine (no lines)'];
    const k = int(rng, 0, spans.length - 1);
    const [s, e] = spans[k]!;
    return [Buffer.concat([b.subarray(0, s), b.subarray(Math.min(b.length, e + 1))]), `drop line ${k + 1}`];
  },
  blankLine: (b, rng) => {
    const spans = lineSpans(b);
    const at = spans.length ? spans[int(rng, 0, spans.length - 1)]![0] : 0;
    return [Buffer.concat([b.subarray(0, at), Buffer.from(pick(rng, ['\n', ' \n', '\t\n', '\r\n'])), b.subarray(at)]), `blank line at byte ${at}`];
  },
};

/** Looseness accepted on purpose (docs/datasets.md): these alone never make a file invalid. */
const LOOSE: Record<string, Edit> = {
  crlf: (b) => [bytes(text(b).replace(/\r?\n/g, '\r\n')), 'CRLF'],
  bom: (b) => [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), 'BOM'],
  trailingBlank: (b) => [Buffer.concat([b, Buffer.from('\n\n')]), 'trailing blank lines'],
  noFinalNewline: (b) => [b.length && b[b.length - 1] === 10 ? b.subarray(0, b.length - 1) : b, 'no final newline'],
};

/** Damages one case: 0-3 edits (mostly to the interactions file), maybe some looseness, maybe gzip. */
export function damage(c: FuzzCase, rng: Rng): Damage {
  const files = c.files.map((f) => ({ ...f }));
  const steps: string[] = [];
  const edits = rng() < 0.12 ? 0 : int(rng, 1, 3);
  for (let k = 0; k < edits; k++) {
    const f = rng() < 0.75 ? files.find((x) => x.name === c.main)! : pick(rng, files);
    const [name, edit] = pick(rng, Object.entries(EDITS));
    const [body, what] = edit(f.body, rng);
    f.body = body;
    steps.push(`${f.name}: ${name}: ${what}`);
  }
  for (const f of files) {
    if (rng() < 0.25) {
      const [name, edit] = pick(rng, Object.entries(LOOSE));
      f.body = edit(f.body, rng)[0];
      steps.push(`${f.name}: ${name}`);
    }
    if (rng() < 0.1) {
      let gz = zlib.gzipSync(f.body);
      let what = 'gzip';
      if (rng() < 0.3) {
        const at = int(rng, 0, gz.length - 1);
        gz = gz.subarray(0, at);
        what += `, cut at byte ${at}`;
      }
      f.body = gz;
      f.name += '.gz';
      steps.push(`${f.name}: ${what}`);
    }
  }
  return { steps, files };
}
