import type { Migration } from './migration.js';

/**
 * Reasoning (stages 6, 7, 9): QA runs with per-question results and the model's reasoning; the SLM ranker's
 * candidate sets (drawn once per seed and kept, so every run with that seed ranks the same sets) and its runs;
 * Tree-of-Thought refinement trees. Rationale versions written by refinement live in the rationale record;
 * refine_trees points at them by id.
 */
export const reasoning: Migration = {
  version: 7,
  name: 'reasoning: QA runs and results, ranker candidate sets and runs, Tree-of-Thought trees',
  sql: `
CREATE TABLE qa_runs (
  id INTEGER PRIMARY KEY,
  job_id INTEGER,                      -- the job now writing it (a resumed job takes the run over)
  file TEXT NOT NULL,
  model TEXT NOT NULL,
  reasoning INTEGER NOT NULL,          -- 1 = step-by-step reasoning before the answer
  settings TEXT NOT NULL DEFAULT '{}',
  questions INTEGER NOT NULL DEFAULT 0, -- gold questions in the file (the denominator)
  exact_match REAL,
  f1 REAL,
  state TEXT NOT NULL DEFAULT 'running',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
CREATE INDEX qa_runs_job ON qa_runs(job_id);

CREATE TABLE qa_results (
  run_id INTEGER NOT NULL REFERENCES qa_runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,                -- position in the file
  qid TEXT NOT NULL,
  qtype TEXT,
  question TEXT NOT NULL,
  gold TEXT NOT NULL,
  prediction TEXT NOT NULL,
  reasoning TEXT,
  em REAL NOT NULL,
  f1 REAL NOT NULL,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  paragraphs_dropped INTEGER NOT NULL DEFAULT 0, -- context paragraphs left out to fit the context window
  ms REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

-- One candidate set per (dataset, purpose, seed, size, user): position 0.. in prompt order.
CREATE TABLE rank_candidates (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,               -- 'test' (ranking the test item) or 'sft' (fine-tuning target)
  seed INTEGER NOT NULL,
  k INTEGER NOT NULL,
  user_idx INTEGER NOT NULL,
  position INTEGER NOT NULL,
  item_idx INTEGER NOT NULL,
  positive INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, purpose, seed, k, user_idx, position)
) WITHOUT ROWID;

CREATE TABLE rank_runs (
  id INTEGER PRIMARY KEY,
  job_id INTEGER,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  metrics TEXT,
  state TEXT NOT NULL DEFAULT 'running',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
CREATE INDEX rank_runs_job ON rank_runs(job_id);

CREATE TABLE rank_results (
  run_id INTEGER NOT NULL REFERENCES rank_runs(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  positive_item INTEGER NOT NULL,
  ranking TEXT NOT NULL,               -- JSON item idxs, best first (generate: those found in the output, in order)
  rank INTEGER NOT NULL,               -- 0-based rank of the positive; -1 = not ranked (generate: not mentioned)
  scores TEXT,                         -- JSON per candidate (likelihood scoring)
  output TEXT,                         -- generated text (generate scoring)
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  ms REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, user_idx)
) WITHOUT ROWID;

CREATE TABLE refine_runs (
  id INTEGER PRIMARY KEY,
  job_id INTEGER,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  space TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'running',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
CREATE INDEX refine_runs_job ON refine_runs(job_id);

CREATE TABLE refine_trees (
  run_id INTEGER NOT NULL REFERENCES refine_runs(id) ON DELETE CASCADE,
  user_idx INTEGER NOT NULL,
  tree TEXT NOT NULL,                  -- JSON: every node (step text, parent, depth, score, kept by the beam)
  best_node INTEGER NOT NULL,
  best_score REAL NOT NULL,
  rationale_text TEXT NOT NULL,
  rationale_version_id INTEGER,        -- the 'refined' version written to the rationale record
  ms REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (run_id, user_idx)
) WITHOUT ROWID;
`,
};
