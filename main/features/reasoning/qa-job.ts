/**
 * The `qa.run` job: asks the SLM every question of a HotpotQA-form file (with or without step-by-step
 * reasoning), stores each answer with the model's reasoning, and scores the run exactly as the official
 * evaluation does. Resuming continues the same run and skips questions already answered.
 */
import path from 'node:path';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { loadLocalModel } from '../models/runtime.js';
import { evaluateHotpot, exactMatch, f1Score, type HotpotMetrics } from './hotpot-eval.js';
import { loadHotpotFile } from './hotpot-file.js';
import { answerQuestion } from './qa-answer.js';
import { finishQaRun, insertQaResult, openQaRun, storedAnswers } from './qa-store.js';

export interface QaJobParams {
  /** Resolved absolute paths (the handler resolves demo files and model names). */
  file: string;
  model: string;
  reasoning: boolean;
  threads?: number;
  limit?: number;
  contextSize: number;
  maxAnswerChars: number;
  maxReasoningChars: number;
  parallel: number;
  label?: string;
}

export type QaJobResult = HotpotMetrics & { runId: number; answered: number; reasoning: boolean; model: string; file: string; seconds: number };

export const run: JobHandler<QaJobParams, QaJobResult> = async (ctx) => {
  const p = ctx.params;
  const t0 = performance.now();
  const db = ctx.workspace.db;
  const questions = loadHotpotFile(p.file);
  const settings = {
    contextSize: p.contextSize,
    maxAnswerChars: p.maxAnswerChars,
    maxReasoningChars: p.maxReasoningChars,
    limit: p.limit ?? null,
    label: p.label ?? null,
  };
  const runId = openQaRun(db, ctx.jobId, ctx.resumedFrom?.jobId ?? null, {
    file: p.file,
    model: p.model,
    reasoning: p.reasoning,
    settings,
    questions: questions.length,
  });
  const asked = questions.slice(0, p.limit ?? questions.length);
  const done = storedAnswers(db, runId);
  const todo = asked.map((q, idx) => ({ q, idx })).filter(({ q }) => !done.has(q._id));
  ctx.log(
    `QA run ${runId}: ${asked.length} questions (${done.size} already answered), ${p.reasoning ? 'with' : 'without'} reasoning, model ${path.basename(p.model)}`,
  );

  const backend = await loadLocalModel({ modelPath: p.model, threads: p.threads, contextSize: p.contextSize, parallel: p.parallel });
  const ctxSize = (await backend.info()).contextSize ?? p.contextSize;
  let answered = done.size;
  let emSum = 0;
  let f1Sum = 0;
  try {
    for (let i = 0; i < todo.length; i += p.parallel) {
      ctx.throwIfCancelled();
      const batch = todo.slice(i, i + p.parallel);
      const answers = await Promise.all(
        batch.map(({ q }) =>
          answerQuestion(backend, q, {
            reasoning: p.reasoning,
            maxAnswerChars: p.maxAnswerChars,
            maxReasoningChars: p.maxReasoningChars,
            contextSize: ctxSize,
          }),
        ),
      );
      db.transaction(() => {
        batch.forEach(({ q, idx }, j) => {
          const a = answers[j]!;
          const em = exactMatch(a.prediction, q.answer);
          const f1 = f1Score(a.prediction, q.answer).f1;
          emSum += em;
          f1Sum += f1;
          insertQaResult(db, runId, {
            idx,
            qid: q._id,
            type: q.type ?? null,
            question: q.question,
            gold: q.answer,
            prediction: a.prediction,
            reasoning: a.reasoning,
            em,
            f1,
            promptTokens: a.promptTokens,
            completionTokens: a.completionTokens,
            paragraphsDropped: a.paragraphsDropped,
            ms: a.ms,
          });
          ctx.event('qa.result', { runId, idx, qid: q._id, prediction: a.prediction, em, f1 });
        });
      })();
      answered += batch.length;
      const fresh = answered - done.size;
      ctx.progress({ done: answered, total: asked.length, unit: 'questions', metrics: { exact_match: emSum / fresh, f1: f1Sum / fresh } });
    }
  } finally {
    await backend.dispose();
  }
  // Official scoring over every gold question in the file: unasked ones count as missing (0).
  const metrics = evaluateHotpot({ answer: Object.fromEntries(storedAnswers(db, runId)) }, questions);
  finishQaRun(db, runId, metrics);
  return { ...metrics, runId, answered, reasoning: p.reasoning, model: p.model, file: p.file, seconds: Math.round(performance.now() - t0) / 1000 };
};
