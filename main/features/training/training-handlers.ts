import fs from 'node:fs';
import path from 'node:path';
import { SWEEP_MAX_RUNS, sweepCombinations, sweepSize, type SweepGrid, type TrainSettings } from '../../../common/contract/training.js';
import { packageRoot } from '../../platform/paths.js';
import type { Handlers } from '../../platform/host/host.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import type { EvalJobParams } from './eval-job.js';
import { exportRecbole } from './recbole-export.js';
import { resolveRunConfig } from './run-config.js';
import { checkPulseRequirements } from './pulse-inputs.js';
import { UserError } from '../../base/errors.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { compareRuns, resultsTable, runDetail, runSummary, writeItemEmbeddings } from './run-report.js';
import { exportRunModel, recommendForUser } from './run-model.js';
import { archiveRun, createRun, deleteRun, getRun, listRuns, metricsSince, renameRun, setRunJob } from './run-store.js';
import { PRESETS } from './sasrec/index.js';
import type { TrainJobParams } from './train-job.js';
import { compareRunSets, rankDifferences } from './run-comparison.js';
import { userView } from './run-user-view.js';
import type { SweepParams } from './sweep-job.js';

function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

/**
 * Creates the run row (full resolved config, dataset hash, app version) for settings; the job trains it. A run
 * that cannot train (a PULSE run without rationales or item text, mismatched dimensions, an unknown source run)
 * is refused here, before anything is written.
 */
export function prepareRun(ws: Workspace, s: TrainSettings): number {
  return createRun(ws.db, planRun(ws, s));
}

/** Everything prepareRun checks, without writing: the row a run would get. */
function planRun(ws: Workspace, s: TrainSettings): Parameters<typeof createRun>[1] {
  const config = resolveRunConfig(s);
  const ds = datasetByName(ws.db, config.dataset);
  const source = config.initFrom !== null ? getRun(ws.db, config.initFrom) : null;
  if (source && source.config.sasrec.hidden !== config.sasrec.hidden)
    throw new UserError(`Run ${source.id} has hidden size ${source.config.sasrec.hidden}; this run has ${config.sasrec.hidden}.`, {
      hint: `Use --hidden ${source.config.sasrec.hidden} to start from run ${source.id}.`,
      code: 'dim_mismatch',
    });
  if (source && source.state !== 'succeeded')
    throw new UserError(`Run ${source.id} is ${source.state}; a run can only start from a finished one.`, { hint: 'Let it finish first.', code: 'bad_state' });
  if (config.aux) checkPulseRequirements(ws, config.dataset, config.aux, { auxDimSet: s.auxDim !== undefined, source: source && { aux: source.config.aux } });
  return { name: s.name, config, datasetId: ds.id, datasetHash: ds.contentHash, appVersion: appVersion(), group: s.group ?? null };
}

/**
 * The runs of a sweep: one per combination of the grid's values over the base settings, all planned before any
 * is created (a combination that cannot train refuses the whole sweep and writes nothing). The settings of each
 * combination were checked at the door (the contract's train.sweep input).
 */
export function prepareSweep(ws: Workspace, base: TrainSettings, grid: SweepGrid, group: string): number[] {
  const size = sweepSize(grid);
  if (size > SWEEP_MAX_RUNS)
    throw new UserError(`This sweep has ${size} combinations; at most ${SWEEP_MAX_RUNS} run in one sweep.`, {
      hint: 'Use fewer values.',
      code: 'bad_config',
    });
  const plans = sweepCombinations(grid).map(({ values, label }) =>
    planRun(ws, {
      ...base,
      ...values,
      group,
      name: `${base.name ?? group} ${label}`
        .replace(/[^\p{L}\p{N} ._-]/gu, '_')
        .slice(0, 100)
        .trim(),
    } as TrainSettings),
  );
  return ws.db.transaction(() => plans.map((p) => createRun(ws.db, p)))();
}

