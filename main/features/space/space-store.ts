// Rows of the spaces table (migration 0005) and the files of a space under artifacts/spaces/<id>/:
//   space.json      what the space is (encoder, towers, config, metrics, data identity)
//   towers.bin      the trained towers (engine checkpoint format)
//   encoder.bin     the fitted TF-IDF encoder (tfidf spaces only: it belongs to the space)
//   map.json        the 2-D map before/after training
//   train.ckpt      resumable training state; base.bin cached frozen embeddings (removed when done)
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import type { Workspace } from '../../platform/workspace/workspace.js';

export type SpaceState = 'training' | 'ready' | 'failed' | 'cancelled';

export interface SpaceRecord {
  id: number;
  name: string;
  state: SpaceState;
  datasetName: string;
  datasetHash: string;
  encoder: string;
  encoderId: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  rationaleVersions: number[];
  users: number;
  jobId: number | null;
  artifactDir: string;
  appVersion: string;
  createdAt: string;
  updatedAt: string;
}

interface SpaceRow {
  id: number;
  name: string;
  state: SpaceState;
  dataset_name: string;
  dataset_hash: string;
  encoder: string;
  encoder_id: string;
  config: string;
  metrics: string | null;
  rationale_versions: string;
  users: number;
  job_id: number | null;
  artifact_dir: string;
  app_version: string;
  created_at: string;
  updated_at: string;
}

function toRecord(r: SpaceRow): SpaceRecord {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    datasetName: r.dataset_name,
    datasetHash: r.dataset_hash,
    encoder: r.encoder,
    encoderId: r.encoder_id,
    config: JSON.parse(r.config) as Record<string, unknown>,
    metrics: r.metrics ? (JSON.parse(r.metrics) as Record<string, unknown>) : null,
    rationaleVersions: JSON.parse(r.rationale_versions) as number[],
    users: r.users,
    jobId: r.job_id,
    artifactDir: r.artifact_dir,
    appVersion: r.app_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function spaceDir(ws: Workspace, id: number): string {
  return ws.artifactDir('spaces', String(id));
}

export function createSpace(
  ws: Workspace,
  s: { name: string; datasetId: number; datasetName: string; datasetHash: string; encoder: string; config: unknown; jobId: number | null; appVersion: string },
): SpaceRecord {
  const info = ws.db
    .prepare(
      "INSERT INTO spaces(name, state, dataset_id, dataset_name, dataset_hash, encoder, config, job_id, app_version) VALUES (?, 'training', ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(s.name, s.datasetId, s.datasetName, s.datasetHash, s.encoder, JSON.stringify(s.config), s.jobId, s.appVersion);
  const id = Number(info.lastInsertRowid);
  const dir = spaceDir(ws, id);
  ws.db.prepare('UPDATE spaces SET artifact_dir = ? WHERE id = ?').run(path.relative(ws.dir, dir), id);
  return getSpace(ws.db, id);
}

export function getSpace(db: Db, id: number): SpaceRecord {
  const row = db.prepare('SELECT * FROM spaces WHERE id = ?').get(id) as SpaceRow | undefined;
  if (!row) throw new UserError(`There is no Thought Space ${id} in this workspace.`, { hint: 'List them with `pulse space list`.', code: 'not_found' });
  return toRecord(row);
}

/**
 * What a space shows: a space that says 'training' while its job is gone (the host was killed: the job is
 * interrupted) or ended without finishing it is 'interrupted'; resuming that job continues the same space.
 */
export function effectiveSpaceState(db: Db, r: SpaceRecord): SpaceState | 'interrupted' {
  if (r.state !== 'training' || r.jobId === null) return r.state;
  const js = db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(r.jobId) as string | undefined;
  return js === 'running' || js === 'queued' ? 'training' : 'interrupted';
}

export function spaceOfJob(db: Db, jobId: number): SpaceRecord | null {
  const row = db.prepare('SELECT * FROM spaces WHERE job_id = ? ORDER BY id DESC LIMIT 1').get(jobId) as SpaceRow | undefined;
  return row ? toRecord(row) : null;
}

export function listSpaces(db: Db): SpaceRecord[] {
  return (db.prepare('SELECT * FROM spaces ORDER BY id DESC').all() as SpaceRow[]).map(toRecord);
}

export function updateSpace(
  db: Db,
  id: number,
  u: Partial<{ state: SpaceState; encoderId: string; metrics: unknown; rationaleVersions: number[]; users: number; jobId: number }>,
): void {
  const sets: string[] = [];
  const args: unknown[] = [];
  const put = (col: string, v: unknown) => {
    sets.push(`${col} = ?`);
    args.push(v);
  };
  if (u.state !== undefined) put('state', u.state);
  if (u.encoderId !== undefined) put('encoder_id', u.encoderId);
  if (u.metrics !== undefined) put('metrics', JSON.stringify(u.metrics));
  if (u.rationaleVersions !== undefined) put('rationale_versions', JSON.stringify(u.rationaleVersions));
  if (u.users !== undefined) put('users', u.users);
  if (u.jobId !== undefined) put('job_id', u.jobId);
  if (!sets.length) return;
  db.prepare(`UPDATE spaces SET ${sets.join(', ')}, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`).run(...args, id);
}

export function recordApplication(
  db: Db,
  a: { spaceId: number; datasetName: string; datasetHash: string; metrics: unknown; rationaleVersions: number[]; jobId: number | null },
): number {
  const info = db
    .prepare('INSERT INTO space_applications(space_id, dataset_name, dataset_hash, metrics, rationale_versions, job_id) VALUES (?, ?, ?, ?, ?, ?)')
    .run(a.spaceId, a.datasetName, a.datasetHash, JSON.stringify(a.metrics), JSON.stringify(a.rationaleVersions), a.jobId);
  return Number(info.lastInsertRowid);
}

export function listApplications(db: Db, spaceId: number): { id: number; datasetName: string; metrics: unknown; createdAt: string }[] {
  return (
    db.prepare('SELECT id, dataset_name, metrics, created_at FROM space_applications WHERE space_id = ? ORDER BY id').all(spaceId) as {
      id: number;
      dataset_name: string;
      metrics: string;
      created_at: string;
    }[]
  ).map((r) => ({ id: r.id, datasetName: r.dataset_name, metrics: JSON.parse(r.metrics) as unknown, createdAt: r.created_at }));
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}
