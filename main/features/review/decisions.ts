/**
 * Decisions on rationale versions. Append-only: accepting, editing, rejecting and flagging each add a row; an
 * edit also adds a `human` version whose parent is the version edited; undo adds an 'undo' row naming the
 * decision it cancels. Statuses are derived from the rows (review_state, review_annotator_state), recomputed in
 * the same transaction as every change, so the derived tables can always be rebuilt from the history.
 *
 * Status of a rationale: the decision of the latest standing (not undone) decision by anyone, or 'pending'.
 * Curated version: that decision's version while the status is accepted or edited (see curated.ts).
 */
import { randomUUID } from 'node:crypto';
import type { DecisionRecord, ReviewConfig, ReviewStatus } from '../../../common/contract/review.js';
import { UserError } from '../../base/errors.js';
import { addVersion } from '../rationales/rationale-store.js';
import type { Db } from '../../platform/storage/database.js';
import { ensureAnnotator } from './annotators.js';
import { checkVersion } from './quality.js';

export type DecisionKind = 'accepted' | 'edited' | 'rejected' | 'flagged';

interface DecisionRow {
  id: number;
  uid: string;
  rationale_id: number;
  version_id: number;
  annotator_id: number;
  annotator: string;
  decision: DecisionKind | 'undo';
  reason: string | null;
  comment: string;
  undoes_id: number | null;
  ms: number | null;
  created_at: string;
}

const DECISION_SQL = `SELECT d.*, a.name AS annotator FROM review_decisions d JOIN annotators a ON a.id = d.annotator_id`;

export function decisionsOf(db: Db, rationaleId: number): DecisionRecord[] {
  const rows = db.prepare(`${DECISION_SQL} WHERE d.rationale_id = ? ORDER BY d.id`).all(rationaleId) as DecisionRow[];
  const undone = new Set(rows.filter((r) => r.undoes_id !== null).map((r) => r.undoes_id!));
  return rows.map((r) => toRecord(r, undone.has(r.id)));
}

export function toRecord(r: DecisionRow, undone: boolean): DecisionRecord {
  return {
    id: r.id,
    uid: r.uid,
    rationaleId: r.rationale_id,
    versionId: r.version_id,
    annotator: r.annotator,
    decision: r.decision,
    reason: r.reason,
    comment: r.comment,
    undoesId: r.undoes_id,
    undone,
    ms: r.ms,
    createdAt: r.created_at,
  };
}

