// Training speed: the project's SASRec (reference preset) vs the PyTorch yardstick
// (../shared/bench/sasrec_ref.py) on the same data and settings, in one run.
// Usage: node scripts/run-ts.mjs bench/train-speed.ts [data.txt] [--epochs N] [--skip-torch]
// Prints sequences/s for each, their ratio, and peak RSS of each (each runs in its own process).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { kernelInfo } from '../main/training/engine/kernels.js';
import { PRESETS } from '../main/training/sasrec/config.js';
import { leaveOneOut, parseS3Rec } from '../main/training/sasrec/split.js';
import { createTrainer } from '../main/training/sasrec/trainer.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataPath = resolve(args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--epochs') ?? '../shared/data/amazon_beauty_s3rec/Beauty.txt');
const epochs = Number(flag('--epochs') ?? 1);

if (args.includes('--child')) {
  const { sequences, nItems } = parseS3Rec(readFileSync(dataPath, 'utf8'));
  const split = leaveOneOut(sequences);
  const tr = createTrainer({ sequences: split.train, nItems, config: PRESETS.reference });
  const per: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const r = tr.trainEpoch();
    per.push(split.train.length / r.seconds);
    console.error(
      JSON.stringify({
        engine: 'pulse',
        epoch: e + 1,
        loss: +r.loss.toFixed(4),
        epoch_s: +r.seconds.toFixed(2),
        seq_per_s: +(split.train.length / r.seconds).toFixed(1),
      }),
    );
  }
  console.log(JSON.stringify({ seqPerS: per.reduce((a, b) => a + b, 0) / per.length, maxRssMB: process.resourceUsage().maxRSS / 1024, ...kernelInfo() }));
  process.exit(0);
}

function runPulse(): { seqPerS: number; maxRssMB: number; kernels: string; blas?: string } {
  const r = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'bench/train-speed.ts', dataPath, '--epochs', String(epochs), '--child'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`pulse child failed: ${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function runTorch(): { seqPerS: number; maxRssMB: number } | null {
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
  for (const l of lines) if ('epoch' in l) console.error(JSON.stringify({ engine: 'torch', ...l }));
  const eps = lines.filter((l) => 'seq_per_s' in l).map((l) => l.seq_per_s!);
  return { seqPerS: eps.reduce((a, b) => a + b, 0) / eps.length, maxRssMB: lines.at(-1)!.maxrss_kb! / 1024 };
}

console.log(`data: ${dataPath}  epochs: ${epochs}  preset: reference ${JSON.stringify(PRESETS.reference)}`);
console.log(
  `load average before pulse: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const pulse = runPulse();
console.log(`pulse  (${pulse.kernels}${pulse.blas ? `, ${pulse.blas}` : ''}): ${pulse.seqPerS.toFixed(1)} seq/s, peak RSS ${pulse.maxRssMB.toFixed(0)} MB`);
if (!args.includes('--skip-torch')) {
  console.log(
    `load average before torch: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const torch = runTorch();
  if (torch) {
    console.log(`torch  (sasrec_ref.py, 2 threads): ${torch.seqPerS.toFixed(1)} seq/s, peak RSS ${torch.maxRssMB.toFixed(0)} MB`);
    console.log(`ratio pulse/torch: ${(pulse.seqPerS / torch.seqPerS).toFixed(2)}x`);
  }
}
