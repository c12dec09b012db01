// How the workbench's own training job ('train.run', what `pulse train` and the Training view start) grows with
// the data: Beauty and generated datasets of 200k users / 20k items / 4M interactions and 1M users / 100k items /
// 20M interactions, each imported with the dataset importer into its own workspace (SQLite), then trained in a
// separate process (so the importer's memory is not counted) with the `reference` preset: the job opens the
// run's data (per-user lengths and targets; sequences are read from SQLite per batch), trains --batches batches
// after 2 warm-up batches, and is cancelled (it checkpoints, as a user's cancel does). Then, where the dataset has
// at most --eval-max-users evaluated users, the full-ranking validation of every user on that checkpoint.
// Peak RSS (VmHWM) is the training process's. A full epoch on 20M interactions takes hours on 2 cores, so
// training speed is measured over the batches; the output says so.
//
// Usage: node scripts/run-ts.mjs bench/train-run-scale.ts [--batches 8] [--only beauty,synthetic-200k,synthetic-1m]
//          [--eval-max-users 250000] [--keep DIR]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelInfo } from '../main/base/engine/kernels.js';
import { importDataset } from '../main/features/datasets/importer.js';
import { evaluate } from '../main/features/training/run-eval.js';
import { getRun } from '../main/features/training/run-store.js';
import { openRunTrainer, run as trainJob, FILES } from '../main/features/training/train-job.js';
import { prepareRun } from '../main/features/training/training-handlers.js';
import { JobCancelled } from '../main/platform/jobs/job-context.js';
import { Workspace } from '../main/platform/workspace/workspace.js';
import { dataSet } from '../test/support/data.js';
import { fakeJobContext } from '../test/support/training-data.js';
import { syntheticSequences, writeS3RecText } from './support/synthetic-sequences.js';

const args = process.argv.slice(2);
const flag = (name: string, def?: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const batches = Number(flag('--batches', '8'));
const evalMaxUsers = Number(flag('--eval-max-users', '250000'));
const WARMUP = 2;

const peakRssMB = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
};
const rssMB = (): number => process.memoryUsage().rss / 2 ** 20;

interface TrainResult {
  users: number;
  items: number;
  interactions: number;
  batch: number;
  /** Job start to its first training batch done: opening the run's data, the trainer's scan, model init. */
  openSeconds: number;
  rssAfterFirstBatchMB: number;
  seqPerS: number;
  peakTrainRssMB: number;
  evalUsers: number;
  evalSeconds: number | null;
  peakRssMB: number;
  modelParams: number;
  kernels: string;
}

async function importChild(file: string, ws: string, name: string): Promise<void> {
  const w = Workspace.open(ws);
  const t0 = performance.now();
  const r = await importDataset(w.db, { paths: [file], name });
  w.close();
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, interactions: r.interactions, peakRssMB: peakRssMB() }));
}

async function trainChild(ws: string, name: string): Promise<void> {
  const w = Workspace.open(ws);
  const counts = w.db.prepare('SELECT n_users AS users, n_items AS items, n_interactions AS interactions FROM datasets WHERE name = ?').get(name) as {
    users: number;
    items: number;
    interactions: number;
  };
  const runId = prepareRun(w, { dataset: name, preset: 'reference', epochs: 1, metricEvery: 1, checkpointSeconds: 86400, testProtocols: ['full'] });
  const batch = getRun(w.db, runId).config.sasrec.batch;
  let seen = 0;
  const t0 = performance.now();
  let firstAt = 0;
  let warmAt = 0;
  let lastAt = 0;
  let rssAfterFirstBatchMB = 0;
  // The real job in this process; cancelled (as a user's cancel) once the measured batches are done.
  const { ctx } = fakeJobContext(
    w,
    { runId },
    {
      cancelWhen: (events) => {
        const e = events[events.length - 1]!;
        if (e.name !== 'metrics' || !('train.loss' in (e.data as { values: Record<string, number> }).values)) return false;
        seen++;
        const now = performance.now();
        if (seen === 1) {
          firstAt = now;
          rssAfterFirstBatchMB = rssMB();
        }
        if (seen === WARMUP) warmAt = now;
        lastAt = now;
        return seen >= WARMUP + batches;
      },
    },
  );
  try {
    await trainJob(ctx);
  } catch (e) {
    if (!(e instanceof JobCancelled)) throw e;
  }
  const measured = seen - WARMUP;
  const peakTrainRssMB = peakRssMB();
  // Validation of every evaluated user on the checkpoint the cancel wrote (full ranking, as each epoch does).
  const { trainer, data } = await openRunTrainer(w, getRun(w.db, runId));
  trainer.loadCheckpoint(path.join(ws, 'artifacts', 'runs', String(runId), FILES.last));
  let evalSeconds: number | null = null;
  if (data.evalIdx.length <= evalMaxUsers) {
    const te = performance.now();
    evaluate(trainer, data, w.db, 'valid', 'full', 0);
    evalSeconds = (performance.now() - te) / 1000;
  }
  const k = kernelInfo();
  const out: TrainResult = {
    ...counts,
    batch,
    openSeconds: (firstAt - t0) / 1000,
    rssAfterFirstBatchMB,
    seqPerS: measured > 0 ? (measured * batch) / ((lastAt - warmAt) / 1000) : 0,
    peakTrainRssMB,
    evalUsers: data.evalIdx.length,
    evalSeconds,
    peakRssMB: peakRssMB(),
    modelParams: trainer.model.params.reduce((a, p) => a + p.size, 0),
    kernels: `${k.variant}${k.threads ? `, ${k.threads} threads` : ''}`,
  };
  w.close();
  console.log(JSON.stringify(out));
}

