/**
 * A small OpenAI-compatible server on 127.0.0.1 for endpoint tests. It parses and checks real requests and
 * answers with protocol-shaped responses: /v1/models, /v1/chat/completions (incl. response_format json_schema
 * with a string maxLength), /v1/completions (incl. echo + logprobs), /v1/embeddings, and llama.cpp's /tokenize.
 * Text is "tokenized" by splitting into words and spaces so token counts and logprobs are deterministic.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAiOptions {
  /** Require `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  models?: string[];
  embeddingDim?: number;
  /** Serve llama.cpp's POST /tokenize. Default true. */
  tokenize?: boolean;
  /** Answer 400 to any request carrying response_format (a server without structured output). */
  rejectResponseFormat?: boolean;
  /** Delay per completion (ms), to observe concurrency. */
  delayMs?: number;
}

export interface FakeOpenAiServer {
  url: string;
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown }>;
  /** Most completions in flight at once. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export function fakeTokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

function fakeLogprob(token: string, contextLength: number): number {
  const h = crypto.createHash('sha256').update(`${contextLength}:${token}`).digest();
  return -0.05 - (h[0]! / 255) * 3;
}

const WORDS = 'the user prefers quality brands and chose this item because it matches earlier purchases'.split(' ');

function makeText(seed: number, words: number): string {
  return Array.from({ length: words }, (_, i) => WORDS[(seed + i * 7) % WORDS.length]).join(' ');
}

export async function startFakeOpenAiServer(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const models = opts.models ?? ['fake-slm'];
  const state: FakeOpenAiServer = { url: '', requests: [], maxConcurrent: 0, close: async () => {} };
  let inFlight = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, type = 'invalid_request_error'): void => send(status, { error: { message, type, code: null } });

    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      if (!String(req.headers['content-type'] ?? '').includes('application/json')) return error(415, 'Content-Type must be application/json');
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return error(400, 'Invalid JSON body');
      }
    }
    state.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return error(401, 'Incorrect API key provided', 'authentication_error');

    const needModel = (): string | null => {
      const m = body.model;
      if (typeof m !== 'string' || !models.includes(m)) {
        error(404, `The model '${String(m)}' does not exist`);
        return null;
      }
      return m;
    };
    const created = Math.floor(Date.now() / 1000);

    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return send(200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake' })) });
    }
    if (req.method === 'POST' && url.pathname === '/tokenize' && opts.tokenize !== false) {
      if (typeof body.content !== 'string') return error(400, '"content" must be a string');
      return send(200, { tokens: fakeTokens(body.content).map((t) => crypto.createHash('sha256').update(t).digest().readUInt16LE(0)) });
    }
    if (req.method === 'POST' && url.pathname === '/v1/embeddings') {
      const model = needModel();
      if (!model) return;
      const input = body.input;
      const texts = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((x) => typeof x === 'string') ? (input as string[]) : null;
      if (!texts) return error(400, '"input" must be a string or an array of strings');
      const dim = opts.embeddingDim ?? 16;
      return send(200, {
        object: 'list',
        model,
        data: texts.map((t, index) => {
          const h = crypto.createHash('sha512').update(t).digest();
          return { object: 'embedding', index, embedding: Array.from({ length: dim }, (_, i) => (h[i % h.length]! - 128) / 128) };
        }),
        usage: { prompt_tokens: texts.reduce((a, t) => a + fakeTokens(t).length, 0), total_tokens: texts.reduce((a, t) => a + fakeTokens(t).length, 0) },
      });
    }
    const isChat = url.pathname === '/v1/chat/completions';
    if (req.method === 'POST' && (isChat || url.pathname === '/v1/completions')) {
      const model = needModel();
      if (!model) return;
      if (body.response_format !== undefined && opts.rejectResponseFormat) return error(400, "'response_format' is not supported by this server");
      let promptText: string;
      if (isChat) {
        const msgs = body.messages;
        if (!Array.isArray(msgs) || msgs.length === 0) return error(400, '"messages" must be a non-empty array');
        for (const m of msgs as Array<Record<string, unknown>>) {
          if (!['system', 'user', 'assistant'].includes(String(m.role)) || typeof m.content !== 'string')
            return error(400, 'each message needs a role and string content');
        }
        promptText = (msgs as Array<{ role: string; content: string }>).map((m) => `${m.role}: ${m.content}`).join('\n');
      } else {
        if (typeof body.prompt !== 'string') return error(400, '"prompt" must be a string');
        promptText = body.prompt;
      }
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
      const seed = typeof body.seed === 'number' ? body.seed : 0;
      inFlight++;
      state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      inFlight--;

      let text: string;
      let finish = 'stop';
      let logprobs: unknown = null;
      const rf = body.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
      if (rf && rf.type === 'json_schema') {
        const props = (rf.json_schema?.schema?.properties ?? {}) as Record<string, { type?: string; maxLength?: number }>;
        const obj: Record<string, string> = {};
        for (const [k, v] of Object.entries(props)) {
          if (v.type !== 'string') return error(400, 'this fake server only fills string properties');
          obj[k] = makeText(seed, 40).slice(0, v.maxLength ?? 200);
        }
        text = JSON.stringify(obj);
      } else if (!isChat && body.echo === true && maxTokens === 0) {
        // Scoring: return the prompt itself with per-token logprobs (first token has none, as in the API).
        text = promptText;
        const toks = fakeTokens(promptText);
        const offsets: number[] = [];
        let off = 0;
        for (const t of toks) {
          offsets.push(off);
          off += t.length;
        }
        logprobs = {
          tokens: toks,
          token_logprobs: toks.map((t, i) => (i === 0 ? null : fakeLogprob(t, offsets[i]!))),
          text_offset: offsets,
          top_logprobs: null,
        };
      } else {
        const words = makeText(seed, 64).split(' ');
        const n = Math.min(words.length, Math.ceil(maxTokens / 2));
        text = words.slice(0, n).join(' ');
        if (fakeTokens(text).length >= maxTokens) {
          text = fakeTokens(text).slice(0, maxTokens).join('');
          finish = 'length';
        }
      }
      const promptTokens = fakeTokens(promptText).length;
      const completionTokens = body.echo ? 0 : fakeTokens(text).length;
      const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
      const id = `cmpl-${crypto.randomBytes(6).toString('hex')}`;
      if (isChat) {
        return send(200, {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }],
          usage,
        });
      }
      return send(200, { id, object: 'text_completion', created, model, choices: [{ index: 0, text, logprobs, finish_reason: finish }], usage });
    }
    error(404, `Unknown route ${req.method} ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
