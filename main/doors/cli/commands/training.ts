import fs from 'node:fs';
import path from 'node:path';
import type { TrainSettings } from '../../../../common/contract/training.js';
import { UserError } from '../../../base/errors.js';
import { meanStdOverRuns } from '../../../base/stats.js';
import type { EvalJobResult } from '../../../features/training/eval-job.js';
import { configToText, loadConfigFile } from '../../../features/training/run-config.js';
import { getRun } from '../../../features/training/run-store.js';
import type { TrainJobResult } from '../../../features/training/train-job.js';
import { followJob, int, num, required, str, validInput, type Command, type CliContext, type Values } from '../cli-kit.js';

const TRAIN_USAGE =
  'pulse train --dataset NAME --arch sasrec|pulse [--preset default|paper|recbole|reference] [--epochs N] [--seed S | --seeds 1,2,3] [--patience P] [--config FILE] [--space ID] [--aux-weight W] [--aux-kind infonce|cosine] [--aux-temperature T] [--aux-half-life EPOCHS] [--aux-positions all|last] [--item-side text+rationales|text|rationales|none] [--item-encoder tfidf|gguf:PATH|onnx:DIR] [--item-dim N] [--text-corpus NAME,NAME] [--reviewed-only] [--init-from RUN] [--train-fraction F] [--hidden H] [--blocks B] [--heads H] [--inner N] [--dropout D] [--max-len L] [--lr LR] [--batch B] [--loss ce|bce] [--weight-decay W] [--eval-every N] [--name NAME] [--json]';

/** Flag name -> settings key and parser. */
const FLAGS: Record<string, [keyof TrainSettings, 'int' | 'num' | 'str']> = {
  dataset: ['dataset', 'str'],
  arch: ['arch', 'str'],
  preset: ['preset', 'str'],
  name: ['name', 'str'],
  epochs: ['epochs', 'int'],
  patience: ['patience', 'int'],
  'eval-every': ['evalEvery', 'int'],
  'metric-every': ['metricEvery', 'int'],
  'checkpoint-seconds': ['checkpointSeconds', 'num'],
  seed: ['seed', 'int'],
  hidden: ['hidden', 'int'],
  blocks: ['blocks', 'int'],
  heads: ['heads', 'int'],
  inner: ['inner', 'int'],
  dropout: ['dropout', 'num'],
  'attn-dropout': ['attnDropout', 'num'],
  'max-len': ['maxLen', 'int'],
  lr: ['lr', 'num'],
  batch: ['batch', 'int'],
  loss: ['loss', 'str'],
  'weight-decay': ['weightDecay', 'num'],
  'aux-weight': ['auxWeight', 'num'],
  'aux-kind': ['auxKind', 'str'],
  'aux-temperature': ['auxTemperature', 'num'],
  'aux-half-life': ['auxHalfLife', 'num'],
  space: ['space', 'int'],
  'aux-dim': ['auxDim', 'int'],
  'aux-positions': ['auxPositions', 'str'],
  'item-side': ['itemSide', 'str'],
  'item-encoder': ['itemEncoder', 'str'],
  'item-dim': ['itemDim', 'int'],
  'init-from': ['initFrom', 'int'],
  'train-fraction': ['trainFraction', 'num'],
  'neg-seed': ['negSeed', 'int'],
};

function settingsFrom(v: Values): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  const file = str(v, 'config');
  if (file) Object.assign(s, loadConfigFile(file));
  for (const [flag, [key, kind]] of Object.entries(FLAGS)) {
    const x = kind === 'int' ? int(v, flag) : kind === 'num' ? num(v, flag) : str(v, flag);
    if (x !== undefined) s[key] = x;
  }
  if (v['reviewed-only']) s.reviewedOnly = true;
  const protos = str(v, 'test-protocols');
  if (protos) s.testProtocols = protos.split(',').map((p) => p.trim());
  const corpus = str(v, 'text-corpus');
  if (corpus) s.textCorpus = corpus.split(',').map((p) => p.trim());
  return s;
}

async function trainOne(ctx: CliContext, settings: TrainSettings): Promise<TrainJobResult & { job: number }> {
  const { jobId } = await ctx.host().invoke('train.start', settings);
  const r = await followJob<TrainJobResult>(ctx, jobId);
  return { ...r, job: jobId };
}

