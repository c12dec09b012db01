/**
 * The ranker's prompt, shared by scoring, generation and the fine-tuning export so all three see the same
 * text: the last N history items, the candidate titles, and optionally the user's rationale in the paper's
 * form ("Let me think: <rationale> The recommendation is <title>").
 */
import { chatToCompletionPrompt, type ChatMessage } from '../models/backend.js';

export const RANK_SYSTEM = 'You are a recommender system. From the candidates, pick the item the user will buy next, given what they bought before.';
export const ANSWER_LEAD = 'The recommendation is';

export function rankUserPrompt(history: string[], candidates: string[]): string {
  return [
    'The user bought, oldest first:',
    ...history.map((t, i) => `${i + 1}. ${t}`),
    '',
    'Candidates:',
    ...candidates.map((t) => `- ${t}`),
    '',
    'Which candidate will the user buy next? Answer with its title.',
  ].join('\n');
}

/** The assistant's reply up to (not including) the title: "Let me think: R The recommendation is". */
export function answerPrefix(rationale: string | null): string {
  return rationale ? `Let me think: ${rationale} ${ANSWER_LEAD}` : ANSWER_LEAD;
}

export function rankMessages(history: string[], candidates: string[], rationale: string | null, answer?: string): ChatMessage[] {
  const msgs: ChatMessage[] = [
    { role: 'system', content: RANK_SYSTEM },
    { role: 'user', content: rankUserPrompt(history, candidates) },
  ];
  if (answer !== undefined) msgs.push({ role: 'assistant', content: `${answerPrefix(rationale)} ${answer}` });
  return msgs;
}

/**
 * Plain-text prompt that ends where the title starts. Scoring appends " <title>" and reads its likelihood;
 * generation continues from here. (Plain completion form for both, so the two scorings see the same text.)
 */
export function rankCompletionPrompt(history: string[], candidates: string[], rationale: string | null): string {
  return `${chatToCompletionPrompt(rankMessages(history, candidates, null))} ${answerPrefix(rationale)}`;
}
