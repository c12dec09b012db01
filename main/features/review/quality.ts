/**
 * Quality flags of rationale versions in the workspace (review_quality), shown in the review and bulk views: the
 * text checks (quality-checks.ts) plus near_duplicate, word 3-shingle Jaccard >= threshold with another
 * rationale's version (MinHash LSH finds candidates, minhash.ts; the Jaccard of the candidates is then computed
 * exactly). This file reads the versions, keeps the LSH bands and review_state.flags in step, and writes results.
 */
import type { QualityFlag } from '../../../common/contract/review.js';
import type { Db } from '../../platform/storage/database.js';
import { bandKeys, jaccard, nearest, shingles } from './minhash.js';
import { TitleIndex, userScope, type UserScope } from './named-items.js';
import { checkText, FLAG_BITS, FLAGS, flagsFromBits, type QualityLimits, type QualityResult } from './quality-checks.js';

export interface VersionToCheck {
  id: number;
  rationaleId: number;
  userIdx: number;
  targetPos: number;
  text: string;
}

const upsertQuality = (db: Db) =>
  db.prepare(
    `INSERT INTO review_quality(version_id, flags, details, computed_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
     ON CONFLICT(version_id) DO UPDATE SET flags = excluded.flags, details = excluded.details, computed_at = excluded.computed_at`,
  );

/** Keeps review_state.flags equal to the flags of each rationale's latest version. */
function syncStateFlags(db: Db, versionIds: number[]): void {
  const stmt = db.prepare(
    'UPDATE review_state SET flags = (SELECT flags FROM review_quality WHERE version_id = review_state.latest_version_id) WHERE latest_version_id = ?',
  );
  for (const id of versionIds) stmt.run(id);
}

/** Checks one version now (used when an annotator's edit adds a version): near-duplicates through the stored LSH bands. */
export function checkVersion(db: Db, datasetId: number, v: VersionToCheck, limits: QualityLimits, titles?: TitleIndex): QualityResult {
  const res = checkText(v.text, limits, userScope(db, datasetId, v.userIdx, v.targetPos), titles ?? TitleIndex.forDataset(db, datasetId));
  const sh = shingles(v.text);
  const keys = bandKeys(sh);
  const add = db.prepare('INSERT OR IGNORE INTO review_lsh(band, version_id, dataset_id) VALUES (?, ?, ?)');
  for (const k of keys) add.run(k, v.id, datasetId);
  const dups: Array<{ version: number; rationale: number; jaccard: number }> = [];
  if (keys.length) {
    const candidates = db
      .prepare(
        `SELECT DISTINCT l.version_id AS id, v.rationale_id AS rid, v.text FROM review_lsh l JOIN rationale_versions v ON v.id = l.version_id
         WHERE l.band IN (${keys.map(() => '?').join(',')}) AND v.rationale_id <> ? LIMIT 200`,
      )
      .all(...keys, v.rationaleId) as Array<{ id: number; rid: number; text: string }>;
    for (const c of candidates) {
      const j = jaccard(sh, shingles(c.text));
      if (j >= limits.duplicateThreshold) dups.push({ version: c.id, rationale: c.rid, jaccard: Math.round(j * 1000) / 1000 });
    }
  }
  if (dups.length) {
    res.bits |= FLAG_BITS.near_duplicate;
    res.details.nearDuplicates = dups.slice(0, 10);
    markDuplicates(
      db,
      dups.map((d) => ({ id: d.version, other: v.id, rationale: v.rationaleId, jaccard: d.jaccard })),
    );
  }
  upsertQuality(db).run(v.id, res.bits, JSON.stringify(res.details));
  syncStateFlags(db, [v.id, ...dups.map((d) => d.version)]);
  return res;
}

/** Near-duplication is symmetric: an older version becomes a duplicate when a newer one copies it. */
function markDuplicates(db: Db, marks: Array<{ id: number; other: number; rationale: number; jaccard: number }>): void {
  const get = db.prepare('SELECT flags, details FROM review_quality WHERE version_id = ?');
  const put = upsertQuality(db);
  for (const m of marks) {
    const row = get.get(m.id) as { flags: number; details: string } | undefined;
    if (!row) continue; // not checked yet: its own check will find the pair
    const details = JSON.parse(row.details) as Record<string, unknown>;
    const list = (details.nearDuplicates as Array<{ version: number }> | undefined) ?? [];
    if (!list.some((x) => x.version === m.other) && list.length < 10) list.push({ version: m.other, rationale: m.rationale, jaccard: m.jaccard } as never);
    details.nearDuplicates = list;
    put.run(m.id, row.flags | FLAG_BITS.near_duplicate, JSON.stringify(details));
  }
}

export interface QualityRunResult {
  checked: number;
  flagged: number;
  flags: Record<QualityFlag, number>;
  ms: number;
}

/**
 * Checks every version of a dataset that has no stored result (every version with `recompute`). Signatures of all
 * the dataset's versions are computed in memory, so a batch is compared against everything already there.
 */
