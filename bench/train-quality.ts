// Training quality: trains a SASRec preset with early stopping on validation NDCG@10 and prints
// full-ranking and sampled (1 + 99) test metrics.
// Usage: node scripts/run-ts.mjs bench/train-quality.ts [data.txt ...] [--preset default]
//        [--max-epochs 200] [--patience 10] [--minutes 60] [--seed 2020] [--eval-every 1]
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { drawNegatives, fullRanking, sampledRanking } from '../main/base/ranking.js';
import { kernelInfo } from '../main/base/engine/kernels.js';
import { PRESETS, type PresetName } from '../main/features/training/sasrec/config.js';
import { leaveOneOut, parseS3Rec } from '../main/features/training/sasrec/split.js';
import { createTrainer } from '../main/features/training/sasrec/trainer.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const files = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
const paths = (files.length ? files : ['../shared/data/amazon_beauty_s3rec/Beauty.txt', '../shared/data/amazon_sports_s3rec/Sports_and_Outdoors.txt']).map(
  (p) => resolve(p),
);
const preset = opt('--preset', 'default') as PresetName;
const maxEpochs = Number(opt('--max-epochs', '200'));
const patience = Number(opt('--patience', '10'));
const minutes = Number(opt('--minutes', '60'));
const evalEvery = Number(opt('--eval-every', '1'));
const seed = Number(opt('--seed', String(PRESETS[preset].seed)));
const round = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, +v.toFixed(4)]));

console.log(JSON.stringify({ preset, config: { ...PRESETS[preset], seed }, maxEpochs, patience, minutes, ...kernelInfo() }));
for (const path of paths) {
  const { sequences, nItems } = parseS3Rec(readFileSync(path, 'utf8'));
  const split = leaveOneOut(sequences);
  const tr = createTrainer({ sequences: split.train, nItems, config: { ...PRESETS[preset], seed } });
  const scorer = (h: readonly Int32Array[]): Float32Array => tr.scoreUsers(h);
  const t0 = performance.now();
  let best = -1;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] = [];
  let sinceBest = 0;
  for (let e = 0; e < maxEpochs; e++) {
    const r = tr.trainEpoch();
    if ((e + 1) % evalEvery !== 0) continue;
    const v = fullRanking({ scorer, histories: split.train, targets: split.validTarget, nItems }).metrics;
    const elapsed = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        data: basename(path),
        epoch: e + 1,
        loss: +r.loss.toFixed(4),
        epoch_s: +r.seconds.toFixed(1),
        valid_hr10: +v['HR@10']!.toFixed(4),
        valid_ndcg10: +v['NDCG@10']!.toFixed(4),
        elapsed_s: Math.round(elapsed),
      }),
    );
    if (v['NDCG@10']! > best) {
      best = v['NDCG@10']!;
      bestEpoch = e + 1;
      bestWeights = tr.model.params.map((p) => Float32Array.from(p.value));
      sinceBest = 0;
    } else if (++sinceBest >= patience) break;
    if (elapsed > minutes * 60) break;
  }
  tr.model.params.forEach((p, i) => p.value.set(bestWeights[i]!));
  const full = fullRanking({ scorer, histories: split.testHistory, targets: split.testTarget, nItems }).metrics;
  const negatives: Int32Array[] = [];
  drawNegatives(split.testHistory, split.testTarget, nItems, 99, 12345, (u, neg) => (negatives[u] = neg));
  const sampled = sampledRanking({ scorer, histories: split.testHistory, targets: split.testTarget, nItems, negatives }).metrics;
  console.log(
    JSON.stringify({
      data: basename(path),
      users: sequences.length,
      items: nItems,
      best_epoch: bestEpoch,
      train_s: Math.round((performance.now() - t0) / 1000),
      test_full: round(full),
      test_sampled_1p99: round(sampled),
    }),
  );
}
