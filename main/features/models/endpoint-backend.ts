/**
 * {@link SlmBackend} over an OpenAI-compatible HTTP server (llama.cpp server, vLLM, Ollama, LM Studio, hosted
 * APIs): POST {base}/v1/chat/completions and /v1/completions, /v1/embeddings, GET /v1/models. The API key is read
 * from a {@link SecretStore} at each request, so it is never held in settings or written to the workspace.
 */
import { UserError } from '../../base/errors.js';
import {
  chatToCompletionPrompt,
  clipChars,
  DEFAULT_RATIONALE_CHARS,
  rationaleSchema,
  repairRationaleJson,
  toMessages,
  type BackendInfo,
  type ContinuationScore,
  type FinishReason,
  type GenerateRequest,
  type GenerateResult,
  type RationaleRequest,
  type RationaleResult,
  type SlmBackend,
} from './backend.js';
import { ENDPOINT_API_KEY, type SecretStore } from './secret-store.js';

export interface EndpointOptions {
  /** e.g. http://127.0.0.1:8080 or https://api.example.com (with or without a trailing /v1). */
  baseUrl: string;
  model: string;
  /** Model for /v1/embeddings; defaults to `model`. */
  embeddingModel?: string;
  secrets?: SecretStore;
  /** Secret key name; default 'endpoint-api-key'. */
  apiKeySecret?: string;
  /** Requests in flight at once in generateMany. Default 4. */
  parallel?: number;
  timeoutMs?: number;
  /**
   * How to ask for JSON: 'json_schema' (response_format with the schema; llama.cpp server, vLLM, OpenAI),
   * 'json_object', or 'none' (prompt only, output repaired). Default 'json_schema'.
   */
  structuredOutput?: 'json_schema' | 'json_object' | 'none';
}

export interface EndpointModel {
  id: string;
  ownedBy: string | null;
}

