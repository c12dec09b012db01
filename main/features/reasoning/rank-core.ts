/**
 * Ranking one user's candidates with the SLM. Likelihood: the log-probability of each candidate title as the
 * continuation of the prompt, length-normalised (mean per token, so long titles are not penalised for their
 * length); ties keep prompt order. Generate: greedy free text, the hit is the first candidate title found in it.
 */
import type { SlmBackend } from '../models/backend.js';
import { mentionedOrder } from './rank-metrics.js';
import { rankCompletionPrompt } from './rank-prompt.js';

export type RankScoring = 'likelihood' | 'generate';

export interface RankInput {
  history: string[];
  /** Candidate titles in prompt order. */
  candidates: string[];
  /** Index of the positive in `candidates`. */
  positive: number;
  rationale: string | null;
}

export interface RankOutcome {
  /** Candidate indices, best first (generate: only those mentioned). */
  order: number[];
  /** 0-based rank of the positive, -1 when not ranked. */
  rank: number;
  scores: Array<{ logProb: number; meanLogProb: number; tokens: number }> | null;
  output: string | null;
  promptTokens: number;
  ms: number;
}

export async function rankCandidates(
  backend: SlmBackend,
  input: RankInput,
  scoring: RankScoring,
  opts: { maxTokens?: number; signal?: AbortSignal } = {},
): Promise<RankOutcome> {
  const t0 = performance.now();
  const prompt = rankCompletionPrompt(input.history, input.candidates, input.rationale);
  let order: number[];
  let scores: RankOutcome['scores'] = null;
  let output: string | null = null;
  let promptTokens: number;
  if (scoring === 'likelihood') {
    // The leading space belongs to the continuation: "... is" + " Title".
    const s = await backend.scoreContinuations(
      prompt,
      input.candidates.map((c) => ` ${c}`),
    );
    scores = s.map((x) => ({ logProb: x.logProb, meanLogProb: x.meanLogProb, tokens: x.tokens }));
    order = s
      .map((x, i) => ({ i, v: Number.isFinite(x.meanLogProb) ? x.meanLogProb : -Infinity }))
      .sort((a, b) => b.v - a.v || a.i - b.i)
      .map((x) => x.i);
    promptTokens = await backend.countTokens(prompt);
  } else {
    const r = await backend.generate({
      prompt,
      mode: 'completion',
      settings: { temperature: 0, maxTokens: opts.maxTokens ?? 48, stop: ['\nUser:', '\n\n'] },
      signal: opts.signal,
    });
    output = r.text;
    order = mentionedOrder(r.text, input.candidates);
    promptTokens = r.promptTokens;
  }
  return { order, rank: order.indexOf(input.positive), scores, output, promptTokens, ms: performance.now() - t0 };
}
