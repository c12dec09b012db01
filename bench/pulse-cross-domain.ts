// Cross-domain transfer (PULSE stage 8): a PULSE model trained on a source domain (Beauty) is the starting point
// on a target domain (Office) trained with 100%, 25% and 10% of its users, against SASRec and PULSE trained on the
// target alone. The source run's encoders (TF-IDF fitted on both domains' text, so both embed in one space) and
// every weight but the item IDs carry over (`--init-from`). A control trains PULSE on the target alone with the
// same shared encoders, which separates the effect of the shared space from that of the transferred weights.
// Every user of the target is evaluated (full ranking, test split, best-validation checkpoint).
//
// Usage: node scripts/run-ts.mjs bench/pulse-cross-domain.ts [--source beauty] [--target office]
//        [--fractions 1,0.25,0.1] [--seeds 1,2,3] [--epochs 200] [--patience 10] [--workspace DIR] [--out FILE.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mean, std } from '../main/base/stats.js';
import { compareRunSets } from '../main/features/training/run-comparison.js';
import { Workspace } from '../main/platform/workspace/workspace.js';
import type { TrainSettings } from '../common/contract/training.js';
import { args, ensureDataset, fmt, log, pct, pval, trainOrReuse, type BenchRun } from './support/bench-workspace.js';

const { opt } = args();
const source = opt('--source', 'beauty');
const target = opt('--target', 'office');
const fractions = opt('--fractions', '1,0.25,0.1').split(',').map(Number);
const seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const epochs = Number(opt('--epochs', '200'));
const patience = Number(opt('--patience', '10'));
const wsDir = opt('--workspace', fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-bench-xdomain-')));
const out = opt('--out', '');
const ws = Workspace.open(wsDir);
log({ bench: 'pulse-cross-domain', workspace: wsDir, source, target, fractions, seeds, epochs, patience });

if (!(await ensureDataset(ws, source)) || !(await ensureDataset(ws, target))) process.exit(0);
const base = { epochs, patience, testProtocols: ['full'] };
const shared = { arch: 'pulse' as const, textCorpus: [source, target] };

// One source model per seed (the transfer runs of that seed start from it).
const sources = new Map<number, BenchRun>();
for (const seed of seeds)
  sources.set(seed, await trainOrReuse(ws, `bench xdomain source ${source} seed ${seed}`, { dataset: source, ...shared, ...base, seed }));

const ARMS: Record<string, (seed: number) => Partial<TrainSettings>> = {
  [`SASRec (${target} only)`]: () => ({ arch: 'sasrec' }),
  [`PULSE (${target} only)`]: () => ({ arch: 'pulse' }),
  [`PULSE (${target} only, encoders shared with ${source})`]: () => shared,
  [`PULSE (${source} -> ${target})`]: (seed) => ({ ...shared, initFrom: sources.get(seed)!.run }),
};

const report: Record<string, unknown> = { sources: [...sources.values()] };
const rows: string[] = [];
for (const f of fractions) {
  const arms: { label: string; runs: BenchRun[] }[] = [];
  for (const [label, settings] of Object.entries(ARMS)) {
    const runs: BenchRun[] = [];
    for (const seed of seeds)
      runs.push(
        await trainOrReuse(ws, `bench xdomain ${target} ${label} users ${f} seed ${seed}`, {
          dataset: target,
          ...base,
          ...settings(seed),
          trainFraction: f,
          seed,
        }),
      );
    arms.push({ label, runs });
  }
  const ids = (i: number) => arms[i]!.runs.map((r) => r.run);
  for (const [i, arm] of arms.entries()) {
    const hr = arm.runs.map((r) => r.test['hr@10']!);
    const nd = arm.runs.map((r) => r.test['ndcg@10']!);
    const vsSasrec = i ? compareRunSets(ws.db, ids(0), ids(i), { metric: 'ndcg@10' }) : null;
    const vsPulse = i > 1 ? compareRunSets(ws.db, ids(1), ids(i), { metric: 'ndcg@10' }) : null;
    rows.push(
      `| ${(f * 100).toFixed(0)}% | ${arm.label} | ${fmt(mean(hr), std(hr))} | ${fmt(mean(nd), std(nd))} | ${vsSasrec ? `${pct(vsSasrec.gain)} (p ${pval(vsSasrec.overSeeds?.p)})` : ''} | ${vsPulse ? `${pct(vsPulse.gain)} (p ${pval(vsPulse.overSeeds?.p)})` : ''} | ${arm.runs.map((r) => r.epochs).join(', ')} |`,
    );
  }
  report[String(f)] = arms;
}
console.log(`\n### ${source} -> ${target}: full ranking on ${target}'s test split (${seeds.length} seeds, epoch cap ${epochs}, patience ${patience})\n`);
const src = [...sources.values()];
console.log(
  `Source models (${source}, PULSE with encoders fitted on ${source} + ${target} text): test NDCG@10 ${fmt(mean(src.map((r) => r.test['ndcg@10']!)), std(src.map((r) => r.test['ndcg@10']!)))}\n`,
);
console.log(`| ${target} users trained on | model | HR@10 | NDCG@10 | NDCG@10 vs SASRec | NDCG@10 vs PULSE (${target} only) | epochs |`);
console.log('|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
ws.close();
