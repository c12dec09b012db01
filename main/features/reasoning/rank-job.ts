/**
 * The `rank.run` job: for each user, the last N history items before the test item, K stored candidates
 * (the test item + K-1 negatives), optionally the user's rationale; the SLM ranks them by likelihood or by
 * free generation. Per-user results are stored; resuming continues the same run.
 */
import path from 'node:path';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { loadLocalModel } from '../models/runtime.js';
import { rankCandidates, type RankScoring } from './rank-core.js';
import { candidateSet, itemCount, itemTitles, rankUsers, userRationale } from './rank-data.js';
import { rankingMetrics } from './rank-metrics.js';

export interface RankJobParams {
  datasetId: number;
  dataset: string;
  model: string;
  lora: string | null;
  loraScale: number;
  candidates: number;
  history: number;
  users?: number;
  scoring: RankScoring;
  withRationales: boolean;
  seed: number;
  threads?: number;
  contextSize: number;
  maxTokens: number;
}

export type RankJobResult = Record<string, number | string | boolean | null> & { users: number; 'hr@1': number; runId: number };

export const run: JobHandler<RankJobParams, RankJobResult> = async (ctx) => {
  const p = ctx.params;
  const t0 = performance.now();
  const db = ctx.workspace.db;
  const { model: _m, ...settings } = p;
  let runId: number | null = null;
  if (ctx.resumedFrom) {
    const prev = db.prepare('SELECT id FROM rank_runs WHERE job_id = ?').get(ctx.resumedFrom.jobId) as { id: number } | undefined;
    if (prev) {
      runId = prev.id;
      db.prepare("UPDATE rank_runs SET job_id = ?, state = 'running' WHERE id = ?").run(ctx.jobId, runId);
    }
  }
  runId ??= Number(
    db.prepare('INSERT INTO rank_runs(job_id, dataset_id, model, settings) VALUES (?, ?, ?, ?)').run(ctx.jobId, p.datasetId, p.model, JSON.stringify(settings))
      .lastInsertRowid,
  );

  const users = rankUsers(db, p.datasetId, p.users);
  const nItems = itemCount(db, p.datasetId);
  const titles = itemTitles(db, p.datasetId);
  const done = new Set(db.prepare('SELECT user_idx FROM rank_results WHERE run_id = ?').pluck().all(runId) as number[]);
  ctx.log(
    `Rank run ${runId}: ${users.length} users, ${p.candidates} candidates, ${p.history} history items, ${p.scoring} scoring${p.lora ? `, LoRA ${path.basename(p.lora)}` : ''}`,
  );

  const backend = await loadLocalModel({
    modelPath: p.model,
    threads: p.threads,
    contextSize: p.contextSize,
    lora: p.lora ? [{ filePath: p.lora, scale: p.loraScale }] : undefined,
  });
  const insert = db.prepare(
    'INSERT OR REPLACE INTO rank_results(run_id, user_idx, positive_item, ranking, rank, scores, output, prompt_tokens, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let withRationale = 0;
  try {
    let n = done.size;
    for (const u of users) {
      if (done.has(u.userIdx)) continue;
      ctx.throwIfCancelled();
      const set = candidateSet(db, p.datasetId, u, nItems, p.candidates, p.seed, 'test');
      const history = u.sequence.slice(Math.max(0, set.positivePos - p.history), set.positivePos).map((i) => titles[i]!);
      const rationale = p.withRationales ? userRationale(db, p.datasetId, u.userIdx) : null;
      if (rationale) withRationale++;
      const out = await rankCandidates(
        backend,
        { history, candidates: set.items.map((i) => titles[i]!), positive: set.items.indexOf(set.positive), rationale: rationale?.text ?? null },
        p.scoring,
        { maxTokens: p.maxTokens },
      );
      insert.run(
        runId,
        u.userIdx,
        set.positive,
        JSON.stringify(out.order.map((i) => set.items[i])),
        out.rank,
        out.scores ? JSON.stringify(out.scores) : null,
        out.output,
        out.promptTokens,
        out.ms,
      );
      n++;
      ctx.event('rank.user', { runId, userIdx: u.userIdx, rank: out.rank, output: out.output });
      ctx.progress({ done: n, total: users.length, unit: 'users' });
    }
  } finally {
    await backend.dispose();
  }
  const ranks = db.prepare('SELECT rank FROM rank_results WHERE run_id = ? ORDER BY user_idx').pluck().all(runId) as number[];
  const metrics = rankingMetrics(ranks, p.candidates);
  db.prepare("UPDATE rank_runs SET metrics = ?, state = 'done', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(
    JSON.stringify(metrics),
    runId,
  );
  return {
    ...metrics,
    users: ranks.length,
    'hr@1': metrics['hr@1']!,
    runId,
    candidates: p.candidates,
    history: p.history,
    scoring: p.scoring,
    seed: p.seed,
    lora: p.lora,
    with_rationales: p.withRationales,
    users_with_rationale: withRationale,
    seconds: Math.round(performance.now() - t0) / 1000,
  };
};
