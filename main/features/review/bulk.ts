/**
 * The bulk view's query: filters over review_state (one row per rationale), full-text search through review_fts
 * (FTS5 over each rationale's latest text and its item title), sorting and paging. Search input is turned into an FTS5
 * query of quoted prefix terms, so what a person types never breaks the query syntax.
 */
import type { BulkFilter, BulkRow, QualityFlag, ReviewStatus } from '../../../common/contract/review.js';
import type { Db } from '../../platform/storage/database.js';
import { bitsFromFlags, flagsFromBits } from './quality-checks.js';

export type BulkSortKey = 'id' | 'user' | 'status' | 'length' | 'agent' | 'model' | 'flags' | 'updated';

const SORT: Record<BulkSortKey, string> = {
  id: 's.rationale_id',
  user: 's.user_idx',
  status: 's.status',
  length: 's.length',
  agent: 's.agent_kind',
  model: 's.model',
  flags: 's.flags',
  updated: 's.updated_at',
};

/** Words become quoted prefix terms ANDed together: `red pen` -> `"red"* "pen"*`. */
export function ftsQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

export function whereOf(db: Db, datasetId: number, f: Omit<BulkFilter, 'dataset'>, annotatorId?: number | null): { where: string; args: unknown[] } {
  const q = f.search ? ftsQuery(f.search) : null;
  // With a search, rows come from the FTS hits by primary key ("+" keeps SQLite off the dataset index, which
  // would probe every row of the dataset against the hits).
  const w = [q ? '+s.dataset_id = ?' : 's.dataset_id = ?'];
  const args: unknown[] = [datasetId];
  if (q) {
    // The index is searched once per request; the count and the page both read its hits (rowid = rationale id).
    const hits = db.prepare('SELECT rowid FROM review_fts WHERE review_fts MATCH ?').pluck().all(q) as number[];
    w.push('s.rationale_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(hits));
  }
  if (f.status?.length) {
    w.push(`s.status IN (${f.status.map(() => '?').join(',')})`);
    args.push(...f.status);
  }
  if (f.annotator !== undefined) {
    // Records this annotator decided (standing decision) or is assigned.
    w.push(
      '(s.rationale_id IN (SELECT rationale_id FROM review_annotator_state WHERE annotator_id = ?) OR s.rationale_id IN (SELECT rationale_id FROM review_assignments WHERE annotator_id = ?))',
    );
    args.push(annotatorId ?? -1, annotatorId ?? -1);
  }
  if (f.agentKind?.length) {
    w.push(`s.agent_kind IN (${f.agentKind.map(() => '?').join(',')})`);
    args.push(...f.agentKind);
  }
  if (f.model) {
    w.push('s.model = ?');
    args.push(f.model);
  }
  if (f.template) {
    w.push('s.template = ?');
    args.push(f.template);
  }
  if (f.minLength !== undefined) {
    w.push('s.length >= ?');
    args.push(f.minLength);
  }
  if (f.maxLength !== undefined) {
    w.push('s.length <= ?');
    args.push(f.maxLength);
  }
  if (f.hasEdits !== undefined) {
    w.push('s.has_edits = ?');
    args.push(f.hasEdits ? 1 : 0);
  }
  if (f.flags?.length) {
    w.push('(s.flags & ?) <> 0');
    args.push(bitsFromFlags(f.flags as QualityFlag[]));
  } else if (f.anyFlag) w.push('s.flags <> 0');
  return { where: w.join(' AND '), args };
}

interface Row {
  id: number;
  user_idx: number;
  user_original_id: string;
  item_title: string | null;
  status: ReviewStatus;
  annotator: string | null;
  agent_kind: string;
  model: string;
  template: string;
  length: number;
  has_edits: number;
  flags: number;
  text: string;
  updated_at: string;
}

export function bulkQuery(
  db: Db,
  datasetId: number,
  f: Omit<BulkFilter, 'dataset'> & { offset: number; limit: number; sort: BulkSortKey; desc: boolean },
  annotatorId?: number | null,
): { total: number; rows: BulkRow[]; ms: number } {
  const t0 = performance.now();
  const { where, args } = whereOf(db, datasetId, f, annotatorId);
  const total = db
    .prepare(`SELECT COUNT(*) FROM review_state s WHERE ${where}`)
    .pluck()
    .get(...args) as number;
  const dir = f.desc ? 'DESC' : 'ASC';
  const order = f.sort === 'id' ? `s.rationale_id ${dir}` : `${SORT[f.sort]} ${dir}, s.rationale_id ${dir}`;
  // Two steps: the page's ids from review_state alone (filters, order, offset), then the joins for those ids only.
  const ids = db
    .prepare(`SELECT s.rationale_id FROM review_state s WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...args, f.limit, f.offset) as number[];
  const found = ids.length
    ? (db
        .prepare(
          `SELECT s.rationale_id AS id, s.user_idx, r.user_original_id, i.title AS item_title, s.status, a.name AS annotator, s.agent_kind, s.model, s.template,
                  s.length, s.has_edits, s.flags, substr(v.text, 1, 400) AS text, s.updated_at
           FROM review_state s
           JOIN rationales r ON r.id = s.rationale_id
           LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.idx = r.item_idx
           LEFT JOIN annotators a ON a.id = s.annotator_id
           JOIN rationale_versions v ON v.id = s.latest_version_id
           WHERE s.rationale_id IN (${ids.map(() => '?').join(',')})`,
        )
        .all(...ids) as Row[])
    : [];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      userIdx: r.user_idx,
      userOriginalId: r.user_original_id,
      itemTitle: r.item_title ?? '',
      status: r.status,
      annotator: r.annotator,
      agentKind: r.agent_kind,
      model: r.model,
      template: r.template,
      length: r.length,
      hasEdits: r.has_edits === 1,
      flags: flagsFromBits(r.flags),
      text: r.text,
      updatedAt: r.updated_at,
    })),
    ms: performance.now() - t0,
  };
}

export function bulkIds(db: Db, datasetId: number, f: Omit<BulkFilter, 'dataset'>, annotatorId?: number | null): number[] {
  const { where, args } = whereOf(db, datasetId, f, annotatorId);
  return db
    .prepare(`SELECT s.rationale_id FROM review_state s WHERE ${where} ORDER BY s.rationale_id LIMIT 100000`)
    .pluck()
    .all(...args) as number[];
}

export function facets(db: Db, datasetId: number): { models: string[]; templates: string[]; agents: string[]; annotators: string[] } {
  const distinct = (col: string) =>
    db.prepare(`SELECT DISTINCT ${col} FROM review_state WHERE dataset_id = ? AND ${col} <> '' ORDER BY 1`).pluck().all(datasetId) as string[];
  return {
    models: distinct('model'),
    templates: distinct('template'),
    agents: distinct('agent_kind'),
    annotators: db
      .prepare(
        `SELECT name FROM annotators a WHERE EXISTS (SELECT 1 FROM review_annotator_state s WHERE s.annotator_id = a.id AND s.dataset_id = ?)
           OR EXISTS (SELECT 1 FROM review_assignments x WHERE x.annotator_id = a.id AND x.dataset_id = ?) ORDER BY name`,
      )
      .pluck()
      .all(datasetId, datasetId) as string[],
  };
}