export const trainingHandlers: Handlers<
  | 'train.start'
  | 'train.presets'
  | 'runs.list'
  | 'runs.get'
  | 'runs.metrics'
  | 'runs.rename'
  | 'runs.archive'
  | 'runs.delete'
  | 'runs.compare'
  | 'runs.compareSets'
  | 'runs.userView'
  | 'runs.rankDiff'
  | 'train.sweep'
  | 'runs.export'
  | 'runs.embeddings'
  | 'eval.run'
  | 'export.recbole'
  | 'runs.exportModel'
  | 'runs.recommend'
> = {
  'train.start': (i, host) => {
    const runId = prepareRun(host.workspace, i);
    const rec = getRun(host.workspace.db, runId);
    const params: TrainJobParams = { runId };
    const job = host.jobs.start('train.run', params, `Train ${rec.arch} on ${rec.datasetName} (run ${runId}, seed ${rec.seed})`);
    setRunJob(host.workspace.db, runId, job.id);
    return { jobId: job.id, runId };
  },
  'train.presets': () => ({ presets: PRESETS as unknown as Record<string, Record<string, unknown>> }),
  'runs.list': (i, host) => ({ runs: listRuns(host.workspace.db, i).map((r) => runSummary(host.workspace.db, r)) }),
  'runs.get': (i, host) => runDetail(host.workspace, i.id),
  'runs.metrics': (i, host) => {
    getRun(host.workspace.db, i.id);
    return metricsSince(host.workspace.db, i.id, i.since ?? 0, i.limit ?? 20000);
  },
  'runs.rename': (i, host) => {
    renameRun(host.workspace.db, i.id, i.name);
    return { ok: true as const };
  },
  'runs.archive': (i, host) => {
    archiveRun(host.workspace.db, i.id, i.archived ?? true);
    return { ok: true as const };
  },
  'runs.delete': (i, host) => {
    deleteRun(host.workspace, i.id);
    return { ok: true as const };
  },
  'runs.compare': (i, host) => compareRuns(host.workspace.db, i.a, i.b, i.metric ?? 'ndcg@10', i.protocol ?? 'full'),
  'runs.compareSets': (i, host) => compareRunSets(host.workspace.db, i.a, i.b, { metric: i.metric, protocol: i.protocol }),
  'runs.userView': (i, host) => userView(host.workspace, i.runs, i.user, i.k),
  'runs.rankDiff': (i, host) => ({ users: rankDifferences(host.workspace.db, i.a, i.b, { protocol: i.protocol, limit: i.limit }) }),
  'train.sweep': (i, host) => {
    const group = i.name ?? `sweep ${i.settings.arch ?? 'sasrec'} ${i.settings.dataset} ${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}`;
    const runIds = prepareSweep(host.workspace, i.settings, i.grid, group);
    const job = host.jobs.start('train.sweep', { runIds } satisfies SweepParams, `Sweep ${group} (${runIds.length} runs)`);
    for (const id of runIds) setRunJob(host.workspace.db, id, job.id);
    return { jobId: job.id, runIds, group };
  },
  'runs.export': (i, host) => {
    const db = host.workspace.db;
    const runs = i.ids ? i.ids.map((id) => getRun(db, id)) : listRuns(db, { includeArchived: i.includeArchived });
    return { text: resultsTable(db, runs, i.format), rows: runs.length };
  },
  'runs.embeddings': (i, host) => writeItemEmbeddings(host.workspace, i.id, i.out),
  'eval.run': (i, host) => {
    const rec = getRun(host.workspace.db, i.id);
    const params: EvalJobParams = { runId: i.id, protocol: i.protocol, seed: i.seed, split: i.split };
    const job = host.jobs.start('train.eval', params, `Evaluate run ${rec.id} (${i.split ?? 'test'}, ${i.protocol})`);
    return { jobId: job.id };
  },
  'export.recbole': (i, host) => exportRecbole(host.workspace.db, i.dataset, i.out),
  'runs.exportModel': (i, host) => exportRunModel(host.workspace, i.id, i.format, i.out),
  'runs.recommend': (i, host) => recommendForUser(host.workspace, i),
};
