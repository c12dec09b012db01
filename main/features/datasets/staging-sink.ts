/**
 * The staging side of an import: TEMP tables on a temp file (not the workspace, so its write lock is not held
 * while reading and a crash leaves nothing behind) and the Sink that readers stream records into, with batched
 * prepared statements. Time-ordered formats (S3-Rec, LC-Rec) stage one text row per user segment ("i i i", the
 * content hash's own bytes) instead of one row per interaction; `expandSql` turns those back into rows in C.
 * importer.ts drives the import; this file only holds what was read.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../platform/storage/database.js';
import { KeyMap, type Sink } from './formats/source.js';

/** Rows per multi-row INSERT: one call into SQLite per batch instead of per row. */
const SEG_BATCH = 64;
const RAW_BATCH = 64;
/** Staged text is flushed once this many bytes are buffered; one segment holds at most SEG_BYTES. */
const SBUF_BYTES = 1 << 19;
const SEG_BYTES = 1 << 16;
const ENTITY_CHUNK = 8192;
const SPACE = 32;
const NEWLINE = 10;
/** Rows read between two ticks (cancel check and progress report). */
const CHECK_EVERY = 8192;

/** Rows (u, p, i) of the staged segments: json_each expands each segment's text in C. */
export const expandSql = (seg: string) =>
  `SELECT s.k >> 32 AS u, (s.k & 4294967295) + j.key AS p, j.value AS i FROM ${seg} s, json_each('[' || replace(s.items, ' ', ',') || ']') j`;

const TEMP_TABLES = ['st_seg', 'st_seq', 'st_raw', 'st_items', 'st_users', 'umap', 'imap', 'fin'];

/** Drops every staging and renumbering table of this connection. */
export function dropStaging(db: Db): void {
  for (const t of TEMP_TABLES) db.exec(`DROP TABLE IF EXISTS temp.${t}`);
}

/** Fresh staging tables (any left from an earlier import on this connection are dropped first). */
export function createStaging(db: Db): void {
  dropStaging(db);
  db.exec(`
    CREATE TEMP TABLE st_seg(k INTEGER PRIMARY KEY, items TEXT NOT NULL);
    CREATE TEMP TABLE st_seq(u INTEGER NOT NULL, p INTEGER NOT NULL, i INTEGER NOT NULL, rating REAL, ts INTEGER, review TEXT, PRIMARY KEY(u, p)) WITHOUT ROWID;
    CREATE TEMP TABLE st_raw(u INTEGER NOT NULL, i INTEGER NOT NULL, rating REAL, ts INTEGER, review TEXT);
    CREATE TEMP TABLE st_items(idx INTEGER PRIMARY KEY, original_id TEXT NOT NULL, title TEXT, brand TEXT, categories TEXT, description TEXT, attributes TEXT);
    CREATE TEMP TABLE st_users(idx INTEGER PRIMARY KEY, original_id TEXT NOT NULL, n INTEGER NOT NULL, attributes TEXT);
  `);
}

/** Streams reader output into temp tables with batched prepared statements; keeps ids and metadata. */
export class StagingSink implements Sink {
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
