/**
 * Imports one dataset. Readers stream records into TEMP staging tables (staging-sink.ts: a temp file, not the
 * workspace, so its write lock is not held while reading and a crash leaves nothing behind); filtering and the
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
import type { JobProgress } from '../../../common/contract/jobs.js';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import { READERS, detectFiles, type Detected } from './detect.js';
import type { FormatName } from './formats/source.js';
import { createStaging, dropStaging, expandSql, StagingSink } from './staging-sink.js';

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
  createStaging(db);

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
    dropStaging(db);
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
