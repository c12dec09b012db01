/**
 * A few decisions on the demo's drafted rationales so the review queues, statuses and the bulk view's filters are
 * not empty on first start: by the profile "demo-lead", on the first records, with quality flags computed.
 */
import type { Db } from '../../platform/storage/database.js';
import { ensureAnnotator } from './annotators.js';
import { decide } from './decisions.js';
import { refreshQuality } from './quality.js';
import { DEFAULT_CONFIG } from './review-config.js';

export const DEMO_ANNOTATOR = 'demo-lead';

export function seedDemoReviews(db: Db, dataset: string): number {
  const ds = db.prepare('SELECT id FROM datasets WHERE name = ?').pluck().get(dataset) as number | undefined;
  if (ds === undefined) return 0;
  refreshQuality(db, ds, DEFAULT_CONFIG);
  ensureAnnotator(db, DEMO_ANNOTATOR, { displayName: 'Demo lead', role: 'lead' });
  const rows = db
    .prepare("SELECT rationale_id AS id, latest_version_id AS v FROM review_state WHERE dataset_id = ? AND status = 'pending' ORDER BY rationale_id LIMIT 10")
    .all(ds) as Array<{ id: number; v: number }>;
  const plan = ['accepted', 'accepted', 'edited', 'rejected', 'accepted', 'flagged', 'accepted', 'edited', 'rejected', 'accepted'] as const;
  rows.forEach((r, k) => {
    const decision = plan[k]!;
    const text =
      decision === 'edited'
        ? (db.prepare('SELECT text FROM rationale_versions WHERE id = ?').pluck().get(r.v) as string).split('. ').slice(0, 2).join('. ').replace(/\.?$/, '.')
        : undefined;
    decide(db, DEFAULT_CONFIG, {
      rationaleId: r.id,
      annotator: DEMO_ANNOTATOR,
      decision,
      versionId: r.v,
      text,
      reason: decision === 'rejected' ? DEFAULT_CONFIG.rejectReasons[3] : undefined,
      comment: decision === 'flagged' ? 'Check the brand claim against the history.' : undefined,
    });
  });
  return rows.length;
}
