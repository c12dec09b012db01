// Training speed: the engine's kernel variants against the PyTorch yardstick (../shared/bench/sasrec_ref.py),
// on the same data and settings (SASRec `reference` preset), in one run on one machine:
//   native+openblas  the addon built with OpenBLAS (native/build, `node scripts/build-native.mjs`)
//   native+builtin   the addon built without it (PULSE_NATIVE_BLAS=none, built here into .cache/native-builtin)
//   typescript       the TypeScript kernels (PULSE_KERNELS=js)
//   torch            sasrec_ref.py, 2 threads
// Each runs in its own process (its own peak RSS). Prints sequences/s, the ratio to PyTorch and peak RSS.
//
// Usage: node scripts/run-ts.mjs bench/train-speed.ts [data.txt] [--epochs N] [--threads 1,2] [--rounds R]
//        [--engines native+openblas,native+builtin,typescript,torch]
//   --threads  thread counts for the native engines (default: all cores); e.g. 1,2 to see what the second core adds
//   --rounds   repeat the whole set R times, interleaved, and report the median (the machine may be shared)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { kernelInfo } from '../main/base/engine/kernels.js';
import { PRESETS } from '../main/features/training/sasrec/config.js';
import { leaveOneOut, parseS3Rec } from '../main/features/training/sasrec/split.js';
import { createTrainer } from '../main/features/training/sasrec/trainer.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const valued = new Set(['--epochs', '--threads', '--rounds', '--engines', '--variant']);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
const dataPath = resolve(positional[0] ?? '../shared/data/amazon_beauty_s3rec/Beauty.txt');
const epochs = Number(flag('--epochs') ?? 1);
const BUILTIN_ADDON = resolve('.cache/native-builtin/build/Release/pulse_kernels.node');

interface Result {
  seqPerS: number;
  maxRssMB: number;
  loss: number;
  label: string;
}

if (args.includes('--child')) {
  const { sequences, nItems } = parseS3Rec(readFileSync(dataPath, 'utf8'));
  const split = leaveOneOut(sequences);
  const tr = createTrainer({ sequences: split.train, nItems, config: PRESETS.reference });
  const per: number[] = [];
  let loss = 0;
  for (let e = 0; e < epochs; e++) {
    const r = tr.trainEpoch();
    per.push(r.sequences / r.seconds);
    loss = r.loss;
  }
  const k = kernelInfo();
  const label = k.kernels === 'native' ? `${k.variant}, ${k.isa}, ${k.threads} thread${k.threads === 1 ? '' : 's'}; ${k.blas}` : 'typescript';
  const out: Result = { seqPerS: per.reduce((a, b) => a + b, 0) / per.length, maxRssMB: process.resourceUsage().maxRSS / 1024, loss, label };
  console.log(JSON.stringify(out));
  process.exit(0);
}

function runEngine(variant: string, threads: number): Result | null {
  const env: NodeJS.ProcessEnv = { ...process.env, PULSE_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  delete env.PULSE_NATIVE_ADDON;
  delete env.PULSE_KERNELS;
  if (variant === 'native+builtin') env.PULSE_NATIVE_ADDON = BUILTIN_ADDON;
  if (variant === 'typescript') env.PULSE_KERNELS = 'js';
  const r = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'bench/train-speed.ts', dataPath, '--epochs', String(epochs), '--child'], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) {
    console.warn(`${variant} failed: ${r.stdout}`);
    return null;
  }
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
  const want = variant === 'typescript' ? 'typescript' : variant;
  if (!res.label.startsWith(want)) {
    console.warn(`${variant}: the child ran ${res.label} instead (is the addon built?)`);
    return null;
  }
  return res;
}

function runTorch(): Result | null {
  const py = `import sys, runpy, resource, json
sys.argv = [${JSON.stringify(resolve('../shared/bench/sasrec_ref.py'))}, ${JSON.stringify(dataPath)}, '--epochs', '${epochs}']
runpy.run_path(sys.argv[0], run_name='__main__')
print(json.dumps({'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.warn('PyTorch reference failed or is not installed (apt-get install -y python3-torch libopenblas0-pthread)');
    return null;
  }
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
  const eps = lines.filter((l) => 'seq_per_s' in l);
  return {
    seqPerS: eps.reduce((a, l) => a + l.seq_per_s!, 0) / eps.length,
    maxRssMB: lines.at(-1)!.maxrss_kb! / 1024,
    loss: eps.at(-1)!.loss ?? NaN,
    label: 'sasrec_ref.py, 2 threads',
  };
}

const engines = (flag('--engines') ?? 'native+openblas,native+builtin,typescript,torch').split(',');
const threadList = (flag('--threads') ?? String(cpus().length)).split(',').map(Number);
const rounds = Number(flag('--rounds') ?? 1);

if (engines.includes('native+builtin')) {
  // The no-BLAS variant, built from the same sources into its own folder.
  const b = spawnSync(process.execPath, ['scripts/build-native.mjs', '--out', '.cache/native-builtin'], {
    env: { ...process.env, PULSE_NATIVE_BLAS: 'none' },
    encoding: 'utf8',
  });
  if (b.status !== 0 || !existsSync(BUILTIN_ADDON)) console.warn(`could not build the no-BLAS addon:\n${b.stderr}`);
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`data: ${dataPath}  epochs: ${epochs}  rounds: ${rounds}  preset: reference ${JSON.stringify(PRESETS.reference)}`);
console.log(`cpus: ${cpus().length} x ${cpus()[0]?.model ?? '?'}`);

const runs = engines.flatMap((e) => (e === 'torch' || e === 'typescript' ? [{ engine: e, threads: 2 }] : threadList.map((t) => ({ engine: e, threads: t }))));
const results = new Map<string, Result[]>();
for (let round = 0; round < rounds; round++) {
  for (const { engine, threads } of runs) {
    const key = engine === 'torch' || engine === 'typescript' ? engine : `${engine} x${threads}`;
    const before = load();
    const r = engine === 'torch' ? runTorch() : runEngine(engine, threads);
    if (!r) continue;
    console.log(
      `  round ${round + 1} ${key.padEnd(20)} ${r.seqPerS.toFixed(1).padStart(8)} seq/s  loss ${r.loss.toFixed(4)}  peak RSS ${r.maxRssMB.toFixed(0)} MB  (load before: ${before})`,
    );
    results.set(key, [...(results.get(key) ?? []), r]);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const torch = results.get('torch');
const torchSps = torch ? median(torch.map((r) => r.seqPerS)) : null;
console.log('\nengine                 seq/s   vs torch  peak RSS  kernels');
for (const [key, rs] of results) {
  const sps = median(rs.map((r) => r.seqPerS));
  const ratio = torchSps ? `${(sps / torchSps).toFixed(2)}x` : '-';
  console.log(
    `${key.padEnd(20)} ${sps.toFixed(1).padStart(8)}  ${ratio.padStart(8)}  ${median(rs.map((r) => r.maxRssMB))
      .toFixed(0)
      .padStart(5)} MB  ${rs[0]!.label}`,
  );
}
