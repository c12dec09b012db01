// Queries on the runs tables (migration 0006): runs, their metric curves, the rationale versions a run used,
// evaluation results with per-user ranks, and sampled-ranking negatives stored once per (dataset, seed, n).
import fs from 'node:fs';
import path from 'node:path';
import type { RunState } from '../../../common/contract/training.js';
import { UserError } from '../../base/errors.js';
import type { SequenceSource } from '../../base/sequence-source.js';
import type { Db } from '../../platform/storage/database.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { upgradeRunConfig, type RunConfig } from './run-config.js';

export interface RunSummaryJson {
  epochs?: number;
  bestEpoch?: number | null;
  seconds?: number;
  trainSeconds?: number;
  sequences?: number;
  sequencesPerSecond?: number | null;
  best?: Record<string, number>;
  stoppedEarly?: boolean;
}

export interface RunRecord {
  id: number;
  name: string;
  datasetId: number | null;
  datasetName: string;
  datasetHash: string;
  arch: 'sasrec' | 'pulse';
  preset: string;
  config: RunConfig;
  appVersion: string;
  seed: number;
  group: string | null;
  state: RunState;
  archived: boolean;
  jobId: number | null;
  summary: RunSummaryJson;
  createdAt: string;
  updatedAt: string;
}

interface RunRow {
  id: number;
  name: string;
  dataset_id: number | null;
  dataset_name: string;
  dataset_hash: string;
  arch: 'sasrec' | 'pulse';
  preset: string;
  config: string;
  app_version: string;
  seed: number;
  group_name: string | null;
  state: RunState;
  archived: number;
  job_id: number | null;
  summary: string;
  created_at: string;
  updated_at: string;
}

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  name: r.name,
  datasetId: r.dataset_id,
  datasetName: r.dataset_name,
  datasetHash: r.dataset_hash,
  arch: r.arch,
  preset: r.preset,
  config: upgradeRunConfig(JSON.parse(r.config) as RunConfig),
  appVersion: r.app_version,
  seed: r.seed,
  group: r.group_name,
  state: r.state,
  archived: r.archived === 1,
  jobId: r.job_id,
  summary: JSON.parse(r.summary) as RunSummaryJson,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export function runDir(ws: Workspace, id: number): string {
  return ws.artifactDir('runs', String(id));
}

export function createRun(
  db: Db,
  r: { name?: string; config: RunConfig; datasetId: number; datasetHash: string; appVersion: string; group?: string | null },
): number {
  const name = r.name ?? `${r.config.arch} ${r.config.dataset} seed ${r.config.sasrec.seed}`;
  const info = db
    .prepare(
      `INSERT INTO runs(name, dataset_id, dataset_name, dataset_hash, arch, preset, config, app_version, seed, group_name, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')`,
    )
    .run(
      name,
      r.datasetId,
      r.config.dataset,
      r.datasetHash,
      r.config.arch,
      r.config.preset,
      JSON.stringify(r.config),
      r.appVersion,
      r.config.sasrec.seed,
      r.group ?? null,
    );
  return Number(info.lastInsertRowid);
}

export function getRun(db: Db, id: number): RunRecord {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw new UserError(`There is no run ${id} in this workspace.`, { hint: 'List runs with `pulse runs`.', code: 'not_found' });
  return toRun(row);
}

