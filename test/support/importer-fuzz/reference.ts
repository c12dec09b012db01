/**
 * A reference reader for the importer fuzz test, written from docs/datasets.md ("What each format allows") and
 * independently of main/features/datasets: whole files in memory, plain string handling, JSON.parse plus a separate
 * repeated-key scan, TextDecoder for UTF-8. It answers, for a folder of files in one format, either the counts
 * the import must produce or that it must be refused (with the file and line where a line-based rule breaks).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export type Verdict =
  | { ok: true; users: number; items: number; interactions: number }
  /** file/line are null where the place is not pinned down (damaged gzip, JSON syntax, detection). */
  | { ok: false; file: string | null; line: number | null; why: string };

export type FuzzFormat = 's3rec' | 'lcrec' | 'recbole' | 'amazon' | 'movielens' | 'csv';

class Refused extends Error {
  constructor(
    readonly file: string | null,
    readonly line: number | null,
    why: string,
  ) {
    super(why);
  }
}

const MAX_ID = 2147483647;
const MAX_UNIX = 253402300799;
const ASIN_RE = /^[0-9A-Z]{10}$/;
const POS_INT = /^[1-9][0-9]*$/;
const NONNEG_INT = /^(0|[1-9][0-9]*)$/;
const DECIMAL_RE = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

const intIn = (s: string, re: RegExp) => re.test(s) && Number(s) <= MAX_ID;
const num = (s: string) => (DECIMAL_RE.test(s) && Number.isFinite(Number(s)) ? Number(s) : NaN);
// eslint-disable-next-line no-control-regex -- control characters are what the text-id rule refuses
const textIdOk = (s: string) => s.length > 0 && s.length <= 256 && !/[\u0000-\u001f\u007f]/.test(s) && s.trim() === s;
const isBlank = (s: string) => /^[ \t]*$/.test(s);

/** The file's bytes, gunzipped when named .gz or starting with the gzip magic; damage refuses. */
function bytesOf(file: string): Buffer {
  const raw = fs.readFileSync(file);
  if (!file.endsWith('.gz') && !(raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b)) return raw;
  try {
    return zlib.gunzipSync(raw);
  } catch {
    throw new Refused(file, null, 'damaged gzip');
  }
}

/** Lines as byte buffers: BOM dropped, split on LF, one CR before it dropped, no empty last piece. */
function byteLines(file: string): Buffer[] {
  let b = bytesOf(file);
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) throw new Refused(file, 1, 'utf-16');
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  const out: Buffer[] = [];
  let s = 0;
  for (;;) {
    const nl = b.indexOf(10, s);
    if (nl < 0) {
      if (s < b.length) out.push(stripCr(b.subarray(s)));
      return out;
    }
    out.push(stripCr(b.subarray(s, nl)));
    s = nl + 1;
  }
}
const stripCr = (l: Buffer) => (l.length && l[l.length - 1] === 13 ? l.subarray(0, l.length - 1) : l);

/**
 * Text lines for the line formats: blank lines skipped (anywhere, or only at the end), UTF-8 checked per
 * line (or decoded as UTF-8-else-Latin-1); calls `record(text, lineNo)` for the rest.
 */
function eachRecord(file: string, record: (line: string, n: number) => void, opts: { blanks?: 'anywhere'; encoding?: 'utf8' | 'mixed' | 'latin1' } = {}) {
  let pendingBlank = 0;
  byteLines(file).forEach((b, k) => {
    const n = k + 1;
    const latin = b.toString('latin1');
    if (isBlank(latin)) {
      if (!pendingBlank) pendingBlank = n;
      return;
    }
    if (pendingBlank && opts.blanks !== 'anywhere') throw new Refused(file, pendingBlank, 'blank line in the middle');
    let text: string;
    if (opts.encoding === 'latin1') text = latin;
    else {
      try {
        text = utf8.decode(b);
      } catch {
        if (opts.encoding !== 'mixed') throw new Refused(file, n, 'not utf-8');
        text = latin;
      }
    }
    record(text, n);
  });
}

/** The whole file as JSON: UTF-8, BOM allowed, no repeated keys, no non-finite numbers. */
function jsonDoc(file: string): unknown {
  let b = bytesOf(file);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) throw new Refused(file, 1, 'utf-16');
  let text: string;
  try {
    text = utf8.decode(b);
  } catch {
    throw new Refused(file, null, 'not utf-8');
  }
  if (text.trim() === '') throw new Refused(file, 1, 'empty');
  const v = strictJson(text);
  if (v === undefined) throw new Refused(file, null, 'not JSON');
  return v;
}

