/**
 * Quality checks of rationale versions, stored as flags (review_quality) and shown in the review and bulk views:
 *  - invalid: empty, no words, broken characters, template or chat-format leftovers;
 *  - too_short / too_long: word count outside the configured range;
 *  - leakage: names the user's held-out (validation or test) item;
 *  - unknown_item: names a catalog item that is not in the user's training history (nor the target);
 *  - near_duplicate: word 3-shingle Jaccard >= threshold with another rationale's version (MinHash LSH finds
 *    candidates; the Jaccard of the candidates is then computed exactly).
 * Items are "named" when their title appears in the text (whole, or its first five or more words when the text
 * shortens it), or their original id appears as a word (ids of five or more characters). Only the user's
 * held-out items can leak; a name that fits one of the user's own items is never flagged.
 */
import type { QualityFlag } from '../../preload/contract/review.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/database.js';

export const FLAG_BITS: Record<QualityFlag, number> = { invalid: 1, too_short: 2, too_long: 4, leakage: 8, unknown_item: 16, near_duplicate: 32 };
export const FLAGS = Object.keys(FLAG_BITS) as QualityFlag[];

export function flagsFromBits(bits: number): QualityFlag[] {
  return FLAGS.filter((f) => (bits & FLAG_BITS[f]) !== 0);
}
export function bitsFromFlags(flags: readonly QualityFlag[]): number {
  return flags.reduce((b, f) => b | FLAG_BITS[f], 0);
}

export interface QualityLimits {
  minWords: number;
  maxWords: number;
  duplicateThreshold: number;
}

/** Lower-case word tokens (letters and digits), the unit every check works on. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// ---------------------------------------------------------------- text-only checks

const LEFTOVERS = /\{\{|\}\}|<\|[a-z_]+\|>|<\/?s>|<\/?think>|\[INST\]|^\s*(assistant|user|system)\s*:/im;

export function invalidReason(text: string): string | null {
  if (!text.trim()) return 'empty';
  if (tokens(text).length === 0) return 'no words';
  if (text.includes('\uFFFD')) return 'broken characters (U+FFFD)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return 'control characters';
  const m = LEFTOVERS.exec(text);
  if (m) return `template or chat-format leftover "${m[0].trim()}"`;
  return null;
}

// ---------------------------------------------------------------- naming items

export interface NamedItem {
  idx: number;
  originalId: string;
  title: string;
}

interface IndexedTitle extends NamedItem {
  words: string[];
}

const TITLE_WORDS = 12;

const titleIndexes = new WeakMap<Db, Map<number, { stamp: string; index: TitleIndex }>>();

/**
 * Dataset-wide lookup from a title's first three words to the items with that title start. Titles often share
 * their first words ("Acme Gel Pen Set Model 12" / "... Model 13"), so at each place in a text only the items
 * matching the most words count, as one group: the text names one of them (a shortened title can leave several).
 */
export class TitleIndex {
  private byKey = new Map<string, IndexedTitle[]>();
  private byId = new Map<string, NamedItem>();

  constructor(items: Iterable<NamedItem>) {
    for (const it of items) {
      const words = tokens(it.title).slice(0, TITLE_WORDS);
      if (words.length >= 3) {
        const key = words.slice(0, 3).join(' ');
        const list = this.byKey.get(key);
        const e = { ...it, words };
        if (list) list.push(e);
        else this.byKey.set(key, [e]);
      }
      if (it.originalId.length >= 5) this.byId.set(it.originalId.toLowerCase(), it);
    }
  }

  /**
   * The dataset's index, built once and kept (items never change after an import): building it reads and
   * tokenizes every title, about 10 ms for Beauty, and the review view needs it for every record it shows
   * before the quality job ran and for every edit (bench/server-load.ts found it dominating the host's CPU).
   * A dataset deleted and another imported under the same id has another created_at and content hash.
   */
  static forDataset(db: Db, datasetId: number): TitleIndex {
    let cache = titleIndexes.get(db);
    if (!cache) titleIndexes.set(db, (cache = new Map()));
    const stamp = db.prepare("SELECT created_at || ' ' || content_hash FROM datasets WHERE id = ?").pluck().get(datasetId) as string | undefined;
    const hit = cache.get(datasetId);
    if (hit && stamp !== undefined && hit.stamp === stamp) return hit.index;
    const index = new TitleIndex(
      db.prepare('SELECT idx, original_id AS originalId, title FROM items WHERE dataset_id = ?').iterate(datasetId) as Iterable<NamedItem>,
    );
    cache.delete(datasetId);
    if (stamp !== undefined) cache.set(datasetId, { stamp, index });
    // A few datasets at a time: each index holds every title of its dataset.
    while (cache.size > 4) cache.delete(cache.keys().next().value!);
    return index;
  }

