/**
 * One record as the review view shows it (the user's history before the target, the target, visible versions,
 * the annotator's draft, decisions, quality), and the queues that pick the next one.
 */
import type { Queue, ReviewConfig, ReviewRecord, ReviewStatus } from '../../../common/contract/review.js';
import { UserError } from '../../base/errors.js';
import { versionsOf, type VersionRecord } from '../rationales/rationale-store.js';
import { clean, loadItem } from '../rationales/user-context.js';
import type { Db } from '../../platform/storage/database.js';
import { annotatorId } from './annotators.js';
import { decisionsOf } from './decisions.js';
import { checkVersion, qualityOf } from './quality.js';

/** Blind mode hides other annotators' edits (human versions) and decisions. */
function visibleVersions(all: VersionRecord[], annotator: string, blind: boolean): VersionRecord[] {
  if (!blind) return all;
  return all.filter((v) => v.agentKind !== 'human' || v.agent.annotator === annotator);
}

export function getRecord(db: Db, config: ReviewConfig, id: number, annotator: string): ReviewRecord {
  const r = db
    .prepare(
      `SELECT r.id, r.dataset_id, d.name AS dataset, r.user_idx, r.user_original_id, r.item_idx, r.target_pos, s.status
       FROM rationales r JOIN datasets d ON d.id = r.dataset_id LEFT JOIN review_state s ON s.rationale_id = r.id WHERE r.id = ?`,
    )
    .get(id) as
    | {
        id: number;
        dataset_id: number;
        dataset: string;
        user_idx: number;
        user_original_id: string;
        item_idx: number;
        target_pos: number;
        status: ReviewStatus | null;
      }
    | undefined;
  if (!r) throw new UserError(`There is no rationale ${id}.`, { code: 'not_found' });
  const me = annotatorId(db, annotator);
  const versions = visibleVersions(versionsOf(db, id), annotator, config.blind);
  if (!versions.length) throw new UserError(`Rationale ${id} has no version to review.`, { code: 'not_found' });
  const machine = versions.filter((v) => v.agentKind !== 'human');
  const suggestion = machine.at(-1) ?? versions[0]!;
  const current = versions.at(-1)!;

  const history = (
    db
      .prepare(
        `SELECT s.pos, x.rating, x.review, i.idx, i.original_id, i.title, i.brand, i.categories, i.description
         FROM interaction_split s
         JOIN interactions x ON x.dataset_id = s.dataset_id AND x.user_idx = s.user_idx AND x.pos = s.pos
         JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx
         WHERE s.dataset_id = ? AND s.user_idx = ? AND s.split = 'train' AND s.pos < ? ORDER BY s.pos`,
      )
      .all(r.dataset_id, r.user_idx, r.target_pos) as Array<{
      pos: number;
      rating: number | null;
      review: string | null;
      idx: number;
      original_id: string;
      title: string;
      brand: string;
      categories: string;
      description: string;
    }>
  ).map((h) => ({
    pos: h.pos,
    rating: h.rating,
    review: h.review ? clean(h.review) : null,
    item: {
      idx: h.idx,
      originalId: h.original_id,
      title: clean(h.title) || `item ${h.original_id}`,
      brand: clean(h.brand),
      categories: clean(h.categories),
      description: clean(h.description),
    },
  }));

  const draftRow =
    me === undefined
      ? undefined
      : (db
          .prepare('SELECT text, base_version_id AS baseVersionId, updated_at AS updatedAt FROM review_drafts WHERE rationale_id = ? AND annotator_id = ?')
          .get(id, me) as { text: string; baseVersionId: number; updatedAt: string } | undefined);
  let decisions = decisionsOf(db, id);
  if (config.blind) decisions = decisions.filter((d) => d.annotator === annotator);
  const myStatus =
    (me === undefined
      ? undefined
      : (db.prepare('SELECT status FROM review_annotator_state WHERE annotator_id = ? AND rationale_id = ?').pluck().get(me, id) as
          ReviewStatus | undefined)) ?? 'pending';

  const ids = versions.map((v) => v.id);
  let quality = qualityOf(db, ids);
  const missing = versions.filter((v) => !quality.has(v.id));
  if (missing.length) {
    db.transaction(() => {
      for (const v of missing)
        checkVersion(db, r.dataset_id, { id: v.id, rationaleId: id, userIdx: r.user_idx, targetPos: r.target_pos, text: v.text }, config);
    })();
    quality = qualityOf(db, ids);
  }
  const assignedTo = db
    .prepare('SELECT a.name FROM review_assignments x JOIN annotators a ON a.id = x.annotator_id WHERE x.rationale_id = ? ORDER BY a.name')
    .pluck()
    .all(id) as string[];
  return {
    id,
    dataset: r.dataset,
    user: { idx: r.user_idx, originalId: r.user_original_id },
    target: { ...loadItem(db, r.dataset_id, r.item_idx), pos: r.target_pos },
    history,
    versions,
    suggestionVersionId: suggestion.id,
    currentVersionId: current.id,
    draft: draftRow ?? null,
    decisions,
    status: config.blind ? myStatus : (r.status ?? 'pending'),
    myStatus,
    quality: Object.fromEntries([...quality].map(([k, v]) => [String(k), v])),
    assignedTo,
  };
}

