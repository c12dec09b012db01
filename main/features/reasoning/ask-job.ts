/**
 * The `qa.ask` job: a free question about one user, answered by the SLM and streamed. The answer is grounded
 * in the user's training history and, when a Thought Space is given, in the rationales nearest to the user's
 * behaviour in that space (any user's latest version). The sources go out first ('qa.ask.sources'), then the
 * answer text as it is written ('qa.ask.token'); the result holds both.
 */
import type { QaAskSources } from '../../../common/contract/reasoning.js';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import type { Db } from '../../platform/storage/database.js';
import { cosine } from '../../base/linalg.js';
import { embedWithSpace, userBehaviourText } from '../space/space-embed.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { userOriginalId } from '../datasets/dataset-ref.js';
import { latestVersions } from '../rationales/rationale-store.js';
import { itemTitles, lastTrainingInteractions, userRationale } from './rank-data.js';
import { streamChat } from './stream-chat.js';
import { clean } from './text.js';

export interface AskJobParams {
  datasetId: number;
  dataset: string;
  userIdx: number;
  question: string;
  model: string;
  spaceId: number | null;
  withRationales: boolean;
  nearest: number;
  history: number;
  maxTokens: number;
  threads?: number;
  label?: string;
}

export interface AskJobResult {
  answer: string;
  sources: QaAskSources;
  label: string | null;
  ms: number;
}

export const ASK_SYSTEM =
  "You explain a shopper's behaviour to the people who run the shop. Answer from the purchase history and the notes given; when they do not tell, say so. Be brief.";

/** The user's last training interactions (the leakage rule: never the validation or test item). */
export function askHistory(db: Db, datasetId: number, userIdx: number, n: number): QaAskSources['history'] {
  const titles = itemTitles(db, datasetId);
  const rows = lastTrainingInteractions(db, datasetId, userIdx, n);
  return rows.map((r) => ({ pos: r.pos, title: titles[r.itemIdx] ?? `item ${r.itemIdx}`, rating: r.rating }));
}

/** Rationales nearest to the user's behaviour in the space: every user's latest version, by cosine. */
export async function nearestRationales(ws: Workspace, datasetId: number, userIdx: number, spaceId: number, k: number): Promise<QaAskSources['rationales']> {
  if (k === 0) return [];
  const rows = latestVersions(ws.db, datasetId);
  if (rows.length === 0) return [];
  const [b] = await embedWithSpace(ws, spaceId, [userBehaviourText(ws, datasetId, userIdx)], 'behaviour');
  const rs = await embedWithSpace(
    ws,
    spaceId,
    rows.map((r) => clean(r.text)),
    'rationale',
  );
  return rows
    .map((r, i) => ({ userIdx: r.userIdx, text: clean(r.text), score: cosine(b!, rs[i]!), versionId: r.versionId }))
    .sort((a, c) => c.score - a.score || a.userIdx - c.userIdx)
    .slice(0, k);
}

export function askPrompt(question: string, userOriginalId: string, s: QaAskSources): string {
  const hist = s.history.length
    ? s.history.map((h, i) => `${i + 1}. ${h.title}${h.rating !== null ? ` - rated ${h.rating}/5` : ''}`).join('\n')
    : '(no purchases on record)';
  const notes = s.rationales.length ? `\n\nWhy similar shoppers chose what they chose:\n${s.rationales.map((r) => `- ${r.text}`).join('\n')}` : '';
  return `Purchase history of shopper ${userOriginalId}, oldest first:\n${hist}${notes}\n\nQuestion: ${question}`;
}

export const run: JobHandler<AskJobParams, AskJobResult> = async (ctx) => {
  const p = ctx.params;
  const t0 = performance.now();
  const ws = ctx.workspace;
  const db = ws.db;
  const originalId = userOriginalId(db, p.datasetId, p.userIdx);
  const history = askHistory(db, p.datasetId, p.userIdx, p.history);
  let rationales: QaAskSources['rationales'] = [];
  if (p.withRationales) {
    if (p.spaceId !== null) rationales = await nearestRationales(ws, p.datasetId, p.userIdx, p.spaceId, p.nearest);
    else {
      // No space: the user's own rationale is the only one that can be placed.
      const own = userRationale(db, p.datasetId, p.userIdx);
      if (own) rationales = [{ userIdx: p.userIdx, text: own.text, score: 1, versionId: own.versionId }];
    }
  }
  const sources: QaAskSources = { history, rationales };
  const label = p.label ?? null;
  ctx.event('qa.ask.sources', { label, ...sources });
  ctx.throwIfCancelled();
  const abort = new AbortController();
  const poll = setInterval(() => ctx.cancelled && abort.abort(), 100);
  try {
    const { text } = await streamChat({
      modelPath: p.model,
      system: ASK_SYSTEM,
      user: askPrompt(p.question, originalId ?? String(p.userIdx), sources),
      maxTokens: p.maxTokens,
      threads: p.threads,
      onText: (chunk) => ctx.event('qa.ask.token', { label, text: chunk }),
      signal: abort.signal,
    });
    ctx.throwIfCancelled();
    return { answer: text.trim(), sources, label, ms: performance.now() - t0 };
  } finally {
    clearInterval(poll);
  }
};