  /** The items the text names, as groups of equally good title matches (an id names exactly one item). */
  named(text: string): NamedItem[][] {
    const t = tokens(text);
    const groups: NamedItem[][] = [];
    for (let i = 0; i + 3 <= t.length; i++) {
      const list = this.byKey.get(`${t[i]} ${t[i + 1]} ${t[i + 2]}`);
      if (!list) continue;
      let best = 0;
      let group: IndexedTitle[] = [];
      for (const e of list) {
        const n = matchLength(t, i, e.words);
        // A title counts when it matches whole, or (shortened in the text) on at least five words.
        if (n < e.words.length && n < 5) continue;
        if (n > best) {
          best = n;
          group = [e];
        } else if (n === best) group.push(e);
      }
      if (group.length) groups.push(group);
    }
    for (const w of t) {
      const e = this.byId.get(w);
      if (e) groups.push([e]);
    }
    return groups;
  }
}

function matchLength(t: string[], i: number, words: string[]): number {
  let k = 0;
  while (k < words.length && t[i + k] === words[k]) k++;
  return k;
}

/** What a rationale may name: the user's training items up to the target; and what it must not: held-out items. */
export interface UserScope {
  allowed: Set<number>;
  heldOut: NamedItem[];
}

const scopeStatements = new WeakMap<Db, Statement<unknown[]>>();

export function userScope(db: Db, datasetId: number, userIdx: number, targetPos: number): UserScope {
  let stmt = scopeStatements.get(db);
  if (!stmt) {
    stmt = db.prepare(
      `SELECT s.pos, s.split, i.idx, i.original_id AS originalId, i.title FROM interaction_split s
       JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx WHERE s.dataset_id = ? AND s.user_idx = ?`,
    );
    scopeStatements.set(db, stmt);
  }
  const rows = stmt.all(datasetId, userIdx) as Array<NamedItem & { pos: number; split: string }>;
  const allowed = new Set(rows.filter((r) => r.split === 'train' && r.pos <= targetPos).map((r) => r.idx));
  const heldOut = rows.filter((r) => r.split !== 'train' && !allowed.has(r.idx));
  return { allowed, heldOut };
}

// ---------------------------------------------------------------- near-duplicates (MinHash LSH)

const HASHES = 64;
const BANDS = 16;
const ROWS = HASHES / BANDS;
const SEEDS = Array.from({ length: HASHES }, (_, i) => fmix(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Hashed word 3-shingles (the words themselves for texts under three words). */
export function shingles(text: string): Set<number> {
  const t = tokens(text);
  const out = new Set<number>();
  if (t.length < 3) {
    if (t.length) out.add(fnv(t.join(' ')));
    return out;
  }
  for (let i = 0; i + 3 <= t.length; i++) out.add(fnv(`${t[i]} ${t[i + 1]} ${t[i + 2]}`));
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Band keys of the MinHash signature: two texts sharing one are near-duplicate candidates. Unique across bands. */
export function bandKeys(sh: Set<number>): number[] {
  if (sh.size === 0) return [];
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of sh) {
    for (let k = 0; k < HASHES; k++) {
      const h = fmix(x ^ SEEDS[k]!);
      if (h < sig[k]!) sig[k] = h;
    }
  }
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = fmix(Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193));
    keys.push(b * 2 ** 32 + h);
  }
  return keys;
}

// ---------------------------------------------------------------- running the checks

export interface VersionToCheck {
  id: number;
  rationaleId: number;
  userIdx: number;
  targetPos: number;
  text: string;
}

export interface QualityResult {
  bits: number;
  details: Record<string, unknown>;
}

/** The checks that need no other rationale. */
export function checkText(text: string, limits: QualityLimits, scope: UserScope, titles: TitleIndex): QualityResult {
  let bits = 0;
  const details: Record<string, unknown> = {};
  const invalid = invalidReason(text);
  if (invalid) {
    bits |= FLAG_BITS.invalid;
    details.invalid = invalid;
  }
  const words = tokens(text).length;
  details.words = words;
  if (!invalid && words < limits.minWords) bits |= FLAG_BITS.too_short;
  if (words > limits.maxWords) bits |= FLAG_BITS.too_long;
  const heldOut = new Map(scope.heldOut.map((i) => [i.idx, i]));
  const leaked = new Map<number, NamedItem>();
  const foreign = new Map<number, NamedItem>();
  for (const group of titles.named(text)) {
    if (group.some((it) => scope.allowed.has(it.idx))) continue; // one of the user's own items
    const held = group.filter((it) => heldOut.has(it.idx));
    if (held.length) for (const it of held) leaked.set(it.idx, it);
    else for (const it of group.slice(0, 3)) foreign.set(it.idx, it);
  }
  if (leaked.size) {
    bits |= FLAG_BITS.leakage;
    details.leakage = [...leaked.values()].map((i) => ({ item: i.originalId, title: i.title }));
  }
  if (foreign.size) {
    bits |= FLAG_BITS.unknown_item;
    details.unknownItems = [...foreign.values()].slice(0, 10).map((i) => ({ item: i.originalId, title: i.title }));
  }
  return { bits, details };
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

/** Up to `n` members of a sorted id list closest to `id`. */
function nearest(list: number[], id: number, n: number): number[] {
  if (list.length <= n) return list;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  const from = Math.max(0, Math.min(lo - (n >> 1), list.length - n));
  return list.slice(from, from + n);
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