/** SQL for a queue's members (rationale ids) for one annotator; `?` params: dataset, then annotator where used. */
function queueSql(db: Db, datasetId: number, me: number | undefined, queue: Queue, blind: boolean): { from: string; args: unknown[] } {
  const assigned =
    me !== undefined && db.prepare('SELECT 1 FROM review_assignments WHERE annotator_id = ? AND dataset_id = ? LIMIT 1').get(me, datasetId) !== undefined;
  const mine = 'EXISTS (SELECT 1 FROM review_annotator_state m WHERE m.annotator_id = ? AND m.rationale_id = s.rationale_id)';
  if (queue === 'pending' && assigned) {
    return {
      from: `review_assignments s WHERE s.annotator_id = ? AND s.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM review_annotator_state m WHERE m.annotator_id = s.annotator_id AND m.rationale_id = s.rationale_id)`,
      args: [me, datasetId],
    };
  }
  if (queue === 'pending' && blind) return { from: `review_state s WHERE s.dataset_id = ? AND NOT ${mine}`, args: [datasetId, me ?? -1] };
  if (queue === 'all') return { from: 'review_state s WHERE s.dataset_id = ?', args: [datasetId] };
  if (blind && queue !== 'pending') {
    return { from: `review_annotator_state s WHERE s.dataset_id = ? AND s.annotator_id = ? AND s.status = ?`, args: [datasetId, me ?? -1, queue] };
  }
  return { from: 'review_state s WHERE s.dataset_id = ? AND s.status = ?', args: [datasetId, queue] };
}

/** The first record of the queue after `after` (wrapping to the start), and how many the queue holds. */
export function nextInQueue(
  db: Db,
  datasetId: number,
  annotator: string,
  queue: Queue,
  blind: boolean,
  after?: number,
): { id: number | null; remaining: number } {
  const me = annotatorId(db, annotator);
  const q = queueSql(db, datasetId, me, queue, blind);
  const first = db.prepare(`SELECT s.rationale_id FROM ${q.from} AND s.rationale_id > ? ORDER BY s.rationale_id LIMIT 1`).pluck();
  let id = (first.get(...q.args, after ?? 0) as number | undefined) ?? null;
  if (id === null && after !== undefined) id = (first.get(...q.args, 0) as number | undefined) ?? null;
  // The pending queue without assignments or blind mode: all minus the decided few, not a count of the many.
  const plain = queue === 'pending' && q.from.startsWith('review_state s WHERE s.dataset_id = ? AND s.status = ?');
  const remaining = plain
    ? pendingCount(db, datasetId)
    : (db
        .prepare(`SELECT COUNT(*) FROM ${q.from}`)
        .pluck()
        .get(...q.args) as number);
  return { id, remaining };
}

/** Rationales per dataset, cached on the newest rationale id (counting 100,000 rows on every decision is not free). */
const totals = new Map<number, { maxId: number; total: number }>();

function pendingCount(db: Db, datasetId: number): number {
  const maxId = (db.prepare('SELECT MAX(rationale_id) FROM review_state WHERE dataset_id = ?').pluck().get(datasetId) as number | null) ?? 0;
  let t = totals.get(datasetId);
  if (!t || t.maxId !== maxId) {
    t = { maxId, total: db.prepare('SELECT COUNT(*) FROM review_state WHERE dataset_id = ?').pluck().get(datasetId) as number };
    totals.set(datasetId, t);
  }
  const decided = db
    .prepare("SELECT COUNT(*) FROM review_state WHERE dataset_id = ? AND status IN ('accepted','edited','rejected','flagged')")
    .pluck()
    .get(datasetId) as number;
  return t.total - decided;
}