export const train: Command = {
  name: 'train',
  summary: 'Train a SASRec or PULSE run (early stopping on validation, test once on the best checkpoint)',
  usage: TRAIN_USAGE,
  options: {
    ...Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    seeds: { type: 'string' },
    config: { type: 'string' },
    'test-protocols': { type: 'string' },
    'text-corpus': { type: 'string' },
    'reviewed-only': { type: 'boolean' },
  },
  async run(ctx, v) {
    const s = settingsFrom(v);
    if (!s.dataset) required(v, 'dataset', TRAIN_USAGE);
    const seedsArg = str(v, 'seeds');
    if (!seedsArg) return trainOne(ctx, validInput('train.start', s, TRAIN_USAGE));
    const seeds = seedsArg.split(',').map((x) => Number(x.trim()));
    if (!seeds.length || seeds.some((x) => !Number.isInteger(x) || x < 0))
      throw new UserError(`--seeds must be whole numbers separated by commas, not "${seedsArg}".`, { hint: 'Example: --seeds 1,2,3' });
    const group =
      (s.group as string | undefined) ??
      `${String(s.arch ?? 'sasrec')} ${String(s.dataset)} seeds ${seeds.join('-')} ${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}`;
    const runs: (TrainJobResult & { job: number })[] = [];
    for (const seed of seeds) {
      ctx.progress(`seed ${seed}: training`);
      runs.push(
        await trainOne(ctx, validInput('train.start', { ...s, seed, group, name: s.name ? `${String(s.name)} seed ${seed}` : undefined }, TRAIN_USAGE)),
      );
    }
    const test: Record<string, Record<string, { mean: number; std: number }>> = {};
    for (const p of Object.keys(runs[0]!.test)) test[p] = meanStdOverRuns(runs.map((r) => r.test[p]!));
    return {
      group,
      seeds,
      runs: runs.map((r) => r.run),
      epochs: runs.map((r) => r.epochs),
      seconds: runs.reduce((a, r) => a + r.seconds, 0),
      sequences_per_second: meanStdOverRuns(runs.map((r) => ({ v: r.sequences_per_second ?? 0 }))).v,
      test,
      results: runs,
    };
  },
};

const EVAL_USAGE = 'pulse eval --run ID --protocol full|sampled:N [--seed S] [--split test|valid] [--json]';

export const evalCmd: Command = {
  name: 'eval',
  summary: "Evaluate a run's best checkpoint again under a protocol",
  usage: EVAL_USAGE,
  options: { run: { type: 'string' }, protocol: { type: 'string' }, seed: { type: 'string' }, split: { type: 'string' } },
  async run(ctx, v) {
    const input = validInput(
      'eval.run',
      { id: int(v, 'run'), protocol: str(v, 'protocol') ?? 'full', seed: int(v, 'seed'), split: str(v, 'split') },
      EVAL_USAGE,
    );
    const { jobId } = await ctx.host().invoke('eval.run', input);
    return followJob<EvalJobResult>(ctx, jobId);
  },
};

function idArg(arg: string | undefined, usage: string): number {
  const id = Number(arg);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('Give a run id.', { hint: `Usage: ${usage}` });
  return id;
}

export const runsList: Command = {
  name: 'runs',
  summary: 'List training runs with best validation and test values',
  usage: 'pulse runs [--dataset NAME] [--all] [--json]',
  options: { dataset: { type: 'string' }, all: { type: 'boolean' } },
  async run(ctx, v) {
    const r = await ctx.host().invoke('runs.list', { dataset: str(v, 'dataset'), includeArchived: v.all === true ? true : undefined });
    if (ctx.json) return r;
    const f = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(4));
    const head = 'id  state        arch    dataset          epochs  valid ndcg@10  test hr@10  test ndcg@10  name';
    return [
      head,
      ...r.runs.map(
        (x) =>
          `${String(x.id).padEnd(4)}${x.state.padEnd(13)}${x.arch.padEnd(8)}${x.dataset.slice(0, 16).padEnd(17)}${String(x.epochs).padEnd(8)}${f(x.best['valid.ndcg@10']).padEnd(15)}${f(x.test.full?.['hr@10']).padEnd(12)}${f(x.test.full?.['ndcg@10']).padEnd(14)}${x.name}`,
      ),
    ].join('\n');
  },
};

export const runsShow: Command = {
  name: 'runs show',
  summary: "A run's config, results and provenance; --config-out writes its config as YAML or JSON (to train it again with --config)",
  usage: 'pulse runs show ID [--config-out FILE.yaml|FILE.json] [--json]',
  options: { 'config-out': { type: 'string' } },
  async run(ctx, v, [id]) {
    const runId = idArg(id, this.usage);
    const detail = await ctx.host().invoke('runs.get', { id: runId });
    const out = str(v, 'config-out');
    if (out) {
      const cfg = getRun(ctx.host().workspace.db, runId).config;
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, configToText(cfg, path.extname(out).toLowerCase() === '.json' ? 'json' : 'yaml'));
    }
    return detail;
  },
};

export const runsMetrics: Command = {
  name: 'runs metrics',
  summary: "A run's metric points (training loss, validation metrics) after a cursor",
  usage: 'pulse runs metrics ID [--since SEQ] [--json]',
  options: { since: { type: 'string' } },
  run(ctx, v, [id]) {
    return ctx.host().invoke('runs.metrics', { id: idArg(id, this.usage), since: int(v, 'since', 0) });
  },
};

