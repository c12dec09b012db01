import fs from 'node:fs';
import path from 'node:path';
import type { TrainSettings } from '../../preload/contract/training.js';
import { packageRoot } from '../app/paths.js';
import type { Handlers } from '../host/handler-types.js';
import type { Workspace } from '../workspace/workspace.js';
import type { EvalJobParams } from './eval-job.js';
import { exportRecbole } from './recbole-export.js';
import { resolveRunConfig } from './run-config.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { compareRuns, resultsTable, runDetail, runSummary, writeItemEmbeddings } from './run-report.js';
import { exportRunModel, recommendForUser } from './run-model.js';
import { archiveRun, createRun, deleteRun, getRun, listRuns, metricsSince, renameRun } from './run-store.js';
import { PRESETS } from './sasrec/index.js';
import type { TrainJobParams } from './train-job.js';

function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

/** Creates the run row (full resolved config, dataset hash, app version) for settings; the job trains it. */
export function prepareRun(ws: Workspace, s: TrainSettings): number {
  const config = resolveRunConfig(s);
  const ds = datasetByName(ws.db, config.dataset);
  return createRun(ws.db, { name: s.name, config, datasetId: ds.id, datasetHash: ds.contentHash, appVersion: appVersion(), group: s.group ?? null });
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
    host.workspace.db.prepare('UPDATE runs SET job_id = ? WHERE id = ?').run(job.id, runId);
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
