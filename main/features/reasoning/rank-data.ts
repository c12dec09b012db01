/**
 * What the SLM ranker reads from a dataset: users' time-ordered items, item titles, the user's rationale, and
 * candidate sets (1 positive + K-1 negatives outside the user's whole history). A candidate set is drawn once
 * per (dataset, purpose, seed, K, user) from a generator seeded by (seed, user) and stored: every later run
 * with that seed reads the stored set, so runs compare on identical candidates.
 */
import { mulberry32 } from '../../base/rng.js';
import type { Db } from '../../platform/storage/database.js';
import { clean } from './text.js';

export type CandidatePurpose = 'test' | 'sft';

export interface RankUser {
  userIdx: number;
  originalId: string;
  /** Item idxs, oldest first (every split). */
  sequence: number[];
}

export interface CandidateSet {
  userIdx: number;
  /** The item to find: the test item ('test') or the last training item ('sft'). */
  positive: number;
  /** Its position in the user's sequence; the prompt's history ends just before it. */
  positivePos: number;
  /** Candidates in prompt order (the positive among them). */
  items: number[];
}

/** Users with a test item (at least 3 interactions, as the leave-one-out split needs), in idx order. */
export function rankUsers(db: Db, datasetId: number, limit?: number): RankUser[] {
  const users = db
    .prepare('SELECT idx, original_id FROM users WHERE dataset_id = ? AND n_interactions >= 3 ORDER BY idx' + (limit ? ' LIMIT ?' : ''))
    .all(...(limit ? [datasetId, limit] : [datasetId])) as Array<{ idx: number; original_id: string }>;
  const seq = db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ? ORDER BY pos').pluck();
  return users.map((u) => ({ userIdx: u.idx, originalId: u.original_id, sequence: seq.all(datasetId, u.idx) as number[] }));
}

/** The user's last n training interactions (never the validation or test item), oldest first, with ratings. */
export function lastTrainingInteractions(db: Db, datasetId: number, userIdx: number, n: number): { pos: number; itemIdx: number; rating: number | null }[] {
  const rows = db
    .prepare(
      `SELECT s.pos, s.item_idx AS itemIdx, x.rating FROM interaction_split s
       JOIN interactions x ON x.dataset_id = s.dataset_id AND x.user_idx = s.user_idx AND x.pos = s.pos
       WHERE s.dataset_id = ? AND s.user_idx = ? AND s.split = 'train' ORDER BY s.pos DESC LIMIT ?`,
    )
    .all(datasetId, userIdx, n) as { pos: number; itemIdx: number; rating: number | null }[];
  return rows.reverse();
}

export function itemCount(db: Db, datasetId: number): number {
  return db.prepare('SELECT COUNT(*) FROM items WHERE dataset_id = ?').pluck().get(datasetId) as number;
}

/** Titles by item idx, cleaned and clipped (long marketplace titles would crowd the prompt). */
export function itemTitles(db: Db, datasetId: number, maxChars = 120): string[] {
  const rows = db.prepare('SELECT idx, original_id, title FROM items WHERE dataset_id = ?').all(datasetId) as Array<{
    idx: number;
    original_id: string;
    title: string;
  }>;
  const out: string[] = [];
  for (const r of rows) {
    const t = clean(r.title) || `item ${r.original_id}`;
    out[r.idx] = t.length > maxChars ? t.slice(0, maxChars).trimEnd() : t;
  }
  return out;
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * The user's rationale for prompts: the latest version of the rationale about their latest training target
 * (refined versions are later versions, so they win once written). Null without one.
 */
export function userRationale(db: Db, datasetId: number, userIdx: number): { text: string; versionId: number } | null {
  if (!hasTable(db, 'rationale_versions')) return null;
  const row = db
    .prepare(
      `SELECT v.id, v.text FROM rationales r JOIN rationale_versions v ON v.rationale_id = r.id
       WHERE r.dataset_id = ? AND r.user_idx = ? ORDER BY r.target_pos DESC, v.version DESC LIMIT 1`,
    )
    .get(datasetId, userIdx) as { id: number; text: string } | undefined;
  return row ? { text: clean(row.text), versionId: row.id } : null;
}

/** Where the positive sits: the test item is the last; the fine-tuning target is the last training item. */
export function positivePosition(u: RankUser, purpose: CandidatePurpose): number {
  return purpose === 'test' ? u.sequence.length - 1 : u.sequence.length - 3;
}

/** A generator for one user under one seed, independent of which other users are drawn or in what order. */
function userRng(seed: number, userIdx: number, purpose: CandidatePurpose): () => number {
  let h = 2166136261 ^ seed;
  for (const x of [userIdx, purpose === 'test' ? 1 : 2]) {
    h = Math.imul(h ^ x, 16777619);
    h ^= h >>> 13;
  }
  return mulberry32(h >>> 0);
}

/** Draws a set: K-1 distinct negatives uniformly from items the user never interacted with, positive shuffled in. */
export function drawCandidates(u: RankUser, nItems: number, k: number, seed: number, purpose: CandidatePurpose): CandidateSet {
  const pos = positivePosition(u, purpose);
  const positive = u.sequence[pos]!;
  const seen = new Set(u.sequence);
  const free = nItems - seen.size;
  const want = Math.min(k - 1, free);
  const rng = userRng(seed, u.userIdx, purpose);
  const negatives: number[] = [];
  const taken = new Set<number>();
  if (want > 0 && free < 4 * want) {
    // Few free items: draw from the explicit list (rejection sampling would spin).
    const pool = [...Array(nItems).keys()].filter((i) => !seen.has(i));
    for (let i = 0; i < want; i++) {
      const j = i + Math.floor(rng() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      negatives.push(pool[i]!);
    }
  } else {
    while (negatives.length < want) {
      const j = Math.floor(rng() * nItems);
      if (seen.has(j) || taken.has(j)) continue;
      taken.add(j);
      negatives.push(j);
    }
  }
  const at = Math.floor(rng() * (negatives.length + 1));
  const items = [...negatives.slice(0, at), positive, ...negatives.slice(at)];
  return { userIdx: u.userIdx, positive, positivePos: pos, items };
}

/** The stored set, or a freshly drawn one that is stored first. */
export function candidateSet(db: Db, datasetId: number, u: RankUser, nItems: number, k: number, seed: number, purpose: CandidatePurpose): CandidateSet {
  const rows = db
    .prepare(
      'SELECT position, item_idx, positive FROM rank_candidates WHERE dataset_id = ? AND purpose = ? AND seed = ? AND k = ? AND user_idx = ? ORDER BY position',
    )
    .all(datasetId, purpose, seed, k, u.userIdx) as Array<{ position: number; item_idx: number; positive: number }>;
  if (rows.length > 0) {
    const positive = rows.find((r) => r.positive === 1)!.item_idx;
    return { userIdx: u.userIdx, positive, positivePos: positivePosition(u, purpose), items: rows.map((r) => r.item_idx) };
  }
  const set = drawCandidates(u, nItems, k, seed, purpose);
  const ins = db.prepare(
    'INSERT OR IGNORE INTO rank_candidates(dataset_id, purpose, seed, k, user_idx, position, item_idx, positive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => set.items.forEach((it, p) => ins.run(datasetId, purpose, seed, k, u.userIdx, p, it, it === set.positive ? 1 : 0)))();
  return set;
}