export const runsRename: Command = {
  name: 'runs rename',
  summary: 'Rename a run',
  usage: 'pulse runs rename ID NAME [--json]',
  run(ctx, _v, [id, ...name]) {
    return ctx.host().invoke('runs.rename', { id: idArg(id, this.usage), name: name.join(' ') });
  },
};

export const runsArchive: Command = {
  name: 'runs archive',
  summary: 'Archive a run (hidden from lists unless --all); --undo brings it back',
  usage: 'pulse runs archive ID [--undo] [--json]',
  options: { undo: { type: 'boolean' } },
  run(ctx, v, [id]) {
    return ctx.host().invoke('runs.archive', { id: idArg(id, this.usage), archived: v.undo !== true });
  },
};

export const runsDelete: Command = {
  name: 'runs delete',
  summary: 'Delete a run with its metrics, results and checkpoints',
  usage: 'pulse runs delete ID [--json]',
  run(ctx, _v, [id]) {
    return ctx.host().invoke('runs.delete', { id: idArg(id, this.usage) });
  },
};

export const runsCompare: Command = {
  name: 'runs compare',
  summary: "Paired t-test of two runs' per-user test metric",
  usage: 'pulse runs compare A B [--metric ndcg@10] [--protocol full|sampled:N] [--json]',
  options: { metric: { type: 'string' }, protocol: { type: 'string' } },
  run(ctx, v, [a, b]) {
    return ctx.host().invoke('runs.compare', { a: idArg(a, this.usage), b: idArg(b, this.usage), metric: str(v, 'metric'), protocol: str(v, 'protocol') });
  },
};

const idList = (x: string | undefined): number[] | undefined => x?.split(',').map((s) => Number(s.trim()));

export const runsCompareSets: Command = {
  name: 'runs compare-sets',
  summary: 'Runs B against runs A (e.g. PULSE vs SASRec over seeds): mean ± std, gain, paired tests over seeds and users, cold users and long tail',
  usage: 'pulse runs compare-sets --a 1,3,5 --b 2,4,6 [--metric ndcg@10] [--protocol full|sampled:N] [--json]',
  options: { a: { type: 'string' }, b: { type: 'string' }, metric: { type: 'string' }, protocol: { type: 'string' } },
  run(ctx, v) {
    const input = validInput(
      'runs.compareSets',
      { a: idList(str(v, 'a')), b: idList(str(v, 'b')), metric: str(v, 'metric'), protocol: str(v, 'protocol') },
      this.usage,
    );
    return ctx.host().invoke('runs.compareSets', input);
  },
};

export const runsUser: Command = {
  name: 'runs user',
  summary: "One user through runs: history, the rationales used, each run's top-k (best checkpoint)",
  usage: 'pulse runs user --runs 1,2 (--user ORIGINAL_ID | --user-idx N) [--k 10] [--json]',
  options: { runs: { type: 'string' }, user: { type: 'string' }, 'user-idx': { type: 'string' }, k: { type: 'string' } },
  run(ctx, v) {
    const user = int(v, 'user-idx') ?? str(v, 'user');
    if (user === undefined) throw new UserError('Give --user ORIGINAL_ID or --user-idx N.', { hint: `Usage: ${this.usage}` });
    return ctx.host().invoke('runs.userView', validInput('runs.userView', { runs: idList(str(v, 'runs')), user, k: int(v, 'k') }, this.usage));
  },
};

const SWEEP_USAGE =
  'pulse sweep --dataset NAME --arch sasrec|pulse --grid KEY=V1,V2 [--grid KEY=...] [--name NAME] [any `pulse train` setting] [--json]   e.g. --grid auxWeight=0.05,0.1,0.2 --grid seed=1,2,3';

export const sweep: Command = {
  name: 'sweep',
  summary: 'Train one run per combination of settings, as one job (progress, cancel, resume)',
  usage: SWEEP_USAGE,
  options: {
    ...Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    config: { type: 'string' },
    'test-protocols': { type: 'string' },
    'text-corpus': { type: 'string' },
    'reviewed-only': { type: 'boolean' },
    grid: { type: 'string', multiple: true },
  },
  async run(ctx, v) {
    const settings = settingsFrom(v);
    if (!settings.dataset) required(v, 'dataset', SWEEP_USAGE);
    const grid: Record<string, (string | number | boolean)[]> = {};
    for (const g of (v.grid as string[] | undefined) ?? []) {
      const m = /^([A-Za-z]+)=(.+)$/.exec(g);
      if (!m) throw new UserError(`--grid takes KEY=V1,V2,..., not "${g}".`, { hint: `Usage: ${SWEEP_USAGE}` });
      grid[m[1]!] = m[2]!.split(',').map((x) => {
        const t = x.trim();
        return t === 'true' ? true : t === 'false' ? false : t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
      });
    }
    const input = validInput('train.sweep', { settings: { ...settings, name: undefined }, grid, name: settings.name }, SWEEP_USAGE);
    const { jobId, runIds, group } = await ctx.host().invoke('train.sweep', input);
    const r = await followJob<{ runs: number[]; results: TrainJobResult[] }>(ctx, jobId);
    return { job: jobId, group, runs: runIds, results: r.results };
  },
};

