/**
 * Small slices of the real benchmark files in ../shared/data, one case at a time, in each importer's format.
 * S3-Rec, LC-Rec and RecBole cases are byte-for-byte slices of the published files. No raw Amazon, MovieLens
 * or CSV files are in the shared data, so those cases are the same real records written in those layouts:
 * Amazon reviews from Beauty's real users and products (datamaps_p5.json gives their reviewerID and ASIN;
 * the rating and time are derived), metadata from the derived item text (2014 Python literals or 2018 JSON);
 * MovieLens u.data / ratings.dat / u.item / movies.dat from the ml-100k atomic files; CSV from ml-100k rows or
 * the Amazon-shaped records (string ids, quoted text).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FuzzFormat } from './reference.js';

export interface CaseFile {
  name: string;
  body: Buffer;
}

export interface FuzzCase {
  format: FuzzFormat;
  files: CaseFile[];
  /** Name of the interactions file (the usual target of damage). */
  main: string;
}

export type Rng = () => number;

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const slice = <T>(rng: Rng, xs: readonly T[], lo: number, hi: number): T[] => {
  const k = Math.min(xs.length, int(rng, lo, hi));
  const a = int(rng, 0, xs.length - k);
  return xs.slice(a, a + k);
};
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const buf = (s: string) => Buffer.from(s, 'utf8');

/** Python repr() of a string, as the 2014 metadata has it. */
function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
}

