// The row of a reasoning run (qa_runs, rank_runs, refine_runs) that a job writes its results under: when the job
// resumes an interrupted one, the predecessor's row, re-attached to this job; otherwise a new row from `insert`.
import type { Db } from '../../platform/storage/database.js';

export type ReasoningRunTable = 'qa_runs' | 'rank_runs' | 'refine_runs';

export function openJobRun(db: Db, table: ReasoningRunTable, jobId: number, resumedFromJob: number | null, insert: () => number): number {
  if (resumedFromJob !== null) {
    const prev = db.prepare(`SELECT id FROM ${table} WHERE job_id = ?`).pluck().get(resumedFromJob) as number | undefined;
    if (prev !== undefined) {
      db.prepare(`UPDATE ${table} SET job_id = ?, state = 'running' WHERE id = ?`).run(jobId, prev);
      return prev;
    }
  }
  return insert();
}

/** Marks a run done, with optional extra columns set (names from the caller's code, never from input). */
export function finishJobRun(db: Db, table: ReasoningRunTable, runId: number, set: Record<string, string | number | null> = {}): void {
  const cols = Object.keys(set);
  db.prepare(
    `UPDATE ${table} SET ${cols.map((c) => `${c} = ?, `).join('')}state = 'done', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
  ).run(...cols.map((c) => set[c]!), runId);
}