/** JSON.parse, then refuse repeated keys (a key is a string token followed by ":") and non-finite numbers. */
function strictJson(text: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const stack: Set<string>[] = [];
  const re = /"(?:[^"\\]|\\.)*"(\s*:)?|[{}[\]]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const t = m[0];
    if (t === '{') stack.push(new Set());
    else if (t === '[') stack.push(new Set());
    else if (t === '}' || t === ']') stack.pop();
    else if (m[1]) {
      const key = JSON.parse(t.slice(0, t.lastIndexOf('"') + 1)) as string;
      const seen = stack.at(-1)!;
      if (seen.has(key)) return undefined;
      seen.add(key);
    }
  }
  const finite = (x: unknown): boolean =>
    typeof x === 'number' ? Number.isFinite(x) : Array.isArray(x) ? x.every(finite) : x && typeof x === 'object' ? Object.values(x).every(finite) : true;
  return finite(v) ? v : undefined;
}

/**
 * Python literals as `repr()` writes them, turned into a JS value by a small tokenizer (the grammar of
 * docs/datasets.md: dicts, lists, tuples, quoted strings with u/b/r prefixes, numbers, True/False/None).
 * Returns undefined for anything else.
 */
function pyLiteral(text: string): unknown {
  const toks: string[] = [];
  const re =
    /[ \t\n\r]+|([uUbBrR]?)('''[\s\S]*?'''|"""[\s\S]*?"""|'(?:[^'\\\n]|\\[\s\S])*'|"(?:[^"\\\n]|\\[\s\S])*")|([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)L?)|(True|False|None)|([{}[\](),:])/y;
  const vals: unknown[] = [];
  let p = 0;
  while (p < text.length) {
    re.lastIndex = p;
    const m = re.exec(text);
    if (!m) return undefined;
    p = re.lastIndex;
    if (m[2] !== undefined) {
      toks.push('s');
      vals.push(pyString(m[2], /[rR]/.test(m[1]!)));
      if (vals.at(-1) === undefined) return undefined;
    } else if (m[3] !== undefined) {
      const x = Number(m[3].replace(/L$/, ''));
      if (!Number.isFinite(x)) return undefined;
      toks.push('s');
      vals.push(x);
    } else if (m[4] !== undefined) {
      toks.push('s');
      vals.push(m[4] === 'True' ? true : m[4] === 'False' ? false : null);
    } else if (m[5] !== undefined) {
      toks.push(m[5]);
      vals.push(null);
    }
  }
  let k = 0;
  const value = (): unknown => {
    const t = toks[k];
    if (t === 's') return vals[k++];
    if (t === '{' || t === '[' || t === '(') {
      const close = t === '{' ? '}' : t === '[' ? ']' : ')';
      k++;
      const arr: unknown[] = [];
      const obj: Record<string, unknown> = {};
      for (;;) {
        if (toks[k] === close) {
          k++;
          return t === '{' ? obj : arr;
        }
        const key = value();
        if (key === undefined) throw new Error('bad');
        if (t === '{') {
          if (toks[k++] !== ':') throw new Error('bad');
          const ks = String(key);
          if (Object.prototype.hasOwnProperty.call(obj, ks)) throw new Error('repeated key');
          const v = value();
          if (v === undefined) throw new Error('bad');
          Object.defineProperty(obj, ks, { value: v, enumerable: true, writable: true, configurable: true });
        } else arr.push(key);
        if (toks[k] === ',') k++;
        else if (toks[k] !== close) throw new Error('bad');
      }
    }
    throw new Error('bad');
  };
  try {
    const v = value();
    return k === toks.length ? v : undefined;
  } catch {
    return undefined;
  }
}

function pyString(q: string, raw: boolean): string | undefined {
  const body = q.startsWith("'''") || q.startsWith('"""') ? q.slice(3, -3) : q.slice(1, -1);
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const hex = (n: number) => {
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return -1;
      i += n;
      return parseInt(h, 16);
    };
    if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else if (e === 'r') out += '\r';
    else if (e === '0') out += '\0';
    else if (e === '\\' || e === "'" || e === '"') out += e;
    else if (e === '\n') continue;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const v = hex(e === 'x' ? 2 : e === 'u' ? 4 : 8);
      if (v < 0 || v > 0x10ffff) return undefined;
      out += e === 'U' ? String.fromCodePoint(v) : String.fromCharCode(v);
    } else out += '\\' + (e ?? '');
  }
  return out;
}

