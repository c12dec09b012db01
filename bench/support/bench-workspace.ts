// Shared by the PULSE benchmarks: the benchmark datasets imported once into a workspace, rationales drafted for
// every training position, and runs trained through the real 'train.run' job in-process. A finished run in the
// workspace with exactly the same full config (seed included: training is deterministic) is reused, so an
// interrupted benchmark continues where it stopped, benchmarks share identical runs, and every figure stays
// traceable to a run in the workspace.
import type { TrainSettings } from '../../common/contract/training.js';
import { importDataset } from '../../main/features/datasets/importer.js';
import { draftDataset } from '../../main/features/rationales/draft-job.js';
import { run as trainSpaceJob } from '../../main/features/space/space-train-job.js';
import { listSpaces } from '../../main/features/space/space-store.js';
import { resolveRunConfig } from '../../main/features/training/run-config.js';
import { getRun, listRuns, runResults } from '../../main/features/training/run-store.js';
import { run as trainJob } from '../../main/features/training/train-job.js';
import { prepareRun } from '../../main/features/training/training-handlers.js';
import type { Workspace } from '../../main/platform/workspace/workspace.js';
import { dataSet, missingReason } from '../../test/support/data.js';
import { fakeJobContext } from '../../test/support/training-data.js';

/** Benchmark dataset names and their folders under ../shared/data. */
export const BENCH_DATASETS: Record<string, string> = {
  beauty: 'amazon_beauty_s3rec',
  office: 'amazon_office_lcrec',
  sports: 'amazon_sports_s3rec',
  ml100k: 'ml-100k',
};

export const log = (o: unknown): void => console.log(JSON.stringify(o));

/** Imports the dataset (once) and drafts extractive rationales for every training position (once). */
export async function ensureDataset(ws: Workspace, name: string): Promise<boolean> {
  const folder = BENCH_DATASETS[name];
  if (!folder) throw new Error(`unknown benchmark dataset ${name} (${Object.keys(BENCH_DATASETS).join(', ')})`);
  const src = dataSet(folder);
  if (!src) {
    log({ dataset: name, skipped: missingReason(folder) });
    return false;
  }
  if (!ws.db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name)) {
    const t0 = performance.now();
    await importDataset(ws.db, { paths: [src], name });
    log({ dataset: name, step: 'import', seconds: +((performance.now() - t0) / 1000).toFixed(1) });
  }
  const d = draftDataset(ws.db, { dataset: name, positions: 'all' });
  if (d.drafted) log({ dataset: name, step: 'rationales draft --positions all', drafted: d.drafted, targets: d.targets, seconds: +d.seconds.toFixed(1) });
  return true;
}

/**
 * A Thought Space trained (once) on the dataset's rationales with the TF-IDF encoder and the space defaults, as
 * `pulse space train --dataset NAME --encoder tfidf` does; returns its id.
 */
export async function ensureSpace(ws: Workspace, dataset: string): Promise<number> {
  const name = `bench ${dataset} tfidf space`;
  const ready = listSpaces(ws.db).find((s) => s.name === name && s.state === 'ready');
  if (ready) return ready.id;
  const t0 = performance.now();
  const r = (await trainSpaceJob(fakeJobContext(ws, { dataset, encoder: 'tfidf', name, config: {} }).ctx)) as {
    space: number;
    before: unknown;
    after: unknown;
  };
  log({ dataset, step: 'space train', space: r.space, seconds: +((performance.now() - t0) / 1000).toFixed(1), before: r.before, after: r.after });
  return r.space;
}

export interface BenchRun {
  run: number;
  name: string;
  arch: string;
  dataset: string;
  seed: number;
  epochs: number;
  bestEpoch: number | null;
  trainSeconds: number;
  rationaleVersions: number;
  valid: Record<string, number>;
  test: Record<string, number>;
  reused: boolean;
}

/** Trains (or reuses) the run `name` with these settings; returns its figures. */
export async function trainOrReuse(ws: Workspace, name: string, s: TrainSettings): Promise<BenchRun> {
  const want = canonical(resolveRunConfig(s));
  const prior = listRuns(ws.db, { includeArchived: true }).find((r) => r.state === 'succeeded' && canonical(r.config) === want);
  let id = prior?.id;
  if (id === undefined) {
    id = prepareRun(ws, { ...s, name });
    await trainJob(fakeJobContext(ws, { runId: id }).ctx);
  }
  const r = getRun(ws.db, id);
  const res = runResults(ws.db, id);
  const pick = (split: string) => res.find((x) => x.split === split && x.protocol === 'full')!.metrics;
  const out: BenchRun = {
    run: id,
    name,
    arch: r.arch,
    dataset: r.datasetName,
    seed: r.seed,
    epochs: r.summary.epochs ?? 0,
    bestEpoch: r.summary.bestEpoch ?? null,
    trainSeconds: r.summary.trainSeconds ?? 0,
    rationaleVersions: ws.db.prepare('SELECT COUNT(*) FROM run_rationales WHERE run_id = ?').pluck().get(id) as number,
    valid: pick('valid'),
    test: pick('test'),
    reused: prior !== undefined,
  };
  log({ ...out, valid: { 'ndcg@10': out.valid['ndcg@10'] }, test: { 'hr@10': out.test['hr@10'], 'ndcg@10': out.test['ndcg@10'] } });
  return out;
}

/** JSON with keys sorted at every level: two configs are the same run whatever order their keys were written in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

/** "key=value" overrides as typed on the command line (numbers, booleans, comma lists for arrays). */
export function parseOverrides(list: string[]): Partial<TrainSettings> {
  const o: Record<string, unknown> = {};
  for (const kv of list) {
    const m = /^(\w+)=(.*)$/.exec(kv);
    if (!m) throw new Error(`override "${kv}" is not key=value`);
    const v = m[2]!;
    o[m[1]!] = m[1] === 'textCorpus' ? v.split(',') : v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return o as Partial<TrainSettings>;
}

export function args(): { opt: (name: string, def: string) => string; all: (name: string) => string[] } {
  const a = process.argv.slice(2);
  return {
    opt: (name, def) => {
      const i = a.indexOf(name);
      return i >= 0 ? a[i + 1]! : def;
    },
    all: (name) => a.flatMap((x, i) => (x === name ? [a[i + 1]!] : [])),
  };
}

export const fmt = (m: number, s: number, d = 4): string => `${m.toFixed(d)} ± ${s.toFixed(d)}`;
export const pct = (g: number | null): string => (g === null ? 'n/a' : `${g >= 0 ? '+' : ''}${(100 * g).toFixed(2)}%`);
export const pval = (p: number | undefined | null): string => (p === undefined || p === null ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
