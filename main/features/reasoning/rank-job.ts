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
import { finishRankRun, openRankRun, rankedUsers, rankResultRanks, saveRankResult } from './rank-store.js';

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
  const runId = openRankRun(db, ctx.jobId, ctx.resumedFrom?.jobId ?? null, { datasetId: p.datasetId, model: p.model, settings });

  const users = rankUsers(db, p.datasetId, p.users);
  const nItems = itemCount(db, p.datasetId);
  const titles = itemTitles(db, p.datasetId);
  const done = rankedUsers(db, runId);
  ctx.log(
    `Rank run ${runId}: ${users.length} users, ${p.candidates} candidates, ${p.history} history items, ${p.scoring} scoring${p.lora ? `, LoRA ${path.basename(p.lora)}` : ''}`,
  );

  const backend = await loadLocalModel({
    modelPath: p.model,
    threads: p.threads,
    contextSize: p.contextSize,
    lora: p.lora ? [{ filePath: p.lora, scale: p.loraScale }] : undefined,
  });
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
      saveRankResult(db, runId, {
        userIdx: u.userIdx,
        positive: set.positive,
        ranking: out.order.map((i) => set.items[i]!),
        rank: out.rank,
        scores: out.scores,
        output: out.output,
        promptTokens: out.promptTokens,
        ms: out.ms,
      });
      n++;
      ctx.event('rank.user', { runId, userIdx: u.userIdx, rank: out.rank, output: out.output });
      ctx.progress({ done: n, total: users.length, unit: 'users' });
    }
  } finally {
    await backend.dispose();
  }
  const ranks = rankResultRanks(db, runId);
  const metrics = rankingMetrics(ranks, p.candidates);
  finishRankRun(db, runId, metrics);
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
