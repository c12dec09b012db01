/**
 * The contract every SLM backend meets (local GGUF through node-llama-cpp, or an OpenAI-compatible endpoint),
 * plus the rationale JSON helpers both share. Callers (rationale jobs, Tree-of-Thought, the SLM ranker) depend on
 * this file only.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface SamplingSettings {
  /** 0 = greedy. The paper samples rationales at 0.7. */
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Same seed + same settings + same prompt = same output (local backend; endpoints may ignore it). */
  seed?: number;
  /** Hard cap on generated tokens. The paper uses 150 new tokens. */
  maxTokens?: number;
  /** Extra stop strings. */
  stop?: string[];
}

/** A JSON schema for the output (converted to a GBNF grammar locally; `response_format` on endpoints). */
export type JsonSchema = Record<string, unknown>;

export interface GenerateRequest {
  /** A user prompt (string) or a full chat. */
  prompt: string | ChatMessage[];
  /** System prompt when `prompt` is a string. */
  system?: string;
  settings?: SamplingSettings;
  /** Constrain the output to this JSON schema. */
  jsonSchema?: JsonSchema;
  /** 'auto' (default): chat when the model has a chat template, else plain completion. */
  mode?: 'auto' | 'chat' | 'completion';
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'maxTokens' | 'abort';

export interface GenerateTimings {
  /** Wall time of this request, including waiting for a free sequence. */
  totalMs: number;
  /** Completion tokens / generation wall time. */
  tokensPerSecond: number;
}

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  /** Prompt length in tokens (cached + evaluated; may be off by one when the whole prompt was cached). */
  promptTokens: number;
  /** Prompt tokens reused from the sequence's previous request instead of evaluated (local backend). */
  cachedPromptTokens?: number;
  completionTokens: number;
  /** 'chat' or 'completion': which path produced it. */
  mode: 'chat' | 'completion';
  timings: GenerateTimings;
}

export interface RationaleRequest extends Omit<GenerateRequest, 'jsonSchema'> {
  /** Upper bound on the rationale string's length in characters (JSON `maxLength`). Default 600 (~100 words). */
  maxChars?: number;
}

export interface RationaleResult extends GenerateResult {
  rationale: string;
  /**
   * True when the token cap cut the JSON and it was closed by {@link repairRationaleJson}; cannot happen when
   * `maxTokens >= rationaleTokenBudget(maxChars)`.
   */
  repaired: boolean;
}

export interface ContinuationScore {
  candidate: string;
  /** Sum of natural-log probabilities of the candidate's tokens given the prompt. */
  logProb: number;
  tokens: number;
  /** logProb / tokens (length-normalised). */
  meanLogProb: number;
}

export interface BackendInfo {
  kind: 'local-gguf' | 'endpoint';
  model: string;
  contextSize: number | null;
  /** Parallel sequences this backend decodes at once. */
  parallel: number;
  embeddingSize: number | null;
  hasChatTemplate: boolean | null;
}

export interface SlmBackend {
  readonly kind: BackendInfo['kind'];
  info(): Promise<BackendInfo>;
  tokenize(text: string): Promise<number[]>;
  detokenize(tokens: number[]): Promise<string>;
  countTokens(text: string): Promise<number>;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** Runs requests concurrently, up to the backend's parallelism; results keep the input order. */
  generateMany(reqs: GenerateRequest[]): Promise<GenerateResult[]>;
  /** JSON `{"rationale": string}` with the string's length bounded, parsed. */
  generateRationale(req: RationaleRequest): Promise<RationaleResult>;
  embed(texts: string[]): Promise<number[][]>;
  /** Log-likelihood of each candidate continuation given the prompt (for ranking candidates). */
  scoreContinuations(prompt: string, candidates: string[]): Promise<ContinuationScore[]>;
  dispose(): Promise<void>;
}

/** Default rationale bound: the paper asks for "under about 100 words". */
export const DEFAULT_RATIONALE_CHARS = 600;

/** `{"rationale": string}` with `maxLength`. */
export function rationaleSchema(maxChars: number = DEFAULT_RATIONALE_CHARS): JsonSchema {
  return {
    type: 'object',
    properties: { rationale: { type: 'string', maxLength: maxChars } },
    required: ['rationale'],
    additionalProperties: false,
  };
}

/**
 * Tokens that always suffice for a grammar-constrained `{"rationale": "<maxChars chars>"}`. Rule: the JSON
 * grammar allows `\uXXXX` escapes, so in the worst case (byte-fallback tokens) one character costs 6 tokens;
 * the structure (`{"rationale":"` ... `"}`, whitespace, end of generation) is at most 32 tokens even
 * spelled byte by byte. Real models need far less (about 1 token per 4 characters of English); use this
 * when a cut JSON must be impossible, otherwise rely on {@link repairRationaleJson}.
 */
export function rationaleTokenBudget(maxChars: number): number {
  return 32 + 6 * maxChars;
}

/**
 * Parses `{"rationale": ...}`; when the text was cut inside the string (token cap), closes it: drops a
 * trailing partial escape, then appends `"}`. Returns null when nothing usable is there.
 */
export function repairRationaleJson(text: string): { rationale: string; repaired: boolean } | null {
  const direct = tryParseRationale(text);
  if (direct !== null) return { rationale: direct, repaired: false };
  const start = text.search(/"rationale"\s*:\s*"/);
  if (start < 0) {
    // Cut before the string even opened (`{ "ratio`): an empty rationale.
    const compact = text.replace(/\s+/g, '');
    return compact.length > 0 && '{"rationale":"'.startsWith(compact) ? { rationale: '', repaired: true } : null;
  }
  let body = text.slice(text.indexOf('"', text.indexOf(':', start)) + 1);
  // A cut escape (`\`, `\u12`) would make the closed string invalid.
  body = body.replace(/\\u[0-9a-fA-F]{0,3}$/, '').replace(/(^|[^\\])((?:\\\\)*)\\$/, '$1$2');
  const closed = tryParseRationale(`{"rationale":"${body}"}`);
  return closed === null ? null : { rationale: closed, repaired: true };
}

/**
 * Clips to `maxChars` code points. The grammar counts characters, but a random or broken model can emit bytes
 * that are not valid UTF-8; each decodes to U+FFFD and the decoded string can then exceed the bound.
 */
export function clipChars(text: string, maxChars: number): string {
  const cps = [...text];
  return cps.length <= maxChars ? text : cps.slice(0, maxChars).join('');
}

function tryParseRationale(text: string): string | null {
  try {
    const v = JSON.parse(text.trim()) as unknown;
    if (v && typeof v === 'object' && typeof (v as { rationale?: unknown }).rationale === 'string') {
      return (v as { rationale: string }).rationale;
    }
  } catch {
    /* not (yet) valid JSON */
  }
  return null;
}

/** Plain-completion rendering of a chat, for models without a chat template. */
export function chatToCompletionPrompt(messages: ChatMessage[]): string {
  const parts = messages.map((m) => (m.role === 'system' ? m.content : `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content}`));
  return `${parts.join('\n\n')}\n\nAssistant:`;
}

/** Normalises a request's prompt to messages. */
export function toMessages(req: Pick<GenerateRequest, 'prompt' | 'system'>): ChatMessage[] {
  if (typeof req.prompt !== 'string') return req.prompt;
  return [...(req.system ? [{ role: 'system' as const, content: req.system }] : []), { role: 'user' as const, content: req.prompt }];
}
