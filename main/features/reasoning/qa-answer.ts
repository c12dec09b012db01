/**
 * Asking the SLM one HotpotQA-form question: the context paragraphs and the question in the prompt, the reply
 * held to a JSON grammar ({"answer"} or, step by step, {"reasoning", "answer"}) with bounded string lengths.
 * Paragraphs are dropped from the end when the prompt would not fit the context window (counted, and stored).
 */
import type { JsonSchema, SlmBackend } from '../models/backend.js';
import type { HotpotParagraph, HotpotQuestion } from './hotpot-file.js';

export interface QaAnswerSettings {
  reasoning: boolean;
  maxAnswerChars: number;
  maxReasoningChars: number;
  /** Tokens the model's context holds (per sequence). */
  contextSize: number;
}

export interface QaAnswer {
  prediction: string;
  reasoning: string | null;
  promptTokens: number;
  completionTokens: number;
  paragraphsDropped: number;
  ms: number;
  raw: string;
}

export const QA_SYSTEM =
  'You answer questions using only the given paragraphs. Give the shortest answer that is correct: a name, a phrase, a number, or yes/no.';

export function qaSchema(s: Pick<QaAnswerSettings, 'reasoning' | 'maxAnswerChars' | 'maxReasoningChars'>): JsonSchema {
  const answer = { type: 'string', maxLength: s.maxAnswerChars };
  return s.reasoning
    ? {
        type: 'object',
        properties: { reasoning: { type: 'string', maxLength: s.maxReasoningChars }, answer },
        required: ['reasoning', 'answer'],
        additionalProperties: false,
      }
    : { type: 'object', properties: { answer }, required: ['answer'], additionalProperties: false };
}

/**
 * Generation budget: enough for the bounded strings at ~3 tokens per character (small vocabularies spell
 * rare words in pieces) plus the JSON around them; a cut JSON is repaired, never fatal.
 */
export function qaTokenBudget(s: Pick<QaAnswerSettings, 'reasoning' | 'maxAnswerChars' | 'maxReasoningChars'>): number {
  return 32 + 3 * (s.maxAnswerChars + (s.reasoning ? s.maxReasoningChars : 0));
}

export function formatParagraphs(paragraphs: readonly HotpotParagraph[]): string {
  return paragraphs.map(([title, sentences]) => `${title}: ${sentences.join(' ')}`.trim()).join('\n');
}

export function qaUserPrompt(q: Pick<HotpotQuestion, 'question'>, paragraphs: readonly HotpotParagraph[], reasoning: boolean): string {
  const ask = reasoning
    ? 'Think step by step, then answer. Reply in JSON: {"reasoning": "your steps", "answer": "the short answer"}.'
    : 'Reply in JSON: {"answer": "the short answer"}.';
  return `Paragraphs:\n${formatParagraphs(paragraphs)}\n\nQuestion: ${q.question}\n${ask}`;
}

/** The prompt with as many paragraphs as fit in `budget` tokens (dropping from the end). */
export async function fitQaPrompt(
  backend: Pick<SlmBackend, 'countTokens'>,
  q: HotpotQuestion,
  reasoning: boolean,
  budget: number,
): Promise<{ prompt: string; dropped: number }> {
  let keep = q.context.length;
  const system = await backend.countTokens(QA_SYSTEM);
  for (;;) {
    const prompt = qaUserPrompt(q, q.context.slice(0, keep), reasoning);
    // +24: chat-template markers around the two messages.
    if (keep === 0 || system + (await backend.countTokens(prompt)) + 24 <= budget) return { prompt, dropped: q.context.length - keep };
    keep--;
  }
}

/** One string field of a JSON object reply, even when the token cap cut the string (closed; a cut escape dropped). */
export function readJsonStringField(text: string, name: string): string | null {
  try {
    const v = JSON.parse(text.trim()) as Record<string, unknown>;
    if (v && typeof v === 'object' && typeof v[name] === 'string') return v[name] as string;
  } catch {
    /* cut: read what is there */
  }
  const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)`).exec(text);
  if (!m) return null;
  try {
    return JSON.parse(`"${m[1]!.replace(/\\u[0-9a-fA-F]{0,3}$/, '').replace(/(^|[^\\])((?:\\\\)*)\\$/, '$1$2')}"`) as string;
  } catch {
    return m[1]!;
  }
}

/** Reads {"reasoning", "answer"} even when the token cap cut it (then the answer may be partial or empty). */
export function parseQaJson(text: string): { answer: string; reasoning: string | null } {
  return { answer: readJsonStringField(text, 'answer') ?? '', reasoning: readJsonStringField(text, 'reasoning') };
}

export async function answerQuestion(backend: SlmBackend, q: HotpotQuestion, s: QaAnswerSettings, signal?: AbortSignal): Promise<QaAnswer> {
  const t0 = performance.now();
  const maxTokens = qaTokenBudget(s);
  const { prompt, dropped } = await fitQaPrompt(backend, q, s.reasoning, Math.max(64, s.contextSize - maxTokens));
  const r = await backend.generate({
    prompt,
    system: QA_SYSTEM,
    jsonSchema: qaSchema(s),
    settings: { temperature: 0, maxTokens },
    signal,
  });
  const parsed = parseQaJson(r.text);
  return {
    prediction: parsed.answer.trim(),
    reasoning: s.reasoning ? (parsed.reasoning ?? '') : null,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    paragraphsDropped: dropped,
    ms: performance.now() - t0,
    raw: r.text,
  };
}
