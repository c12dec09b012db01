/**
 * RecBole atomic files (recbole.io, "Atomic Files"): `.inter`, `.item`, `.user`, fields separated by tabs,
 * UTF-8, a header row of typed fields `name:type` with type token, token_seq, float or float_seq
 * (`user_id:token`, `rating:float`, `timestamp:float`, `movie_title:token_seq`). Blank lines are skipped
 * anywhere, as RecBole's own reader (pandas) does. Interactions are sorted per user by timestamp later
 * (stable: file order breaks ties), in a staging table. The rules are in docs/datasets.md.
 */
import { UserError } from '../../../base/errors.js';
import { badLine, decimal, shown, textIdProblem } from './rules.js';
import { forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

const TYPES = ['token', 'token_seq', 'float', 'float_seq'] as const;
type FieldType = (typeof TYPES)[number];

export interface Header {
  names: string[];
  types: FieldType[];
  index(...candidates: string[]): number;
}

const HEADER_HINT = 'RecBole atomic files start with a typed header such as `user_id:token<TAB>item_id:token<TAB>rating:float<TAB>timestamp:float`.';

export function parseHeader(file: string, line: string, lineNo: number): Header {
  const names: string[] = [];
  const types: FieldType[] = [];
  for (const [k, cell] of line.split('\t').entries()) {
    const parts = cell.split(':');
    const [name, type] = parts as [string, string | undefined];
    if (parts.length !== 2 || name === '' || name.trim() !== name || !TYPES.includes(type as FieldType)) {
      throw badLine(
        file,
        lineNo,
        `found ${shown(cell)} as header field ${k + 1}; expected name:type with type one of ${TYPES.join(', ')}.`,
        `${HEADER_HINT} Choose another format if this is plain TSV.`,
      );
    }
    if (names.includes(name)) throw badLine(file, lineNo, `found the field ${shown(name)} twice in the header; expected each name once.`, HEADER_HINT);
    names.push(name);
    types.push(type as FieldType);
  }
  return {
    names,
    types,
    index: (...c) => {
      for (const n of c) {
        const k = names.indexOf(n);
        if (k >= 0) return k;
      }
      return -1;
    },
  };
}

/** Splits a data row, checking the field count and every float field against the header. */
function fields(file: string, h: Header, line: string, n: number): string[] {
  const c = line.split('\t');
  if (c.length !== h.names.length)
    throw badLine(file, n, `found ${c.length} tab-separated fields; expected ${h.names.length} (${h.names.join(', ')}).`, 'Fix or remove the line.');
  for (let k = 0; k < c.length; k++) {
    const t = h.types[k];
    if (t === 'float' && c[k] !== '' && Number.isNaN(decimal(c[k]!)))
      throw badLine(
        file,
        n,
        `found ${shown(c[k])} in ${h.names[k]}:float; expected a number (or an empty field for a missing value).`,
        'Fix or remove the line.',
      );
    if (t === 'float_seq' && c[k] !== '' && c[k]!.split(' ').some((x) => x !== '' && Number.isNaN(decimal(x))))
      throw badLine(file, n, `found ${shown(c[k])} in ${h.names[k]}:float_seq; expected numbers separated by spaces.`, 'Fix or remove the line.');
  }
  return c;
}

/** The id in column k, which must be a non-empty token without control characters or outer spaces. */
function id(file: string, h: Header, c: string[], k: number, n: number): string {
  const v = c[k]!;
  const problem = textIdProblem(v);
  if (problem)
    throw badLine(
      file,
      n,
      `found ${shown(v)} in ${h.names[k]}: ${problem}; expected an id.`,
      'RecBole reads tokens exactly as written (" 7" and "7" would be two ids): fix or remove the line.',
    );
  return v;
}

function requireToken(file: string, h: Header, name: string, n: number): number {
  const k = h.index(name);
  if (k < 0) throw badLine(file, n, `found no ${name} field in the header (fields: ${h.names.join(', ')}); expected ${name}:token.`, HEADER_HINT);
  if (h.types[k] !== 'token') throw badLine(file, n, `found ${name}:${h.types[k]}; expected ${name}:token.`, HEADER_HINT);
  return k;
}

function requireFloat(file: string, h: Header, k: number, n: number): number {
  if (k >= 0 && h.types[k] !== 'float') throw badLine(file, n, `found ${h.names[k]}:${h.types[k]}; expected ${h.names[k]}:float.`, HEADER_HINT);
  return k;
}

/** Reads a metadata file (.item or .user): one row per id, each id once. */
async function readMeta(
  file: string,
  key: 'item_id' | 'user_id',
  sink: Sink,
  onRow: (h: Header, c: string[], idx: number) => void,
  find: (id: string) => number,
): Promise<void> {
  let h: Header | null = null;
  let ck = -1;
  const seen = new Map<string, number>();
  await forEachTextLine(
    file,
    (line, n) => {
      if (!h) {
        h = parseHeader(file, line, n);
        ck = requireToken(file, h, key, n);
        return;
      }
      const c = fields(file, h, line, n);
      const v = id(file, h, c, ck, n);
      const first = seen.get(v);
      if (first !== undefined)
        throw badLine(file, n, `found ${key} ${shown(v)} again (first on line ${first}); expected each id once.`, 'Remove one of the two rows.');
      seen.set(v, n);
      const idx = find(v);
      if (idx >= 0) onRow(h, c, idx);
    },
    (b) => sink.bytes(b),
    { blankLines: 'anywhere' },
  );
}

export const recboleReader: FormatReader = {
  format: 'recbole',
  ordered: false,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      let h: Header | null = null;
      let cu = -1,
        ci = -1,
        cr = -1,
        ct = -1,
        cv = -1;
      let rows = 0;
      await forEachTextLine(
        f.path,
        (line, n) => {
          if (!h) {
            h = parseHeader(f.path, line, n);
            cu = requireToken(f.path, h, 'user_id', n);
            ci = requireToken(f.path, h, 'item_id', n);
            cr = requireFloat(f.path, h, h.index('rating'), n);
            ct = requireFloat(f.path, h, h.index('timestamp'), n);
            cv = h.index('review', 'review_text');
            return;
          }
          const c = fields(f.path, h, line, n);
          const u = id(f.path, h, c, cu, n);
          const i = id(f.path, h, c, ci, n);
          const rating = cr >= 0 && c[cr] !== '' ? decimal(c[cr]!) : NaN;
          const ts = ct >= 0 && c[ct] !== '' ? decimal(c[ct]!) : NaN;
          sink.raw(sink.users.idx(u), sink.items.idx(i), rating, ts, cv >= 0 ? c[cv] || null : null);
          rows++;
        },
        (b) => sink.bytes(b),
        { blankLines: 'anywhere' },
      );
      if (rows === 0)
        throw new UserError(`${f.path} holds no interactions.`, {
          file: f.path,
          line: 1,
          hint: 'The .inter file needs a header and one row per interaction.',
          code: 'empty',
        });
    }
    for (const f of files.filter((x) => x.role === 'items')) {
      await readMeta(
        f.path,
        'item_id',
        sink,
        (h, c, i) => {
          const ci = h.index('item_id');
          const ct = h.index('title', 'movie_title', 'name');
          const cb = h.index('brand');
          const cc = h.index('categories', 'class', 'genre', 'genres');
          const cd = h.index('description');
          const rest: Record<string, string> = {};
          h.names.forEach((name, k) => {
            if (![ci, ct, cb, cc, cd].includes(k) && c[k] !== '') rest[name] = c[k]!;
          });
          const g = (k: number) => (k >= 0 ? c[k]!.trim() : '');
          sink.itemMeta(i, g(ct), g(cb), g(cc), g(cd), Object.keys(rest).length ? JSON.stringify(rest) : null);
        },
        (v) => sink.items.find(v),
      );
    }
    for (const f of files.filter((x) => x.role === 'users')) {
      await readMeta(
        f.path,
        'user_id',
        sink,
        (h, c, u) => {
          const cu = h.index('user_id');
          const rest: Record<string, string> = {};
          h.names.forEach((name, k) => {
            if (k !== cu) rest[name] = c[k]!;
          });
          sink.userMeta(u, JSON.stringify(rest));
        },
        (v) => sink.users.find(v),
      );
    }
  },
};
