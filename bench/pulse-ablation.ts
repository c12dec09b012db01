// Which parts of PULSE earn their place: each variant is `--arch pulse` with some parts switched off (or SASRec),
// trained to early stopping on validation with the same budget and seeds, test evaluated once on the
// best-validation checkpoint by full ranking. Variants are compared on VALIDATION NDCG@10 (what a user may select
// on); test figures are printed beside them for the record. Then a sweep over the alignment weight and temperature.
//
// Usage: node scripts/run-ts.mjs bench/pulse-ablation.ts [--datasets office] [--seeds 1,2,3] [--epochs 200]
//        [--patience 10] [--sweep 1|0] [--variants a,b,...] [--workspace DIR] [--out FILE.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mean, std } from '../main/base/stats.js';
import { compareRunSets } from '../main/features/training/run-comparison.js';
import { Workspace } from '../main/platform/workspace/workspace.js';
import type { TrainSettings } from '../common/contract/training.js';
import { args, ensureDataset, ensureSpace, fmt, log, pct, pval, trainOrReuse, type BenchRun } from './support/bench-workspace.js';

/** A variant's settings; a function when they depend on the workspace (a Thought Space trained for the dataset). */
type Variant = Partial<TrainSettings> | ((ds: string) => Promise<Partial<TrainSettings>>);

const VARIANTS: Record<string, Variant> = {
  sasrec: { arch: 'sasrec' },
  'item text': { arch: 'pulse', auxWeight: 0, itemSide: 'text' },
  'item rationales': { arch: 'pulse', auxWeight: 0, itemSide: 'rationales' },
  'item text+rationales': { arch: 'pulse', auxWeight: 0, itemSide: 'text+rationales' },
  'align all positions (InfoNCE)': { arch: 'pulse', itemSide: 'none' },
  'align last position (InfoNCE)': { arch: 'pulse', itemSide: 'none', auxPositions: 'last' },
  'align all positions (cosine)': { arch: 'pulse', itemSide: 'none', auxKind: 'cosine' },
  // The targets from a trained Thought Space's rationale tower instead of the TF-IDF/SVD fitted on the rationales.
  'align all positions to a trained Thought Space (InfoNCE)': async (ds) => ({ arch: 'pulse', itemSide: 'none', space: await ensureSpace(ws, ds) }),
  'PULSE (defaults)': { arch: 'pulse' },
  'PULSE with a trained Thought Space': async (ds) => ({ arch: 'pulse', space: await ensureSpace(ws, ds) }),
  'PULSE with the alignment weight halving every 10 epochs': { arch: 'pulse', auxHalfLife: 10 },
};

const { opt } = args();
const datasets = opt('--datasets', 'office').split(',');
const seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const epochs = Number(opt('--epochs', '200'));
const patience = Number(opt('--patience', '10'));
const doSweep = opt('--sweep', '1') === '1';
const names = opt('--variants', '') ? opt('--variants', '').split(',') : Object.keys(VARIANTS);
const wsDir = opt('--workspace', fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-bench-ablation-')));
const out = opt('--out', '');
const ws = Workspace.open(wsDir);
log({ bench: 'pulse-ablation', workspace: wsDir, datasets, seeds, epochs, patience, variants: names, sweep: doSweep });

const report: Record<string, unknown> = {};
for (const ds of datasets) {
  if (!(await ensureDataset(ws, ds))) continue;
  const cap = Number(opt(`--epochs-${ds}`, String(epochs)));
  const base = { dataset: ds, epochs: cap, patience, testProtocols: ['full'] };
  const train = async (label: string, v: Partial<TrainSettings>): Promise<BenchRun[]> => {
    const runs: BenchRun[] = [];
    for (const seed of seeds) runs.push(await trainOrReuse(ws, `bench ablation ${ds} ${label} seed ${seed}`, { ...base, ...v, seed }));
    return runs;
  };
  const results: { label: string; runs: BenchRun[] }[] = [];
  for (const n of names) {
    const v = VARIANTS[n];
    if (!v) throw new Error(`unknown variant "${n}"; known: ${Object.keys(VARIANTS).join(', ')}`);
    results.push({ label: n, runs: await train(n, typeof v === 'function' ? await v(ds) : v) });
  }
  const sasrec = results.find((r) => r.label === 'sasrec');
  const col = (runs: BenchRun[], split: 'valid' | 'test', k: string) => runs.map((r) => r[split][k]!);
  const line = (label: string, runs: BenchRun[]) => {
    const c =
      sasrec && label !== 'sasrec'
        ? compareRunSets(
            ws.db,
            sasrec.runs.map((r) => r.run),
            runs.map((r) => r.run),
            { metric: 'ndcg@10' },
          )
        : null;
    return `| ${label} | ${fmt(mean(col(runs, 'valid', 'ndcg@10')), std(col(runs, 'valid', 'ndcg@10')))} | ${fmt(mean(col(runs, 'test', 'hr@10')), std(col(runs, 'test', 'hr@10')))} | ${fmt(mean(col(runs, 'test', 'ndcg@10')), std(col(runs, 'test', 'ndcg@10')))} | ${c ? pct(c.gain) : ''} | ${c ? pval(c.overSeeds?.p) : ''} | ${runs.map((r) => r.epochs).join(', ')} |`;
  };
  const head = [
    '| variant | valid NDCG@10 | test HR@10 | test NDCG@10 | test NDCG@10 gain vs SASRec | p over seeds | epochs |',
    '|---|---|---|---|---|---|---|',
  ];
  console.log(`\n### ${ds}: ablation (${seeds.length} seeds, epoch cap ${cap}, patience ${patience}; mean ± std over seeds)\n`);
  console.log([...head, ...results.map((r) => line(r.label, r.runs))].join('\n'));
  if (sasrec) {
    // Where each variant gains: NDCG@10 of the cold-user and long-tail segments (per-user means over the seeds).
    console.log(`\n### ${ds}: segments (test NDCG@10, SASRec -> variant, gain, p over users)\n`);
    const cmps = results
      .filter((r) => r !== sasrec)
      .map((r) => ({
        label: r.label,
        c: compareRunSets(
          ws.db,
          sasrec.runs.map((x) => x.run),
          r.runs.map((x) => x.run),
          { metric: 'ndcg@10' },
        ),
      }));
    const segs = cmps[0]?.c.segments ?? [];
    console.log(`| variant | ${segs.map((g) => `${g.name} (${g.users} users)`).join(' | ')} |\n|---|${segs.map(() => '---|').join('')}`);
    for (const { label, c } of cmps)
      console.log(`| ${label} | ${c.segments.map((g) => `${g.a.toFixed(4)} -> ${g.b.toFixed(4)} (${pct(g.gain)}, p ${pval(g.test?.p)})`).join(' | ')} |`);
  }
  const sweep: { label: string; runs: BenchRun[] }[] = [];
  if (doSweep) {
    for (const auxWeight of [0.03, 0.1, 0.3])
      for (const auxTemperature of [0.05, 0.1, 0.2]) {
        const label = `PULSE weight ${auxWeight} temperature ${auxTemperature}`;
        sweep.push({ label, runs: await train(label, { arch: 'pulse', auxWeight, auxTemperature }) });
      }
    console.log(`\n### ${ds}: alignment weight x temperature (full PULSE otherwise)\n`);
    console.log([...head, ...sweep.map((r) => line(r.label, r.runs))].join('\n'));
  }
  report[ds] = { epochCap: cap, patience, seeds, variants: results, sweep };
}
if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
ws.close();
