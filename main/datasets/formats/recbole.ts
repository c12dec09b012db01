/**
 * RecBole atomic files: `.inter`, `.item`, `.user`, tab-separated with typed headers (`user_id:token`,
 * `rating:float`, `timestamp:float`, `movie_title:token_seq`). Interactions are sorted per user by timestamp
 * later (stable: file order breaks ties), in a staging table.
 */
import { UserError } from '../../app/errors.js';
import { badLine, forEachTextLine, type FormatReader, type RoleFile, type Sink } from './source.js';

export interface Header {
  names: string[];
  index(...candidates: string[]): number;
}

export function parseHeader(file: string, line: string): Header {
  const names = line.split('\t').map((h) => h.trim().split(':')[0]!.trim());
  if (!line.includes(':')) {
    throw badLine(
      file,
      1,
      'expected a typed header such as `user_id:token\titem_id:token`.',
      'RecBole atomic files start with a typed header row; choose another format if this is plain TSV.',
    );
  }
  return {
    names,
    index: (...c) => {
      for (const n of c) {
        const k = names.indexOf(n);
        if (k >= 0) return k;
      }
      return -1;
    },
  };
}

const num = (s: string | undefined): number => (s === undefined || s.trim() === '' ? NaN : Number(s));

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
            h = parseHeader(f.path, line);
            cu = h.index('user_id', 'user');
            ci = h.index('item_id', 'item');
            cr = h.index('rating');
            ct = h.index('timestamp', 'time');
            cv = h.index('review', 'review_text');
            if (cu < 0 || ci < 0)
              throw badLine(
                f.path,
                n,
                `no user_id or item_id column (found ${h.names.join(', ')}).`,
                'The .inter header needs user_id:token and item_id:token.',
              );
            return;
          }
          const c = line.split('\t');
          if (c.length <= Math.max(cu, ci))
            throw badLine(f.path, n, `expected ${h.names.length} tab-separated fields, found ${c.length}.`, 'Fix or remove the line.');
          const rating = cr >= 0 ? num(c[cr]) : NaN;
          const ts = ct >= 0 ? num(c[ct]) : NaN;
          if ((cr >= 0 && c[cr]!.trim() !== '' && Number.isNaN(rating)) || (ct >= 0 && c[ct]!.trim() !== '' && Number.isNaN(ts))) {
            throw badLine(f.path, n, 'rating or timestamp is not a number.', 'Fix or remove the line.');
          }
          sink.raw(sink.users.idx(c[cu]!.trim()), sink.items.idx(c[ci]!.trim()), rating, ts, cv >= 0 ? (c[cv] ?? null) : null);
          rows++;
        },
        (b) => sink.bytes(b),
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
      let h: Header | null = null;
      let ci = -1,
        ct = -1,
        cb = -1,
        cc = -1,
        cd = -1;
      await forEachTextLine(
        f.path,
        (line) => {
          if (!h) {
            h = parseHeader(f.path, line);
            ci = h.index('item_id');
            ct = h.index('title', 'movie_title', 'name');
            cb = h.index('brand');
            cc = h.index('categories', 'class', 'genre', 'genres');
            cd = h.index('description');
            return;
          }
          const c = line.split('\t');
          const i = ci >= 0 ? sink.items.find((c[ci] ?? '').trim()) : -1;
          if (i < 0) return;
          const rest: Record<string, string> = {};
          h.names.forEach((name, k) => {
            if (![ci, ct, cb, cc, cd].includes(k) && c[k] !== undefined && c[k] !== '') rest[name] = c[k]!;
          });
          const g = (k: number) => (k >= 0 ? (c[k] ?? '').trim() : '');
          sink.itemMeta(i, g(ct), g(cb), g(cc), g(cd), Object.keys(rest).length ? JSON.stringify(rest) : null);
        },
        (b) => sink.bytes(b),
      );
    }
    for (const f of files.filter((x) => x.role === 'users')) {
      let h: Header | null = null;
      let cu = -1;
      await forEachTextLine(
        f.path,
        (line) => {
          if (!h) {
            h = parseHeader(f.path, line);
            cu = h.index('user_id');
            return;
          }
          const c = line.split('\t');
          const u = cu >= 0 ? sink.users.find((c[cu] ?? '').trim()) : -1;
          if (u < 0) return;
          const rest: Record<string, string> = {};
          h.names.forEach((name, k) => {
            if (k !== cu && c[k] !== undefined) rest[name] = c[k]!;
          });
          sink.userMeta(u, JSON.stringify(rest));
        },
        (b) => sink.bytes(b),
      );
    }
  },
};