/** First line whose trimmed text is not empty (as format detection sniffs it), '' when none. */
function sniff(file: string): string {
  for (const b of byteLines(file)) {
    const t = lossy.decode(b.subarray(0, 65536)).trim();
    if (t) return t;
  }
  return '';
}

const baseName = (f: string) => path.basename(f).toLowerCase().replace(/\.gz$/, '');

function roleOf(format: FuzzFormat, f: string): string | null {
  const n = baseName(f);
  switch (format) {
    case 's3rec':
      if (n.endsWith('item2attributes.json')) return 'attrs';
      if (n.endsWith('.tsv') && n.includes('item')) return 'text';
      if (!/\.(txt|dat|seq)$|^[^.]+$/.test(n)) return null;
      return /^\S+([ \t]+\S+)+$/.test(sniff(f)) ? 'inter' : null;
    case 'lcrec':
      return n.endsWith('.inter.json') ? 'inter' : n.endsWith('.item.json') ? 'items' : null;
    case 'recbole':
      return n.endsWith('.inter') ? 'inter' : n.endsWith('.item') ? 'items' : n.endsWith('.user') ? 'users' : null;
    case 'movielens':
      return ['ratings.dat', 'u.data'].includes(n)
        ? 'inter'
        : ['movies.dat', 'u.item'].includes(n)
          ? 'items'
          : ['users.dat', 'u.user'].includes(n)
            ? 'users'
            : null;
    case 'amazon': {
      if (!/\.(json|jsonl|ndjson)$/.test(n)) return null;
      const l = sniff(f);
      if (/['"]reviewerID['"]\s*:/.test(l) || (/['"]user_id['"]\s*:/.test(l) && /['"](parent_)?asin['"]\s*:/.test(l))) return 'inter';
      return /['"]asin['"]\s*:/.test(l) ? 'items' : null;
    }
    case 'csv':
      return /\.(csv|tsv)$/.test(n) ? 'inter' : null;
  }
}

/** Counts of distinct users, items and interactions. */
class Tally {
  users = new Set<string>();
  items = new Set<string>();
  interactions = 0;
  add(u: string, i: string) {
    this.users.add(u);
    this.items.add(i);
    this.interactions++;
  }
}

export function referenceImport(dir: string, format: FuzzFormat): Verdict {
  try {
    const files = fs
      .readdirSync(dir)
      .sort()
      .map((n) => path.join(dir, n));
    const roles = new Map<string, string[]>();
    for (const f of files) {
      const r = roleOf(format, f);
      if (r) roles.set(r, [...(roles.get(r) ?? []), f]);
    }
    const inter = roles.get('inter') ?? [];
    if (inter.length === 0) throw new Refused(null, null, 'no interactions file');
    for (const f of inter) if (fs.statSync(f).size === 0) throw new Refused(f, 1, 'empty');
    const t = new Tally();
    const of = (r: string) => roles.get(r) ?? [];
    switch (format) {
      case 's3rec':
        inter.forEach((f) => s3rec(f, t));
        of('text').forEach(itemText);
        of('attrs').forEach(attributes);
        break;
      case 'lcrec':
        inter.forEach((f) => lcrec(f, t));
        of('items').forEach(lcrecItems);
        break;
      case 'recbole':
        inter.forEach((f) => recbole(f, t));
        of('items').forEach((f) => recboleMeta(f, 'item_id'));
        of('users').forEach((f) => recboleMeta(f, 'user_id'));
        break;
      case 'amazon':
        inter.forEach((f) => amazon(f, t));
        of('items').forEach(amazonMeta);
        break;
      case 'movielens':
        inter.forEach((f) => movielens(f, t));
        of('items').forEach(movielensMeta);
        of('users').forEach(movielensMeta);
        break;
      case 'csv':
        inter.forEach((f) => csv(f, t));
        break;
    }
    return { ok: true, users: t.users.size, items: t.items.size, interactions: t.interactions };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, file: e.file, line: e.line, why: e.message };
    throw e;
  }
}

