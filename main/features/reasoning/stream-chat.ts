/**
 * Streaming generation for the QA probe, straight on node-llama-cpp: the SLM backend contract returns whole
 * results only, and a person asking a question should see the answer as it is written. A small adapter until
 * the backend offers a text-chunk callback; same runtime (prebuilt binaries, explicit threads, CPU by default).
 */
import path from 'node:path';
import { LlamaChatSession, LlamaCompletion } from 'node-llama-cpp';
import { UserError } from '../../base/errors.js';
import { chatToCompletionPrompt, defaultThreads, getLlamaRuntime } from '../models/runtime.js';

export interface StreamChatOptions {
  modelPath: string;
  system: string;
  user: string;
  maxTokens: number;
  threads?: number;
  contextSize?: number;
  onText(chunk: string): void;
  signal?: AbortSignal;
}

export async function streamChat(o: StreamChatOptions): Promise<{ text: string; ms: number }> {
  const t0 = performance.now();
  const llama = await getLlamaRuntime(false);
  let model;
  try {
    model = await llama.loadModel({ modelPath: path.resolve(o.modelPath), gpuLayers: 0 });
  } catch (err) {
    throw new UserError(`Could not load the model: ${(err as Error).message}`, {
      file: o.modelPath,
      hint: 'Check that the file is a complete GGUF model.',
      code: 'model_load_failed',
    });
  }
  try {
    const context = await model.createContext({ contextSize: Math.min(o.contextSize ?? 4096, model.trainContextSize), threads: o.threads ?? defaultThreads() });
    try {
      const sequence = context.getSequence();
      const opts = { maxTokens: o.maxTokens, temperature: 0, onTextChunk: o.onText, signal: o.signal, stopOnAbortSignal: true };
      let text: string;
      if (typeof model.fileInfo.metadata?.tokenizer?.chat_template === 'string') {
        const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: o.system });
        text = await session.prompt(o.user, opts);
      } else {
        const completion = new LlamaCompletion({ contextSequence: sequence });
        text = await completion.generateCompletion(
          chatToCompletionPrompt([
            { role: 'system', content: o.system },
            { role: 'user', content: o.user },
          ]),
          opts,
        );
      }
      return { text, ms: performance.now() - t0 };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}