export function refreshQuality(
  db: Db,
  datasetId: number,
  limits: QualityLimits,
  o: { recompute?: boolean; progress?: (done: number, total: number) => void } = {},
): QualityRunResult {
  const t0 = performance.now();
  const all = db
    .prepare(
      `SELECT v.id, v.rationale_id AS rationaleId, r.user_idx AS userIdx, r.target_pos AS targetPos, v.text,
         (q.version_id IS NOT NULL) AS done
       FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id LEFT JOIN review_quality q ON q.version_id = v.id
       WHERE r.dataset_id = ? ORDER BY v.id`,
    )
    .all(datasetId) as Array<VersionToCheck & { done: number }>;
  const todo = o.recompute ? all : all.filter((v) => !v.done);
  const counts = Object.fromEntries(FLAGS.map((f) => [f, 0])) as Record<QualityFlag, number>;
  if (todo.length === 0) return { checked: 0, flagged: 0, flags: counts, ms: performance.now() - t0 };

  const titles = TitleIndex.forDataset(db, datasetId);
  const sh = new Map<number, Set<number>>();
  const buckets = new Map<number, number[]>();
  const addLsh = db.prepare('INSERT OR IGNORE INTO review_lsh(band, version_id, dataset_id) VALUES (?, ?, ?)');
  const rationaleOf = new Map<number, number>();
  db.transaction(() => {
    for (const v of all) {
      const s = shingles(v.text);
      sh.set(v.id, s);
      rationaleOf.set(v.id, v.rationaleId);
      for (const k of bandKeys(s)) {
        const b = buckets.get(k);
        if (b) b.push(v.id);
        else buckets.set(k, [v.id]);
        if (!v.done || o.recompute) addLsh.run(k, v.id, datasetId);
      }
    }
  })();

  const put = upsertQuality(db);
  const scopes = new Map<string, UserScope>();
  // Pairs found in this run, both ways; written after the checks so the earlier version of a pair gets its flag too.
  const dupOf = new Map<number, Array<{ version: number; rationale: number; jaccard: number }>>();
  const addPair = (a: number, b: number, rationale: number, j: number) => {
    const list = dupOf.get(a) ?? [];
    if (!list.some((d) => d.version === b)) list.push({ version: b, rationale, jaccard: j });
    dupOf.set(a, list);
  };
  const results = new Map<number, QualityResult>();
  for (let i = 0; i < todo.length; i++) {
    const v = todo[i]!;
    const key = `${v.userIdx}:${v.targetPos}`;
    let scope = scopes.get(key);
    if (!scope) scopes.set(key, (scope = userScope(db, datasetId, v.userIdx, v.targetPos)));
    results.set(v.id, checkText(v.text, limits, scope, titles));
    const mine = sh.get(v.id)!;
    const seen = new Set<number>();
    // Bucket members nearest in id first, a bounded number per band: template-like texts share big buckets.
    for (const k of bandKeys(mine)) {
      for (const other of nearest(buckets.get(k) ?? [], v.id, 8)) {
        if (other === v.id || seen.has(other) || rationaleOf.get(other) === v.rationaleId) continue;
        seen.add(other);
        const j = jaccard(mine, sh.get(other)!);
        if (j >= limits.duplicateThreshold) {
          const r = Math.round(j * 1000) / 1000;
          addPair(v.id, other, rationaleOf.get(other)!, r);
          addPair(other, v.id, v.rationaleId, r);
        }
      }
    }
    if (i % 2000 === 1999) o.progress?.(i + 1, todo.length);
  }
  let flagged = 0;
  db.transaction(() => {
    for (const v of todo) {
      const res = results.get(v.id)!;
      const dups = dupOf.get(v.id);
      if (dups?.length) {
        res.bits |= FLAG_BITS.near_duplicate;
        res.details.nearDuplicates = dups.slice(0, 10);
      }
      put.run(v.id, res.bits, JSON.stringify(res.details));
      if (res.bits) flagged++;
      for (const f of flagsFromBits(res.bits)) counts[f]++;
      dupOf.delete(v.id);
    }
    // Versions checked in an earlier run that a newly checked one duplicates.
    markDuplicates(
      db,
      [...dupOf].flatMap(([id, list]) => list.map((d) => ({ id, other: d.version, rationale: d.rationale, jaccard: d.jaccard }))),
    );
    db.prepare(
      'UPDATE review_state SET flags = COALESCE((SELECT flags FROM review_quality WHERE version_id = review_state.latest_version_id), 0) WHERE dataset_id = ?',
    ).run(datasetId);
  })();
  o.progress?.(todo.length, todo.length);
  return { checked: todo.length, flagged, flags: counts, ms: performance.now() - t0 };
}

export function qualityOf(db: Db, versionIds: number[]): Map<number, { flags: QualityFlag[]; details: Record<string, unknown> }> {
  const out = new Map<number, { flags: QualityFlag[]; details: Record<string, unknown> }>();
  if (!versionIds.length) return out;
  const rows = db
    .prepare(`SELECT version_id AS id, flags, details FROM review_quality WHERE version_id IN (${versionIds.map(() => '?').join(',')})`)
    .all(...versionIds) as Array<{ id: number; flags: number; details: string }>;
  for (const r of rows) out.set(r.id, { flags: flagsFromBits(r.flags), details: JSON.parse(r.details) as Record<string, unknown> });
  return out;
}
