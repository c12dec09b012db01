/** QA runs and their per-question results (migration 0007), read back for the filterable results view. */
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import type { QaResultView, QaRunView } from '../../../common/contract/reasoning.js';
import { finishJobRun, openJobRun } from './run-rows.js';

interface RunRow {
  id: number;
  job_id: number | null;
  file: string;
  model: string;
  reasoning: number;
  settings: string;
  questions: number;
  exact_match: number | null;
  f1: number | null;
  state: string;
  created_at: string;
  answered: number;
}

const RUN_SQL = `SELECT r.*, (SELECT COUNT(*) FROM qa_results x WHERE x.run_id = r.id) AS answered FROM qa_runs r`;

function toRun(r: RunRow): QaRunView {
  return {
    id: r.id,
    jobId: r.job_id,
    file: r.file,
    model: r.model,
    reasoning: r.reasoning === 1,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    questions: r.questions,
    answered: r.answered,
    exactMatch: r.exact_match,
    f1: r.f1,
    state: r.state,
    createdAt: r.created_at,
  };
}

export function listQaRuns(db: Db): QaRunView[] {
  return (db.prepare(`${RUN_SQL} ORDER BY r.id DESC LIMIT 500`).all() as RunRow[]).map(toRun);
}

export function getQaRun(db: Db, id: number): QaRunView {
  const r = db.prepare(`${RUN_SQL} WHERE r.id = ?`).get(id) as RunRow | undefined;
  if (!r) throw new UserError(`There is no QA run ${id}.`, { hint: 'List runs in the QA view or with the qa.runs method.', code: 'not_found' });
  return toRun(r);
}

/** The run a job writes: the one its predecessor wrote when resuming, else a new one. */
export function openQaRun(
  db: Db,
  jobId: number,
  resumedFromJob: number | null,
  r: { file: string; model: string; reasoning: boolean; settings: unknown; questions: number },
): number {
  return openJobRun(db, 'qa_runs', jobId, resumedFromJob, () =>
    Number(
      db
        .prepare('INSERT INTO qa_runs(job_id, file, model, reasoning, settings, questions) VALUES (?, ?, ?, ?, ?, ?)')
        .run(jobId, r.file, r.model, r.reasoning ? 1 : 0, JSON.stringify(r.settings), r.questions).lastInsertRowid,
    ),
  );
}

export interface QaResultRow {
  idx: number;
  qid: string;
  type: string | null;
  question: string;
  gold: string;
  prediction: string;
  reasoning: string | null;
  em: number;
  f1: number;
  promptTokens: number;
  completionTokens: number;
  paragraphsDropped: number;
  ms: number;
}

export function insertQaResult(db: Db, runId: number, r: QaResultRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO qa_results(run_id, idx, qid, qtype, question, gold, prediction, reasoning, em, f1, prompt_tokens, completion_tokens, paragraphs_dropped, ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, r.idx, r.qid, r.type, r.question, r.gold, r.prediction, r.reasoning, r.em, r.f1, r.promptTokens, r.completionTokens, r.paragraphsDropped, r.ms);
}

/** Answers stored so far, keyed by question id (the official prediction form's `answer`). */
export function storedAnswers(db: Db, runId: number): Map<string, string> {
  const rows = db.prepare('SELECT qid, prediction FROM qa_results WHERE run_id = ?').all(runId) as Array<{ qid: string; prediction: string }>;
  return new Map(rows.map((r) => [r.qid, r.prediction]));
}

export function finishQaRun(db: Db, runId: number, m: { exact_match: number; f1: number }): void {
  finishJobRun(db, 'qa_runs', runId, { exact_match: m.exact_match, f1: m.f1 });
}

export function queryQaResults(
  db: Db,
  q: { runId: number; filter: 'all' | 'correct' | 'wrong' | 'partial'; search?: string; type?: string; offset: number; limit: number },
): { run: QaRunView; total: number; results: QaResultView[] } {
  const run = getQaRun(db, q.runId);
  const where = ['run_id = ?'];
  const args: unknown[] = [q.runId];
  if (q.filter === 'correct') where.push('em = 1');
  else if (q.filter === 'wrong') where.push('em = 0');
  else if (q.filter === 'partial') where.push('f1 > 0 AND f1 < 1');
  if (q.type) {
    where.push('qtype = ?');
    args.push(q.type);
  }
  if (q.search) {
    // instr() is a plain substring test (no LIKE wildcards to escape); lower() on both sides for ASCII case.
    where.push(
      "(instr(lower(question), lower(?)) > 0 OR instr(lower(gold), lower(?)) > 0 OR instr(lower(prediction), lower(?)) > 0 OR instr(lower(COALESCE(reasoning, '')), lower(?)) > 0)",
    );
    args.push(q.search, q.search, q.search, q.search);
  }
  const w = where.join(' AND ');
  const total = db
    .prepare(`SELECT COUNT(*) FROM qa_results WHERE ${w}`)
    .pluck()
    .get(...args) as number;
  const rows = db.prepare(`SELECT * FROM qa_results WHERE ${w} ORDER BY idx LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as Array<
    Record<string, unknown>
  >;
  return {
    run,
    total,
    results: rows.map((r) => ({
      idx: r.idx as number,
      qid: r.qid as string,
      type: (r.qtype as string | null) ?? null,
      question: r.question as string,
      gold: r.gold as string,
      prediction: r.prediction as string,
      reasoning: (r.reasoning as string | null) ?? null,
      em: r.em as number,
      f1: r.f1 as number,
      promptTokens: r.prompt_tokens as number,
      completionTokens: r.completion_tokens as number,
      paragraphsDropped: r.paragraphs_dropped as number,
      ms: r.ms as number,
    })),
  };
}
