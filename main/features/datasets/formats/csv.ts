/**
 * CSV with a header row and a column mapping (user=COL,item=COL,time=COL,rating=COL,review=COL; COL is a
 * header name or a 1-based column number). RFC 4180: quoted fields may hold the delimiter, doubled quotes
 * and line breaks; every record has as many fields as the header. A header row with tabs and no commas is
 * read as TSV. UTF-8. Sorted by time later (stable). The rules are in docs/datasets.md.
 */
import { isUtf8 } from 'node:buffer';
import { UserError } from '../../../base/errors.js';
import { TrailingBlankLines, badLine, decimal, shown, textIdProblem } from './rules.js';
import { forEachLine, utf8Error, type FormatReader, type RoleFile, type Sink } from './source.js';

/** Splits RFC 4180 records from lines; a record may span lines while a quote is open. */
export class CsvRecords {
  private pending: string | null = null;
  private startLine = 0;
  constructor(
    private readonly file: string,
    public delimiter = ',',
  ) {}

  /** Feeds one line; returns the fields of a complete record, or null while a quoted field is open. */
  push(line: string, lineNo: number): string[] | null {
    const text = this.pending === null ? line : `${this.pending}\n${line}`;
    if (this.pending === null) this.startLine = lineNo;
    const fields: string[] = [];
    const d = this.delimiter;
    let p = 0;
    const n = text.length;
    for (;;) {
      // Spaces before an opening quote are dropped (`a, "b"`, common in hand-written CSV).
      let q0 = p;
      while (text[q0] === ' ') q0++;
      if (text[q0] === '"') {
        let out = '';
        p = q0 + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q < 0) {
            this.pending = text;
            return null;
          }
          out += text.slice(p, q);
          if (text[q + 1] === '"') {
            out += '"';
            p = q + 2;
            continue;
          }
          p = q + 1;
          break;
        }
        fields.push(out);
        while (text[p] === ' ' && d !== ' ') p++;
        if (p < n && text[p] !== d)
          throw badLine(
            this.file,
            this.startLine,
            `found ${shown(text.slice(p, p + 20))} after a closing quote; expected the delimiter or the end of the line.`,
            'Inside a quoted field write a quote as "" (RFC 4180).',
          );
      } else {
        const k = text.indexOf(d, p);
        const e = k < 0 ? n : k;
        const field = text.slice(p, e);
        if (field.includes('"'))
          throw badLine(
            this.file,
            this.startLine,
            `found a quote inside the unquoted field ${shown(field)}; expected quotes only around a whole field.`,
            'Quote the whole field and double the quotes inside it, as in "say ""hi""" (RFC 4180).',
          );
        fields.push(field);
        p = e;
      }
      if (p >= n) break;
      p++; // delimiter
      if (p === n) {
        fields.push('');
        break;
      }
    }
    this.pending = null;
    return fields;
  }

  /** First line of the record `push` returned last. */
  get lastStart(): number {
    return this.startLine;
  }

  /** Line of a record still open at end of file, else 0. */
  get openSince(): number {
    return this.pending === null ? 0 : this.startLine;
  }
}

/** Column index for a mapping value: a header name (case-insensitive) or a 1-based number. */
export function resolveColumn(header: string[], col: string | undefined, file: string, role: string): number {
  if (col === undefined || col === '') return -1;
  const exact = header.indexOf(col);
  if (exact >= 0) return exact;
  const k = header.findIndex((h) => h.trim().toLowerCase() === col.trim().toLowerCase());
  if (k >= 0) return k;
  if (/^\d+$/.test(col) && Number(col) >= 1 && Number(col) <= header.length) return Number(col) - 1;
  throw new UserError(`${file}: no column "${col}" for ${role} (columns: ${header.join(', ')}).`, {
    file,
    line: 1,
    hint: `Map ${role} to one of the header names, e.g. --columns user=${header[0] ?? 'user'},item=${header[1] ?? 'item'}`,
    code: 'bad_columns',
  });
}

const GUESS: Record<string, string[]> = {
  user: ['user', 'user_id', 'userid', 'reviewerid', 'customer_id', 'uid'],
  item: ['item', 'item_id', 'itemid', 'movieid', 'movie_id', 'asin', 'product_id', 'iid'],
  time: ['time', 'timestamp', 'ts', 'unixreviewtime', 'date', 'datetime'],
  rating: ['rating', 'overall', 'score', 'stars'],
  review: ['review', 'reviewtext', 'text', 'review_text'],
};

