/**
 * Amazon review data as downloaded (McAuley lab, 2014, 2018; the 2023 field names too): reviews as JSON lines
 * (reviewerID, asin, overall, unixReviewTime, reviewText, summary) and metadata lines (2018: JSON; 2014:
 * Python literals with single quotes and True/False/None, read by a safe literal parser). Plain or gzipped.
 * Sorted by time later. The rules (types, id syntax, ranges) are in docs/datasets.md.
 */
import { UserError } from '../../../base/errors.js';
import { parsePyLiteral } from './python-literal.js';
import { ASIN, MAX_UNIX_SECONDS, badLine, shown, textIdProblem } from './rules.js';
import { JsonSyntaxError, parseStrictJson } from './strict-json.js';
import { forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

type Rec = Record<string, unknown>;

/** One line as an object: strict JSON, or (metadata only) a Python literal as the 2014 metadata is written. */
export function parseRecordLine(file: string, line: string, n: number, allowPython: boolean): Rec {
  let v: unknown;
  try {
    v = parseStrictJson(line);
  } catch (e) {
    const json = e instanceof JsonSyntaxError ? `${e.what} at character ${e.offset + 1}` : (e as Error).message;
    if (!allowPython)
      throw badLine(file, n, `not a JSON record: found ${json}.`, 'Each line must be one complete JSON object; the file may be cut off or damaged here.');
    try {
      v = parsePyLiteral(line);
    } catch (p) {
      throw badLine(
        file,
        n,
        `neither a JSON record (found ${json}) nor a Python literal (${(p as Error).message}).`,
        'Each line must be one complete record; the file may be cut off or damaged here.',
      );
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw badLine(
      file,
      n,
      `found ${Array.isArray(v) ? 'a list' : shown(v)}; expected one record (an object) per line.`,
      'Check this is an Amazon review or metadata file.',
    );
  return v as Rec;
}

const text = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(' ');
  return String(v).trim();
};

const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** 2018 `category: [..]` or 2014 `categories: [[..], [..]]`, flattened and de-duplicated. */
function categories(m: Rec): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && v !== undefined && String(v).trim() && !out.includes(String(v).trim())) out.push(String(v).trim());
  };
  walk(m.category ?? m.categories);
  return out.join(', ');
}

/** Field checker for one line: names the field, what it holds and what it should hold. */
function fieldCheck(file: string, n: number) {
  return (ok: boolean, field: string, value: unknown, expected: string, hint = 'Fix or remove the line.') => {
    if (!ok) throw badLine(file, n, `found ${shown(value)} in "${field}"; expected ${expected}.`, hint);
  };
}

const REVIEW_HINT = 'Amazon reviews are JSON lines with reviewerID, asin, overall and unixReviewTime (2023 files: user_id, asin, rating, timestamp).';

function readReview(file: string, r: Rec, n: number, sink: Sink): void {
  const check = fieldCheck(file, n);
  const userKey = r.reviewerID !== undefined ? 'reviewerID' : 'user_id';
  const itemKey = r.asin !== undefined ? 'asin' : 'parent_asin';
  const user = r[userKey];
  const item = r[itemKey];
  if (user === undefined || item === undefined)
    throw badLine(
      file,
      n,
      `found a record without ${user === undefined ? 'reviewerID' : 'asin'}; expected a review.`,
      `${REVIEW_HINT} Is this the metadata file?`,
    );
  check(typeof user === 'string' && textIdProblem(user) === null, userKey, user, 'a reviewer id (a non-empty string without control characters)');
  check(typeof item === 'string' && ASIN.test(item), itemKey, item, 'an ASIN: a string of 10 digits or capital letters');
  const ratingKey = r.overall !== undefined ? 'overall' : 'rating';
  const rating = r[ratingKey];
  check(rating === undefined || (typeof rating === 'number' && rating >= 1 && rating <= 5), ratingKey, rating, 'a star rating, a number from 1 to 5');
  let ts: number;
  if (r.unixReviewTime !== undefined) {
    const t = r.unixReviewTime;
    check(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= MAX_UNIX_SECONDS, 'unixReviewTime', t, 'seconds since 1970 (a whole number from 0)');
    ts = t as number;
  } else if (r.timestamp !== undefined) {
    const t = r.timestamp;
    check(
      typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= MAX_UNIX_SECONDS * 1000,
      'timestamp',
      t,
      'milliseconds since 1970 (a whole number from 0)',
    );
    ts = Math.floor((t as number) / 1000);
  } else throw badLine(file, n, 'found a review without unixReviewTime; expected the time of each review.', REVIEW_HINT);
  for (const k of ['reviewText', 'summary', 'text', 'title']) check(r[k] === undefined || typeof r[k] === 'string', k, r[k], 'a string');
  const review = text(r.reviewText ?? r.text) || text(r.summary ?? r.title) || null;
  sink.raw(sink.users.idx(user as string), sink.items.idx(item as string), rating === undefined ? NaN : (rating as number), ts, review);
}

function readMeta(file: string, r: Rec, n: number, sink: Sink): void {
  const check = fieldCheck(file, n);
  check(
    typeof r.asin === 'string' && ASIN.test(r.asin),
    'asin',
    r.asin,
    'an ASIN: a string of 10 digits or capital letters',
    'Each metadata line needs the asin of its product.',
  );
  for (const k of ['title', 'brand', 'main_cat']) check(r[k] === undefined || typeof r[k] === 'string', k, r[k], 'a string');
  check(
    r.description === undefined || typeof r.description === 'string' || isStringList(r.description),
    'description',
    r.description,
    'a string or a list of strings',
  );
  check(r.category === undefined || isStringList(r.category), 'category', r.category, 'a list of strings (2018 metadata)');
  check(
    r.categories === undefined || (Array.isArray(r.categories) && r.categories.every(isStringList)),
    'categories',
    r.categories,
    'a list of lists of strings (2014 metadata)',
  );
  const i = sink.items.find(r.asin as string);
  if (i < 0) return;
  const keep: Rec = {};
  for (const k of ['price', 'salesRank', 'rank', 'main_cat', 'feature']) if (r[k] !== undefined) keep[k] = r[k];
  sink.itemMeta(i, text(r.title), text(r.brand), categories(r), text(r.description), Object.keys(keep).length ? JSON.stringify(keep) : null);
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
          readReview(f.path, parseRecordLine(f.path, line, n, false), n, sink);
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
        (line, n) => readMeta(f.path, parseRecordLine(f.path, line, n, true), n, sink),
        (b) => sink.bytes(b),
      );
    }
  },
};
