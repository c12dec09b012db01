/**
 * Imports one dataset. Readers stream records into TEMP staging tables (a temp file, not the workspace, so the
 * workspace's write lock is not held while reading and a crash leaves nothing behind); filtering and the
 * per-user time order happen there in SQL, then ONE short write transaction copies the finished dataset in.
 * Time-ordered formats (S3-Rec, LC-Rec) stage one text row per user ("i i i", the content hash's own bytes)
 * instead of one row per interaction; when nothing is filtered, the write transaction expands those rows with
 * json_each straight into `interactions`, so per-interaction work happens once, in C. See docs/datasets.md.
 *
 * Numbering: users and items get dense indices from 0 in first-seen order while reading the interaction files
 * (S3-Rec/LC-Rec: file order of users, items in order of first appearance - for the published S3-Rec files
 * that is exactly id - 1). After k-core filtering the survivors are renumbered densely, keeping that order.
 * Content hash: sha256 over, for each user in index order, its item indices in time order joined by ' ' and
 * ended by '\n'.
 */
import { createHash } from 'node:crypto';
import type { JobProgress } from '../../preload/contract/jobs.js';
import { UserError } from '../app/errors.js';
import type { Db } from '../storage/database.js';
import { READERS, detectFiles, type Detected } from './detect.js';
import { KeyMap, type FormatName, type Sink } from './formats/source.js';

export interface ImportParams {
  paths: string[];
  name: string;
  format?: FormatName | 'auto';
  columns?: Record<string, string | undefined>;
  kcore?: number;
  minHistory?: number;
  /** Shown in lists; defaults to the paths given. */
  source?: string;
  synthetic?: boolean;
}

export interface ImportResult {
  dataset: string;
  users: number;
  items: number;
  interactions: number;
  format: string;
  seconds: number;
  contentHash: string;
}

export interface ImportHooks {
  progress?(p: JobProgress): void;
  throwIfCancelled?(): void;
  log?(message: string): void;
}

/** Rows per multi-row INSERT: one call into SQLite per batch instead of per row. */
const SEG_BATCH = 64;
const RAW_BATCH = 64;
/** Staged text is flushed once this many bytes are buffered; one segment holds at most SEG_BYTES. */
const SBUF_BYTES = 1 << 19;
const SEG_BYTES = 1 << 16;
const ENTITY_CHUNK = 8192;
const SPACE = 32;
const NEWLINE = 10;
/** Rows (u, p, i) of the staged segments: json_each expands each segment's text in C. */
const expandSql = (seg: string) =>
  `SELECT s.k >> 32 AS u, (s.k & 4294967295) + j.key AS p, j.value AS i FROM ${seg} s, json_each('[' || replace(s.items, ' ', ',') || ']') j`;
const CHECK_EVERY = 8192;

export function assertNameFree(db: Db, name: string): void {
  const row = db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name);
  if (row) {
    const existing = new Set((db.prepare('SELECT name FROM datasets').pluck().all() as string[]).map((n) => n.toLowerCase()));
    let k = 2;
    while (existing.has(`${name}-${k}`.toLowerCase())) k++;
    throw new UserError(`A dataset named "${name}" already exists in this workspace.`, {
      hint: `Choose another name, e.g. "${name}-${k}", or delete or rename the existing one first.`,
      code: 'duplicate_name',
    });
  }
}