const GENRES = [
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

export class Corpus {
  private constructor(
    private readonly beauty: string[],
    private readonly sports: string[],
    private readonly beautyText: Map<string, string[]>,
    private readonly beautyTextHeader: string,
    private readonly attrs: Record<string, number[]>,
    private readonly users: Record<string, string>,
    private readonly asins: Record<string, string>,
    private readonly office: [string, number[]][],
    private readonly officeItems: Record<string, Record<string, string>>,
    private readonly mlInter: string[],
    private readonly mlItem: Map<string, string[]>,
    private readonly mlUser: Map<string, string[]>,
  ) {}

  /** Reads the shared data once (about 10 MB); null when a folder is missing. */
  static load(dataDir: string): Corpus | null {
    const need = ['amazon_beauty_s3rec', 'amazon_sports_s3rec', 'amazon_office_lcrec', 'ml-100k'];
    if (!need.every((d) => fs.existsSync(path.join(dataDir, d)))) return null;
    const read = (...p: string[]) => fs.readFileSync(path.join(dataDir, ...p), 'utf8');
    const text = lines(read('amazon_beauty_s3rec', 'item_text_derived.tsv'));
    const maps = JSON.parse(read('amazon_beauty_s3rec', 'datamaps_p5.json')) as { id2user: Record<string, string>; id2item: Record<string, string> };
    const byId = (rows: string[]) => new Map(rows.map((l) => [l.split('\t')[0]!, l.split('\t')]));
    return new Corpus(
      lines(read('amazon_beauty_s3rec', 'Beauty.txt')),
      lines(read('amazon_sports_s3rec', 'Sports_and_Outdoors.txt')),
      byId(text.slice(1)),
      text[0]!,
      JSON.parse(read('amazon_beauty_s3rec', 'Beauty_item2attributes.json')) as Record<string, number[]>,
      maps.id2user,
      maps.id2item,
      Object.entries(JSON.parse(read('amazon_office_lcrec', 'Office.inter.json')) as Record<string, number[]>),
      JSON.parse(read('amazon_office_lcrec', 'Office.item.json')) as Record<string, Record<string, string>>,
      lines(read('ml-100k', 'ml-100k.inter')).slice(1),
      byId(lines(read('ml-100k', 'ml-100k.item')).slice(1)),
      byId(lines(read('ml-100k', 'ml-100k.user')).slice(1)),
    );
  }

  sample(format: FuzzFormat, rng: Rng): FuzzCase {
    switch (format) {
      case 's3rec':
        return this.s3rec(rng);
      case 'lcrec':
        return this.lcrec(rng);
      case 'recbole':
        return this.recbole(rng);
      case 'amazon':
        return this.amazon(rng);
      case 'movielens':
        return this.movielens(rng);
      case 'csv':
        return this.csv(rng);
    }
  }

  private s3rec(rng: Rng): FuzzCase {
    const sports = rng() < 0.3;
    const rows = slice(rng, sports ? this.sports : this.beauty, 3, 40);
    const main = sports ? 'Sports_and_Outdoors.txt' : 'Beauty.txt';
    const files: CaseFile[] = [{ name: main, body: buf(rows.join('\n') + '\n') }];
    if (!sports) {
      const items = [...new Set(rows.flatMap((r) => r.split(' ').slice(1)))];
      if (rng() < 0.3) {
        const text = items.map((i) => this.beautyText.get(i)!.join('\t'));
        files.push({ name: 'item_text_derived.tsv', body: buf([this.beautyTextHeader, ...text].join('\n') + '\n') });
      }
      if (rng() < 0.3) {
        // The published layout: one line, `"id": [a, b]` entries separated by ", ".
        const entries = items.filter((i) => this.attrs[i]).map((i) => `"${i}": [${this.attrs[i]!.join(', ')}]`);
        files.push({ name: 'Beauty_item2attributes.json', body: buf(`{${entries.join(', ')}}`) });
      }
    }
    return { format: 's3rec', files, main };
  }

  private lcrec(rng: Rng): FuzzCase {
    const users = Object.fromEntries(slice(rng, this.office, 2, 25));
    const files: CaseFile[] = [{ name: 'Office.inter.json', body: buf(JSON.stringify(users, null, 4)) }];
    if (rng() < 0.4) {
      const items = [...new Set(Object.values(users).flat())].slice(0, 30);
      files.push({ name: 'Office.item.json', body: buf(JSON.stringify(Object.fromEntries(items.map((i) => [i, this.officeItems[i]])), null, 4)) });
    }
    return { format: 'lcrec', files, main: 'Office.inter.json' };
  }

  private recbole(rng: Rng): FuzzCase {
    const rows = slice(rng, this.mlInter, 5, 120);
    const files: CaseFile[] = [
      { name: 'ml-100k.inter', body: buf(['user_id:token\titem_id:token\trating:float\ttimestamp:float', ...rows].join('\n') + '\n') },
    ];
    if (rng() < 0.3) {
      const items = [...new Set(rows.map((r) => r.split('\t')[1]!))].map((i) => this.mlItem.get(i)!.join('\t'));
      files.push({
        name: 'ml-100k.item',
        body: buf(['item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq', ...items].join('\n') + '\n'),
      });
    }
    if (rng() < 0.3) {
      const users = [...new Set(rows.map((r) => r.split('\t')[0]!))].map((u) => this.mlUser.get(u)!.join('\t'));
      files.push({ name: 'ml-100k.user', body: buf(['user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token', ...users].join('\n') + '\n') });
    }
    return { format: 'recbole', files, main: 'ml-100k.inter' };
  }

  /** Beauty users as Amazon review records (real reviewerID and ASIN; rating and time derived). */
  private reviews(rng: Rng): { user: string; asin: string; overall: number; time: number; text: string; summary: string; item: string }[] {
    const out = [];
    for (const row of slice(rng, this.beauty, 2, 15)) {
      const [u, ...items] = row.split(' ');
      let time = 1262304000 + Number(u) * 3600;
      for (const i of items) {
        time += 86400 * (1 + (Number(i) % 40));
        const words = this.beautyText.get(i)?.[2] ?? '';
        out.push({
          user: this.users[u!]!,
          asin: this.asins[i]!,
          overall: 1 + ((Number(u) + Number(i)) % 5),
          time,
          text: words,
          summary: words.split(' ').slice(0, 3).join(' '),
          item: i,
        });
      }
    }
    return out;
  }

  private amazon(rng: Rng): FuzzCase {
    const reviews = this.reviews(rng);
    const json = reviews.map((r) =>
      JSON.stringify({
        reviewerID: r.user,
        asin: r.asin,
        reviewerName: 'A customer',
        helpful: [0, 0],
        reviewText: r.text,
        overall: r.overall,
        summary: r.summary,
        unixReviewTime: r.time,
        reviewTime: new Date(r.time * 1000).toISOString().slice(0, 10),
      }).replace(/,"/g, ', "'),
    );
    // The 2014 files list reviews grouped by product, not by user.
    json.sort(() => rng() - 0.5);
    const files: CaseFile[] = [{ name: 'reviews_Beauty_5.json', body: buf(json.join('\n') + '\n') }];
    if (rng() < 0.5) {
      const items = [...new Set(reviews.map((r) => r.item))];
      const py = rng() < 0.5;
      const meta = items.map((i) => {
        const [, asin, title, brandCats] = this.beautyText.get(i)!;
        const [brand, ...cats] = (brandCats ?? '').split('; ');
        return py
          ? `{'asin': ${pyStr(asin!)}, 'title': ${pyStr(title!)}, 'brand': ${pyStr(brand ?? '')}, 'categories': [[${['Beauty', ...cats].map(pyStr).join(', ')}]], 'price': 8.5, 'salesRank': {'Beauty': ${Number(i) * 7}}}`
          : JSON.stringify({ category: ['Beauty', ...cats], description: [title], title, brand, main_cat: 'All Beauty', asin }).replace(/,"/g, ', "');
      });
      files.push({ name: 'meta_Beauty.json', body: buf(meta.join('\n') + '\n') });
    }
    return { format: 'amazon', files, main: 'reviews_Beauty_5.json' };
  }

  private movielens(rng: Rng): FuzzCase {
    const rows = slice(rng, this.mlInter, 5, 120).map((r) => r.split('\t'));
    const dat = rng() < 0.5;
    const main = dat ? 'ratings.dat' : 'u.data';
    const files: CaseFile[] = [{ name: main, body: buf(rows.map((r) => r.join(dat ? '::' : '\t')).join('\n') + '\n') }];
    if (rng() < 0.3) {
      const items = [...new Set(rows.map((r) => r[1]!))].map((i) => this.mlItem.get(i)!);
      const body = items.map(([id, title, year, cls]) => {
        const genres = (cls ?? '').split(' ').filter(Boolean);
        return dat
          ? `${id}::${title} (${year})::${genres.join('|')}`
          : `${id}|${title} (${year})|01-Jan-${year}||http://us.imdb.com/M/title-exact?${encodeURIComponent(title ?? '')}|${GENRES.map((g) => (genres.includes(g) ? 1 : 0)).join('|')}`;
      });
      files.push({ name: dat ? 'movies.dat' : 'u.item', body: Buffer.from(body.join('\n') + '\n', 'latin1') });
    }
    if (rng() < 0.3) {
      const users = [...new Set(rows.map((r) => r[0]!))].map((u) => this.mlUser.get(u)!);
      const body = users.map(([id, age, gender, occ, zip]) => (dat ? [id, gender, age, occ, zip].join('::') : [id, age, gender, occ, zip].join('|')));
      files.push({ name: dat ? 'users.dat' : 'u.user', body: buf(body.join('\n') + '\n') });
    }
    return { format: 'movielens', files, main };
  }

  private csv(rng: Rng): FuzzCase {
    const quote = (s: string) => (/[",\n]/.test(s) || rng() < 0.2 ? `"${s.replace(/"/g, '""')}"` : s);
    let body: string;
    if (rng() < 0.5) {
      const tsv = rng() < 0.3;
      const rows = slice(rng, this.mlInter, 5, 120);
      body = ['user_id,item_id,rating,timestamp', ...rows.map((r) => r.replace(/\t/g, ','))].map((l) => (tsv ? l.replace(/,/g, '\t') : l)).join('\n') + '\n';
      if (tsv) return { format: 'csv', files: [{ name: 'ratings.tsv', body: buf(body) }], main: 'ratings.tsv' };
    } else {
      const reviews = this.reviews(rng);
      const iso = rng() < 0.5;
      body =
        [
          'reviewerID,asin,overall,unixReviewTime,reviewText',
          ...reviews.map((r) => [r.user, r.asin, r.overall, iso ? new Date(r.time * 1000).toISOString() : r.time, quote(`${r.text}, ${r.summary}`)].join(',')),
        ].join('\r\n') + '\r\n';
    }
    return { format: 'csv', files: [{ name: 'ratings.csv', body: buf(body) }], main: 'ratings.csv' };
  }
}

export const FORMATS: readonly FuzzFormat[] = ['s3rec', 'lcrec', 'recbole', 'amazon', 'movielens', 'csv'];
export { int, pick };
