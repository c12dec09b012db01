/**
 * Works out the format from the files given (a folder expands to its files), assigns each file its role,
 * and previews the first rows exactly as the importer would read them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DetectResult } from '../../../common/contract/datasets.js';
import { UserError } from '../../base/errors.js';
import { amazonReader } from './formats/amazon.js';
import { csvReader } from './formats/csv.js';
import { lcrecReader } from './formats/lcrec.js';
import { movielensReader } from './formats/movielens.js';
import { recboleReader } from './formats/recbole.js';
import { s3recReader } from './formats/s3rec.js';
import { CsvRecords } from './formats/csv.js';
import { KeyMap, StopReading, checkReadable, forEachLine, type FormatName, type FormatReader, type RoleFile, type Sink } from './formats/source.js';

export const READERS: Record<FormatName, FormatReader> = {
  s3rec: s3recReader,
  lcrec: lcrecReader,
  recbole: recboleReader,
  amazon: amazonReader,
  movielens: movielensReader,
  csv: csvReader,
};

export interface Detected {
  format: FormatName;
  files: RoleFile[];
  notes: string[];
}

const IGNORED = /^(readme|source|license|licence)(\.|$)|^\./i;

/** Files named by `paths`, folders expanded one level (hidden files and READMEs left out). */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p0 of paths) {
    const p = path.resolve(p0);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UserError(`File not found: ${p}`, { file: p, hint: 'Check the path, or pick the file again.', code: 'not_found' });
    }
    if (st.isDirectory()) {
      const names = fs.readdirSync(p).sort();
      for (const n of names) {
        const f = path.join(p, n);
        if (!IGNORED.test(n) && fs.statSync(f).isFile()) out.push(f);
      }
    } else out.push(p);
  }
  if (out.length === 0)
    throw new UserError(`No data files in ${paths.join(', ')}.`, { file: paths[0], hint: 'Pick the folder or files that hold the data.', code: 'not_found' });
  return [...new Set(out)];
}