/** Streams reader output into temp tables with batched prepared statements; keeps ids and metadata. */
class StagingSink implements Sink {
  readonly users = new KeyMap();
  readonly items = new KeyMap();
  rows = 0;
  bytesRead = 0;
  counts = new Int32Array(1 << 12);
  hasRatings = false;
  hasTimestamps = false;
  hasReviews = false;
  readonly notes: string[] = [];
  private readonly buf: unknown[];
  private n = 0;
  private readonly batchStmt;
  private readonly oneStmt;
  private readonly itemTitle: string[] = [];
  private readonly itemBrand: string[] = [];
  private readonly itemCats: string[] = [];
  private readonly itemDesc: string[] = [];
  private readonly itemAttrs: (Record<string, unknown> | undefined)[] = [];
  private readonly userAttrs: string[] = [];
  private nextCheck = CHECK_EVERY;
  /** Streaming content hash for time-ordered files whose users are each on one line (the common case). */
  private readonly hash = createHash('sha256');
  /**
   * Ordered formats stage one row per user segment, not per interaction: `sbuf` holds the item indices as
   * text exactly as the content hash spells them ("i i i\n" per user), so the same bytes feed the hash and,
   * sliced per segment, become the staged text that SQL expands back into rows (expandSql).
   */
  private readonly sbuf = Buffer.allocUnsafe(SBUF_BYTES + SEG_BYTES + 64);
  private sn = 0;
  private segStart = 0;
  private segP0 = 0;
  private segLen = 0;
  private readonly segs: unknown[] = [];
  private lastUser = -1;
  contiguous = true;

  constructor(
    private readonly db: Db,
    readonly ordered: boolean,
    private readonly onTick: () => void,
  ) {
    if (ordered) {
      const row = '(?,?)';
      this.batchStmt = db.prepare(`INSERT INTO temp.st_seg(k,items) VALUES ${Array(SEG_BATCH).fill(row).join(',')}`);
      this.oneStmt = db.prepare(`INSERT INTO temp.st_seg(k,items) VALUES ${row}`);
      this.buf = new Array(SEG_BATCH * 2);
    } else {
      const row = '(?,?,?,?,?)';
      this.batchStmt = db.prepare(`INSERT INTO temp.st_raw(u,i,rating,ts,review) VALUES ${Array(RAW_BATCH).fill(row).join(',')}`);
      this.oneStmt = db.prepare(`INSERT INTO temp.st_raw(u,i,rating,ts,review) VALUES ${row}`);
      this.buf = new Array(RAW_BATCH * 5);
    }
  }

  private count(u: number): number {
    if (u >= this.counts.length) {
      let len = this.counts.length;
      while (len <= u) len *= 2;
      const next = new Int32Array(len);
      next.set(this.counts);
      this.counts = next;
    }
    return this.counts[u]!++;
  }

  seq(u: number, i: number): void {
    if (u !== this.lastUser) this.startUser(u);
    else if (this.segLen > 0) this.sbuf[this.sn++] = SPACE;
    this.count(u);
    this.segLen++;
    // Item index as decimal digits, straight into the byte buffer.
    const b = this.sbuf;
    if (i < 10) b[this.sn++] = 48 + i;
    else {
      let k =
        this.sn +
        (i < 100 ? 2 : i < 1000 ? 3 : i < 10000 ? 4 : i < 100000 ? 5 : i < 1000000 ? 6 : i < 10000000 ? 7 : i < 100000000 ? 8 : i < 1000000000 ? 9 : 10);
      this.sn = k;
      for (let x = i; x > 0; x = (x / 10) | 0) b[--k] = 48 + (x % 10);
    }
    if (this.sn - this.segStart > SEG_BYTES) {
      // A very long history is staged in several segments, so memory stays bounded by SEG_BYTES.
      this.closeSegment();
      this.sbuf[this.sn++] = SPACE;
      this.openSegment(u);
    }
    if (++this.rows >= this.nextCheck) this.tick();
  }

  private startUser(u: number): void {
    if (this.lastUser >= 0) {
      this.closeSegment();
      this.sbuf[this.sn++] = NEWLINE;
    }
    if (u < this.counts.length && this.counts[u]! > 0) this.contiguous = false;
    this.lastUser = u;
    this.openSegment(u);
  }

  private openSegment(u: number): void {
    if (this.sn > SBUF_BYTES) this.flushSegments();
    this.segStart = this.sn;
    this.segP0 = u < this.counts.length ? this.counts[u]! : 0;
    this.segLen = 0;
  }

  private closeSegment(): void {
    if (this.segLen === 0) return;
    // Packed key: user in the high bits, first position of the segment in the low 32 (rowid order = (u, p)).
    this.segs.push(this.lastUser * 2 ** 32 + this.segP0, this.sbuf.toString('latin1', this.segStart, this.sn));
    if (this.segs.length === this.buf.length) this.flushSegments();
  }