const child = flag('--child');
if (child) {
  const [kind, a, b, c] = child.split('\u0001');
  if (kind === 'import') await importChild(a!, b!, c!);
  else await trainChild(a!, b!);
  process.exit(0);
}

// ---------- parent ----------

function runChild(spec: string[]): Record<string, unknown> {
  const c = spawnSync(process.execPath, ['scripts/run-ts.mjs', fileURLToPath(import.meta.url), '--child', spec.join('\u0001'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (c.status !== 0) throw new Error(`${spec[0]} failed (exit ${c.status}): ${c.stdout}`);
  return JSON.parse(c.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const keep = flag('--keep');
const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-run-scale-'));
fs.mkdirSync(dir, { recursive: true });
const only = (flag('--only') ?? 'beauty,synthetic-200k,synthetic-1m').split(',');
const beauty = dataSet('amazon_beauty_s3rec');
const sets: { name: string; file: string; make: () => void }[] = [
  { name: 'beauty', file: beauty ? path.join(beauty, 'Beauty.txt') : '', make: () => undefined },
  {
    name: 'synthetic-200k',
    file: path.join(dir, 'synthetic-200k.txt'),
    make: () => writeS3RecText(path.join(dir, 'synthetic-200k.txt'), syntheticSequences(200_000, 20_000, 4_000_000)),
  },
  { name: 'synthetic-1m', file: path.join(dir, 'synthetic-1m.txt'), make: () => writeS3RecText(path.join(dir, 'synthetic-1m.txt'), syntheticSequences()) },
].filter((s) => only.includes(s.name) && (s.name !== 'beauty' || beauty));

console.log(`train.run job, preset reference (CE over all items), ${batches} measured batches after ${WARMUP} warm-up batches, then cancelled`);
console.log(
  `cpus: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; data and workspaces in ${dir}`,
);
const results: { name: string; r: TrainResult }[] = [];
try {
  for (const s of sets) {
    const ws = path.join(dir, `${s.name}-workspace`);
    if (!fs.existsSync(path.join(ws, 'workspace.sqlite'))) {
      if (!fs.existsSync(s.file)) {
        const t0 = performance.now();
        s.make();
        console.log(
          `${s.name}: generated ${path.basename(s.file)} (${(fs.statSync(s.file).size / 2 ** 20).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      const im = runChild(['import', s.file, ws, s.name]) as { seconds: number; interactions: number; peakRssMB: number };
      console.log(
        `${s.name}: imported ${im.interactions.toLocaleString('en-US')} interactions in ${im.seconds.toFixed(1)} s (importer peak RSS ${im.peakRssMB.toFixed(0)} MB)`,
      );
    }
    const r = runChild(['train', ws, s.name]) as unknown as TrainResult;
    results.push({ name: s.name, r });
    console.log(
      `${s.name}: open ${r.openSeconds.toFixed(1)} s, ${r.seqPerS.toFixed(0)} seq/s over ${batches} batches, RSS ${r.rssAfterFirstBatchMB.toFixed(0)} MB after the first batch, peak ${r.peakTrainRssMB.toFixed(0)} MB training, ` +
        (r.evalSeconds === null
          ? `validation not run (${r.evalUsers.toLocaleString('en-US')} users > --eval-max-users)`
          : `validation of ${r.evalUsers.toLocaleString('en-US')} users (full ranking) ${r.evalSeconds.toFixed(1)} s, peak ${r.peakRssMB.toFixed(0)} MB`) +
        ` (${r.kernels})`,
    );
  }
} finally {
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log('\ndataset             users      items  interactions  open (s)  seq/s  peak RSS training  peak RSS with validation  model params');
for (const { name, r } of results)
  console.log(
    `${name.padEnd(15)} ${fmt(r.users).padStart(9)} ${fmt(r.items).padStart(10)} ${fmt(r.interactions).padStart(13)}  ${r.openSeconds.toFixed(1).padStart(8)}  ${r.seqPerS.toFixed(0).padStart(5)}  ${`${r.peakTrainRssMB.toFixed(0)} MB`.padStart(17)}  ${(r.evalSeconds === null ? 'not run' : `${r.peakRssMB.toFixed(0)} MB`).padStart(24)}  ${fmt(r.modelParams).padStart(12)}`,
  );
const base = results[0];
if (base && results.length > 1) {
  const x = (v: number): string => `x${v < 10 ? v.toFixed(2) : v.toFixed(0)}`;
  console.log(`\ngrowth relative to ${base.name}:`);
  console.log('dataset          interactions   users  model params  peak RSS training  open time');
  for (const { name, r } of results.slice(1))
    console.log(
      `${name.padEnd(15)} ${x(r.interactions / base.r.interactions).padStart(13)} ${x(r.users / base.r.users).padStart(7)}  ${x(r.modelParams / base.r.modelParams).padStart(12)}  ${x(r.peakTrainRssMB / base.r.peakTrainRssMB).padStart(17)}  ${x(r.openSeconds / base.r.openSeconds).padStart(9)}`,
    );
}
