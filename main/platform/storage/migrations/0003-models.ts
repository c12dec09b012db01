import type { Migration } from './migration.js';

/**
 * Model registry. `path` is the model file (the first part for split GGUFs); `hash` is either
 * `sha256:<hex>` (whole file, when known, e.g. from a verified download) or `quick:<hex>`: SHA-256 over the
 * decimal total size, the first MiB and the last MiB of every part, so that a 4 GB model is identified in
 * milliseconds (see main/features/models/model-registry.ts).
 */
export const models: Migration = {
  version: 3,
  name: 'models: registry of local GGUF models',
  sql: `
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX models_hash ON models(hash);
`,
};
