/**
 * Decisions and annotators in the rationale JSONL (rationale-jsonl.ts calls these): annotator lines, and on each
 * rationale line a `decisions` array. Everything travels by portable identity (decision uid, version uid,
 * annotator name), so merging exports from several workspaces keeps every response exactly once.
 */
import type { Db } from '../../platform/storage/database.js';
import { ensureAnnotator } from './annotators.js';
import { recomputeState } from './decisions.js';

export interface AnnotatorLine {
  type: 'annotator';
  schema: string;
  name: string;
  display_name: string;
  role: 'annotator' | 'lead';
  created_at: string;
}

export interface DecisionLine {
  uid: string;
  version_uid: string;
  annotator: string;
  decision: 'accepted' | 'edited' | 'rejected' | 'flagged' | 'undo';
  reason: string | null;
  comment: string;
  undoes_uid: string | null;
  ms: number | null;
  created_at: string;
}

export interface ReviewImportCounts {
  annotators: number;
  decisions: number;
  decisionDuplicates: number;
}

/** Annotators who made a decision on this dataset's rationales. */
export function annotatorLines(db: Db, datasetId: number, schema: string): AnnotatorLine[] {
  return (
    db
      .prepare(
        `SELECT a.name, a.display_name, a.role, a.created_at FROM annotators a
         WHERE EXISTS (SELECT 1 FROM review_decisions d JOIN rationales r ON r.id = d.rationale_id WHERE d.annotator_id = a.id AND r.dataset_id = ?) ORDER BY a.name`,
      )
      .all(datasetId) as Array<Omit<AnnotatorLine, 'type' | 'schema'>>
  ).map((a) => ({ type: 'annotator', schema, ...a }));
}

export function exportDecisions(db: Db, rationaleId: number): DecisionLine[] {
  return db
    .prepare(
      `SELECT d.uid, v.uid AS version_uid, a.name AS annotator, d.decision, d.reason, d.comment, u.uid AS undoes_uid, d.ms, d.created_at
       FROM review_decisions d JOIN rationale_versions v ON v.id = d.version_id JOIN annotators a ON a.id = d.annotator_id
       LEFT JOIN review_decisions u ON u.id = d.undoes_id
       WHERE d.rationale_id = ? ORDER BY d.id`,
    )
    .all(rationaleId) as DecisionLine[];
}

/** Creates the annotator if this workspace does not know the name (a known profile is left as it is). */
export function importAnnotator(db: Db, a: AnnotatorLine, counts: ReviewImportCounts): void {
  const known = db.prepare('SELECT 1 FROM annotators WHERE name = ?').get(a.name);
  if (known) return;
  ensureAnnotator(db, a.name, { displayName: a.display_name, role: a.role, createdAt: a.created_at });
  counts.annotators++;
}

/** Adds the decisions not already here (by uid) to a rationale, then recomputes its status. Runs inside the caller's transaction. */
export function importDecisions(db: Db, rationaleId: number, lines: DecisionLine[] | undefined, counts: ReviewImportCounts): void {
  if (!Array.isArray(lines) || !lines.length) return;
  const has = db.prepare('SELECT id FROM review_decisions WHERE uid = ?').pluck();
  const versionId = db.prepare('SELECT id FROM rationale_versions WHERE uid = ? AND rationale_id = ?').pluck();
  const put = db.prepare(
    `INSERT INTO review_decisions(uid, rationale_id, version_id, annotator_id, decision, reason, comment, undoes_id, ms, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let added = 0;
  for (const d of lines) {
    if (has.get(d.uid) !== undefined) {
      counts.decisionDuplicates++;
      continue;
    }
    const v = versionId.get(d.version_uid, rationaleId) as number | undefined;
    const undoes = d.undoes_uid ? (has.get(d.undoes_uid) as number | undefined) : null;
    if (v === undefined || undoes === undefined) continue; // its version or target decision did not come across
    put.run(d.uid, rationaleId, v, ensureAnnotator(db, String(d.annotator)), d.decision, d.reason ?? null, d.comment ?? '', undoes, d.ms ?? null, d.created_at);
    added++;
  }
  counts.decisions += added;
  if (added) recomputeState(db, rationaleId);
}
