import type { Migration } from './migration.js';

/**
 * The rationale record (docs/rationale-record.md). A rationale is (dataset, user, target item); its text lives in
 * versions that are never overwritten. A later review feature adds decisions in its own table pointing at
 * rationale_versions(id) (and new versions for edits, with parent_version_id), so these tables never change.
 */
export const rationales: Migration = {
  version: 4,
  name: 'rationales: records, immutable versions, prompt templates',
  sql: `
CREATE TABLE prompt_templates (
  hash TEXT PRIMARY KEY,               -- sha256 (hex) of body: the template's identity
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX prompt_templates_name ON prompt_templates(name, created_at);

CREATE TABLE rationales (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  item_idx INTEGER NOT NULL,           -- the target item the rationale explains
  target_pos INTEGER NOT NULL,         -- its position in the user's history (0 = oldest)
  user_original_id TEXT NOT NULL,      -- original ids: records move between workspaces
  item_original_id TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (dataset_id, user_idx, target_pos)
);
CREATE INDEX rationales_user ON rationales(dataset_id, user_idx);

CREATE TABLE rationale_versions (
  id INTEGER PRIMARY KEY,
  rationale_id INTEGER NOT NULL REFERENCES rationales(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,            -- 1, 2, ... within the rationale, in order of arrival
  uid TEXT NOT NULL UNIQUE,            -- portable identity (export/import is idempotent on it)
  text TEXT NOT NULL,
  agent_kind TEXT NOT NULL CHECK (agent_kind IN ('slm','endpoint','extractive','human','refined')),
  agent TEXT NOT NULL DEFAULT '{}',    -- JSON provenance, see docs/rationale-record.md
  generation_key TEXT NOT NULL DEFAULT '', -- sha256 of (model hash, template hash, settings): "already done" test
  parent_version_id INTEGER REFERENCES rationale_versions(id), -- edited or refined from
  job_id INTEGER,                      -- the job that wrote it, if any
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (rationale_id, version)
);
CREATE INDEX rationale_versions_key ON rationale_versions(generation_key, rationale_id);
CREATE INDEX rationale_versions_rationale ON rationale_versions(rationale_id, version);

-- Versions are never overwritten: a change is a new version.
CREATE TRIGGER rationale_versions_immutable BEFORE UPDATE ON rationale_versions
BEGIN
  SELECT RAISE(ABORT, 'rationale versions are never overwritten; add a new version');
END;
`,
};