function s3rec(f: string, t: Tally) {
  const users = new Set<string>();
  const before = t.interactions;
  let pendingBlank = 0;
  byteLines(f).forEach((b, k) => {
    const n = k + 1;
    const line = b.toString('latin1').replace(/^[ \t]+|[ \t]+$/g, '');
    if (line === '') {
      if (!pendingBlank) pendingBlank = n;
      return;
    }
    if (pendingBlank) throw new Refused(f, pendingBlank, 'blank line in the middle');
    const ids = line.split(' ');
    if (!ids.every((x) => intIn(x, POS_INT))) throw new Refused(f, n, 'bad id');
    if (users.has(ids[0]!)) throw new Refused(f, n, 'user twice');
    users.add(ids[0]!);
    if (ids.length < 2) throw new Refused(f, n, 'no items');
    for (const i of ids.slice(1)) t.add(ids[0]!, i);
  });
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}

function itemText(f: string) {
  let width = 0;
  const seen = new Set<string>();
  eachRecord(f, (line, n) => {
    const c = line.split('\t');
    if (width === 0) {
      if (c.length !== 3 && c.length !== 4) throw new Refused(f, n, 'width');
      width = c.length;
      if (!intIn(c[0]!, POS_INT)) return;
    }
    if (c.length !== width || !intIn(c[0]!, POS_INT) || seen.has(c[0]!) || !ASIN_RE.test(c[1]!)) throw new Refused(f, n, 'bad row');
    seen.add(c[0]!);
  });
}

function attributes(f: string) {
  const doc = jsonDoc(f);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Refused(f, null, 'not an object');
  for (const [k, v] of Object.entries(doc)) {
    if (!intIn(k, POS_INT) || !Array.isArray(v) || !v.every((a) => Number.isInteger(a) && a >= 0 && a <= MAX_ID)) throw new Refused(f, null, 'bad entry');
  }
}

function lcrec(f: string, t: Tally) {
  const doc = jsonDoc(f);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Refused(f, null, 'not an object');
  const before = t.interactions;
  for (const [u, seq] of Object.entries(doc)) {
    if (!intIn(u, NONNEG_INT) || !Array.isArray(seq) || seq.length === 0) throw new Refused(f, null, 'bad user');
    for (const i of seq) {
      if (!(typeof i === 'number' && Number.isInteger(i) && i >= 0 && i <= MAX_ID)) throw new Refused(f, null, 'bad item');
      t.add(String(Number(u)), String(i));
    }
  }
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}

function lcrecItems(f: string) {
  const doc = jsonDoc(f);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Refused(f, null, 'not an object');
  for (const [k, m] of Object.entries(doc)) {
    if (!intIn(k, NONNEG_INT) || !m || typeof m !== 'object' || Array.isArray(m)) throw new Refused(f, null, 'bad item');
    for (const field of ['title', 'description', 'brand', 'categories'])
      if ((m as Record<string, unknown>)[field] !== undefined && typeof (m as Record<string, unknown>)[field] !== 'string')
        throw new Refused(f, null, 'bad field');
  }
}

const RB_TYPES = ['token', 'token_seq', 'float', 'float_seq'];

/** A RecBole file: header checked, then `row(cells, lineNo)` for each data row of the right width. */
function recboleRows(f: string, header: (names: string[], types: string[], n: number) => void, row: (c: string[], n: number) => void) {
  let names: string[] | null = null;
  let types: string[] = [];
  eachRecord(
    f,
    (line, n) => {
      const cells = line.split('\t');
      if (!names) {
        const parsed = cells.map((c) => c.split(':'));
        if (parsed.some((p) => p.length !== 2 || p[0] === '' || p[0]!.trim() !== p[0] || !RB_TYPES.includes(p[1]!))) throw new Refused(f, n, 'bad header');
        names = parsed.map((p) => p[0]!);
        types = parsed.map((p) => p[1]!);
        if (new Set(names).size !== names.length) throw new Refused(f, n, 'repeated field');
        header(names, types, n);
        return;
      }
      if (cells.length !== names.length) throw new Refused(f, n, 'width');
      cells.forEach((v, k) => {
        if (types[k] === 'float' && v !== '' && Number.isNaN(num(v))) throw new Refused(f, n, 'float');
        if (types[k] === 'float_seq' && v !== '' && v.split(' ').some((x) => x !== '' && Number.isNaN(num(x)))) throw new Refused(f, n, 'float_seq');
      });
      row(cells, n);
    },
    { blanks: 'anywhere' },
  );
}

