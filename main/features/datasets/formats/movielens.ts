/**
 * MovieLens as GroupLens publishes it (README of each release): 100K `u.data` (user, item, rating, timestamp
 * separated by tabs) with `u.item` / `u.user` (`|`-separated), and 1M/10M `ratings.dat` / `movies.dat` /
 * `users.dat` (fields separated by `::`). Ids are positive whole numbers; metadata text is UTF-8 where it is
 * valid UTF-8, else ISO-8859-1 (100K and 1M titles). Sorted by timestamp later (stable). ml-latest, 20M and
 * 25M ship CSV (`ratings.csv`), which the CSV format reads. The rules are in docs/datasets.md.
 */
import { UserError } from '../../../base/errors.js';
import { MAX_UNIX_SECONDS, badLine, idRule, intId, shown } from './rules.js';
import { forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

const base = (p: string) => p.split(/[\\/]/).pop()!.toLowerCase().replace(/\.gz$/, '');
const GENRES_100K = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** Splits a line into exactly `names.length` fields, or refuses it naming the layout. */
function split(file: string, line: string, n: number, sep: string, names: string[]): string[] {
  const c = line.split(sep);
  if (c.length !== names.length) {
    throw badLine(
      file,
      n,
      `found ${c.length} field${c.length === 1 ? '' : 's'}; expected ${names.length}: ${names.join(sep === '\t' ? ' <TAB> ' : ` ${sep} `)}.`,
      'Fix or remove the line.',
    );
  }
  return c;
}

function positiveId(file: string, n: number, what: string, v: string): number {
  const id = intId(v, 1);
  if (id < 0) throw badLine(file, n, `found ${shown(v)} as the ${what}; expected ${idRule(1)}.`, 'Fix or remove the line.');
  return id;
}

/** 100K: whole stars 1-5; 1M and 10M (`ratings.dat`): half stars 0.5-5 (1M uses whole stars only). */
function rating(file: string, n: number, v: string, halfStars: boolean): number {
  const r = /^\d(\.\d)?$/.test(v) ? Number(v) : NaN;
  const ok = halfStars ? r >= 0.5 && r <= 5 && Number.isInteger(r * 2) : /^[1-5]$/.test(v);
  if (!ok)
    throw badLine(
      file,
      n,
      `found ${shown(v)} as the rating; expected ${halfStars ? 'a half-star rating from 0.5 to 5' : 'a whole-star rating from 1 to 5'}.`,
      'Fix or remove the line.',
    );
  return r;
}

function timestamp(file: string, n: number, v: string): number {
  const t = /^(0|[1-9]\d{0,11})$/.test(v) ? Number(v) : NaN;
  if (!(t <= MAX_UNIX_SECONDS))
    throw badLine(file, n, `found ${shown(v)} as the timestamp; expected seconds since 1970 (a whole number from 0).`, 'Fix or remove the line.');
  return t;
}

/** Reads a metadata file: one row per id, each id once; `onRow` gets the fields of rows whose id is known. */
async function readMeta(
  file: string,
  sep: string,
  names: string[],
  sink: Sink,
  find: (id: string) => number,
  onRow: (c: string[], idx: number) => void,
  validate?: (c: string[], n: number) => void,
) {
  const seen = new Map<number, number>();
  await forEachTextLine(
    file,
    (line, n) => {
      const c = split(file, line, n, sep, names);
      const id = positiveId(file, n, names[0]!, c[0]!);
      const first = seen.get(id);
      if (first !== undefined)
        throw badLine(file, n, `found ${names[0]} ${id} again (first on line ${first}); expected each id once.`, 'Remove one of the two rows.');
      seen.set(id, n);
      validate?.(c, n);
      const idx = find(c[0]!);
      if (idx >= 0) onRow(c, idx);
    },
    (b) => sink.bytes(b),
    { encoding: 'utf8-or-latin1' },
  );
}

export const movielensReader: FormatReader = {
  format: 'movielens',
  ordered: false,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const dat = base(f.path).endsWith('.dat');
      const sep = dat ? '::' : '\t';
      const names = dat ? ['UserID', 'MovieID', 'Rating', 'Timestamp'] : ['user id', 'item id', 'rating', 'timestamp'];
      let rows = 0;
      await forEachTextLine(
        f.path,
        (line, n) => {
          const c = split(f.path, line, n, sep, names);
          const u = positiveId(f.path, n, 'user id', c[0]!);
          const i = positiveId(f.path, n, 'movie id', c[1]!);
          const r = rating(f.path, n, c[2]!, dat);
          const ts = timestamp(f.path, n, c[3]!);
          sink.raw(sink.users.idxNum(u), sink.items.idxNum(i), r, ts, null);
          rows++;
        },
        (b) => sink.bytes(b),
      );
      if (rows === 0) throw new UserError(`${f.path} is empty.`, { file: f.path, line: 1, hint: 'Pick ratings.dat or u.data.', code: 'empty' });
    }
    for (const f of files.filter((x) => x.role === 'items')) {
      const dat = base(f.path).endsWith('.dat');
      if (dat) {
        await readMeta(
          f.path,
          '::',
          ['MovieID', 'Title', 'Genres'],
          sink,
          (v) => sink.items.find(v),
          (c, i) => sink.itemMeta(i, c[1]!, '', c[2]!.split('|').join(', '), '', null),
        );
      } else {
        const names = ['movie id', 'movie title', 'release date', 'video release date', 'IMDb URL', ...GENRES_100K];
        await readMeta(
          f.path,
          '|',
          names,
          sink,
          (v) => sink.items.find(v),
          (c, i) => {
            const genres = c
              .slice(5)
              .map((v, k) => (v === '1' ? GENRES_100K[k] : ''))
              .filter(Boolean);
            sink.itemMeta(i, c[1]!, '', genres.join(', '), '', JSON.stringify({ release: c[2]!, url: c[4]! }));
          },
          (c, n) => {
            const bad = c.slice(5).findIndex((v) => v !== '0' && v !== '1');
            if (bad >= 0) throw badLine(f.path, n, `found ${shown(c[5 + bad])} as the ${GENRES_100K[bad]} flag; expected 0 or 1.`, 'Fix or remove the line.');
          },
        );
      }
    }
    for (const f of files.filter((x) => x.role === 'users')) {
      const dat = base(f.path).endsWith('.dat');
      const names = dat ? ['UserID', 'Gender', 'Age', 'Occupation', 'Zip-code'] : ['user id', 'age', 'gender', 'occupation', 'zip code'];
      await readMeta(
        f.path,
        dat ? '::' : '|',
        names,
        sink,
        (v) => sink.users.find(v),
        (c, u) => {
          const a = dat ? { gender: c[1], age: c[2], occupation: c[3], zip: c[4] } : { age: c[1], gender: c[2], occupation: c[3], zip: c[4] };
          sink.userMeta(u, JSON.stringify(a));
        },
      );
    }
  },
};