  /** Writes the staged segments and feeds their bytes to the hash; only at a segment boundary. */
  private flushSegments(): void {
    const segs = this.segs;
    if (segs.length === this.buf.length) this.batchStmt.run(segs);
    else for (let k = 0; k < segs.length; k += 2) this.oneStmt.run(segs[k], segs[k + 1]);
    segs.length = 0;
    this.hash.update(this.sbuf.subarray(0, this.sn));
    this.sn = 0;
  }

  raw(u: number, i: number, rating: number, ts: number, review: string | null): void {
    this.count(u);
    const b = this.buf;
    let n = this.n;
    b[n++] = u;
    b[n++] = i;
    if (rating === rating) {
      b[n++] = rating;
      this.hasRatings = true;
    } else b[n++] = null;
    if (ts === ts) {
      b[n++] = ts;
      this.hasTimestamps = true;
    } else b[n++] = null;
    if (review) this.hasReviews = true;
    b[n++] = review || null;
    if (n === b.length) {
      this.batchStmt.run(b);
      n = 0;
    }
    this.n = n;
    if (++this.rows >= this.nextCheck) this.tick();
  }

  /** The streamed hash (same definition as hashSql), valid only when `contiguous` and nothing was filtered. */
  streamedHash(): string {
    return this.hash.digest('hex');
  }

  private tick(): void {
    this.nextCheck += CHECK_EVERY;
    this.onTick();
  }

  flush(): void {
    if (this.ordered) {
      if (this.lastUser >= 0) {
        this.closeSegment();
        this.sbuf[this.sn++] = NEWLINE;
      }
      this.flushSegments();
      return;
    }
    for (let k = 0; k < this.n; k += 5) this.oneStmt.run(this.buf.slice(k, k + 5));
    this.n = 0;
  }

  itemMeta(i: number, title: string, brand: string, categories: string, description: string, attributes: string | null): void {
    if (title) this.itemTitle[i] = title;
    if (brand) this.itemBrand[i] = brand;
    if (categories) this.itemCats[i] = categories;
    if (description) this.itemDesc[i] = description;
    if (attributes) this.itemAttrs[i] = { ...(this.itemAttrs[i] ?? {}), ...(JSON.parse(attributes) as Record<string, unknown>) };
  }

  userMeta(u: number, attributes: string): void {
    this.userAttrs[u] = attributes;
  }

  bytes(n: number): void {
    this.bytesRead += n;
  }

  note(message: string): void {
    this.notes.push(message);
  }

  /**
   * Users and items with original ids and metadata into temp tables (indices as read). Ids and counts go in
   * as JSON chunks (one call per ENTITY_CHUNK rows); the few rows with metadata are then updated one by one.
   */
  writeEntities(): void {
    const items = this.db.prepare('INSERT INTO temp.st_items(idx, original_id) SELECT ? + key, value FROM json_each(?)');
    const chunk = (map: KeyMap, k: number) => {
      const out: string[] = [];
      for (let x = k, end = Math.min(map.size, k + ENTITY_CHUNK); x < end; x++) out.push(map.id(x));
      return out;
    };
    for (let k = 0; k < this.items.size; k += ENTITY_CHUNK) items.run(k, JSON.stringify(chunk(this.items, k)));
    const meta = this.db.prepare('UPDATE temp.st_items SET title = ?, brand = ?, categories = ?, description = ?, attributes = ? WHERE idx = ?');
    const touched = new Set<number>();
    for (const list of [this.itemTitle, this.itemBrand, this.itemCats, this.itemDesc, this.itemAttrs]) list.forEach((_, i) => touched.add(i));
    for (const i of touched) {
      const a = this.itemAttrs[i];
      meta.run(this.itemTitle[i] ?? '', this.itemBrand[i] ?? '', this.itemCats[i] ?? '', this.itemDesc[i] ?? '', a ? JSON.stringify(a) : null, i);
    }
    const users = this.db.prepare("INSERT INTO temp.st_users(idx, original_id, n) SELECT ? + key, value ->> '$[0]', value ->> '$[1]' FROM json_each(?)");
    for (let k = 0; k < this.users.size; k += ENTITY_CHUNK) users.run(k, JSON.stringify(chunk(this.users, k).map((id, x) => [id, this.counts[k + x] ?? 0])));
    const ua = this.db.prepare('UPDATE temp.st_users SET attributes = ? WHERE idx = ?');
    this.userAttrs.forEach((a, u) => ua.run(a, u));
  }
}

