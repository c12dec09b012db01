// How training cost and memory grow with the data: SASRec (`reference` preset, CE over all items) on Beauty,
// Sports and a generated dataset of 1M users / 100k items / 20M interactions, each read from a packed sequence
// file a batch at a time (main/features/training/sasrec/sequences.ts) in its own process. A full epoch of 20M
// interactions takes hours on 2 cores, so every dataset is measured over a fixed number of batches of its
// epoch and the epoch time is extrapolated (eligible users / sequences per second); the output says so.
// Also full-ranking evaluation of some users against every item (blocked: at most 32 MB of scores at once).
// The generated data goes to a temporary folder and is deleted at the end (--keep DIR keeps it there).
//
// Usage: node scripts/run-ts.mjs bench/train-scale.ts [--batches 16] [--eval-users 2000] [--only beauty,sports,synthetic] [--loss ce|bce] [--keep DIR]
//   --loss bce: one sampled negative per position instead of CE over all items (cost then follows positions only)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fullRanking } from '../main/base/ranking.js';
import { kernelInfo } from '../main/base/engine/kernels.js';
import { PRESETS } from '../main/features/training/sasrec/config.js';
import { PackedSequenceFile, writePackedSequences } from '../main/features/training/sasrec/sequences.js';
import { parseS3Rec } from '../main/features/training/sasrec/split.js';
import { createTrainer } from '../main/features/training/sasrec/trainer.js';
import { syntheticSequences } from './support/synthetic-sequences.js';

