// PULSE against SASRec, trained to early stopping on validation (patience, an epoch cap printed with the
// results), on each dataset and seed: the same preset, budget and seeds for both, through the real 'train.run'
// job (in-process), the test split evaluated once on each run's best-validation checkpoint by full ranking over
// all items. Prints per-run figures, then per dataset: mean ± std over seeds, the relative gain, paired t-tests
// over seeds and over users, and the cold-user and long-tail segments (main/features/training/run-comparison.ts).
// PULSE runs use `--arch pulse` with its defaults unless overridden (--pulse key=value, repeatable).
//
// Usage: node scripts/run-ts.mjs bench/train-pulse-vs-sasrec.ts [--datasets beauty,office] [--seeds 1,2,3]
//        [--epochs 200] [--patience 10] [--epochs-sports 20] [--pulse itemSide=text ...] [--workspace DIR]
//        [--out FILE.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareRunSets } from '../main/features/training/run-comparison.js';
import { AUX_DEFAULTS } from '../main/features/training/run-config.js';
import { Workspace } from '../main/platform/workspace/workspace.js';
import type { TrainSettings } from '../common/contract/training.js';
import { args, ensureDataset, fmt, log, parseOverrides, pct, pval, trainOrReuse, type BenchRun } from './support/bench-workspace.js';

const { opt, all } = args();
const datasets = opt('--datasets', 'beauty,office').split(',');
const seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const epochs = Number(opt('--epochs', '200'));
const patience = Number(opt('--patience', '10'));
const pulse = parseOverrides(all('--pulse'));
const wsDir = opt('--workspace', fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-bench-pvs-')));
const out = opt('--out', '');
const ws = Workspace.open(wsDir);
log({ bench: 'train-pulse-vs-sasrec', workspace: wsDir, datasets, seeds, epochs, patience, pulse: { ...AUX_DEFAULTS, ...pulse }, cpus: os.cpus().length });

const report: Record<string, unknown> = {};
for (const ds of datasets) {
  if (!(await ensureDataset(ws, ds))) continue;
  const cap = Number(opt(`--epochs-${ds}`, String(epochs)));
  const runs: Record<'sasrec' | 'pulse', BenchRun[]> = { sasrec: [], pulse: [] };
  for (const seed of seeds)
    for (const arch of ['sasrec', 'pulse'] as const) {
      const s: TrainSettings = { dataset: ds, arch, seed, epochs: cap, patience, testProtocols: ['full'], ...(arch === 'pulse' ? pulse : {}) };
      runs[arch].push(await trainOrReuse(ws, `bench pvs ${ds} ${arch} seed ${seed}`, s));
    }
  const ids = (a: 'sasrec' | 'pulse') => runs[a].map((r) => r.run);
  const cmp = {
    ndcg: compareRunSets(ws.db, ids('sasrec'), ids('pulse'), { metric: 'ndcg@10' }),
    hr: compareRunSets(ws.db, ids('sasrec'), ids('pulse'), { metric: 'hr@10' }),
  };
  report[ds] = { epochCap: cap, patience, runs, compare: cmp };

  console.log(`\n### ${ds}: full ranking, test split, best-validation checkpoint (epoch cap ${cap}, patience ${patience})\n`);
  console.log('| arch | seed | run | epochs | best epoch | train s | rationale versions | valid NDCG@10 | test HR@10 | test NDCG@10 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of [...runs.sasrec, ...runs.pulse].sort((a, b) => a.seed - b.seed || a.arch.localeCompare(b.arch)))
    console.log(
      `| ${r.arch} | ${r.seed} | ${r.run} | ${r.epochs} | ${r.bestEpoch} | ${r.trainSeconds.toFixed(0)} | ${r.rationaleVersions} | ${r.valid['ndcg@10']!.toFixed(4)} | ${r.test['hr@10']!.toFixed(4)} | ${r.test['ndcg@10']!.toFixed(4)} |`,
    );
  console.log('\n| model | HR@10 (mean ± std) | NDCG@10 (mean ± std) | epochs |');
  console.log('|---|---|---|---|');
  for (const [arch, side] of [
    ['SASRec', 'a'],
    ['PULSE', 'b'],
  ] as const)
    console.log(
      `| ${arch} | ${fmt(cmp.hr[side].mean, cmp.hr[side].std)} | ${fmt(cmp.ndcg[side].mean, cmp.ndcg[side].std)} | ${runs[side === 'a' ? 'sasrec' : 'pulse'].map((r) => r.epochs).join(', ')} |`,
    );
  console.log('\n| metric | relative gain | p over seeds (paired by seed) | p over users (paired) | users |');
  console.log('|---|---|---|---|---|');
  for (const [name, c] of [
    ['NDCG@10', cmp.ndcg],
    ['HR@10', cmp.hr],
  ] as const)
    console.log(
      `| ${name} | ${pct(c.gain)} | ${pval(c.overSeeds?.p)} (t = ${c.overSeeds?.t.toFixed(2) ?? 'n/a'}) | ${pval(c.perUser.test?.p)} | ${c.perUser.users} |`,
    );
  console.log('\n| segment | users | SASRec NDCG@10 | PULSE NDCG@10 | gain | p over users |');
  console.log('|---|---|---|---|---|---|');
  for (const s of cmp.ndcg.segments) console.log(`| ${s.name} | ${s.users} | ${s.a.toFixed(4)} | ${s.b.toFixed(4)} | ${pct(s.gain)} | ${pval(s.test?.p)} |`);
}
if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
ws.close();