function recbole(f: string, t: Tally) {
  let cu = -1;
  let ci = -1;
  const before = t.interactions;
  recboleRows(
    f,
    (names, types, n) => {
      cu = names.indexOf('user_id');
      ci = names.indexOf('item_id');
      if (cu < 0 || ci < 0 || types[cu] !== 'token' || types[ci] !== 'token') throw new Refused(f, n, 'ids');
      for (const k of ['rating', 'timestamp']) if (names.includes(k) && types[names.indexOf(k)] !== 'float') throw new Refused(f, n, `${k} type`);
    },
    (c, n) => {
      if (!textIdOk(c[cu]!) || !textIdOk(c[ci]!)) throw new Refused(f, n, 'id');
      t.add(c[cu]!, c[ci]!);
    },
  );
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}

function recboleMeta(f: string, key: string) {
  let ck = -1;
  const seen = new Set<string>();
  recboleRows(
    f,
    (names, types, n) => {
      ck = names.indexOf(key);
      if (ck < 0 || types[ck] !== 'token') throw new Refused(f, n, 'key');
    },
    (c, n) => {
      if (!textIdOk(c[ck]!) || seen.has(c[ck]!)) throw new Refused(f, n, 'key value');
      seen.add(c[ck]!);
    },
  );
}

const isStrList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

function amazon(f: string, t: Tally) {
  const before = t.interactions;
  eachRecord(f, (line, n) => {
    const r = strictJson(line);
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new Refused(f, n, 'not a JSON object');
    const o = r as Record<string, unknown>;
    const user = o.reviewerID !== undefined ? o.reviewerID : o.user_id;
    const item = o.asin !== undefined ? o.asin : o.parent_asin;
    if (typeof user !== 'string' || !textIdOk(user) || typeof item !== 'string' || !ASIN_RE.test(item)) throw new Refused(f, n, 'ids');
    const rating = o.overall !== undefined ? o.overall : o.rating;
    if (rating !== undefined && !(typeof rating === 'number' && rating >= 1 && rating <= 5)) throw new Refused(f, n, 'rating');
    const wholeIn = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
    if (o.unixReviewTime !== undefined ? !wholeIn(o.unixReviewTime, MAX_UNIX) : !wholeIn(o.timestamp, MAX_UNIX * 1000)) throw new Refused(f, n, 'time');
    for (const k of ['reviewText', 'summary', 'text', 'title']) if (o[k] !== undefined && typeof o[k] !== 'string') throw new Refused(f, n, k);
    t.add(user, item);
  });
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}

function amazonMeta(f: string) {
  eachRecord(f, (line, n) => {
    let r = strictJson(line);
    if (r === undefined) r = pyLiteral(line);
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new Refused(f, n, 'not a record');
    const o = r as Record<string, unknown>;
    const ok =
      typeof o.asin === 'string' &&
      ASIN_RE.test(o.asin) &&
      ['title', 'brand', 'main_cat'].every((k) => o[k] === undefined || typeof o[k] === 'string') &&
      (o.description === undefined || typeof o.description === 'string' || isStrList(o.description)) &&
      (o.category === undefined || isStrList(o.category)) &&
      (o.categories === undefined || (Array.isArray(o.categories) && o.categories.every(isStrList)));
    if (!ok) throw new Refused(f, n, 'bad metadata');
  });
}

function movielens(f: string, t: Tally) {
  const dat = baseName(f).endsWith('.dat');
  const before = t.interactions;
  eachRecord(f, (line, n) => {
    const c = line.split(dat ? '::' : '\t');
    if (c.length !== 4 || !intIn(c[0]!, POS_INT) || !intIn(c[1]!, POS_INT)) throw new Refused(f, n, 'fields');
    const r = /^\d(\.\d)?$/.test(c[2]!) ? Number(c[2]) : NaN;
    const ratingOk = dat ? r >= 0.5 && r <= 5 && Number.isInteger(r * 2) : /^[1-5]$/.test(c[2]!);
    const tsOk = /^(0|[1-9]\d{0,11})$/.test(c[3]!) && Number(c[3]) <= MAX_UNIX;
    if (!ratingOk || !tsOk) throw new Refused(f, n, 'rating or time');
    t.add(c[0]!, c[1]!);
  });
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}

function movielensMeta(f: string) {
  const n0 = baseName(f);
  const dat = n0.endsWith('.dat');
  const width = n0 === 'u.item' ? 24 : n0 === 'movies.dat' ? 3 : 5;
  const seen = new Set<string>();
  eachRecord(
    f,
    (line, n) => {
      const c = line.split(dat ? '::' : '|');
      if (c.length !== width || !intIn(c[0]!, POS_INT) || seen.has(c[0]!)) throw new Refused(f, n, 'row');
      seen.add(c[0]!);
      if (n0 === 'u.item' && c.slice(5).some((v) => v !== '0' && v !== '1')) throw new Refused(f, n, 'flags');
    },
    { encoding: 'mixed' },
  );
}