/** First non-blank line of a file (decoded, BOM removed), or '' when there is none. */
async function firstLine(file: string): Promise<string> {
  let found = '';
  try {
    await forEachLine(file, (buf, s, e) => {
      const t = buf.toString('utf8', s, Math.min(e, s + 65536)).trim();
      if (t) {
        found = t;
        throw new StopReading();
      }
    });
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  return found;
}

const name = (f: string) => path.basename(f).toLowerCase().replace(/\.gz$/, '');

async function roleFor(format: FormatName, f: string, guessing = false): Promise<string | null> {
  const n = name(f);
  switch (format) {
    case 'recbole':
      return n.endsWith('.inter') ? 'interactions' : n.endsWith('.item') ? 'items' : n.endsWith('.user') ? 'users' : null;
    case 'lcrec':
      return n.endsWith('.inter.json') ? 'interactions' : n.endsWith('.item.json') ? 'items' : null;
    case 'movielens':
      if (['ratings.dat', 'u.data'].includes(n)) return 'interactions';
      if (['movies.dat', 'u.item'].includes(n)) return 'items';
      if (['users.dat', 'u.user'].includes(n)) return 'users';
      return null;
    case 's3rec': {
      if (n.endsWith('item2attributes.json')) return 'item-attributes';
      if (n.endsWith('.tsv') && n.includes('item')) return 'item-text';
      if (!/\.(txt|dat|seq)$|^[^.]+$/.test(n)) return null;
      // Guessing needs all-numeric ids; a person who chose s3rec may use any ids.
      const l = await firstLine(f);
      return (guessing ? /^\d+([ \t]+\d+)+$/ : /^\S+([ \t]+\S+)+$/).test(l) ? 'interactions' : null;
    }
    case 'amazon': {
      if (!/\.(json|jsonl|ndjson)$/.test(n)) return null;
      const l = await firstLine(f);
      if (/['"]reviewerID['"]\s*:/.test(l) || (/['"]user_id['"]\s*:/.test(l) && /['"](parent_)?asin['"]\s*:/.test(l))) return 'interactions';
      if (/['"]asin['"]\s*:/.test(l)) return 'items';
      return null;
    }
    case 'csv':
      return /\.(csv|tsv)$/.test(n) ? 'interactions' : null;
  }
}

/** Format guess from file names first, then content. */
async function guessFormat(files: string[]): Promise<FormatName | null> {
  const names = files.map(name);
  if (names.some((n) => n.endsWith('.inter'))) return 'recbole';
  if (names.some((n) => n.endsWith('.inter.json'))) return 'lcrec';
  if (names.some((n) => n === 'ratings.dat' || n === 'u.data')) return 'movielens';
  for (const f of files) if ((await roleFor('amazon', f)) === 'interactions') return 'amazon';
  for (const f of files) if ((await roleFor('s3rec', f, true)) === 'interactions') return 's3rec';
  if (names.some((n) => /\.(csv|tsv)$/.test(n))) return 'csv';
  return null;
}

export async function detectFiles(paths: string[], format: FormatName | 'auto' = 'auto'): Promise<Detected> {
  const all = expandPaths(paths);
  for (const f of all) checkReadable(f);
  const notes: string[] = [];
  const fmt = format === 'auto' ? await guessFormat(all) : format;
  if (!fmt) {
    throw new UserError(`Could not tell the format of ${all.map((f) => path.basename(f)).join(', ')}.`, {
      file: all[0],
      line: 1,
      hint: 'Choose the format (s3rec, lcrec, recbole, amazon, movielens, csv); for CSV also give a column mapping.',
      code: 'unknown_format',
    });
  }
  const files: RoleFile[] = [];
  for (const f of all) {
    const role = await roleFor(fmt, f, format === 'auto');
    if (role) files.push({ path: f, role, bytes: fs.statSync(f).size });
    else notes.push(`${path.basename(f)}: not used by the ${fmt} format (ignored).`);
  }
  const inter = files.filter((f) => f.role === 'interactions');
  if (inter.length === 0) {
    throw new UserError(`None of the files looks like ${fmt} interactions: ${all.map((f) => path.basename(f)).join(', ')}.`, {
      file: all[0],
      line: 1,
      hint: 'Check the format, or give the interactions file itself.',
      code: 'unknown_format',
    });
  }
  for (const f of inter)
    if (f.bytes === 0) throw new UserError(`${f.path} is empty.`, { file: f.path, line: 1, hint: 'Pick the file that holds the interactions.', code: 'empty' });
  // Interactions first, then metadata, so metadata can be matched to known items.
  files.sort((a, b) => Number(b.role === 'interactions') - Number(a.role === 'interactions'));
  return { format: fmt, files, notes };
}

/** A sink that keeps the first rows as strings and stops the reader. */
class PreviewSink implements Sink {
  readonly users = new KeyMap();
  readonly items = new KeyMap();
  readonly rows: DetectResult['preview'] = [];
  constructor(private readonly limit: number) {}
  private push(u: number, i: number, rating: number, ts: number) {
    this.rows.push({
      user: this.users.id(u),
      item: this.items.id(i),
      rating: Number.isNaN(rating) ? null : String(rating),
      time: Number.isNaN(ts) ? null : String(ts),
    });
    if (this.rows.length >= this.limit) throw new StopReading();
  }
  seq(u: number, i: number) {
    this.push(u, i, NaN, NaN);
  }
  raw(u: number, i: number, rating: number, ts: number) {
    this.push(u, i, rating, ts);
  }
  itemMeta() {}
  userMeta() {}
  bytes() {}
  note() {}
}

async function csvHeader(file: string): Promise<string[] | null> {
  const l = await firstLine(file);
  if (!l) return null;
  const rec = new CsvRecords(file, !l.includes(',') && l.includes('\t') ? '\t' : ',');
  return rec.push(l, 1);
}

export async function detect(
  paths: string[],
  format: FormatName | 'auto' = 'auto',
  columns?: Record<string, string | undefined>,
  limit = 10,
): Promise<DetectResult & { detected: Detected }> {
  const d = await detectFiles(paths, format);
  const sink = new PreviewSink(limit);
  const inter = d.files.filter((f) => f.role === 'interactions');
  try {
    await READERS[d.format].read([inter[0]!], sink, columns);
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  const notes = [...d.notes];
  if (!READERS[d.format].ordered) notes.push("Each user's interactions are ordered by timestamp (ties keep file order).");
  else notes.push("Each line/list is taken as one user's interactions in time order.");
  return {
    format: d.format,
    files: d.files.map((f) => ({ path: f.path, role: f.role, bytes: f.bytes })),
    preview: sink.rows,
    columns: d.format === 'csv' ? await csvHeader(inter[0]!.path) : null,
    notes,
    detected: d,
  };
}
