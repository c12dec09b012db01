/**
 * Amazon review data as downloaded: reviews as JSON lines (2014 and 2018: reviewerID, asin, overall,
 * unixReviewTime, reviewText, summary) and metadata lines (2018: JSON; 2014: Python literals with single
 * quotes and True/False/None, parsed by a safe literal parser). Plain or gzipped. Sorted by time later.
 */
import { UserError } from '../../app/errors.js';
import { parsePyLiteral } from './python-literal.js';
import { badLine, forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

/** One line as an object: JSON first, then a Python literal (2014 metadata). */
export function parseRecordLine(file: string, line: string, n: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    try {
      v = parsePyLiteral(line);
    } catch (e) {
      throw badLine(
        file,
        n,
        `not a JSON or Python-literal record (${(e as Error).message}).`,
        'Each line must be one record; the file may be cut off or not Amazon review data.',
      );
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw badLine(file, n, 'expected one record (an object) per line.', 'Check this is an Amazon review or metadata file.');
  return v as Record<string, unknown>;
}

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(' ');
  return String(v).trim();
};

/** 2018 `category: [..]` or 2014 `categories: [[..], [..]]`, flattened and de-duplicated. */
function categories(m: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && v !== undefined && String(v).trim() && !out.includes(String(v).trim())) out.push(String(v).trim());
  };
  walk(m.category ?? m.categories);
  return out.join(', ');
}

export const amazonReader: FormatReader = {
  format: 'amazon',
  ordered: false,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      let rows = 0;
      await forEachTextLine(
        f.path,
        (line, n) => {
          const r = parseRecordLine(f.path, line, n);
          const user = r.reviewerID ?? r.user_id;
          const item = r.asin ?? r.parent_asin;
          if (user === undefined || item === undefined)
            throw badLine(f.path, n, 'a review without reviewerID or asin.', 'Reviews need reviewerID and asin; is this the metadata file?');
          const rating = r.overall ?? r.rating;
          const ts = r.unixReviewTime ?? (typeof r.timestamp === 'number' ? Math.floor(r.timestamp / 1000) : undefined);
          const review = text(r.reviewText ?? r.text) || text(r.summary ?? r.title) || null;
          sink.raw(
            sink.users.idx(String(user)),
            sink.items.idx(String(item)),
            rating === undefined ? NaN : Number(rating),
            ts === undefined ? NaN : Number(ts),
            review,
          );
          rows++;
        },
        (b) => sink.bytes(b),
      );
      if (rows === 0)
        throw new UserError(`${f.path} is empty.`, { file: f.path, line: 1, hint: 'Pick the reviews file (one JSON record per line).', code: 'empty' });
    }
    for (const f of files.filter((x) => x.role === 'items')) {
      await forEachTextLine(
        f.path,
        (line, n) => {
          // Most metadata rows are for items outside the dataset: look at the asin before parsing the line.
          const m = /['"]asin['"]\s*:\s*['"]([^'"]+)['"]/.exec(line);
          if (m && sink.items.find(m[1]!) < 0) return;
          const r = parseRecordLine(f.path, line, n);
          const i = sink.items.find(String(r.asin ?? ''));
          if (i < 0) return;
          const { title, brand, description, category: _c, categories: _cs, asin: _a, ...rest } = r;
          const keep: Record<string, unknown> = {};
          for (const k of ['price', 'salesRank', 'rank', 'main_cat', 'feature']) if (rest[k] !== undefined) keep[k] = rest[k];
          sink.itemMeta(i, text(title), text(brand), categories(r), text(description), Object.keys(keep).length ? JSON.stringify(keep) : null);
        },
        (b) => sink.bytes(b),
      );
    }
  },
};
