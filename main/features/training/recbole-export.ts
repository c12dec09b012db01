// A dataset as RecBole atomic files (NAME.inter/.item/.user with typed headers), its leave-one-out split as
// RecBole benchmark files (NAME.train.inter/.valid.inter/.test.inter, for `benchmark_filename: [train, valid,
// test]`), and its curated rationales as JSONL, so work can move on to RecBole at scale. Ids are the original
// ones. Each file is written to a temporary name and renamed.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../platform/storage/database.js';
import { loadSpacePairs } from '../space/space-data.js';
import { datasetByName } from '../datasets/dataset-ref.js';

const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ').trim();

class Out {
  rows = 0;
  private readonly tmp: string;
  private readonly fd: number;
  private buf: string[] = [];
  constructor(
    readonly file: string,
    header: string | null,
  ) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = fs.openSync(this.tmp, 'w');
    if (header !== null) fs.writeSync(this.fd, header + '\n');
  }
  line(s: string) {
    this.buf.push(s);
    this.rows++;
    if (this.buf.length >= 4096) this.flush();
  }
  private flush() {
    if (this.buf.length) fs.writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
  }
  close() {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.file);
    return { file: this.file, rows: this.rows };
  }
}

export function exportRecbole(db: Db, datasetName: string, outDir: string): { dir: string; files: { file: string; rows: number }[] } {
  const ds = datasetByName(db, datasetName);
  const dir = path.resolve(outDir);
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, ds.name.replace(/[^\p{L}\p{N}_.-]+/gu, '_'));
  const stats = db.prepare('SELECT COUNT(rating) AS r, COUNT(ts) AS t, COUNT(*) AS n FROM interactions WHERE dataset_id = ?').get(ds.id) as {
    r: number;
    t: number;
    n: number;
  };
  const hasRating = stats.r === stats.n && stats.n > 0;
  // RecBole orders a user's interactions by timestamp; without real timestamps the position keeps the order.
  const hasTs = stats.t === stats.n && stats.n > 0;
  const header = ['user_id:token', 'item_id:token', ...(hasRating ? ['rating:float'] : []), 'timestamp:float'].join('\t');
  const all = new Out(`${base}.inter`, header);
  const parts = { train: new Out(`${base}.train.inter`, header), valid: new Out(`${base}.valid.inter`, header), test: new Out(`${base}.test.inter`, header) };
  const rows = db
    .prepare(
      `SELECT u.original_id AS u, i.original_id AS i, x.rating, x.ts, x.pos, s.split
       FROM interaction_split s
       JOIN interactions x ON x.dataset_id = s.dataset_id AND x.user_idx = s.user_idx AND x.pos = s.pos
       JOIN users u ON u.dataset_id = s.dataset_id AND u.idx = s.user_idx
       JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx
       WHERE s.dataset_id = ? ORDER BY s.user_idx, s.pos`,
    )
    .iterate(ds.id) as IterableIterator<{ u: string; i: string; rating: number | null; ts: number | null; pos: number; split: 'train' | 'valid' | 'test' }>;
  for (const r of rows) {
    const line = [clean(r.u), clean(r.i), ...(hasRating ? [String(r.rating)] : []), String(hasTs ? r.ts : r.pos)].join('\t');
    all.line(line);
    parts[r.split].line(line);
  }
  const items = new Out(`${base}.item`, ['item_id:token', 'title:token_seq', 'brand:token', 'categories:token_seq'].join('\t'));
  for (const r of db.prepare('SELECT original_id, title, brand, categories FROM items WHERE dataset_id = ? ORDER BY idx').iterate(ds.id) as IterableIterator<{
    original_id: string;
    title: string;
    brand: string;
    categories: string;
  }>)
    items.line([clean(r.original_id), clean(r.title), clean(r.brand).replace(/ /g, '_'), clean(r.categories)].join('\t'));
  const users = new Out(`${base}.user`, ['user_id:token', 'interactions:float'].join('\t'));
  for (const r of db.prepare('SELECT original_id, n_interactions FROM users WHERE dataset_id = ? ORDER BY idx').iterate(ds.id) as IterableIterator<{
    original_id: string;
    n_interactions: number;
  }>)
    users.line(`${clean(r.original_id)}\t${r.n_interactions}`);
  const rat = new Out(`${base}.rationales.jsonl`, null);
  const { pairs } = loadSpacePairs(db, ds.name);
  for (const p of pairs) {
    const item = db.prepare('SELECT original_id FROM items WHERE dataset_id = ? AND idx = ?').pluck().get(ds.id, p.targetItemIdx) as string;
    rat.line(
      JSON.stringify({
        user_id: p.userOriginalId,
        item_id: item,
        target_pos: p.targetPos,
        rationale: p.rationale,
        version_id: p.versionId,
        version_uid: p.versionUid,
      }),
    );
  }
  return { dir, files: [all.close(), parts.train.close(), parts.valid.close(), parts.test.close(), items.close(), users.close(), rat.close()] };
}
