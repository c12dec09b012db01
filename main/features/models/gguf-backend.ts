/**
 * The SlmBackend over one GGUF model loaded in node-llama-cpp (runtime.ts loads it): generation in chat or
 * completion mode with an optional JSON-schema grammar, rationales, embeddings, and continuation scores. One
 * context holds `parallel` sequences; concurrent requests each take a free sequence and are decoded in the same
 * batches, which is where the throughput gain on CPU comes from.
 */
import path from 'node:path';
import {
  LlamaChatSession,
  LlamaCompletion,
  type ChatHistoryItem,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
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
  type JsonSchema,
  type RationaleRequest,
  type RationaleResult,
  type SlmBackend,
} from './backend.js';

/** How the loaded model is used (runtime.ts fills in its defaults). */
export interface GgufBackendOptions {
  modelPath: string;
  threads: number;
  /** Sequences of the context: requests decoded together. */
  parallel: number;
  /** Context size of the embedding context (capped by the model's training context). */
  embeddingContextSize: number;
  /** false: clear each sequence before a request (bit-exact seeded samples); see LocalLoadOptions. */
  reusePromptPrefix?: boolean;
}

/**
 * Probabilities arrive as float32; one that underflowed to 0 is floored at the smallest float32 (log = -103.3)
 * so scores stay finite and comparable.
 */
const MIN_PROBABILITY = 1.4e-45;
function safeLog(p: number | undefined): number {
  return Math.log(Math.max(p ?? 0, MIN_PROBABILITY));
}

/** Hands out the context's sequences one request at a time. */
class SequencePool {
  private free: LlamaContextSequence[];
  private waiters: Array<(s: LlamaContextSequence) => void> = [];
  constructor(seqs: LlamaContextSequence[]) {
    this.free = [...seqs];
  }
  /** `clear: false` keeps the sequence's tokens so a request sharing a prefix with the last one skips it. */
  async use<T>(fn: (s: LlamaContextSequence) => Promise<T>, opts: { clear: boolean } = { clear: true }): Promise<T> {
    const seq = this.free.pop() ?? (await new Promise<LlamaContextSequence>((r) => this.waiters.push(r)));
    try {
      if (opts.clear) await seq.clearHistory();
      return await fn(seq);
    } finally {
      const next = this.waiters.shift();
      if (next) next(seq);
      else this.free.push(seq);
    }
  }
}

export class LocalGgufBackend implements SlmBackend {
  readonly kind = 'local-gguf' as const;
  private readonly pool: SequencePool;
  private embeddingContext: Promise<LlamaEmbeddingContext> | null = null;
  private grammars = new Map<string, Promise<LlamaGrammar>>();
  private disposed = false;

