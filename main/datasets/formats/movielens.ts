/**
 * MovieLens: 1M-style `ratings.dat` / `movies.dat` / `users.dat` (fields split by `::`, latin1 titles) and
 * 100K-style `u.data` (tabs) / `u.item` / `u.user` (`|`, latin1). Sorted by timestamp later (stable).
 */
import { UserError } from '../../app/errors.js';
import { badLine, forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

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

export const movielensReader: FormatReader = {
  format: 'movielens',
  ordered: false,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const sep = base(f.path).endsWith('.dat') ? '::' : '\t';
      let rows = 0;
      await forEachTextLine(
        f.path,
        (line, n) => {
          const c = line.split(sep);
          if (c.length < 3)
            throw badLine(
              f.path,
              n,
              `expected user${sep}item${sep}rating${sep}timestamp.`,
              'Fix or remove the line, or choose the CSV format with a column mapping.',
            );
          const rating = Number(c[2]);
          const ts = c.length > 3 ? Number(c[3]) : NaN;
          if (Number.isNaN(rating)) throw badLine(f.path, n, `rating "${c[2]}" is not a number.`, 'Fix or remove the line.');
          sink.raw(sink.users.idx(c[0]!.trim()), sink.items.idx(c[1]!.trim()), rating, ts, null);
          rows++;
        },
        (b) => sink.bytes(b),
      );
      if (rows === 0) throw new UserError(`${f.path} is empty.`, { file: f.path, line: 1, hint: 'Pick ratings.dat or u.data.', code: 'empty' });
    }
    for (const f of files.filter((x) => x.role === 'items')) {
      const dat = base(f.path).endsWith('.dat');
      await forEachTextLine(
        f.path,
        (line) => {
          const c = line.split(dat ? '::' : '|');
          const i = sink.items.find(c[0]!.trim());
          if (i < 0) return;
          if (dat) {
            sink.itemMeta(i, c[1] ?? '', '', (c[2] ?? '').split('|').join(', '), '', null);
          } else {
            const genres = c
              .slice(5, 24)
              .map((v, k) => (v === '1' ? GENRES_100K[k] : ''))
              .filter(Boolean);
            sink.itemMeta(i, c[1] ?? '', '', genres.join(', '), '', JSON.stringify({ release: c[2] ?? '', url: c[4] ?? '' }));
          }
        },
        (b) => sink.bytes(b),
        'latin1',
      );
    }
    for (const f of files.filter((x) => x.role === 'users')) {
      const dat = base(f.path).endsWith('.dat');
      await forEachTextLine(
        f.path,
        (line) => {
          const c = line.split(dat ? '::' : '|');
          const u = sink.users.find(c[0]!.trim());
          if (u < 0) return;
          const a = dat ? { gender: c[1], age: c[2], occupation: c[3], zip: c[4] } : { age: c[1], gender: c[2], occupation: c[3], zip: c[4] };
          sink.userMeta(u, JSON.stringify(a));
        },
        (b) => sink.bytes(b),
        'latin1',
      );
    }
  },
};