const GUESS: Record<string, string[]> = {
  user: ['user', 'user_id', 'userid', 'reviewerid', 'customer_id', 'uid'],
  item: ['item', 'item_id', 'itemid', 'movieid', 'movie_id', 'asin', 'product_id', 'iid'],
  time: ['time', 'timestamp', 'ts', 'unixreviewtime', 'date', 'datetime'],
  rating: ['rating', 'overall', 'score', 'stars'],
};

/** RFC 4180 records from lines (the rules of docs/datasets.md): [fields, first line] per record. */
function csvRecords(f: string, onRecord: (fields: string[], line: number) => void): void {
  let delim: string | null = null;
  let pending: string | null = null;
  let start = 0;
  let pendingBlank = 0;
  byteLines(f).forEach((b, k) => {
    const n = k + 1;
    let line: string;
    try {
      line = utf8.decode(b);
    } catch {
      throw new Refused(f, n, 'not utf-8');
    }
    if (pending === null && isBlank(line)) {
      if (!pendingBlank) pendingBlank = n;
      return;
    }
    if (pending === null && pendingBlank) throw new Refused(f, pendingBlank, 'blank line in the middle');
    if (delim === null) delim = !line.includes(',') && line.includes('\t') ? '\t' : ',';
    if (pending === null) start = n;
    const text: string = pending === null ? line : `${pending}\n${line}`;
    // Split: fields are quoted (spaces around the quotes dropped) or plain (no quote inside).
    const fields: string[] = [];
    let rest = text;
    for (;;) {
      const q = /^ *"/.exec(rest);
      if (q) {
        let body = rest.slice(q[0].length);
        let out = '';
        for (;;) {
          const at = body.indexOf('"');
          if (at < 0) {
            pending = text;
            return;
          }
          out += body.slice(0, at);
          if (body[at + 1] === '"') {
            out += '"';
            body = body.slice(at + 2);
            continue;
          }
          body = body.slice(at + 1);
          break;
        }
        fields.push(out);
        body = delim === ' ' ? body : body.replace(/^ +/, '');
        if (body === '') break;
        if (!body.startsWith(delim)) throw new Refused(f, start, 'text after a quote');
        rest = body.slice(1);
        if (rest === '') {
          fields.push('');
          break;
        }
      } else {
        const at = rest.indexOf(delim);
        const field = at < 0 ? rest : rest.slice(0, at);
        if (field.includes('"')) throw new Refused(f, start, 'quote in a plain field');
        fields.push(field);
        if (at < 0) break;
        rest = rest.slice(at + 1);
        if (rest === '') {
          fields.push('');
          break;
        }
      }
    }
    pending = null;
    onRecord(fields, start);
  });
  if (pending !== null) throw new Refused(f, start, 'unclosed quote');
}

function csv(f: string, t: Tally) {
  let header: string[] | null = null;
  const col: Record<string, number> = {};
  const before = t.interactions;
  csvRecords(f, (fields, n) => {
    if (!header) {
      header = fields.map((h) => h.trim());
      const lower = header.map((h) => h.toLowerCase());
      if (lower.some((h, k) => h !== '' && lower.indexOf(h) !== k)) throw new Refused(f, n, 'repeated column');
      for (const [role, names] of Object.entries(GUESS)) col[role] = header.findIndex((h) => names.includes(h.trim().toLowerCase()));
      if (col.user! < 0 || col.item! < 0) throw new Refused(f, n, 'no user or item column');
      return;
    }
    if (fields.length !== header.length) throw new Refused(f, n, 'width');
    const u = fields[col.user!]!.trim();
    const i = fields[col.item!]!.trim();
    if (!textIdOk(u) || !textIdOk(i)) throw new Refused(f, n, 'id');
    if (col.time! >= 0) {
      const v = fields[col.time!]!.trim();
      const x = num(v);
      const ok = v === '' || (!Number.isNaN(x) ? x >= 0 : ISO_RE.test(v) && !Number.isNaN(Date.parse(v)));
      if (!ok) throw new Refused(f, n, 'time');
    }
    if (col.rating! >= 0) {
      const v = fields[col.rating!]!.trim();
      if (v !== '' && Number.isNaN(num(v))) throw new Refused(f, n, 'rating');
    }
    t.add(u, i);
  });
  if (t.interactions === before) throw new Refused(f, 1, 'empty');
}
