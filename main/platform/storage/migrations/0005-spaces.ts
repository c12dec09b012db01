import type { Migration } from './migration.js';

/**
 * Thought Spaces (docs/thought-space.md): a trained pair of towers over a frozen text encoder. The weights live
 * in artifacts/spaces/<id>/; the row records what is needed to reproduce and cite it: config, encoder, the
 * dataset's content hash and the exact rationale versions trained on. Applications of a space to another
 * dataset (cross-domain) are rows of space_applications.
 */
export const spaces: Migration = {
  version: 5,
  name: 'spaces: trained Thought Spaces and their cross-domain applications',
  sql: `
CREATE TABLE spaces (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('training','ready','failed','cancelled')),
  dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
  dataset_name TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  encoder TEXT NOT NULL,               -- as given: tfidf, gguf:PATH, onnx:DIR
  encoder_id TEXT NOT NULL DEFAULT '', -- the encoder's identity (weights hash)
  config TEXT NOT NULL,                -- JSON: training settings and tower shapes
  metrics TEXT,                        -- JSON: retrieval before/after, loss curve
  rationale_versions TEXT NOT NULL DEFAULT '[]', -- JSON array of rationale_versions ids trained on
  users INTEGER NOT NULL DEFAULT 0,
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  artifact_dir TEXT NOT NULL DEFAULT '',
  app_version TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX spaces_dataset ON spaces(dataset_name);
CREATE INDEX spaces_job ON spaces(job_id);

CREATE TABLE space_applications (
  id INTEGER PRIMARY KEY,
  space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
  dataset_name TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  metrics TEXT NOT NULL,               -- JSON: retrieval on the target dataset before/after
  rationale_versions TEXT NOT NULL DEFAULT '[]',
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX space_applications_space ON space_applications(space_id);
`,
};
