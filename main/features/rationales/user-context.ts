/**
 * What a rationale may see about a user: the training history BEFORE the target (never validation or test
 * interactions, never anything after the target) and the target item itself. Everything a prompt or the
 * extractive drafter reads comes through here, so the leakage rule holds for all of them.
 */
import type { Db } from '../../platform/storage/database.js';
import { assertTrainingTarget, trainingTarget, type TrainingTarget } from './rationale-store.js';

export interface ItemText {
  idx: number;
  originalId: string;
  title: string;
  brand: string;
  /** Category path as stored ("Office Products, Paper, Copy Paper"). */
  categories: string;
  description: string;
}

export interface HistoryEntry {
  pos: number;
  item: ItemText;
  rating: number | null;
  review: string | null;
}

export interface UserContext {
  datasetId: number;
  userIdx: number;
  userOriginalId: string;
  target: TrainingTarget;
  targetItem: ItemText;
  /** Training interactions before the target, oldest first. */
  history: HistoryEntry[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' };

/** Item text as people read it: HTML entities decoded, whitespace collapsed. */
export function clean(text: string): string {
  return text
    .replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? _m)
    .replace(/\s+/g, ' ')
    .trim();
}

interface ItemRow {
  idx: number;
  original_id: string;
  title: string;
  brand: string;
  categories: string;
  description: string;
}

const toItem = (r: ItemRow): ItemText => ({
  idx: r.idx,
  originalId: r.original_id,
  title: clean(r.title) || `item ${r.original_id}`,
  brand: clean(r.brand),
  categories: clean(r.categories),
  description: clean(r.description),
});

export function loadItem(db: Db, datasetId: number, idx: number): ItemText {
  const r = db
    .prepare('SELECT idx, original_id, title, brand, categories, description FROM items WHERE dataset_id = ? AND idx = ?')
    .get(datasetId, idx) as ItemRow;
  return toItem(r);
}

/**
 * The user's context for a rationale about a training target (default: their last training item); null when
 * they have no training item. The history is the training interactions before the target.
 */
export function loadUserContext(db: Db, datasetId: number, userIdx: number, at?: TrainingTarget): UserContext | null {
  const target = at ?? trainingTarget(db, datasetId, userIdx);
  if (!target) return null;
  if (target.userIdx !== userIdx) throw new RangeError(`target of user ${target.userIdx} asked for user ${userIdx}`);
  assertTrainingTarget(db, datasetId, target);
  const user = db.prepare('SELECT original_id FROM users WHERE dataset_id = ? AND idx = ?').get(datasetId, userIdx) as { original_id: string };
  const rows = db
    .prepare(
      `SELECT s.pos, s.split, x.rating, x.review, i.idx, i.original_id, i.title, i.brand, i.categories, i.description
       FROM interaction_split s
       JOIN interactions x ON x.dataset_id = s.dataset_id AND x.user_idx = s.user_idx AND x.pos = s.pos
       JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx
       WHERE s.dataset_id = ? AND s.user_idx = ? AND s.split = 'train' AND s.pos < ?
       ORDER BY s.pos`,
    )
    .all(datasetId, userIdx, target.pos) as Array<ItemRow & { pos: number; split: string; rating: number | null; review: string | null }>;
  return {
    datasetId,
    userIdx,
    userOriginalId: user.original_id,
    target,
    targetItem: loadItem(db, datasetId, target.itemIdx),
    history: rows.map((r) => ({ pos: r.pos, item: toItem(r), rating: r.rating, review: r.review ? clean(r.review) : null })),
  };
}

/** Category path split into its levels ("A, B, C" or "A > B > C"). */
export function categoryLevels(categories: string): string[] {
  return categories
    .split(/\s*(?:>|,|\|)\s*/)
    .map((c) => c.trim())
    .filter(Boolean);
}
