import type { Migration } from './migration.js';

/**
 * Training runs (docs/training-runs.md): one row per run with everything needed to reproduce it (full config,
 * app version, the dataset's content hash, seed), its metric curves for live views and replay, the exact
 * rationale versions a PULSE run aligned to, its evaluation results (with per-user ranks for paired tests),
 * and sampled-ranking negatives, drawn once per (dataset, seed, n) and reused by every run.
 */
export const runs: Migration = {
  version: 6,
  name: 'runs: training runs, metric curves, rationale versions used, results, stored sampled negatives',
  sql: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
  dataset_name TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  arch TEXT NOT NULL CHECK (arch IN ('sasrec','pulse')),
  preset TEXT NOT NULL,
  config TEXT NOT NULL,                -- JSON: the full resolved run config
  app_version TEXT NOT NULL DEFAULT '',
  seed INTEGER NOT NULL,
  group_name TEXT,                     -- runs started together (several seeds)
  state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
  archived INTEGER NOT NULL DEFAULT 0,
  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  summary TEXT NOT NULL DEFAULT '{}',  -- JSON: epochs, best epoch, seconds, sequences per second
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX runs_dataset ON runs(dataset_name);
CREATE INDEX runs_job ON runs(job_id);

CREATE TABLE run_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER PRIMARY KEY,             -- arrival order: "since" cursor for live views
  step INTEGER NOT NULL,
  epoch REAL NOT NULL,
  wall_seconds REAL NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL
);
CREATE INDEX run_metrics_run ON run_metrics(run_id, seq);

CREATE TABLE run_rationales (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  rationale_version_id INTEGER NOT NULL, -- rationale_versions(id); versions are never deleted while the record lives
  PRIMARY KEY (run_id, user_idx)
) WITHOUT ROWID;

CREATE TABLE run_results (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  protocol TEXT NOT NULL,              -- 'full' or 'sampled:N'
  neg_seed INTEGER NOT NULL DEFAULT 0, -- sampled: the negatives' seed
  split TEXT NOT NULL CHECK (split IN ('valid','test')),
  epoch INTEGER NOT NULL,              -- the checkpoint evaluated (best validation)
  metrics TEXT NOT NULL,               -- JSON: hr@k, ndcg@k, mrr@k
  users TEXT NOT NULL DEFAULT '[]',    -- JSON: user idx of each rank, in order
  ranks BLOB,                          -- Int32 little-endian, 0-based rank per evaluated user
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (run_id, protocol, neg_seed, split)
) WITHOUT ROWID;

CREATE TABLE sampled_negatives (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  dataset_hash TEXT NOT NULL,
  seed INTEGER NOT NULL,
  n INTEGER NOT NULL,
  user_idx INTEGER NOT NULL,
  negatives BLOB NOT NULL,             -- Int32 little-endian item idx (0-based, as items.idx)
  PRIMARY KEY (dataset_id, seed, n, user_idx)
) WITHOUT ROWID;
`,
};