/** Rebuilds the derived status rows of one rationale from its decisions. */
export function recomputeState(db: Db, rationaleId: number): ReviewStatus {
  const rows = db
    .prepare('SELECT id, annotator_id, decision, version_id, undoes_id, created_at FROM review_decisions WHERE rationale_id = ? ORDER BY created_at, id')
    .all(rationaleId) as Array<Pick<DecisionRow, 'id' | 'annotator_id' | 'decision' | 'version_id' | 'undoes_id' | 'created_at'>>;
  const undone = new Set(rows.filter((r) => r.undoes_id !== null).map((r) => r.undoes_id!));
  const standing = rows.filter((r) => r.decision !== 'undo' && !undone.has(r.id));
  const ds = db.prepare('SELECT dataset_id FROM rationales WHERE id = ?').pluck().get(rationaleId) as number;
  db.prepare('DELETE FROM review_annotator_state WHERE rationale_id = ?').run(rationaleId);
  const perAnnotator = new Map<number, (typeof standing)[number]>();
  for (const r of standing) perAnnotator.set(r.annotator_id, r); // later rows win
  const put = db.prepare(
    'INSERT INTO review_annotator_state(annotator_id, rationale_id, dataset_id, status, decision_id, version_id) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const [a, r] of perAnnotator) put.run(a, rationaleId, ds, r.decision, r.id, r.version_id);
  const last = standing.at(-1);
  const status: ReviewStatus = last ? (last.decision as DecisionKind) : 'pending';
  const curated = last && (last.decision === 'accepted' || last.decision === 'edited') ? last.version_id : null;
  db.prepare(
    `UPDATE review_state SET status = ?, decision_id = ?, annotator_id = ?, curated_version_id = ?, n_decisions = ?,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE rationale_id = ?`,
  ).run(status, last?.id ?? null, last?.annotator_id ?? null, curated, standing.length, rationaleId);
  return status;
}

export interface DecideInput {
  rationaleId: number;
  annotator: string;
  decision: DecisionKind;
  versionId: number;
  text?: string;
  reason?: string;
  comment?: string;
  ms?: number;
}

/** Records one decision (and, for an edit, the new human version) in one transaction. */
export function decide(db: Db, config: ReviewConfig, i: DecideInput): { decision: DecisionRecord; status: ReviewStatus } {
  return db.transaction(() => {
    const r = db.prepare('SELECT id, dataset_id, user_idx, target_pos FROM rationales WHERE id = ?').get(i.rationaleId) as
      { id: number; dataset_id: number; user_idx: number; target_pos: number } | undefined;
    if (!r) throw new UserError(`There is no rationale ${i.rationaleId}.`, { code: 'not_found' });
    const shown = db.prepare('SELECT id, uid, text FROM rationale_versions WHERE id = ? AND rationale_id = ?').get(i.versionId, i.rationaleId) as
      { id: number; uid: string; text: string } | undefined;
    if (!shown) throw new UserError(`Version ${i.versionId} is not a version of rationale ${i.rationaleId}.`, { code: 'bad_version' });
    let kind = i.decision;
    let reason: string | null = null;
    if (kind === 'rejected') {
      if (!i.reason) throw new UserError('A rejection needs a reason.', { hint: `Reasons: ${config.rejectReasons.join('; ')}.`, code: 'reason_required' });
      if (!config.rejectReasons.includes(i.reason)) {
        throw new UserError(`"${i.reason}" is not one of the configured reject reasons.`, {
          hint: `Reasons: ${config.rejectReasons.join('; ')}.`,
          code: 'bad_reason',
        });
      }
      reason = i.reason;
    }
    const annotatorId = ensureAnnotator(db, i.annotator);
    let versionId = shown.id;
    if (kind === 'edited') {
      const text = i.text ?? '';
      if (!text.trim()) throw new UserError('An edit needs the edited text.', { hint: 'To discard a rationale, reject it instead.', code: 'empty_edit' });
      if (text === shown.text)
        kind = 'accepted'; // nothing changed: the version shown is what the annotator approves
      else {
        const v = addVersion(db, {
          rationaleId: r.id,
          text,
          agentKind: 'human',
          agent: { annotator: i.annotator, editedFrom: shown.uid },
          parentVersionId: shown.id,
        });
        versionId = v.id;
        checkVersion(db, r.dataset_id, { id: v.id, rationaleId: r.id, userIdx: r.user_idx, targetPos: r.target_pos, text }, config);
      }
    }
    const row = db
      .prepare(
        `INSERT INTO review_decisions(uid, rationale_id, version_id, annotator_id, decision, reason, comment, ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *, ? AS annotator`,
      )
      .get(randomUUID(), r.id, versionId, annotatorId, kind, reason, i.comment ?? '', i.ms ?? null, i.annotator) as DecisionRow;
    db.prepare('DELETE FROM review_drafts WHERE rationale_id = ? AND annotator_id = ?').run(r.id, annotatorId);
    const status = recomputeState(db, r.id);
    return { decision: toRecord(row, false), status };
  })();
}

/**
 * Undoes the annotator's latest standing decision (on one rationale, or their latest anywhere). An undone edit's
 * text comes back as the annotator's draft, so they continue from it; its version stays in the history.
 */
export function undo(db: Db, annotator: string, rationaleId?: number): DecisionRecord | null {
  return db.transaction(() => {
    const annotatorId = ensureAnnotator(db, annotator);
    const target = db
      .prepare(
        `${DECISION_SQL} WHERE d.annotator_id = ? ${rationaleId !== undefined ? 'AND d.rationale_id = ?' : ''} AND d.decision <> 'undo'
         AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id) ORDER BY d.id DESC LIMIT 1`,
      )
      .get(...(rationaleId !== undefined ? [annotatorId, rationaleId] : [annotatorId])) as DecisionRow | undefined;
    if (!target) return null;
    db.prepare(`INSERT INTO review_decisions(uid, rationale_id, version_id, annotator_id, decision, undoes_id) VALUES (?, ?, ?, ?, 'undo', ?)`).run(
      randomUUID(),
      target.rationale_id,
      target.version_id,
      annotatorId,
      target.id,
    );
    if (target.decision === 'edited') {
      const v = db.prepare('SELECT text, parent_version_id FROM rationale_versions WHERE id = ?').get(target.version_id) as {
        text: string;
        parent_version_id: number | null;
      };
      saveDraft(db, target.rationale_id, annotator, v.parent_version_id ?? target.version_id, v.text);
    }
    recomputeState(db, target.rationale_id);
    return toRecord(target, true);
  })();
}

/** Decides many records at once (bulk view): one decision each, on each record's latest version. */
export function bulkDecide(
  db: Db,
  config: ReviewConfig,
  ids: number[],
  annotator: string,
  decision: 'accepted' | 'rejected' | 'flagged',
  reason?: string,
  comment?: string,
): number {
  const latest = db.prepare('SELECT latest_version_id FROM review_state WHERE rationale_id = ?').pluck();
  let n = 0;
  db.transaction(() => {
    for (const id of ids) {
      const versionId = latest.get(id) as number | undefined;
      if (versionId === undefined) continue;
      decide(db, config, { rationaleId: id, annotator, decision, versionId, reason, comment });
      n++;
    }
  })();
  return n;
}

export function saveDraft(db: Db, rationaleId: number, annotator: string, baseVersionId: number, text: string): string {
  const annotatorId = ensureAnnotator(db, annotator);
  const exists = db.prepare('SELECT 1 FROM rationales WHERE id = ?').get(rationaleId);
  if (!exists) throw new UserError(`There is no rationale ${rationaleId}.`, { code: 'not_found' });
  return db
    .prepare(
      `INSERT INTO review_drafts(rationale_id, annotator_id, base_version_id, text, updated_at) VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
       ON CONFLICT(rationale_id, annotator_id) DO UPDATE SET base_version_id = excluded.base_version_id, text = excluded.text, updated_at = excluded.updated_at
       RETURNING updated_at`,
    )
    .pluck()
    .get(rationaleId, annotatorId, baseVersionId, text) as string;
}

export function discardDraft(db: Db, rationaleId: number, annotator: string): void {
  db.prepare('DELETE FROM review_drafts WHERE rationale_id = ? AND annotator_id = (SELECT id FROM annotators WHERE name = ?)').run(rationaleId, annotator);
}
