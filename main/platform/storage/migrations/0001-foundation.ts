import type { Migration } from './migration.js';

export const foundation: Migration = {
  version: 1,
  name: 'foundation: datasets, users, items, interactions, split, jobs, settings',
  sql: `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  synthetic INTEGER NOT NULL DEFAULT 0,
  n_users INTEGER NOT NULL DEFAULT 0,
  n_items INTEGER NOT NULL DEFAULT 0,
  n_interactions INTEGER NOT NULL DEFAULT 0,
  content_hash TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Items and users are numbered densely from 0 inside a dataset (idx); original ids are kept as given.
CREATE TABLE items (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  original_id TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  brand TEXT NOT NULL DEFAULT '',
  categories TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  attributes TEXT,
  PRIMARY KEY (dataset_id, idx)
) WITHOUT ROWID;
CREATE INDEX items_original ON items(dataset_id, original_id);

CREATE TABLE users (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  original_id TEXT NOT NULL,
  n_interactions INTEGER NOT NULL,
  attributes TEXT,
  PRIMARY KEY (dataset_id, idx)
) WITHOUT ROWID;
CREATE INDEX users_original ON users(dataset_id, original_id);

-- One row per interaction, time-ordered per user by pos (0 = oldest).
CREATE TABLE interactions (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  item_idx INTEGER NOT NULL,
  rating REAL,
  ts INTEGER,
  review TEXT,
  PRIMARY KEY (dataset_id, user_idx, pos)
) WITHOUT ROWID;

-- Leave-one-out split, derived: last item test, second to last validation, the rest train
-- (users with fewer than 3 interactions keep everything in train).
CREATE VIEW interaction_split AS
SELECT i.dataset_id, i.user_idx, i.pos, i.item_idx,
  CASE
    WHEN u.n_interactions < 3 THEN 'train'
    WHEN i.pos = u.n_interactions - 1 THEN 'test'
    WHEN i.pos = u.n_interactions - 2 THEN 'valid'
    ELSE 'train'
  END AS split
FROM interactions i JOIN users u ON u.dataset_id = i.dataset_id AND u.idx = i.user_idx;

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
  params TEXT NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  result TEXT,
  error TEXT,
  resumed_from INTEGER REFERENCES jobs(id),
  pid INTEGER,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
