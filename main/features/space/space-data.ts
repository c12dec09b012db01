// Reads a dataset's Thought Space pairs from the workspace: for each user, the curated rationale (the latest
// version until the review feature's decisions exist) and the behaviour text of the training history up to
// the item that rationale explains. A rationale whose target is not a training interaction is skipped and
// counted (leakage rule); the behaviour text never contains the validation or test item.
import { datasetByName, type DatasetRef } from '../datasets/dataset-ref.js';
import { curatedRationales } from '../review/curated.js';
import type { Db } from '../../platform/storage/database.js';
import { behaviourText, type ItemText } from './behaviour-text.js';

export interface SpacePair {
  userIdx: number;
  userOriginalId: string;
  rationaleId: number;
  versionId: number;
  versionUid: string;
  targetPos: number;
  targetItemIdx: number;
  behaviour: string;
  rationale: string;
}

export interface SpacePairs {
  dataset: DatasetRef;
  pairs: SpacePair[];
  skipped: { leakage: number; empty: number; olderTargets: number };
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

interface CuratedRow {
  rationale_id: number;
  user_idx: number;
  user_original_id: string;
  item_idx: number;
  target_pos: number;
  version_id: number;
  uid: string;
  text: string;
  split: string | null;
  split_item: number | null;
}

/**
 * The rationale each user's pair uses: the curated version (docs/review.md: accepted or edited; pending ones
 * contribute their latest version, since most rationales are not reviewed yet; rejected and flagged never).
 */
function curatedRows(db: Db, datasetId: number, includePending: boolean): CuratedRow[] {
  if (!hasTable(db, 'rationales')) return [];
  const split = db.prepare('SELECT split, item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND pos = ?');
  return curatedRationales(db, datasetId, { includePending }).map((c) => {
    const s = split.get(datasetId, c.userIdx, c.targetPos) as { split: string; item_idx: number } | undefined;
    return {
      rationale_id: c.rationaleId,
      user_idx: c.userIdx,
      user_original_id: c.userOriginalId,
      item_idx: c.itemIdx,
      target_pos: c.targetPos,
      version_id: c.versionId,
      uid: c.versionUid,
      text: c.text,
      split: s?.split ?? null,
      split_item: s?.item_idx ?? null,
    };
  });
}

export function loadItems(db: Db, datasetId: number): ItemText[] {
  const rows = db
    .prepare('SELECT idx, original_id AS originalId, title, brand, categories FROM items WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as (ItemText & { idx: number })[];
  const out: ItemText[] = [];
  for (const r of rows) out[r.idx] = { originalId: r.originalId, title: r.title, brand: r.brand, categories: r.categories };
  return out;
}

/** Training-split item indices of a user, oldest first, strictly before `beforePos`. */
export function trainingHistory(db: Db, datasetId: number, userIdx: number, beforePos: number): number[] {
  return db
    .prepare("SELECT item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train' AND pos < ? ORDER BY pos")
    .pluck()
    .all(datasetId, userIdx, beforePos) as number[];
}

export function loadSpacePairs(db: Db, datasetName: string, opts: { maxHistory?: number; includePending?: boolean } = {}): SpacePairs {
  const dataset = datasetByName(db, datasetName);
  const rows = curatedRows(db, dataset.id, opts.includePending ?? true);
  const skipped = { leakage: 0, empty: 0, olderTargets: 0 };
  // One pair per user: the rationale of the latest training target.
  const byUser = new Map<number, CuratedRow>();
  for (const r of rows) {
    if (r.split !== 'train' || r.split_item !== r.item_idx) {
      skipped.leakage++;
      continue;
    }
    if (!r.text.trim()) {
      skipped.empty++;
      continue;
    }
    if (byUser.has(r.user_idx)) skipped.olderTargets++;
    byUser.set(r.user_idx, r);
  }
  const items = loadItems(db, dataset.id);
  const history = db
    .prepare("SELECT item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train' AND pos < ? ORDER BY pos")
    .pluck();
  const pairs: SpacePair[] = [];
  for (const r of byUser.values()) {
    const hist = (history.all(dataset.id, r.user_idx, r.target_pos) as number[]).map((i) => items[i]!);
    pairs.push({
      userIdx: r.user_idx,
      userOriginalId: r.user_original_id,
      rationaleId: r.rationale_id,
      versionId: r.version_id,
      versionUid: r.uid,
      targetPos: r.target_pos,
      targetItemIdx: r.item_idx,
      behaviour: behaviourText(hist, items[r.item_idx]!, opts.maxHistory),
      rationale: r.text,
    });
  }
  pairs.sort((a, b) => a.userIdx - b.userIdx);
  return { dataset, pairs, skipped };
}
