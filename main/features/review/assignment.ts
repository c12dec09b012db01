/**
 * Work assignment with overlap: each record goes to `overlap` annotators, rotating through the list so everyone
 * gets the same load (within one record) and every pair of annotators shares records when overlap >= 2.
 * Assignments are a plan, not review data: assigning again replaces the dataset's plan; decisions stay.
 */
import type { ReviewStats } from '../../../common/contract/review.js';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import { ensureAnnotator } from './annotators.js';
import { FLAGS, FLAG_BITS } from './quality-checks.js';

export function assign(
  db: Db,
  datasetId: number,
  annotators: string[],
  overlap: number,
  onlyPending: boolean,
): { records: number; assignments: number; perAnnotator: Record<string, number> } {
  const names = [...new Set(annotators)];
  if (overlap > names.length) {
    throw new UserError(`Overlap ${overlap} needs at least ${overlap} annotators; ${names.length} given.`, {
      hint: 'Lower --overlap or name more annotators.',
      code: 'bad_input',
    });
  }
  const ids = db
    .prepare(`SELECT rationale_id FROM review_state WHERE dataset_id = ? ${onlyPending ? "AND status = 'pending'" : ''} ORDER BY rationale_id`)
    .pluck()
    .all(datasetId) as number[];
  const perAnnotator: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  db.transaction(() => {
    const aIds = names.map((n) => ensureAnnotator(db, n));
    db.prepare('DELETE FROM review_assignments WHERE dataset_id = ?').run(datasetId);
    const put = db.prepare('INSERT INTO review_assignments(rationale_id, annotator_id, dataset_id) VALUES (?, ?, ?)');
    ids.forEach((id, i) => {
      for (let j = 0; j < overlap; j++) {
        const k = (i * overlap + j) % names.length;
        put.run(id, aIds[k]!, datasetId);
        perAnnotator[names[k]!]!++;
      }
    });
  })();
  return { records: ids.length, assignments: ids.length * overlap, perAnnotator };
}

export function reviewStats(db: Db, datasetId: number, datasetName: string): ReviewStats {
  const statuses = { pending: 0, accepted: 0, edited: 0, rejected: 0, flagged: 0 };
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM review_state WHERE dataset_id = ? GROUP BY status').all(datasetId) as Array<{
    status: keyof typeof statuses;
    n: number;
  }>) {
    statuses[r.status] = r.n;
  }
  const flagRow = db
    .prepare(`SELECT ${FLAGS.map((f) => `SUM((flags & ${FLAG_BITS[f]}) <> 0) AS "${f}"`).join(', ')} FROM review_state WHERE dataset_id = ?`)
    .get(datasetId) as Record<string, number | null>;
  const flags = Object.fromEntries(FLAGS.map((f) => [f, flagRow[f] ?? 0])) as ReviewStats['flags'];
  const qualityChecked = db
    .prepare('SELECT COUNT(*) FROM review_state s JOIN review_quality q ON q.version_id = s.latest_version_id WHERE s.dataset_id = ?')
    .pluck()
    .get(datasetId) as number;
  const rationales = Object.values(statuses).reduce((s, x) => s + x, 0);
  const people = db
    .prepare(
      `SELECT a.id, a.name FROM annotators a WHERE EXISTS (SELECT 1 FROM review_assignments x WHERE x.annotator_id = a.id AND x.dataset_id = ?)
         OR EXISTS (SELECT 1 FROM review_decisions d JOIN rationales r ON r.id = d.rationale_id WHERE d.annotator_id = a.id AND r.dataset_id = ?)
       ORDER BY a.name`,
    )
    .all(datasetId, datasetId) as Array<{ id: number; name: string }>;
  const annotators = people.map((p) => {
    const assigned = db.prepare('SELECT COUNT(*) FROM review_assignments WHERE annotator_id = ? AND dataset_id = ?').pluck().get(p.id, datasetId) as number;
    const by = { accepted: 0, edited: 0, rejected: 0, flagged: 0 };
    for (const r of db
      .prepare('SELECT status, COUNT(*) AS n FROM review_annotator_state WHERE annotator_id = ? AND dataset_id = ? GROUP BY status')
      .all(p.id, datasetId) as Array<{ status: keyof typeof by; n: number }>) {
      by[r.status] = r.n;
    }
    const decided = by.accepted + by.edited + by.rejected + by.flagged;
    const remaining = assigned
      ? (db
          .prepare(
            'SELECT COUNT(*) FROM review_assignments x WHERE x.annotator_id = ? AND x.dataset_id = ? AND NOT EXISTS (SELECT 1 FROM review_annotator_state m WHERE m.annotator_id = x.annotator_id AND m.rationale_id = x.rationale_id)',
          )
          .pluck()
          .get(p.id, datasetId) as number)
      : statuses.pending;
    const act = db
      .prepare(
        "SELECT SUM(d.decision = 'undo') AS undone, MAX(d.created_at) AS lastAt FROM review_decisions d JOIN rationales r ON r.id = d.rationale_id WHERE d.annotator_id = ? AND r.dataset_id = ?",
      )
      .get(p.id, datasetId) as { undone: number | null; lastAt: string | null };
    return { annotator: p.name, assigned, decided, remaining, ...by, undone: act.undone ?? 0, lastAt: act.lastAt };
  });
  const decisions = db
    .prepare("SELECT COUNT(*) FROM review_decisions d JOIN rationales r ON r.id = d.rationale_id WHERE r.dataset_id = ? AND d.decision <> 'undo'")
    .pluck()
    .get(datasetId) as number;
  return { dataset: datasetName, rationales, statuses, flags, qualityChecked, annotators, decisions, curated: statuses.accepted + statuses.edited };
}
