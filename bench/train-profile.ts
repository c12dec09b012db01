// Where a training step's time goes: SASRec (`reference` preset) on Beauty, a fixed number of batches, with
// every kernel call timed by CPU time (the steadier measure on a shared machine); what is left is TypeScript
// (model glue, batching, allocation, garbage collection).
//
// Usage: node scripts/run-ts.mjs bench/train-profile.ts [data.txt] [--batches 20]
//   PULSE_THREADS=1 for one thread; PULSE_KERNELS=js for the TypeScript kernels.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { kernelInfo, loadKernels } from '../main/base/engine/kernels.js';
import { PRESETS } from '../main/features/training/sasrec/config.js';
import { leaveOneOut, parseS3Rec } from '../main/features/training/sasrec/split.js';
import { createTrainer } from '../main/features/training/sasrec/trainer.js';

const args = process.argv.slice(2);
const batches = Number(args.includes('--batches') ? args[args.indexOf('--batches') + 1] : 20);
const dataPath = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--batches') ?? '../shared/data/amazon_beauty_s3rec/Beauty.txt');

// Wrap every kernel of the loaded set (the trainer gets the same object) with a CPU-time counter.
const kernels = loadKernels() as unknown as Record<string, unknown>;
const cpuMs = new Map<string, number>();
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
for (const [name, f] of Object.entries(kernels)) {
  if (typeof f !== 'function') continue;
  kernels[name] = (...a: unknown[]): unknown => {
    const t0 = cpuNow();
    const r = (f as (...x: unknown[]) => unknown)(...a);
    cpuMs.set(name, (cpuMs.get(name) ?? 0) + cpuNow() - t0);
    return r;
  };
}

const { sequences, nItems } = parseS3Rec(readFileSync(dataPath, 'utf8'));
const trainer = createTrainer({ sequences: leaveOneOut(sequences).train, nItems, config: PRESETS.reference });
let n = 0;
trainer.trainEpoch({ shouldStop: () => n++ >= 2 }); // warm-up
cpuMs.clear();
n = 0;
const c0 = cpuNow();
const r = trainer.trainEpoch({ shouldStop: () => n++ >= batches });
const cpuTotal = cpuNow() - c0;
const k = kernelInfo();
console.log(
  `data: ${dataPath}, ${batches} batches of 256 after 2 warm-up batches; ${k.variant}${k.threads ? `, ${k.threads} thread${k.threads === 1 ? '' : 's'}` : ''}`,
);
console.log(
  `cpus: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
let sum = 0;
for (const [name, ms] of [...cpuMs].sort((a, b) => b[1] - a[1])) {
  sum += ms;
  console.log(`  ${name.padEnd(22)} ${(ms / batches).toFixed(2).padStart(8)} ms CPU per batch`);
}
console.log(`  ${'rest (TypeScript)'.padEnd(22)} ${((cpuTotal - sum) / batches).toFixed(2).padStart(8)} ms CPU per batch`);
console.log(
  `total: ${(cpuTotal / batches).toFixed(1)} ms CPU and ${((r.seconds * 1000) / batches).toFixed(1)} ms wall per batch (${(r.sequences / r.seconds).toFixed(0)} seq/s)`,
);
