/**
 * CSV with a header row and a column mapping (user=COL,item=COL,time=COL,rating=COL,review=COL; COL is a
 * header name or a 1-based column number). RFC 4180: quoted fields may hold the delimiter, doubled quotes
 * and line breaks. A header row with tabs and no commas is read as TSV. Sorted by time later (stable).
 */
import { UserError } from '../../app/errors.js';
import { badLine, forEachLine, type FormatReader, type RoleFile, type Sink } from './source.js';

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
      if (text[p] === '"') {
        let out = '';
        p++;
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
        if (p < n && text[p] !== d)
          throw badLine(this.file, this.startLine, 'text after a closing quote.', 'Inside a quoted field write a quote as "" (RFC 4180).');
      } else {
        const k = text.indexOf(d, p);
        const e = k < 0 ? n : k;
        fields.push(text.slice(p, e));
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

/** Seconds since the epoch from a number or an ISO-like date; NaN when empty. */
export function parseTime(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const x = Number(t);
  if (!Number.isNaN(x)) return x;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

export const csvReader: FormatReader = {
  format: 'csv',
  ordered: false,
  async read(files: RoleFile[], sink: Sink, columns?: Record<string, string | undefined>) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const rec = new CsvRecords(f.path);
      let header: string[] | null = null;
      let cu = -1,
        ci = -1,
        ct = -1,
        cr = -1,
        cv = -1;
      let rows = 0;
      await forEachLine(
        f.path,
        (buf, s, e, n) => {
          const line = buf.toString('utf8', s, e);
          if (header === null && line.trim() === '') return;
          if (header !== null && line === '' && rec.openSince === 0) return;
          if (header === null && !line.includes(',') && line.includes('\t')) rec.delimiter = '\t';
          const fields = rec.push(line, n);
          if (!fields) return;
          if (header === null) {
            header = fields.map((h) => h.trim());
            const m = guessColumns(header, columns);
            if (!m.user || !m.item) {
              throw new UserError(`${f.path}: which columns hold the user and the item? (columns: ${header.join(', ')})`, {
                file: f.path,
                line: 1,
                hint: 'Give a column mapping, e.g. --columns user=user_id,item=item_id,time=timestamp,rating=rating',
                code: 'bad_columns',
              });
            }
            cu = resolveColumn(header, m.user, f.path, 'user');
            ci = resolveColumn(header, m.item, f.path, 'item');
            ct = resolveColumn(header, m.time, f.path, 'time');
            cr = resolveColumn(header, m.rating, f.path, 'rating');
            cv = resolveColumn(header, m.review, f.path, 'review');
            return;
          }
          if (fields.length === 1 && fields[0]!.trim() === '') return;
          const need = Math.max(cu, ci, ct, cr, cv);
          if (fields.length <= need)
            throw badLine(
              f.path,
              rec.openSince || n,
              `expected ${header.length} fields, found ${fields.length}.`,
              'Fix or remove the line; quote fields that contain commas.',
            );
          const user = fields[cu]!.trim();
          const item = fields[ci]!.trim();
          if (!user || !item) throw badLine(f.path, n, 'empty user or item.', 'Fix or remove the line.');
          const ts = ct >= 0 ? parseTime(fields[ct]!) : NaN;
          if (ct >= 0 && fields[ct]!.trim() !== '' && Number.isNaN(ts))
            throw badLine(f.path, n, `time "${fields[ct]}" is neither a number nor a date.`, 'Use epoch seconds or ISO dates.');
          const rating = cr >= 0 && fields[cr]!.trim() !== '' ? Number(fields[cr]) : NaN;
          sink.raw(sink.users.idx(user), sink.items.idx(item), rating, ts, cv >= 0 ? fields[cv]! : null);
          rows++;
        },
        (b) => sink.bytes(b),
      );
      if (rec.openSince) throw badLine(f.path, rec.openSince, 'a quoted field is never closed.', 'Close the quote ("), or write quotes inside fields as "".');
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