const args = process.argv.slice(2);
const flag = (name: string, def?: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const batches = Number(flag('--batches', '16'));
const evalUsers = Number(flag('--eval-users', '2000'));
const loss = flag('--loss', 'ce') === 'bce' ? 'bce' : 'ce';
const config = { ...PRESETS.reference, loss } as const;
const mb = (bytes: number): number => bytes / (1 << 20);

interface ChildResult {
  users: number;
  items: number;
  interactions: number;
  /** Target positions of an epoch (tokens the encoder and output layer compute): the cost driver. */
  positions: number;
  batchesPerEpoch: number;
  batches: number;
  seqPerS: number;
  /** CPU seconds (all threads) of an epoch, extrapolated like the wall time: less sensitive to other load. */
  epochCpuSeconds: number;
  epochSeconds: number;
  setupSeconds: number;
  rssAfterSetupMB: number;
  peakTrainRssMB: number;
  evalUsers: number;
  evalUsersPerS: number;
  peakRssMB: number;
  modelParams: number;
  kernels: string;
}

if (args.includes('--child')) {
  const file = flag('--child')!;
  const t0 = performance.now();
  const train = new PackedSequenceFile(file, 2); // leave-one-out: train on all but the last two items
  const nItems = train.maxItem;
  const trainer = createTrainer({ sequences: train, nItems, config });
  const setupSeconds = (performance.now() - t0) / 1000;
  const rssAfterSetupMB = mb(process.memoryUsage().rss);
  // Two warm-up batches, then the measured ones, all from the first epoch's permutation.
  let n = 0;
  let perEpoch = 0;
  trainer.trainEpoch({ shouldStop: () => n++ >= 2 });
  n = 0;
  const c0 = process.cpuUsage();
  const r = trainer.trainEpoch({ shouldStop: () => n++ >= batches, onBatch: (p) => (perEpoch = p.batches) });
  const cpu = process.cpuUsage(c0);
  const seqPerS = r.sequences / r.seconds;
  let positions = 0;
  for (let u = 0; u < train.length; u++) positions += Math.max(0, Math.min(train.get(u).length - 1, config.maxLen));
  const peakTrainRssMB = process.resourceUsage().maxRSS / 1024;
  // Full ranking of the first evalUsers users with 3+ items: history = all but the last item, target = the last.
  const full = new PackedSequenceFile(file, 1);
  const all = new PackedSequenceFile(file, 0);
  const histories: Int32Array[] = [];
  const targets: number[] = [];
  for (let u = 0; u < full.length && histories.length < evalUsers; u++) {
    const s = all.get(u);
    if (s.length < 3) continue;
    histories.push(full.get(u));
    targets.push(s[s.length - 1]!);
  }
  const te = performance.now();
  fullRanking({ scorer: (h) => trainer.scoreUsers(h), histories, targets: Int32Array.from(targets), nItems });
  const evalSeconds = (performance.now() - te) / 1000;
  const k = kernelInfo();
  const out: ChildResult = {
    users: all.length,
    items: nItems,
    interactions: all.totalItems,
    positions,
    batchesPerEpoch: perEpoch,
    epochCpuSeconds: ((cpu.user + cpu.system) / 1e6) * ((perEpoch * config.batch) / r.sequences),
    batches,
    seqPerS,
    epochSeconds: (perEpoch * config.batch) / seqPerS,
    setupSeconds,
    rssAfterSetupMB,
    peakTrainRssMB,
    evalUsers: histories.length,
    evalUsersPerS: histories.length / evalSeconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    modelParams: trainer.model.params.reduce((a, p) => a + p.size, 0),
    kernels: `${k.variant}${k.threads ? `, ${k.threads} threads` : ''}`,
  };
  console.log(JSON.stringify(out));
  process.exit(0);
}

// ---------- parent ----------

function fromS3Rec(file: string, out: string): void {
  const { sequences, nItems } = parseS3Rec(fs.readFileSync(file, 'utf8'));
  writePackedSequences(
    out,
    sequences.length,
    Int32Array.from(sequences, (s) => s.length),
    (u) => sequences[u]!,
    nItems,
  );
}

/** The generated 1M-user dataset as a packed sequence file (bench/support/synthetic-sequences.ts). */
function synthetic(out: string): void {
  const g = syntheticSequences();
  writePackedSequences(out, g.users, g.lengths, g.next, g.items);
}

const keep = flag('--keep');
const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-scale-'));
fs.mkdirSync(dir, { recursive: true });
const data = path.resolve('../shared/data');
const only = (flag('--only') ?? 'beauty,sports,synthetic').split(',');
const sets: { name: string; file: string; make: () => void }[] = [
  {
    name: 'beauty',
    file: path.join(dir, 'beauty.seq'),
    make: () => fromS3Rec(path.join(data, 'amazon_beauty_s3rec', 'Beauty.txt'), path.join(dir, 'beauty.seq')),
  },
  {
    name: 'sports',
    file: path.join(dir, 'sports.seq'),
    make: () => fromS3Rec(path.join(data, 'amazon_sports_s3rec', 'Sports_and_Outdoors.txt'), path.join(dir, 'sports.seq')),
  },
  { name: 'synthetic', file: path.join(dir, 'synthetic-1m.seq'), make: () => synthetic(path.join(dir, 'synthetic-1m.seq')) },
].filter((s) => only.includes(s.name));

console.log(`preset: reference ${JSON.stringify(config)}`);
console.log(
  `measured: ${batches} batches of each dataset's first epoch (after 2 warm-up batches); epoch time = sequences in an epoch / measured sequences per second (extrapolated, not a full epoch)`,
);
console.log(
  `cpus: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; data in ${dir}`,
);
const results: { name: string; r: ChildResult }[] = [];
try {
  for (const s of sets) {
    if (!fs.existsSync(s.file)) {
      const t0 = performance.now();
      s.make();
      console.log(
        `${s.name}: wrote ${path.basename(s.file)} (${mb(fs.statSync(s.file).size).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const c = spawnSync(
      process.execPath,
      ['scripts/run-ts.mjs', 'bench/train-scale.ts', '--child', s.file, '--batches', String(batches), '--eval-users', String(evalUsers), '--loss', loss],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      },
    );
    if (c.status !== 0) throw new Error(`${s.name} failed: ${c.stdout}`);
    const r = JSON.parse(c.stdout.trim().split('\n').pop()!) as ChildResult;
    results.push({ name: s.name, r });
    console.log(
      `${s.name}: ${r.seqPerS.toFixed(1)} seq/s over ${r.batches} of ${r.batchesPerEpoch} batches, epoch ~${fmtTime(r.epochSeconds)} (extrapolated), setup ${r.setupSeconds.toFixed(1)} s, RSS ${r.rssAfterSetupMB.toFixed(0)} MB after setup, peak ${r.peakTrainRssMB.toFixed(0)} MB training, ${r.peakRssMB.toFixed(0)} MB with evaluation; full ranking ${r.evalUsersPerS.toFixed(0)} users/s (${r.kernels})`,
    );
  }
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

function fmtTime(s: number): string {
  return s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`;
}

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log('\ndataset      users       items   interactions    positions  epoch wall (extrap.)  epoch CPU  seq/s  peak RSS  model params  full-rank users/s');
for (const { name, r } of results)
  console.log(
    `${name.padEnd(10)} ${fmt(r.users).padStart(9)} ${fmt(r.items).padStart(9)} ${fmt(r.interactions).padStart(13)} ${fmt(r.positions).padStart(12)}  ${fmtTime(r.epochSeconds).padStart(20)}  ${fmtTime(r.epochCpuSeconds).padStart(9)}  ${r.seqPerS.toFixed(0).padStart(5)}  ${r.peakRssMB.toFixed(0).padStart(5)} MB  ${fmt(r.modelParams).padStart(12)}  ${r.evalUsersPerS.toFixed(0).padStart(9)}`,
  );
const base = results[0];
if (base && results.length > 1) {
  const x = (v: number): string => `x${v < 10 ? v.toFixed(2) : v.toFixed(0)}`;
  console.log(`\ngrowth relative to ${base.name}:`);
  console.log(
    `dataset      interactions  positions  ${loss === 'ce' ? 'positions*items' : '               '}  epoch wall  epoch CPU  CPU per ${loss === 'ce' ? 'position*item' : 'position     '}  peak RSS  model params`,
  );
  for (const { name, r } of results.slice(1)) {
    const work = loss === 'ce' ? (r.positions * r.items) / (base.r.positions * base.r.items) : r.positions / base.r.positions;
    const cpu = r.epochCpuSeconds / base.r.epochCpuSeconds;
    console.log(
      `${name.padEnd(10)} ${x(r.interactions / base.r.interactions).padStart(14)} ${x(r.positions / base.r.positions).padStart(10)}  ${(loss === 'ce' ? x(work) : '').padStart(15)}  ${x(r.epochSeconds / base.r.epochSeconds).padStart(10)} ${x(cpu).padStart(10)}  ${x(cpu / work).padStart(21)}  ${x(r.peakRssMB / base.r.peakRssMB).padStart(8)}  ${x(r.modelParams / base.r.modelParams).padStart(12)}`,
    );
  }
  console.log(
    loss === 'ce'
      ? '(CE over all items costs in proportion to positions x items; the encoder in proportion to positions.)'
      : '(Sampled BCE: the output layer, like the encoder, costs in proportion to positions.)',
  );
}
