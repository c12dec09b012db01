/**
 * The curated text of each rationale, as training reads it.
 *
 * Rule: a rationale whose status (its latest standing decision, see decisions.ts) is `accepted` or `edited`
 * contributes the version that decision names: the accepted version, or the annotator's edited (human) version.
 * `pending` rationales (no standing decision) contribute their latest version only with `includePending`.
 * `rejected` and `flagged` rationales never contribute. Undone decisions do not count.
 */
import type { Db } from '../../platform/storage/database.js';

export interface CuratedRationale {
  rationaleId: number;
  userIdx: number;
  userOriginalId: string;
  itemIdx: number;
  itemOriginalId: string;
  targetPos: number;
  versionId: number;
  versionUid: string;
  text: string;
  agentKind: string;
  status: 'accepted' | 'edited' | 'pending';
}

/** The curated version of each rationale of a dataset: the rows both queries below read. */
function curatedFrom(includePending: boolean | undefined): string {
  const statuses = includePending ? "('accepted','edited','pending')" : "('accepted','edited')";
  return `FROM review_state s
       JOIN rationales r ON r.id = s.rationale_id
       JOIN rationale_versions v ON v.id = CASE WHEN s.status = 'pending' THEN s.latest_version_id ELSE s.curated_version_id END
       WHERE s.dataset_id = ? AND s.status IN ${statuses}`;
}

export function curatedRationales(db: Db, datasetId: number, opts: { includePending?: boolean } = {}): CuratedRationale[] {
  return db
    .prepare(
      `SELECT r.id AS rationaleId, r.user_idx AS userIdx, r.user_original_id AS userOriginalId, r.item_idx AS itemIdx,
              r.item_original_id AS itemOriginalId, r.target_pos AS targetPos,
              v.id AS versionId, v.uid AS versionUid, v.text, v.agent_kind AS agentKind, s.status
       ${curatedFrom(opts.includePending)}
       ORDER BY r.user_idx, r.target_pos`,
    )
    .all(datasetId) as CuratedRationale[];
}

/** Whether training would read any curated rationale with text (one row looked up, not the dataset's rationales). */
export function hasCuratedRationale(db: Db, datasetId: number, opts: { includePending?: boolean } = {}): boolean {
  return db.prepare(`SELECT 1 ${curatedFrom(opts.includePending)} AND trim(v.text, char(32, 9, 10, 11, 12, 13)) != '' LIMIT 1`).get(datasetId) !== undefined;
}
