/**
 * Rationale generation throughput on the 0.5B-shaped GGUF (Qwen2.5-0.5B shapes, Q8_0, random weights): the job
 * system ('rationales.generate' in a worker thread, writing every row with provenance) against node-llama-cpp
 * driven directly with the same prompts, settings, seeds and grammar, for 1 and several parallel sequences.
 * Prints tokens/s and users/s for each, the job system's overhead in percent, and the parallel speed-up.
 *
 *   npm run build:host && node scripts/run-ts.mjs bench/generation-throughput.ts [--users 8] [--parallel 1,4]
 *     [--threads 1] [--max-tokens 48] [--context 512] [--model FILE]
 *
 * Model load time is excluded on both sides (each side loads once per parallel setting); prompt rendering,
 * grammar creation, prompt evaluation, decoding and (for the job) writing rows are included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getLlama, LlamaChatSession, type LlamaContextSequence } from 'node-llama-cpp';
import type { Contributions, Host as HostType } from '../main/platform/host/host.js';
import type { GenerateResult } from '../main/features/rationales/generate-job.js';
import { preparePrompt, resolveSettings, type GenerationSettings, type PreparedPrompt } from '../main/features/rationales/generator.js';
import { parseTemplate } from '../main/features/rationales/prompt-template.js';
import { userIndices } from '../main/features/rationales/rationale-store.js';
import { datasetByName } from '../main/features/datasets/dataset-ref.js';
import { ensureDefaultTemplate } from '../main/features/rationales/template-store.js';
import { loadLocalModel } from '../main/features/models/runtime.js';
import { rationaleSchema } from '../main/features/models/backend.js';
import { importOffice } from '../test/support/rationale-data.js';
import { tempDir } from '../test/support/temp.js';
import { write05bShapedModel } from '../test/support/tiny-gguf.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '8' },
    parallel: { type: 'string', default: '1,4' },
    threads: { type: 'string', default: '1' },
    'max-tokens': { type: 'string', default: '48' },
    'max-chars': { type: 'string', default: '200' },
    context: { type: 'string', default: '512' },
    model: { type: 'string' },
  },
});
const USERS = Number(values.users);
const PARALLEL = values.parallel!.split(',').map(Number);
const THREADS = Number(values.threads);
const CONTEXT = Number(values.context);
const OVER: Partial<GenerationSettings> = { maxTokens: Number(values['max-tokens']), maxChars: Number(values['max-chars']), seed: 1 };

interface Row {
  side: 'job' | 'direct';
  parallel: number;
  users: number;
  completionTokens: number;
  seconds: number;
  tokensPerSecond: number;
  usersPerSecond: number;
}

// Jobs run the compiled worker: take the Host and the features from build/ (this script is bundled elsewhere by run-ts).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = (...p: string[]) => pathToFileURL(path.join(fs.existsSync(path.join(root, 'build')) ? root : process.cwd(), 'build', 'main', ...p)).href;
const { Host } = (await import(built('platform', 'host', 'host.js'))) as { Host: typeof HostType };
const { CONTRIBUTIONS } = (await import(built('features', 'index.js'))) as { CONTRIBUTIONS: Contributions };

const model = values.model ? path.resolve(values.model) : write05bShapedModel().file;
const t = tempDir('pulse-bench-gen-');
const host = Host.open(t.dir, 'cli', CONTRIBUTIONS);
const db = host.workspace.db;
if ((await importOffice(db, 'office')) === null) throw new Error('amazon_office_lcrec not found (set PULSE_DATA_DIR)');
const ds = datasetByName(db, 'office');
const users = userIndices(db, ds.id, USERS);
const template = ensureDefaultTemplate(db);
const parsed = parseTemplate(template.body);
const settings = resolveSettings(parsed, OVER);

/** node-llama-cpp on its own: same prompts (rendered and fitted like the job does), seeds, sampling and grammar. */
async function direct(parallel: number): Promise<Row> {
  // The same prompts the job renders (rendering is timed on the job side only; it is cheap next to decoding).
  const counter = await loadLocalModel({ modelPath: model, threads: THREADS, contextSize: CONTEXT, parallel: 1 });
  const prompts: PreparedPrompt[] = [];
  for (const u of users) prompts.push((await preparePrompt(db, ds.id, u, undefined, parsed, settings, counter, (await counter.info()).contextSize, null))!);
  await counter.dispose();

  const llama = await getLlama({ build: 'never', gpu: false, logLevel: 'error' as never, progressLogs: false });
  const m = await llama.loadModel({ modelPath: model, gpuLayers: 0 });
  const ctx = await m.createContext({ contextSize: CONTEXT, sequences: parallel, threads: THREADS });
  const free: LlamaContextSequence[] = Array.from({ length: parallel }, () => ctx.getSequence());
  const t0 = performance.now();
  const grammar = await llama.createGrammarForJsonSchema(rationaleSchema(settings.maxChars) as never);
  let completionTokens = 0;
  let next = 0;
  await Promise.all(
    free.map(async (seq) => {
      while (next < prompts.length) {
        const p = prompts[next++]!;
        await seq.clearHistory();
        const before = seq.tokenMeter.getState();
        const session = new LlamaChatSession({ contextSequence: seq, autoDisposeSequence: false, systemPrompt: p.rendered.system });
        await session.promptWithMeta(p.rendered.user, { temperature: settings.temperature, seed: p.seed, maxTokens: settings.maxTokens, grammar });
        session.dispose({ disposeSequence: false });
        completionTokens += seq.tokenMeter.diff(before).usedOutputTokens;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await ctx.dispose();
  await m.dispose();
  return {
    side: 'direct',
    parallel,
    users: users.length,
    completionTokens,
    seconds,
    tokensPerSecond: completionTokens / seconds,
    usersPerSecond: users.length / seconds,
  };
}

async function viaJob(parallel: number): Promise<Row> {
  const params = { dataset: 'office', model, users: USERS, parallel, threads: THREADS, contextSize: CONTEXT, settings: OVER, regenerate: true };
  const job = await host.jobs.wait(host.jobs.start('rationales.generate', params, `bench P=${parallel}`).id);
  if (job.state !== 'succeeded') throw new Error(`job ${job.state}: ${job.error?.message}`);
  const r = job.result as GenerateResult;
  if (r.failed) throw new Error(`${r.failed} users failed`);
  return {
    side: 'job',
    parallel,
    users: r.generated,
    completionTokens: r.completionTokens,
    seconds: r.seconds,
    tokensPerSecond: r.tokensPerSecond,
    usersPerSecond: r.usersPerSecond,
  };
}

console.log(`model: ${path.basename(model)} | users ${USERS} | threads ${THREADS} | context ${CONTEXT} | settings ${JSON.stringify(settings)}`);
console.log(
  `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
const rows: Row[] = [];
for (const p of PARALLEL) {
  rows.push(await viaJob(p));
  rows.push(await direct(p));
  for (const r of rows.slice(-2)) {
    console.log(
      `${r.side.padEnd(6)} P=${r.parallel}  users ${r.users}  tokens ${r.completionTokens}  ${r.seconds.toFixed(1)} s  ${r.tokensPerSecond.toFixed(2)} tokens/s  ${r.usersPerSecond.toFixed(3)} users/s`,
    );
  }
}
console.log('');
for (const p of PARALLEL) {
  const j = rows.find((r) => r.side === 'job' && r.parallel === p)!;
  const d = rows.find((r) => r.side === 'direct' && r.parallel === p)!;
  console.log(
    `P=${p}: job system overhead ${((100 * (d.tokensPerSecond - j.tokensPerSecond)) / d.tokensPerSecond).toFixed(1)}% (tokens/s), ${((100 * (d.usersPerSecond - j.usersPerSecond)) / d.usersPerSecond).toFixed(1)}% (users/s)`,
  );
}
if (PARALLEL.length > 1) {
  const lo = PARALLEL[0]!;
  for (const p of PARALLEL.slice(1)) {
    for (const side of ['job', 'direct'] as const) {
      const a = rows.find((r) => r.side === side && r.parallel === lo)!;
      const b = rows.find((r) => r.side === side && r.parallel === p)!;
      console.log(
        `${side}: P=${p} vs P=${lo}: ${(b.tokensPerSecond / a.tokensPerSecond).toFixed(2)}x tokens/s, ${(b.usersPerSecond / a.usersPerSecond).toFixed(2)}x users/s`,
      );
    }
  }
}
console.log(
  `load average after: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
await host.close();
t.cleanup();