export function listRuns(db: Db, o: { dataset?: string; includeArchived?: boolean } = {}): RunRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (o.dataset) {
    where.push('dataset_name = ?');
    args.push(o.dataset);
  }
  if (!o.includeArchived) where.push('archived = 0');
  const sql = `SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (db.prepare(sql).all(...args) as RunRow[]).map(toRun);
}

export function setRunState(db: Db, id: number, state: RunState, jobId?: number): void {
  if (jobId !== undefined) db.prepare(`UPDATE runs SET state = ?, job_id = ?, updated_at = ${NOW} WHERE id = ?`).run(state, jobId, id);
  else db.prepare(`UPDATE runs SET state = ?, updated_at = ${NOW} WHERE id = ?`).run(state, id);
}

/** Records which job trains the run (a train.run or the sweep that holds it); its state is the job's to set. */
export function setRunJob(db: Db, runId: number, jobId: number): void {
  db.prepare('UPDATE runs SET job_id = ? WHERE id = ?').run(jobId, runId);
}

export function setRunSummary(db: Db, id: number, summary: RunSummaryJson): void {
  db.prepare(`UPDATE runs SET summary = ?, updated_at = ${NOW} WHERE id = ?`).run(JSON.stringify(summary), id);
}

export function renameRun(db: Db, id: number, name: string): void {
  getRun(db, id);
  db.prepare(`UPDATE runs SET name = ?, updated_at = ${NOW} WHERE id = ?`).run(name, id);
}

export function archiveRun(db: Db, id: number, archived = true): void {
  getRun(db, id);
  db.prepare(`UPDATE runs SET archived = ?, updated_at = ${NOW} WHERE id = ?`).run(archived ? 1 : 0, id);
}

export function deleteRun(ws: Workspace, id: number): void {
  const r = getRun(ws.db, id);
  if (r.state === 'running' || r.state === 'queued') {
    const alive = r.jobId !== null && ws.db.prepare("SELECT 1 FROM jobs WHERE id = ? AND state IN ('running','queued')").get(r.jobId) !== undefined;
    if (alive) throw new UserError(`Run ${id} is still training; cancel its job (${r.jobId}) first.`, { code: 'bad_state' });
  }
  ws.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  fs.rmSync(path.join(ws.artifactsDir, 'runs', String(id)), { recursive: true, force: true });
}

/** Runs whose job is gone (a kill) while they say running: shown as interrupted. */
export function effectiveState(db: Db, r: RunRecord): RunState {
  if ((r.state === 'running' || r.state === 'queued') && r.jobId !== null) {
    const js = db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(r.jobId) as string | undefined;
    if (js === 'interrupted' || js === 'failed' || js === 'cancelled') return js;
  }
  return r.state;
}

// ---- metric curves

export interface MetricRow {
  step: number;
  epoch: number;
  wall: number;
  name: string;
  value: number;
}

export function addMetrics(db: Db, runId: number, rows: MetricRow[]): void {
  if (!rows.length) return;
  const ins = db.prepare('INSERT INTO run_metrics(run_id, step, epoch, wall_seconds, name, value) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) if (Number.isFinite(r.value)) ins.run(runId, r.step, r.epoch, r.wall, r.name, r.value);
  }).immediate();
}

/** After a resume from a checkpoint at `step`: drops points recorded after it (they are recorded again). */
export function truncateMetrics(db: Db, runId: number, step: number): void {
  db.prepare('DELETE FROM run_metrics WHERE run_id = ? AND step > ?').run(runId, step);
}

export function metricsSince(db: Db, runId: number, since = 0, limit = 20000) {
  const rows = db
    .prepare('SELECT seq, step, epoch, wall_seconds AS wall, name, value FROM run_metrics WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    .all(runId, since, limit) as { seq: number; step: number; epoch: number; wall: number; name: string; value: number }[];
  return { points: rows, next: rows.length ? rows[rows.length - 1]!.seq : since };
}

/** The last value of every metric name. */
export function lastMetrics(db: Db, runId: number): Record<string, number> {
  const rows = db.prepare('SELECT name, value FROM run_metrics WHERE seq IN (SELECT MAX(seq) FROM run_metrics WHERE run_id = ? GROUP BY name)').all(runId) as {
    name: string;
    value: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

// ---- rationale versions used

export function recordRunRationales(db: Db, runId: number, rows: { userIdx: number; versionId: number }[]): void {
  const ins = db.prepare('INSERT OR REPLACE INTO run_rationales(run_id, rationale_version_id, user_idx) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM run_rationales WHERE run_id = ?').run(runId);
    for (const r of rows) ins.run(runId, r.versionId, r.userIdx);
  }).immediate();
}

/** The rationale versions a run aligned to, for every user or for one (`userIdx`). */
export function runRationales(db: Db, runId: number, userIdx?: number): { userIdx: number; versionId: number }[] {
  const select = 'SELECT user_idx AS userIdx, rationale_version_id AS versionId FROM run_rationales WHERE run_id = ?';
  const rows =
    userIdx === undefined
      ? db.prepare(`${select} ORDER BY user_idx, rationale_version_id`).all(runId)
      : db.prepare(`${select} AND user_idx = ? ORDER BY rationale_version_id`).all(runId, userIdx);
  return rows as { userIdx: number; versionId: number }[];
}

// ---- results

export interface RunResult {
  protocol: string;
  negSeed: number;
  split: 'valid' | 'test';
  epoch: number;
  metrics: Record<string, number>;
  users: number[];
  ranks: Int32Array;
  createdAt: string;
}

export function saveResult(db: Db, runId: number, r: Omit<RunResult, 'createdAt'>): void {
  db.prepare(`INSERT OR REPLACE INTO run_results(run_id, protocol, neg_seed, split, epoch, metrics, users, ranks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    runId,
    r.protocol,
    r.negSeed,
    r.split,
    r.epoch,
    JSON.stringify(r.metrics),
    JSON.stringify(r.users),
    Buffer.from(r.ranks.buffer, r.ranks.byteOffset, r.ranks.byteLength),
  );
}