  /** Takes over the model and its context (with `parallel` sequences): dispose() releases both. */
  constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly options: GgufBackendOptions,
  ) {
    this.pool = new SequencePool(Array.from({ length: options.parallel }, () => context.getSequence()));
  }

  get hasChatTemplate(): boolean {
    return typeof this.model.fileInfo.metadata?.tokenizer?.chat_template === 'string';
  }

  async info(): Promise<BackendInfo> {
    return {
      kind: this.kind,
      model: path.basename(this.options.modelPath),
      contextSize: this.context.contextSize,
      parallel: this.options.parallel,
      embeddingSize: this.model.embeddingVectorSize,
      hasChatTemplate: this.hasChatTemplate,
    };
  }

  async tokenize(text: string): Promise<number[]> {
    return this.model.tokenize(text);
  }
  async detokenize(tokens: number[]): Promise<string> {
    return this.model.detokenize(tokens as Token[]);
  }
  async countTokens(text: string): Promise<number> {
    return this.model.tokenize(text).length;
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(schema as never) as Promise<LlamaGrammar>;
      this.grammars.set(key, g);
    }
    return g;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    this.assertOpen();
    const t0 = performance.now();
    const grammar = req.jsonSchema ? await this.grammarFor(req.jsonSchema) : undefined;
    const mode = req.mode === 'chat' || req.mode === 'completion' ? req.mode : this.hasChatTemplate ? 'chat' : 'completion';
    const s = req.settings ?? {};
    const sampling = {
      temperature: s.temperature ?? 0,
      topP: s.topP,
      topK: s.topK,
      seed: s.seed,
      maxTokens: s.maxTokens ?? 256,
      customStopTriggers: s.stop?.length ? s.stop : undefined,
      grammar,
      signal: req.signal,
      stopOnAbortSignal: true,
    };
    return this.pool.use(
      async (seq) => {
        const before = seq.tokenMeter.getState();
        const tokensBefore = [...seq.contextTokens];
        const tGen = performance.now();
        let text: string;
        let stop: string;
        const messages = toMessages(req);
        try {
          if (mode === 'chat') {
            const session = new LlamaChatSession({
              contextSequence: seq,
              autoDisposeSequence: false,
              systemPrompt: messages[0]?.role === 'system' ? messages[0].content : '',
            });
            try {
              const history: ChatHistoryItem[] = [];
              for (const m of messages.slice(0, -1)) {
                if (m.role === 'system') history.push({ type: 'system', text: m.content });
                else if (m.role === 'user') history.push({ type: 'user', text: m.content });
                else history.push({ type: 'model', response: [m.content] });
              }
              const last = messages.at(-1);
              if (!last || last.role !== 'user') throw new UserError('A chat request must end with a user message.', { code: 'bad_request' });
              if (history.length) session.setChatHistory(history);
              const r = await session.promptWithMeta(last.content, sampling);
              text = r.responseText;
              stop = r.stopReason;
            } finally {
              session.dispose({ disposeSequence: false });
            }
          } else {
            const prompt = typeof req.prompt === 'string' && !req.system ? req.prompt : chatToCompletionPrompt(messages);
            const completion = new LlamaCompletion({ contextSequence: seq, autoDisposeSequence: false });
            try {
              const r = await completion.generateCompletionWithMeta(prompt, sampling);
              text = r.response;
              stop = r.metadata.stopReason;
            } finally {
              completion.dispose({ disposeSequence: false });
            }
          }
        } catch (err) {
          // Aborted before the first token (while the prompt was evaluated): node-llama-cpp throws instead of stopping.
          if (!req.signal?.aborted) throw err;
          text = '';
          stop = 'abort';
        }
        const used = seq.tokenMeter.diff(before);
        const after = seq.contextTokens;
        let cached = 0;
        while (cached < tokensBefore.length && cached < after.length && tokensBefore[cached] === after[cached]) cached++;
        // The match may run into this request's own output when it repeats the previous one; count prompt only.
        cached = Math.min(cached, Math.max(0, after.length - used.usedOutputTokens));
        const genMs = performance.now() - tGen;
        const finishReason: FinishReason = stop === 'maxTokens' ? 'maxTokens' : stop === 'abort' ? 'abort' : 'stop';
        return {
          text,
          finishReason,
          promptTokens: used.usedInputTokens + cached,
          cachedPromptTokens: cached,
          completionTokens: used.usedOutputTokens,
          mode,
          timings: { totalMs: performance.now() - t0, tokensPerSecond: genMs > 0 ? (used.usedOutputTokens * 1000) / genMs : 0 },
        };
      },
      { clear: this.options.reusePromptPrefix === false },
    );
  }

  /** All requests are started at once; the pool lets `parallel` of them decode together. */
  async generateMany(reqs: GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(reqs.map((r) => this.generate(r)));
  }

  async generateRationale(req: RationaleRequest): Promise<RationaleResult> {
    const maxChars = req.maxChars ?? DEFAULT_RATIONALE_CHARS;
    const r = await this.generate({ ...req, jsonSchema: rationaleSchema(maxChars) });
    const parsed = repairRationaleJson(r.text);
    if (!parsed) {
      throw new UserError('The model returned no usable rationale JSON.', {
        hint: `Raise maxTokens (at most ${maxChars} characters need up to ${32 + 6 * maxChars} tokens) or lower maxChars.`,
        code: 'rationale_unparsable',
      });
    }
    return { ...r, rationale: clipChars(parsed.rationale, maxChars), repaired: parsed.repaired };
  }

  /** Creates the embedding context now rather than on the first embed(). */
  async prepareEmbeddings(): Promise<void> {
    await this.getEmbeddingContext();
  }

  private getEmbeddingContext(): Promise<LlamaEmbeddingContext> {
    if (!this.embeddingContext) {
      this.embeddingContext = this.model.createEmbeddingContext({
        contextSize: Math.min(this.options.embeddingContextSize, this.model.trainContextSize),
        threads: this.options.threads,
      });
      this.embeddingContext.catch(() => (this.embeddingContext = null));
    }
    return this.embeddingContext;
  }

  /** One vector per text, of the model's embedding size (decoder models: node-llama-cpp's pooled output). */
  async embed(texts: string[]): Promise<number[][]> {
    this.assertOpen();
    const ctx = await this.getEmbeddingContext();
    const out: number[][] = [];
    for (const t of texts) out.push([...(await ctx.getEmbeddingFor(t)).vector]);
    return out;
  }

  /**
   * Sum of log-probabilities of each candidate's tokens after the prompt. The prompt is evaluated once; each
   * candidate is appended, read, and erased again (see candidateTokens for how the text is split).
   * Probabilities come from the model's full softmax (no sampling options), hence deterministic. Cost: node-llama-cpp
   * returns the whole vocabulary's distribution per token (about 60 ms CPU per token for a 152k vocabulary).
   */
  async scoreContinuations(prompt: string, candidates: string[]): Promise<ContinuationScore[]> {
    this.assertOpen();
    const promptTokens = this.model.tokenize(prompt);
    if (promptTokens.length === 0) throw new UserError('The prompt to score against is empty.', { code: 'bad_request' });
    return this.pool.use(async (seq) => {
      const head = await seq.controlledEvaluate([...promptTokens.slice(0, -1), [promptTokens.at(-1)!, { generateNext: { probabilities: true } }]]);
      const firstProbs = head.at(-1)?.next.probabilities;
      if (!firstProbs) throw new Error('node-llama-cpp returned no probabilities for the prompt');
      const scores: ContinuationScore[] = [];
      for (const candidate of candidates) {
        const ct = this.candidateTokens(promptTokens, prompt, candidate);
        let logProb = 0;
        if (ct.length > 0) {
          logProb += safeLog(firstProbs.get(ct[0]!));
          if (ct.length > 1) {
            const res = await seq.controlledEvaluate(
              ct.slice(0, -1).map((t) => [t, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }]),
            );
            for (let i = 1; i < ct.length; i++) logProb += safeLog(res[i - 1]?.next.probabilities?.get(ct[i]!));
            await seq.eraseContextTokenRanges([{ start: promptTokens.length, end: seq.nextTokenIndex }]);
          }
        }
        scores.push({ candidate, logProb, tokens: ct.length, meanLogProb: ct.length ? logProb / ct.length : 0 });
      }
      return scores;
    });
  }

  /**
   * The candidate's tokens as the model would see them after the prompt: from tokenizing prompt + candidate
   * together when that keeps the prompt's tokens as a prefix (so " item" gets its usual leading-space token),
   * else from tokenizing the candidate alone (when a token would straddle the boundary).
   */
  private candidateTokens(promptTokens: Token[], prompt: string, candidate: string): Token[] {
    if (candidate.length === 0) return [];
    const joint = this.model.tokenize(prompt + candidate);
    if (joint.length > promptTokens.length && promptTokens.every((t, i) => joint[i] === t)) return joint.slice(promptTokens.length);
    return this.model.tokenize(candidate, false);
  }

  private assertOpen(): void {
    if (this.disposed) throw new UserError('This model has been unloaded.', { code: 'model_unloaded', hint: 'Load it again.' });
  }

  /** Unloads: embedding context, context, then model. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const emb = await this.embeddingContext?.catch(() => null);
    await emb?.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }
}
