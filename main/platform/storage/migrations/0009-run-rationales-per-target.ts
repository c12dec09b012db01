import type { Migration } from './migration.js';

/**
 * A PULSE run aligns every training position that has a rationale, so it uses several rationale versions per
 * user: run_rationales is keyed by (run, version) instead of (run, user). Rows already recorded are kept.
 */
export const runRationalesPerTarget: Migration = {
  version: 9,
  name: 'runs: several rationale versions per user and run',
  sql: `
CREATE TABLE run_rationales_new (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rationale_version_id INTEGER NOT NULL, -- rationale_versions(id); versions are never deleted while the record lives
  user_idx INTEGER NOT NULL,
  PRIMARY KEY (run_id, rationale_version_id)
) WITHOUT ROWID;
INSERT INTO run_rationales_new(run_id, rationale_version_id, user_idx) SELECT run_id, rationale_version_id, user_idx FROM run_rationales;
DROP TABLE run_rationales;
ALTER TABLE run_rationales_new RENAME TO run_rationales;
CREATE INDEX run_rationales_user ON run_rationales(run_id, user_idx);
`,
};
