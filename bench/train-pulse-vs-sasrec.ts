// PULSE against SASRec on Beauty with extractive rationales: the same preset, epochs budget and seeds for both,
// through the real 'train.run' job (in-process), full-ranking test metrics (HR@10, NDCG@10) as mean ± std over
// seeds, and paired t-tests (per seed on per-user NDCG@10, and over the seed means).
// Usage: node scripts/run-ts.mjs bench/train-pulse-vs-sasrec.ts [--epochs 2] [--seeds 1,2,3] [--preset default]
//        [--aux-weight 0.1] [--aux-kind cosine] [--patience 10] [--users N] [--workspace DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDataset } from '../main/datasets/importer.js';
import { mean, pairedTTest, std } from '../main/evaluation/stats.js';
import { draftDataset } from '../main/rationales/draft-job.js';
import { compareRuns } from '../main/training/run-report.js';
import { run as trainJob, type TrainJobResult } from '../main/training/train-job.js';
import { prepareRun } from '../main/training/training-handlers.js';
import { Workspace } from '../main/workspace/workspace.js';
import { dataSet, missingReason } from '../test/support/data.js';
import { beautySubset, fakeJobContext } from '../test/support/training-data.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const epochs = Number(opt('--epochs', '2'));
const seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const preset = opt('--preset', 'default') as 'default';
const auxWeight = Number(opt('--aux-weight', '0.1'));
const auxKind = opt('--aux-kind', 'cosine') as 'cosine' | 'infonce';
const patience = Number(opt('--patience', '10'));
const users = Number(opt('--users', '0'));
const src = dataSet('amazon_beauty_s3rec');
if (!src) {
  console.log(`skipped: ${missingReason('amazon_beauty_s3rec')}`);
  process.exit(0);
}
const wsDir = opt('--workspace', fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-bench-pvs-')));
const ws = Workspace.open(wsDir);
const log = (o: unknown) => console.log(JSON.stringify(o));
log({ bench: 'train-pulse-vs-sasrec', workspace: wsDir, epochs, seeds, preset, auxWeight, auxKind, patience, users: users || 'all', cpus: os.cpus().length });

if (!ws.db.prepare("SELECT 1 FROM datasets WHERE name = 'beauty'").get()) {
  const from = users ? beautySubset(wsDir, users)! : src;
  const t0 = performance.now();
  await importDataset(ws.db, { paths: [from], name: 'beauty' });
  log({ step: 'import', seconds: +((performance.now() - t0) / 1000).toFixed(1) });
}
const d = draftDataset(ws.db, { dataset: 'beauty' });
log({ step: 'rationales draft (extractive)', ...d });

const results: Record<'sasrec' | 'pulse', TrainJobResult[]> = { sasrec: [], pulse: [] };
for (const seed of seeds) {
  for (const arch of ['sasrec', 'pulse'] as const) {
    const runId = prepareRun(ws, {
      dataset: 'beauty',
      arch,
      preset,
      seed,
      epochs,
      patience,
      auxWeight,
      auxKind,
      testProtocols: ['full'],
      name: `bench ${arch} seed ${seed}`,
    });
    const { ctx } = fakeJobContext(ws, { runId });
    const r = await trainJob(ctx);
    results[arch].push(r);
    log({
      arch,
      seed,
      run: r.run,
      epochs: r.epochs,
      best_epoch: r.best_epoch,
      train_s: r.train_seconds,
      seq_per_s: r.sequences_per_second,
      rationales: r.rationale_versions,
      valid_ndcg10: r.valid['ndcg@10'],
      test_hr10: r.test.full!['hr@10'],
      test_ndcg10: r.test.full!['ndcg@10'],
    });
  }
}

const fmt = (xs: number[]) => `${mean(xs).toFixed(4)} ± ${std(xs).toFixed(4)}`;
const col = (arch: 'sasrec' | 'pulse', k: string) => results[arch].map((r) => r.test.full![k]!);
const perSeed = seeds.map((_, i) => compareRuns(ws.db, results.pulse[i]!.run, results.sasrec[i]!.run, 'ndcg@10', 'full'));
const overSeeds = pairedTTest(col('pulse', 'ndcg@10'), col('sasrec', 'ndcg@10'));
const table = [
  '| model | HR@10 (mean ± std) | NDCG@10 (mean ± std) | epochs | train seq/s |',
  '|---|---|---|---|---|',
  ...(['sasrec', 'pulse'] as const).map(
    (a) =>
      `| ${a === 'pulse' ? `PULSE (aux ${auxKind} ${auxWeight})` : 'SASRec'} | ${fmt(col(a, 'hr@10'))} | ${fmt(col(a, 'ndcg@10'))} | ${results[a].map((r) => r.epochs).join(', ')} | ${mean(results[a].map((r) => r.sequences_per_second ?? 0)).toFixed(0)} |`,
  ),
].join('\n');
console.log('\n' + table + '\n');
for (const [i, c] of perSeed.entries())
  console.log(
    `seed ${seeds[i]}: PULSE - SASRec per-user NDCG@10 = ${c.meanDiff.toFixed(5)} (paired t = ${c.t.toFixed(3)}, df = ${c.df}, p = ${c.p.toFixed(4)})`,
  );
console.log(
  `over seeds (n = ${seeds.length}): mean diff NDCG@10 = ${overSeeds.meanDiff.toFixed(5)}, t = ${overSeeds.t.toFixed(3)}, p = ${overSeeds.p.toFixed(4)}`,
);
ws.close();