/** Approximate token count when the server cannot tokenize: ~4 characters per token for English. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

interface CompletionChoice {
  text?: string;
  message?: { content?: string | null };
  finish_reason?: string | null;
  logprobs?: { tokens?: string[]; token_logprobs?: Array<number | null>; text_offset?: number[] } | null;
}

export class EndpointBackend implements SlmBackend {
  readonly kind = 'endpoint' as const;
  private readonly root: string;
  private canTokenize: boolean | null = null;
  private embeddingSize: number | null = null;

  constructor(readonly options: EndpointOptions) {
    let u: URL;
    try {
      u = new URL(options.baseUrl);
    } catch {
      throw new UserError(`Not a valid endpoint URL: ${options.baseUrl}`, { hint: 'Write it like http://127.0.0.1:8080', code: 'endpoint_url' });
    }
    this.root = u.toString().replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const key = await this.options.secrets?.get(this.options.apiKeySecret ?? ENDPOINT_API_KEY);
    if (key) h.authorization = `Bearer ${key}`;
    return h;
  }

  private async call<T>(method: 'GET' | 'POST', route: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${this.root}${route}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 300_000);
    const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { method, headers: await this.headers(), body: body === undefined ? undefined : JSON.stringify(body), signal: sig });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new UserError(`Cannot reach the endpoint ${this.root}: ${(err as Error).message}`, {
        hint: 'Check the URL and that the server is running.',
        code: 'endpoint_unreachable',
      });
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const msg = (json as { error?: { message?: string } } | null)?.error?.message ?? text.slice(0, 200);
      const hint =
        res.status === 401 || res.status === 403
          ? 'Set the endpoint API key (stored encrypted in the desktop app; PULSE_ENDPOINT_API_KEY in plain Node).'
          : res.status === 404
            ? 'Check the model name (GET /v1/models lists them) and the base URL.'
            : undefined;
      throw new UserError(`Endpoint error HTTP ${res.status} on ${route}: ${msg}`, { hint, code: `endpoint_http_${res.status}` });
    }
    if (json === null) throw new UserError(`The endpoint returned no JSON on ${route}.`, { code: 'endpoint_protocol' });
    return json as T;
  }

  async listModels(): Promise<EndpointModel[]> {
    const r = await this.call<{ data?: Array<{ id: string; owned_by?: string }> }>('GET', '/v1/models');
    return (r.data ?? []).map((m) => ({ id: m.id, ownedBy: m.owned_by ?? null }));
  }

  async info(): Promise<BackendInfo> {
    return {
      kind: this.kind,
      model: this.options.model,
      contextSize: null,
      parallel: this.options.parallel ?? 4,
      embeddingSize: this.embeddingSize,
      hasChatTemplate: null,
    };
  }

  /** Uses llama.cpp server's POST /tokenize when present; other servers cannot tokenize. */
  async tokenize(text: string): Promise<number[]> {
    if (this.canTokenize !== false) {
      try {
        const r = await this.call<{ tokens: Array<number | { id: number }> }>('POST', '/tokenize', { content: text });
        this.canTokenize = true;
        return r.tokens.map((t) => (typeof t === 'number' ? t : t.id));
      } catch (err) {
        if (!(err instanceof UserError) || !/^endpoint_http_(404|405|501)$/.test(err.code)) throw err;
        this.canTokenize = false;
      }
    }
    throw new UserError('This endpoint cannot tokenize text.', { hint: 'Token counts are estimated instead.', code: 'endpoint_unsupported' });
  }

  async detokenize(tokens: number[]): Promise<string> {
    const r = await this.call<{ content: string }>('POST', '/detokenize', { tokens });
    return r.content;
  }

  /** Exact with a llama.cpp server, else an estimate (characters / 4). */
  async countTokens(text: string): Promise<number> {
    try {
      return (await this.tokenize(text)).length;
    } catch (err) {
      if (err instanceof UserError && err.code === 'endpoint_unsupported') return Math.ceil(text.length / CHARS_PER_TOKEN_ESTIMATE);
      throw err;
    }
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const t0 = performance.now();
    const s = req.settings ?? {};
    const mode = req.mode === 'completion' ? 'completion' : 'chat';
    const common: Record<string, unknown> = {
      model: this.options.model,
      max_tokens: s.maxTokens ?? 256,
      temperature: s.temperature ?? 0,
      ...(s.topP !== undefined ? { top_p: s.topP } : {}),
      ...(s.topK !== undefined ? { top_k: s.topK } : {}),
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
      ...(s.stop?.length ? { stop: s.stop } : {}),
    };
    const so = this.options.structuredOutput ?? 'json_schema';
    if (req.jsonSchema && so === 'json_schema') {
      common.response_format = { type: 'json_schema', json_schema: { name: 'output', strict: true, schema: req.jsonSchema } };
    } else if (req.jsonSchema && so === 'json_object') {
      common.response_format = { type: 'json_object' };
    }
    const messages = toMessages(req);
    const r =
      mode === 'chat'
        ? await this.call<{ choices: CompletionChoice[]; usage?: { prompt_tokens?: number; completion_tokens?: number } }>(
            'POST',
            '/v1/chat/completions',
            { ...common, messages },
            req.signal,
          )
        : await this.call<{ choices: CompletionChoice[]; usage?: { prompt_tokens?: number; completion_tokens?: number } }>(
            'POST',
            '/v1/completions',
            { ...common, prompt: typeof req.prompt === 'string' && !req.system ? req.prompt : chatToCompletionPrompt(messages) },
            req.signal,
          );
    const choice = r.choices?.[0];
    if (!choice) throw new UserError('The endpoint returned no choices.', { code: 'endpoint_protocol' });
    const text = (mode === 'chat' ? choice.message?.content : choice.text) ?? '';
    const finishReason: FinishReason = choice.finish_reason === 'length' ? 'maxTokens' : 'stop';
    const totalMs = performance.now() - t0;
    const completionTokens = r.usage?.completion_tokens ?? (await this.countTokens(text));
    return {
      text,
      finishReason,
      promptTokens: r.usage?.prompt_tokens ?? 0,
      completionTokens,
      mode,
      timings: { totalMs, tokensPerSecond: totalMs > 0 ? (completionTokens * 1000) / totalMs : 0 },
    };
  }

  async generateMany(reqs: GenerateRequest[]): Promise<GenerateResult[]> {
    const out: GenerateResult[] = new Array(reqs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < reqs.length) {
        const i = next++;
        out[i] = await this.generate(reqs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.parallel ?? 4, reqs.length) }, worker));
    return out;
  }

  async generateRationale(req: RationaleRequest): Promise<RationaleResult> {
    const maxChars = req.maxChars ?? DEFAULT_RATIONALE_CHARS;
    const r = await this.generate({ ...req, jsonSchema: rationaleSchema(maxChars) });
    const parsed = repairRationaleJson(r.text);
    if (!parsed) {
      throw new UserError('The endpoint returned no usable rationale JSON.', {
        hint: "If the server ignores response_format, set structuredOutput to 'none' and ask for JSON in the prompt.",
        code: 'rationale_unparsable',
      });
    }
    return { ...r, rationale: clipChars(parsed.rationale, maxChars), repaired: parsed.repaired };
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const r = await this.call<{ data: Array<{ index: number; embedding: number[] }> }>('POST', '/v1/embeddings', {
      model: this.options.embeddingModel ?? this.options.model,
      input: texts,
    });
    const out = [...r.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    if (out.length !== texts.length)
      throw new UserError(`The endpoint returned ${out.length} embeddings for ${texts.length} texts.`, { code: 'endpoint_protocol' });
    this.embeddingSize = out[0]?.length ?? null;
    return out;
  }

  /**
   * Legacy completions with `echo: true, max_tokens: 0, logprobs: 0` (vLLM, OpenAI-style servers): the server
   * returns the log-probability of every prompt token; the candidate's are those at or after the prompt's end.
   */
  async scoreContinuations(prompt: string, candidates: string[]): Promise<ContinuationScore[]> {
    const out: ContinuationScore[] = [];
    for (const candidate of candidates) {
      if (candidate.length === 0) {
        out.push({ candidate, logProb: 0, tokens: 0, meanLogProb: 0 });
        continue;
      }
      const r = await this.call<{ choices: CompletionChoice[] }>('POST', '/v1/completions', {
        model: this.options.model,
        prompt: prompt + candidate,
        max_tokens: 0,
        echo: true,
        logprobs: 0,
        temperature: 0,
      });
      const lp = r.choices?.[0]?.logprobs;
      if (!lp?.token_logprobs || !lp.text_offset) {
        throw new UserError('This endpoint does not return prompt log-probabilities (echo + logprobs).', {
          hint: 'Use the local GGUF runtime or a vLLM server for likelihood scoring.',
          code: 'endpoint_unsupported',
        });
      }
      let logProb = 0;
      let tokens = 0;
      lp.text_offset.forEach((off, i) => {
        if (off >= prompt.length) {
          logProb += lp.token_logprobs![i] ?? 0;
          tokens++;
        }
      });
      out.push({ candidate, logProb, tokens, meanLogProb: tokens ? logProb / tokens : 0 });
    }
    return out;
  }

  async dispose(): Promise<void> {
    /* stateless */
  }
}