export function runResults(db: Db, runId: number, withRanks = false): RunResult[] {
  const rows = db
    .prepare(
      `SELECT protocol, neg_seed, split, epoch, metrics, ${withRanks ? 'users, ranks' : "'[]' AS users, NULL AS ranks"}, created_at FROM run_results WHERE run_id = ? ORDER BY split, protocol`,
    )
    .all(runId) as {
    protocol: string;
    neg_seed: number;
    split: 'valid' | 'test';
    epoch: number;
    metrics: string;
    users: string;
    ranks: Buffer | null;
    created_at: string;
  }[];
  return rows.map((r) => ({
    protocol: r.protocol,
    negSeed: r.neg_seed,
    split: r.split,
    epoch: r.epoch,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    users: JSON.parse(r.users) as number[],
    ranks: r.ranks ? new Int32Array(r.ranks.buffer.slice(r.ranks.byteOffset, r.ranks.byteOffset + r.ranks.byteLength)) : new Int32Array(0),
    createdAt: r.created_at,
  }));
}

// ---- stored sampled negatives

/**
 * The sampled-ranking negatives of a dataset for (seed, n): drawn once by `draw` (which hands each evaluated
 * user's negatives, in the order of `users`, to `emit`) and stored, so every run and every re-evaluation ranks
 * against the same candidates. Read back one user at a time, so they never need to fit in memory. Engine ids
 * (idx + 1).
 */
export function storedNegatives(
  db: Db,
  d: { datasetId: number; contentHash: string; seed: number; n: number; users: Int32Array },
  draw: (emit: (k: number, negatives: Int32Array) => void) => void,
): SequenceSource {
  const key = [d.datasetId, d.seed, d.n] as const;
  const counts = db
    .prepare('SELECT COUNT(*) AS total, SUM(dataset_hash = ?) AS fresh FROM sampled_negatives WHERE dataset_id = ? AND seed = ? AND n = ?')
    .get(d.contentHash, ...key) as { total: number; fresh: number | null };
  if (!(counts.total === d.users.length && counts.fresh === d.users.length)) {
    db.transaction(() => {
      db.prepare('DELETE FROM sampled_negatives WHERE dataset_id = ? AND seed = ? AND n = ?').run(...key);
      const ins = db.prepare('INSERT INTO sampled_negatives(dataset_id, dataset_hash, seed, n, user_idx, negatives) VALUES (?, ?, ?, ?, ?, ?)');
      draw((k, negs) => {
        const idx = negs.map((i) => i - 1);
        ins.run(d.datasetId, d.contentHash, d.seed, d.n, d.users[k]!, Buffer.from(idx.buffer, idx.byteOffset, idx.byteLength));
      });
    }).immediate();
  }
  const one = db.prepare('SELECT negatives FROM sampled_negatives WHERE dataset_id = ? AND seed = ? AND n = ? AND user_idx = ?').pluck();
  return {
    length: d.users.length,
    get: (k) => {
      const b = one.get(...key, d.users[k]!) as Buffer | undefined;
      if (!b) throw new Error(`the stored sampled:${d.n} negatives of user #${d.users[k]} are gone (the dataset changed?)`);
      const idx = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      return idx.map((i) => i + 1);
    },
  };
}
