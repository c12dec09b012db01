// Rows of an SLM ranking run (rank_runs, rank_results: migration tables of the reasoning feature): opened or
// resumed by the rank job, one result per user, finished with the run's metrics.
import type { Db } from '../../platform/storage/database.js';
import { finishJobRun, openJobRun } from './run-rows.js';

export function openRankRun(db: Db, jobId: number, resumedFromJob: number | null, r: { datasetId: number; model: string; settings: unknown }): number {
  return openJobRun(db, 'rank_runs', jobId, resumedFromJob, () =>
    Number(
      db.prepare('INSERT INTO rank_runs(job_id, dataset_id, model, settings) VALUES (?, ?, ?, ?)').run(jobId, r.datasetId, r.model, JSON.stringify(r.settings))
        .lastInsertRowid,
    ),
  );
}

/** Users this run has ranked already (skipped on resume). */
export function rankedUsers(db: Db, runId: number): Set<number> {
  return new Set(db.prepare('SELECT user_idx FROM rank_results WHERE run_id = ?').pluck().all(runId) as number[]);
}

export interface RankResultRow {
  userIdx: number;
  positive: number;
  /** Candidate item idxs, best first. */
  ranking: number[];
  rank: number;
  /** Per-candidate scores when the ranking was scored by likelihood; null when generated. */
  scores: unknown[] | null;
  output: string | null;
  promptTokens: number;
  ms: number;
}

export function saveRankResult(db: Db, runId: number, r: RankResultRow): void {
  db.prepare(
    'INSERT OR REPLACE INTO rank_results(run_id, user_idx, positive_item, ranking, rank, scores, output, prompt_tokens, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(runId, r.userIdx, r.positive, JSON.stringify(r.ranking), r.rank, r.scores ? JSON.stringify(r.scores) : null, r.output, r.promptTokens, r.ms);
}

/** The rank of the positive for every user ranked, in user order. */
export function rankResultRanks(db: Db, runId: number): number[] {
  return db.prepare('SELECT rank FROM rank_results WHERE run_id = ? ORDER BY user_idx').pluck().all(runId) as number[];
}

export function finishRankRun(db: Db, runId: number, metrics: Record<string, number>): void {
  finishJobRun(db, 'rank_runs', runId, { metrics: JSON.stringify(metrics) });
}
