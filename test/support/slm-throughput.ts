/**
 * Decode-throughput measurement shared by benchmarks (bench/slm-throughput.ts calls this): loads a GGUF with
 * `parallel` sequences, runs one warm-up, then `parallel` concurrent completions of `maxTokens` tokens each.
 */
import os from 'node:os';
import { loadLocalModel } from '../../main/features/models/runtime.js';

export interface ThroughputRun {
  threads: number;
  parallel: number;
  loadMs: number;
  wallMs: number;
  promptTokens: number;
  completionTokens: number;
  /** All sequences' completion tokens / wall time. */
  aggregateTokensPerSecond: number;
  perSequenceTokensPerSecond: number[];
  /** CPU time the process used while decoding (user + system). */
  cpuMs: number;
  /**
   * completionTokens per CPU-second: with threads = 1 this approximates tokens/s on an idle core even when the
   * machine is busy (threads > 1 spin-wait, so their CPU time is not comparable).
   */
  tokensPerCpuSecond: number;
  /** 1-minute load average when the run started (results are meaningless on a busy machine). */
  loadAverage: number;
}

export async function measureDecodeThroughput(opts: {
  modelPath: string;
  threads: number;
  parallel: number;
  maxTokens?: number;
  contextSize?: number;
  prompt?: string;
}): Promise<ThroughputRun> {
  const loadAverage = os.loadavg()[0]!;
  const t0 = performance.now();
  const backend = await loadLocalModel({ modelPath: opts.modelPath, threads: opts.threads, contextSize: opts.contextSize ?? 1024, parallel: opts.parallel });
  const loadMs = performance.now() - t0;
  try {
    const prompt = opts.prompt ?? 'The user bought a luxury beauty product because';
    await backend.generate({ prompt, mode: 'completion', settings: { maxTokens: 4 } });
    const reqs = Array.from({ length: opts.parallel }, (_, i) => ({
      prompt,
      mode: 'completion' as const,
      settings: { maxTokens: opts.maxTokens ?? 64, temperature: 0.7, seed: i },
    }));
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await backend.generateMany(reqs);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t1;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const completionTokens = out.reduce((a, r) => a + r.completionTokens, 0);
    return {
      threads: opts.threads,
      parallel: opts.parallel,
      loadMs,
      wallMs,
      promptTokens: out.reduce((a, r) => a + r.promptTokens, 0),
      completionTokens,
      aggregateTokensPerSecond: (completionTokens * 1000) / wallMs,
      perSequenceTokensPerSecond: out.map((r) => r.timings.tokensPerSecond),
      cpuMs,
      tokensPerCpuSecond: (completionTokens * 1000) / cpuMs,
      loadAverage,
    };
  } finally {
    await backend.dispose();
  }
}