export const runsExport: Command = {
  name: 'runs export',
  summary: 'The results table as CSV or Markdown',
  usage: 'pulse runs export --format csv|md --out FILE [--runs 1,2,3] [--all] [--json]',
  options: { format: { type: 'string' }, out: { type: 'string' }, runs: { type: 'string' }, all: { type: 'boolean' } },
  async run(ctx, v) {
    const format = str(v, 'format') ?? (str(v, 'out')?.endsWith('.md') ? 'md' : 'csv');
    const ids = str(v, 'runs')
      ?.split(',')
      .map((x) => Number(x.trim()));
    const r = await ctx
      .host()
      .invoke('runs.export', validInput('runs.export', { format, ids, includeArchived: v.all === true ? true : undefined }, this.usage));
    const out = str(v, 'out');
    if (!out) return ctx.json ? r : r.text;
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, r.text);
    return { file: path.resolve(out), rows: r.rows, format };
  },
};

export const runsEmbeddings: Command = {
  name: 'runs embeddings',
  summary: "Write a run's item embeddings (best checkpoint) as TSV: original item id, then the floats",
  usage: 'pulse runs embeddings --run ID --out FILE [--json]',
  options: { run: { type: 'string' }, out: { type: 'string' } },
  run(ctx, v) {
    return ctx.host().invoke('runs.embeddings', { id: int(v, 'run'), out: path.resolve(required(v, 'out', this.usage)) });
  },
};

export const exportRecboleCmd: Command = {
  name: 'export recbole',
  summary: 'Write a dataset, its split and curated rationales as RecBole atomic and benchmark files',
  usage: 'pulse export recbole --dataset NAME --out DIR [--json]',
  options: { dataset: { type: 'string' }, out: { type: 'string' } },
  run(ctx, v) {
    return ctx.host().invoke('export.recbole', { dataset: required(v, 'dataset', this.usage), out: path.resolve(required(v, 'out', this.usage)) });
  },
};

const EXPORT_USAGE = 'pulse export --run ID --format onnx --out FILE [--json]';

export const exportModelCmd: Command = {
  name: 'export',
  summary: "Write a trained run's scorer as an ONNX model (history ids in, item scores out), to use outside the workbench",
  usage: EXPORT_USAGE,
  options: { run: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  run(ctx, v) {
    const out = required(v, 'out', EXPORT_USAGE);
    const input = validInput('runs.exportModel', { id: int(v, 'run'), format: str(v, 'format') ?? 'onnx', out: path.resolve(out) }, EXPORT_USAGE);
    return ctx.host().invoke('runs.exportModel', input);
  },
};

const RECOMMEND_USAGE = 'pulse recommend --run ID --user USER [--k 10] [--via engine|onnx] [--json]';

export const recommendCmd: Command = {
  name: 'recommend',
  summary: "The top-k items for a user (the user's id in the imported data) from a trained run, with titles",
  usage: RECOMMEND_USAGE,
  options: { run: { type: 'string' }, user: { type: 'string' }, k: { type: 'string' }, via: { type: 'string' } },
  async run(ctx, v) {
    const input = validInput(
      'runs.recommend',
      { id: int(v, 'run'), user: required(v, 'user', RECOMMEND_USAGE), k: int(v, 'k'), via: str(v, 'via') },
      RECOMMEND_USAGE,
    );
    const r = await ctx.host().invoke('runs.recommend', input);
    if (ctx.json) return r;
    return [
      `run ${r.run} (${r.dataset}), user ${r.user}: ${r.history} items in the history (not recommended again), scored by the ${r.via === 'onnx' ? 'ONNX export (onnxruntime)' : 'engine'}`,
      ...r.items.map((x) => `${String(x.rank).padStart(3)}. ${x.item}  ${x.score.toFixed(4)}  ${x.title}`),
    ].join('\n');
  },
};

export const TRAINING_COMMANDS: Command[] = [
  train,
  sweep,
  runsCompareSets,
  runsUser,
  evalCmd,
  runsList,
  runsShow,
  runsMetrics,
  runsRename,
  runsArchive,
  runsDelete,
  runsCompare,
  runsExport,
  runsEmbeddings,
  exportRecboleCmd,
  exportModelCmd,
  recommendCmd,
];
