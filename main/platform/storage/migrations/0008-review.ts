import type { Migration } from './migration.js';

/**
 * Review (docs/review.md): annotators, their decisions on rationale versions (append-only; undo is a decision
 * too), assignments, drafts of edits in progress, per-version quality flags, and two derived tables kept in step
 * so queues, the bulk view and search stay fast at 100,000 rationales:
 *  - review_state: one row per rationale (status, curated version, the suggestion under review, filters);
 *  - review_fts: FTS5 index of each rationale's latest text and its item's title (rowid = rationale id).
 * Triggers on rationale_versions (table of migration 4, not changed here) keep both up to date whoever writes a
 * version (generation jobs, the drafter, imports, edits).
 */
export const review: Migration = {
  version: 8,
  name: 'review: annotators, decisions, assignments, drafts, quality flags, status index, full-text search',
  sql: `
CREATE TABLE annotators (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,            -- portable identity: the same name is the same person in every workspace
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT 'annotator' CHECK (role IN ('annotator','lead')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- A person's response to one version. Never updated or deleted; an undo is a row with decision 'undo' that
-- names the decision it cancels (undoes_id).
CREATE TABLE review_decisions (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,             -- portable identity (merge is idempotent on it)
  rationale_id INTEGER NOT NULL REFERENCES rationales(id) ON DELETE CASCADE,
  version_id INTEGER NOT NULL REFERENCES rationale_versions(id) ON DELETE CASCADE, -- accepted/rejected/flagged: the version shown; edited: the new human version
  annotator_id INTEGER NOT NULL REFERENCES annotators(id),
  decision TEXT NOT NULL CHECK (decision IN ('accepted','edited','rejected','flagged','undo')),
  reason TEXT,                          -- reject reason, from the configured list
  comment TEXT NOT NULL DEFAULT '',
  undoes_id INTEGER REFERENCES review_decisions(id) ON DELETE CASCADE,
  ms INTEGER,                           -- time the annotator spent on the record before deciding
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX review_decisions_rationale ON review_decisions(rationale_id, annotator_id, id);
CREATE INDEX review_decisions_annotator ON review_decisions(annotator_id, id);
CREATE TRIGGER review_decisions_immutable BEFORE UPDATE ON review_decisions
BEGIN
  SELECT RAISE(ABORT, 'review decisions are never overwritten; undo adds a decision');
END;

-- Derived: each annotator's standing decision per rationale (a row only while one is in effect).
CREATE TABLE review_annotator_state (
  annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
  rationale_id INTEGER NOT NULL REFERENCES rationales(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  decision_id INTEGER NOT NULL,
  version_id INTEGER NOT NULL,
  PRIMARY KEY (annotator_id, rationale_id)
) WITHOUT ROWID;
CREATE INDEX review_annotator_state_rationale ON review_annotator_state(rationale_id);
CREATE INDEX review_annotator_state_dataset ON review_annotator_state(dataset_id, annotator_id, status);

-- Who should review what (a work plan: replaced when work is assigned again).
CREATE TABLE review_assignments (
  rationale_id INTEGER NOT NULL REFERENCES rationales(id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (rationale_id, annotator_id)
) WITHOUT ROWID;
CREATE INDEX review_assignments_annotator ON review_assignments(annotator_id, dataset_id, rationale_id);

-- Text being edited and not yet decided, saved as the annotator types (a crash loses nothing).
CREATE TABLE review_drafts (
  rationale_id INTEGER NOT NULL REFERENCES rationales(id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
  base_version_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (rationale_id, annotator_id)
) WITHOUT ROWID;

-- Quality checks of one version (derived; recomputed on demand). flags is a bit set, see main/review/quality.ts.
CREATE TABLE review_quality (
  version_id INTEGER PRIMARY KEY REFERENCES rationale_versions(id) ON DELETE CASCADE,
  flags INTEGER NOT NULL DEFAULT 0,
  details TEXT NOT NULL DEFAULT '{}',
  computed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
-- MinHash LSH bands of each version's shingles: candidates for near-duplicates share a band.
CREATE TABLE review_lsh (
  band INTEGER NOT NULL,
  version_id INTEGER NOT NULL REFERENCES rationale_versions(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  PRIMARY KEY (band, version_id)
) WITHOUT ROWID;

-- Derived, one row per rationale: what queues, filters and sorting read.
CREATE TABLE review_state (
  rationale_id INTEGER PRIMARY KEY REFERENCES rationales(id) ON DELETE CASCADE,
  dataset_id INTEGER NOT NULL,
  user_idx INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','edited','rejected','flagged')),
  decision_id INTEGER,                  -- the decision that set the status
  annotator_id INTEGER,                 -- who made it
  curated_version_id INTEGER,           -- latest accepted or edited version while the status is accepted/edited
  suggestion_version_id INTEGER NOT NULL, -- latest machine version (slm, endpoint, extractive, refined)
  latest_version_id INTEGER NOT NULL,
  agent_kind TEXT NOT NULL,             -- of the suggestion
  model TEXT NOT NULL DEFAULT '',
  template TEXT NOT NULL DEFAULT '',
  length INTEGER NOT NULL DEFAULT 0,    -- characters of the latest version
  has_edits INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,     -- quality flags of the latest version
  n_decisions INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX review_state_dataset ON review_state(dataset_id, rationale_id);
CREATE INDEX review_state_status ON review_state(dataset_id, status, rationale_id);
CREATE INDEX review_state_length ON review_state(dataset_id, length);
CREATE INDEX review_state_user ON review_state(dataset_id, user_idx);
CREATE INDEX review_state_edits ON review_state(dataset_id, has_edits);

-- Full-text search, one row per rationale (rowid = rationale id): its latest version's text and the item title.
CREATE VIRTUAL TABLE review_fts USING fts5(text, title, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3');

CREATE TRIGGER review_version_added AFTER INSERT ON rationale_versions
BEGIN
  DELETE FROM review_fts WHERE rowid = new.rationale_id;
  INSERT INTO review_fts(rowid, text, title)
    VALUES (new.rationale_id, new.text, COALESCE((SELECT i.title FROM rationales r JOIN items i ON i.dataset_id = r.dataset_id AND i.idx = r.item_idx WHERE r.id = new.rationale_id), ''));
  INSERT INTO review_state(rationale_id, dataset_id, user_idx, suggestion_version_id, latest_version_id, agent_kind, model, template, length, has_edits)
    SELECT new.rationale_id, r.dataset_id, r.user_idx, new.id, new.id, new.agent_kind,
      COALESCE(json_extract(new.agent, '$.model.name'), json_extract(new.agent, '$.drafter'), json_extract(new.agent, '$.annotator'), ''),
      COALESCE(json_extract(new.agent, '$.template.name'), ''),
      length(new.text), new.agent_kind = 'human'
    FROM rationales r WHERE r.id = new.rationale_id
  ON CONFLICT(rationale_id) DO UPDATE SET
    latest_version_id = excluded.latest_version_id,
    length = excluded.length,
    flags = 0,
    has_edits = has_edits OR excluded.has_edits,
    suggestion_version_id = CASE WHEN new.agent_kind = 'human' THEN suggestion_version_id ELSE excluded.suggestion_version_id END,
    agent_kind = CASE WHEN new.agent_kind = 'human' THEN agent_kind ELSE excluded.agent_kind END,
    model = CASE WHEN new.agent_kind = 'human' THEN model ELSE excluded.model END,
    template = CASE WHEN new.agent_kind = 'human' THEN template ELSE excluded.template END;
END;
CREATE TRIGGER review_rationale_deleted AFTER DELETE ON rationales
BEGIN
  DELETE FROM review_fts WHERE rowid = old.id;
END;

-- Rationales written before this migration.
INSERT INTO review_fts(rowid, text, title)
  SELECT r.id, v.text, COALESCE(i.title, '') FROM rationales r
  JOIN rationale_versions v ON v.id = (SELECT id FROM rationale_versions WHERE rationale_id = r.id ORDER BY version DESC LIMIT 1)
  LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.idx = r.item_idx;
INSERT INTO review_state(rationale_id, dataset_id, user_idx, suggestion_version_id, latest_version_id, agent_kind, model, template, length, has_edits)
  SELECT r.id, r.dataset_id, r.user_idx, s.id, l.id, s.agent_kind,
    COALESCE(json_extract(s.agent, '$.model.name'), json_extract(s.agent, '$.drafter'), json_extract(s.agent, '$.annotator'), ''),
    COALESCE(json_extract(s.agent, '$.template.name'), ''),
    length(l.text), EXISTS (SELECT 1 FROM rationale_versions h WHERE h.rationale_id = r.id AND h.agent_kind = 'human')
  FROM rationales r
  JOIN rationale_versions l ON l.id = (SELECT id FROM rationale_versions WHERE rationale_id = r.id ORDER BY version DESC LIMIT 1)
  JOIN rationale_versions s ON s.id = COALESCE(
    (SELECT id FROM rationale_versions WHERE rationale_id = r.id AND agent_kind <> 'human' ORDER BY version DESC LIMIT 1), l.id);
`,
};