/** A mapping guessed from header names, for columns the person did not map. */
export function guessColumns(header: string[], given?: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...(given ?? {}) };
  for (const [role, names] of Object.entries(GUESS)) {
    if (out[role]) continue;
    const h = header.find((x) => names.includes(x.trim().toLowerCase()));
    if (h !== undefined) out[role] = h;
  }
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Seconds since the epoch from a non-negative number or an ISO 8601 date; NaN when empty or anything else. */
export function parseTime(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const x = decimal(t);
  if (!Number.isNaN(x)) return x >= 0 ? x : NaN;
  if (!ISO_DATE.test(t)) return NaN;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

/** The id in a field: spaces around it are dropped (common in hand-written CSV); then it must be a text id. */
function idField(file: string, n: number, role: string, v: string): string {
  const t = v.trim();
  const problem = textIdProblem(t);
  if (problem) throw badLine(file, n, `found ${shown(v)} as the ${role}: ${problem}; expected an id.`, 'Fix or remove the line.');
  return t;
}

export const csvReader: FormatReader = {
  format: 'csv',
  ordered: false,
  async read(files: RoleFile[], sink: Sink, columns?: Record<string, string | undefined>) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const rec = new CsvRecords(f.path);
      const blanks = new TrailingBlankLines(f.path);
      let header: string[] | null = null;
      let cu = -1,
        ci = -1,
        ct = -1,
        cr = -1,
        cv = -1;
      let rows = 0;
      let firstLine = 0;
      await forEachLine(
        f.path,
        (buf, s, e, n) => {
          if (!isUtf8(buf.subarray(s, e))) throw utf8Error(f.path, n, buf, s, e);
          const line = buf.toString('utf8', s, e);
          if (rec.openSince === 0 && /^[ \t]*$/.test(line)) {
            blanks.blank(n);
            return;
          }
          if (rec.openSince === 0) blanks.record();
          // The delimiter is decided once, by the first line.
          if (firstLine === 0) {
            firstLine = n;
            if (!line.includes(',') && line.includes('\t')) rec.delimiter = '\t';
          }
          const fields = rec.push(line, n);
          if (!fields) return;
          const at = rec.lastStart;
          if (header === null) {
            const names = fields.map((h) => h.trim());
            header = names;
            const dup = names.findIndex((h, k) => h !== '' && names.findIndex((x) => x.toLowerCase() === h.toLowerCase()) !== k);
            if (dup >= 0)
              throw badLine(
                f.path,
                at,
                `found the column name ${shown(names[dup])} twice in the header; expected each name once.`,
                'Rename one of the two columns.',
              );
            const m = guessColumns(names, columns);
            if (!m.user || !m.item) {
              throw new UserError(`${f.path}: which columns hold the user and the item? (columns: ${names.join(', ')})`, {
                file: f.path,
                line: at,
                hint: 'Give a column mapping, e.g. --columns user=user_id,item=item_id,time=timestamp,rating=rating',
                code: 'bad_columns',
              });
            }
            cu = resolveColumn(names, m.user, f.path, 'user');
            ci = resolveColumn(names, m.item, f.path, 'item');
            ct = resolveColumn(names, m.time, f.path, 'time');
            cr = resolveColumn(names, m.rating, f.path, 'rating');
            cv = resolveColumn(names, m.review, f.path, 'review');
            return;
          }
          if (fields.length !== header.length)
            throw badLine(
              f.path,
              at,
              `found ${fields.length} field${fields.length === 1 ? '' : 's'}; expected ${header.length}, as in the header (${header.join(', ')}).`,
              'Fix or remove the line; quote fields that contain the delimiter.',
            );
          const user = idField(f.path, at, 'user', fields[cu]!);
          const item = idField(f.path, at, 'item', fields[ci]!);
          const ts = ct >= 0 ? parseTime(fields[ct]!) : NaN;
          if (ct >= 0 && fields[ct]!.trim() !== '' && Number.isNaN(ts))
            throw badLine(
              f.path,
              at,
              `found ${shown(fields[ct])} as the time; expected seconds since 1970 (a number from 0) or an ISO 8601 date such as 2014-07-01 or 2014-07-01T12:00:00Z.`,
              'Fix the value or leave the field empty.',
            );
          const rating = cr >= 0 && fields[cr]!.trim() !== '' ? decimal(fields[cr]!.trim()) : NaN;
          if (cr >= 0 && fields[cr]!.trim() !== '' && Number.isNaN(rating))
            throw badLine(f.path, at, `found ${shown(fields[cr])} as the rating; expected a number.`, 'Fix the value or leave the field empty.');
          sink.raw(sink.users.idx(user), sink.items.idx(item), rating, ts, cv >= 0 ? fields[cv]! || null : null);
          rows++;
        },
        (b) => sink.bytes(b),
      );
      if (rec.openSince)
        throw badLine(f.path, rec.openSince, 'found a quoted field that is never closed.', 'Close the quote ("), or write quotes inside fields as "".');
      if (rows === 0)
        throw new UserError(`${f.path} holds no rows.`, {
          file: f.path,
          line: 1,
          hint: 'A CSV needs a header row and one row per interaction.',
          code: 'empty',
        });
    }
  },
};