const TEMP_TABLES = ['st_seg', 'st_seq', 'st_raw', 'st_items', 'st_users', 'umap', 'imap', 'fin'];

function dropTemps(db: Db): void {
  for (const t of TEMP_TABLES) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
}

/**
 * Imports a dataset into the workspace database `db`. Everything lands in one transaction: on any error,
 * cancel or kill, the workspace holds either the whole dataset or nothing of it.
 */
export async function importDataset(db: Db, params: ImportParams, hooks: ImportHooks = {}): Promise<ImportResult> {
  const t0 = performance.now();
  const name = params.name.trim();
  assertNameFree(db, name);
  const detected: Detected = await detectFiles(params.paths, params.format ?? 'auto');
  const reader = READERS[detected.format];
  const totalBytes = detected.files.reduce((s, f) => s + f.bytes, 0);
  const kcore = params.kcore ?? 0;
  const minHistory = params.minHistory ?? 0;

  const saved = { cache: db.pragma('cache_size', { simple: true }), tempCache: db.pragma('temp.cache_size', { simple: true }) };
  // Bulk-load settings for this connection: temp tables spill to a temp file, caches bounded (flat memory).
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -16384');
  db.pragma('temp.cache_size = -16384');
  dropTemps(db);
  db.exec(`
    CREATE TEMP TABLE st_seg(k INTEGER PRIMARY KEY, items TEXT NOT NULL);
    CREATE TEMP TABLE st_seq(u INTEGER NOT NULL, p INTEGER NOT NULL, i INTEGER NOT NULL, rating REAL, ts INTEGER, review TEXT, PRIMARY KEY(u, p)) WITHOUT ROWID;
    CREATE TEMP TABLE st_raw(u INTEGER NOT NULL, i INTEGER NOT NULL, rating REAL, ts INTEGER, review TEXT);
    CREATE TEMP TABLE st_items(idx INTEGER PRIMARY KEY, original_id TEXT NOT NULL, title TEXT, brand TEXT, categories TEXT, description TEXT, attributes TEXT);
    CREATE TEMP TABLE st_users(idx INTEGER PRIMARY KEY, original_id TEXT NOT NULL, n INTEGER NOT NULL, attributes TEXT);
  `);

  let lastReport = 0;
  const report = (message: string, force = false) => {
    const now = performance.now();
    if (force && process.env.PULSE_IMPORT_TRACE) {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      process.stderr.write(
        `[import ${((now - t0) / 1000).toFixed(2)}s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)}s, rss ${mem.rss >> 20} heap ${mem.heapUsed >> 20}/${mem.heapTotal >> 20} ext ${mem.external >> 20} MiB] ${message}\n`,
      );
    }
    if (!force && now - lastReport < 200) return;
    lastReport = now;
    const secs = (now - t0) / 1000;
    hooks.progress?.({ done: sink.bytesRead, total: totalBytes, unit: 'bytes', rate: secs > 0 ? Math.round(sink.rows / secs) : 0, message });
  };
  const sink: StagingSink = new StagingSink(db, reader.ordered, () => {
    hooks.throwIfCancelled?.();
    report(`Reading: ${sink.rows.toLocaleString('en-US')} interactions`);
  });

  try {
    db.exec('BEGIN');
    await reader.read(detected.files, sink, params.columns);
    sink.flush();
    sink.writeEntities();
    db.exec('COMMIT');
    report(`Read ${sink.rows.toLocaleString('en-US')} interactions`, true);
    hooks.throwIfCancelled?.();

    db.exec('BEGIN');
    // Fast path: time-ordered, each user in one run, nothing to filter - the segments go straight to the
    // workspace. Otherwise they are expanded to one row per interaction for the SQL below.
    const direct = reader.ordered && sink.contiguous && kcore === 0 && minHistory === 0;
    if (reader.ordered && !direct) db.exec(`INSERT INTO temp.st_seq(u,p,i) ${expandSql('temp.st_seg')} ORDER BY s.k`);
    const src = reader.ordered ? 'st_seq' : 'st_raw';
    let removed = 0;
    if (kcore > 0 || minHistory > 0) {
      report('Filtering (k-core)', true);
      removed = filterCore(db, src, Math.max(kcore, minHistory), kcore, hooks);
    }
    let fin = src;
    // Nothing removed from time-ordered input: indices stay as read, so no renumbering maps are built.
    const identity = reader.ordered && removed === 0;
    if (!identity) {
      report(reader.ordered ? 'Renumbering' : 'Ordering each user by time', true);
      // Survivors keep their first-seen order; positions are renumbered densely per user.
      db.exec(`CREATE TEMP TABLE umap(old INTEGER PRIMARY KEY, new INTEGER NOT NULL, n INTEGER NOT NULL);
        INSERT INTO umap SELECT u, row_number() OVER (ORDER BY u) - 1, count(*) FROM ${src} GROUP BY u;
        CREATE TEMP TABLE imap(old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
        INSERT INTO imap SELECT i, row_number() OVER (ORDER BY i) - 1 FROM (SELECT DISTINCT i FROM ${src});
        CREATE TEMP TABLE fin(u INTEGER NOT NULL, p INTEGER NOT NULL, i INTEGER NOT NULL, rating REAL, ts INTEGER, review TEXT, PRIMARY KEY(u, p)) WITHOUT ROWID;`);
      const order = reader.ordered ? 's.p' : 's.ts, s.rowid';
      db.exec(`INSERT INTO fin SELECT um.new, row_number() OVER (PARTITION BY s.u ORDER BY ${order}) - 1, im.new, s.rating, s.ts, s.review
        FROM ${src} s JOIN umap um ON um.old = s.u JOIN imap im ON im.old = s.i ORDER BY s.u`);
      fin = 'fin';
    }
    db.exec('COMMIT');
    hooks.throwIfCancelled?.();

    const nInter = direct ? sink.rows : (db.prepare(`SELECT count(*) FROM temp.${fin}`).pluck().get() as number);
    const nUsers = identity ? sink.users.size : (db.prepare('SELECT count(*) FROM temp.umap').pluck().get() as number);
    const nItems = identity ? sink.items.size : (db.prepare('SELECT count(*) FROM temp.imap').pluck().get() as number);
    if (nInter === 0) {
      throw new UserError(`Nothing is left to import${kcore || minHistory ? ` after filtering (k-core ${kcore}, min history ${minHistory})` : ''}.`, {
        file: detected.files[0]?.path,
        hint: kcore || minHistory ? 'Lower --kcore or --min-history.' : 'Check the files hold interactions.',
        code: 'empty',
      });
    }

    report('Hashing', true);
    const contentHash = direct ? sink.streamedHash() : hashSql(db, `temp.${fin}`);
    hooks.throwIfCancelled?.();

    report('Writing to the workspace', true);
    const options = {
      files: detected.files.map((f) => ({ path: f.path, role: f.role, bytes: f.bytes })),
      kcore,
      minHistory,
      hasRatings: sink.hasRatings,
      hasTimestamps: sink.hasTimestamps,
      hasReviews: sink.hasReviews,
      notes: [...detected.notes, ...sink.notes],
    };
    // The parent row is written in the same transaction, so per-row foreign-key lookups are pure cost here.
    const fk = db.pragma('foreign_keys', { simple: true });
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    try {
      assertNameFree(db, name);
      const id = Number(
        db
          .prepare('INSERT INTO datasets(name, format, source, synthetic, n_users, n_items, n_interactions, content_hash, options) VALUES (?,?,?,?,?,?,?,?,?)')
          .run(
            name,
            detected.format,
            params.source ?? params.paths.join(', '),
            params.synthetic ? 1 : 0,
            nUsers,
            nItems,
            nInter,
            contentHash,
            JSON.stringify(options),
          ).lastInsertRowid,
      );
      // Identity: indices as read (no maps); otherwise through the renumbering maps.
      const [iNew, iFrom, uNew, uN, uFrom] = identity
        ? ['s.idx', 'temp.st_items s', 's.idx', 's.n', 'temp.st_users s']
        : ['m.new', 'temp.imap m JOIN temp.st_items s ON s.idx = m.old', 'm.new', 'm.n', 'temp.umap m JOIN temp.st_users s ON s.idx = m.old'];
      db.prepare(
        `INSERT INTO items(dataset_id, idx, original_id, title, brand, categories, description, attributes)
        SELECT ?, ${iNew}, s.original_id, coalesce(s.title,''), coalesce(s.brand,''), coalesce(s.categories,''), coalesce(s.description,''), s.attributes
        FROM ${iFrom} ORDER BY ${iNew}`,
      ).run(id);
      db.prepare(
        `INSERT INTO users(dataset_id, idx, original_id, n_interactions, attributes)
        SELECT ?, ${uNew}, s.original_id, ${uN}, s.attributes FROM ${uFrom} ORDER BY ${uNew}`,
      ).run(id);
      report('users and items written', true);
      db.prepare(
        direct
          ? `INSERT INTO interactions(dataset_id, user_idx, pos, item_idx) SELECT ?, u, p, i FROM (${expandSql('temp.st_seg')} ORDER BY s.k)`
          : `INSERT INTO interactions(dataset_id, user_idx, pos, item_idx, rating, ts, review) SELECT ?, u, p, i, rating, ts, review FROM temp.${fin}`,
      ).run(id);
      report('interactions written', true);
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    } finally {
      db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    report('Done', true);
    hooks.progress?.({ done: totalBytes, total: totalBytes, unit: 'bytes', rate: Math.round(sink.rows / seconds), message: `Imported ${name}` });
    return { dataset: name, users: nUsers, items: nItems, interactions: nInter, format: detected.format, seconds, contentHash };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    dropTemps(db);
    db.pragma(`cache_size = ${Number(saved.cache)}`);
    db.pragma(`temp.cache_size = ${Number(saved.tempCache)}`);
  }
}

/** Content hash of a (u, p, i) table: per user in index order, item indices joined by ' ', then '\n'. */
export function hashSql(db: Db, table: string, where = ''): string {
  const hash = createHash('sha256');
  const sql = `SELECT group_concat(i, ' ') FROM (SELECT u, p, i FROM ${table} ${where} ORDER BY u, p) GROUP BY u ORDER BY u`;
  for (const line of db.prepare(sql).pluck().iterate() as Iterable<string>) {
    hash.update(line);
    hash.update('\n');
  }
  return hash.digest('hex');
}

/**
 * Iterative k-core in SQL: drop users below `userMin` and items below `itemMin` interactions until stable.
 * With only a user threshold one pass is enough. Returns the number of rows removed.
 */
function filterCore(db: Db, src: string, userMin: number, itemMin: number, hooks: ImportHooks): number {
  let removed = 0;
  for (;;) {
    let changed = 0;
    if (userMin > 0)
      changed += db.prepare(`DELETE FROM temp.${src} WHERE u IN (SELECT u FROM temp.${src} GROUP BY u HAVING count(*) < ?)`).run(userMin).changes;
    if (itemMin > 0)
      changed += db.prepare(`DELETE FROM temp.${src} WHERE i IN (SELECT i FROM temp.${src} GROUP BY i HAVING count(*) < ?)`).run(itemMin).changes;
    removed += changed;
    hooks.throwIfCancelled?.();
    if (changed === 0 || itemMin === 0) break;
  }
  return removed;
}
