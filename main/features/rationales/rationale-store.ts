/**
 * Queries on the rationale record (migration 0004, docs/rationale-record.md): rationales (dataset, user, target
 * item) and their versions, which are only ever added. The leakage rule lives here too: a rationale can only be
 * created for a target the split calls 'train', whoever writes it.
 */
import { randomUUID } from 'node:crypto';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';

export const AGENT_KINDS = ['slm', 'endpoint', 'extractive', 'human', 'refined'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export interface TrainingTarget {
  userIdx: number;
  /** Position of the target in the user's history (0 = oldest). */
  pos: number;
  itemIdx: number;
}

export interface VersionRecord {
  id: number;
  rationaleId: number;
  version: number;
  uid: string;
  text: string;
  agentKind: AgentKind;
  agent: Record<string, unknown>;
  generationKey: string;
  parentVersionId: number | null;
  jobId: number | null;
  createdAt: string;
}

export interface RationaleSummary {
  id: number;
  dataset: string;
  userIdx: number;
  userOriginalId: string;
  itemIdx: number;
  itemOriginalId: string;
  itemTitle: string;
  targetPos: number;
  createdAt: string;
  versions: number;
  latest: Pick<VersionRecord, 'id' | 'version' | 'text' | 'agentKind' | 'createdAt'> | null;
}

export interface RationaleWithVersions extends RationaleSummary {
  versionList: VersionRecord[];
}

interface VersionRow {
  id: number;
  rationale_id: number;
  version: number;
  uid: string;
  text: string;
  agent_kind: AgentKind;
  agent: string;
  generation_key: string;
  parent_version_id: number | null;
  job_id: number | null;
  created_at: string;
}

/** Users in dataset order (idx), the first `limit` of them. */
export function userIndices(db: Db, datasetId: number, limit?: number): number[] {
  const sql = 'SELECT idx FROM users WHERE dataset_id = ? ORDER BY idx' + (limit !== undefined ? ' LIMIT ?' : '');
  const args: unknown[] = limit !== undefined ? [datasetId, limit] : [datasetId];
  return db
    .prepare(sql)
    .pluck()
    .all(...args) as number[];
}

/** Every rationale's newest version in a dataset: whose it is, its id and its text. */
export function latestVersions(db: Db, datasetId: number): { userIdx: number; versionId: number; text: string }[] {
  return db
    .prepare(
      `SELECT r.user_idx AS userIdx, v.id AS versionId, v.text FROM rationales r
       JOIN rationale_versions v ON v.id = (SELECT id FROM rationale_versions WHERE rationale_id = r.id ORDER BY version DESC LIMIT 1)
       WHERE r.dataset_id = ?`,
    )
    .all(datasetId) as { userIdx: number; versionId: number; text: string }[];
}

/** The id of the newest version of the user's rationale for the target at `targetPos`, or null if none exists. */
export function latestVersionId(db: Db, datasetId: number, userIdx: number, targetPos: number): number | null {
  return (
    (db
      .prepare(
        'SELECT v.id FROM rationales r JOIN rationale_versions v ON v.rationale_id = r.id WHERE r.dataset_id = ? AND r.user_idx = ? AND r.target_pos = ? ORDER BY v.version DESC LIMIT 1',
      )
      .pluck()
      .get(datasetId, userIdx, targetPos) as number | undefined) ?? null
  );
}

/**
 * The leakage rule: the target a rationale explains is the user's LAST TRAINING interaction (never the validation
 * or test item), read from the interaction_split view. Null when the user has no training interaction.
 */
export function trainingTarget(db: Db, datasetId: number, userIdx: number): TrainingTarget | null {
  const row = db
    .prepare("SELECT pos, item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train' ORDER BY pos DESC LIMIT 1")
    .get(datasetId, userIdx) as { pos: number; item_idx: number } | undefined;
  return row ? { userIdx, pos: row.pos, itemIdx: row.item_idx } : null;
}

/** Which training items a job explains: each user's last one, or every one that has an earlier item. */
export type TargetPositions = 'last' | 'all';

/**
 * A user's training targets, oldest first: the last training item ('last'), or every training item after the
 * first ('all': the first has no history to explain it from). Never the validation or test item.
 */
export function trainingTargets(db: Db, datasetId: number, userIdx: number, positions: TargetPositions): TrainingTarget[] {
  if (positions === 'last') {
    const t = trainingTarget(db, datasetId, userIdx);
    return t ? [t] : [];
  }
  const rows = db
    .prepare("SELECT pos, item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train' ORDER BY pos")
    .all(datasetId, userIdx) as { pos: number; item_idx: number }[];
  const out = rows.slice(1).map((r) => ({ userIdx, pos: r.pos, itemIdx: r.item_idx }));
  // A user with a single training item has only that one to explain.
  return out.length ? out : rows.map((r) => ({ userIdx, pos: r.pos, itemIdx: r.item_idx }));
}

/** Identity of a target within a dataset. */
export const targetKey = (t: { userIdx: number; pos: number }): string => `${t.userIdx}:${t.pos}`;

/** Throws unless (user, pos, item) is an interaction in the training split. */
export function assertTrainingTarget(db: Db, datasetId: number, t: TrainingTarget): void {
  const row = db.prepare('SELECT item_idx, split FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND pos = ?').get(datasetId, t.userIdx, t.pos) as
    { item_idx: number; split: string } | undefined;
  if (!row || row.item_idx !== t.itemIdx) {
    throw new UserError(`User ${t.userIdx} has no interaction with item ${t.itemIdx} at position ${t.pos}.`, { code: 'bad_target' });
  }
  if (row.split !== 'train') {
    throw new UserError(`Refused: a rationale may only explain a training item; user ${t.userIdx}'s item at position ${t.pos} is the ${row.split} item.`, {
      hint: 'The leakage rule: rationales used for training never explain the validation or test item.',
      code: 'leakage',
    });
  }
}

/**
 * The rationale for (user, target), created on first use; enforces the leakage rule. `createdAt` keeps an
 * imported record's own creation time (a new one gets now).
 */
export function ensureRationale(db: Db, datasetId: number, t: TrainingTarget, createdAt?: string): number {
  const found = db.prepare('SELECT id, item_idx FROM rationales WHERE dataset_id = ? AND user_idx = ? AND target_pos = ?').get(datasetId, t.userIdx, t.pos) as
    { id: number; item_idx: number } | undefined;
  if (found) return found.id;
  assertTrainingTarget(db, datasetId, t);
  const ids = db
    .prepare(
      'SELECT u.original_id AS u, i.original_id AS i FROM users u, items i WHERE u.dataset_id = ? AND u.idx = ? AND i.dataset_id = u.dataset_id AND i.idx = ?',
    )
    .get(datasetId, t.userIdx, t.itemIdx) as { u: string; i: string };
  const info = db
    .prepare(
      `INSERT INTO rationales(dataset_id, user_idx, item_idx, target_pos, user_original_id, item_original_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')))`,
    )
    .run(datasetId, t.userIdx, t.itemIdx, t.pos, ids.u, ids.i, createdAt ?? null);
  return Number(info.lastInsertRowid);
}

export interface NewVersion {
  rationaleId: number;
  text: string;
  agentKind: AgentKind;
  agent: Record<string, unknown>;
  generationKey?: string;
  parentVersionId?: number | null;
  jobId?: number | null;
  /** Given on import (keeps the record's identity); new versions get a random one. */
  uid?: string;
  createdAt?: string;
}

/** Appends a version (the next number). Never updates an existing one. */
export function addVersion(db: Db, v: NewVersion): VersionRecord {
  if (!AGENT_KINDS.includes(v.agentKind)) throw new UserError(`Unknown agent kind "${v.agentKind}".`, { code: 'bad_agent' });
  const next = (db.prepare('SELECT COALESCE(MAX(version), 0) + 1 FROM rationale_versions WHERE rationale_id = ?').pluck().get(v.rationaleId) as number) ?? 1;
  const agent = { ...v.agent, kind: v.agentKind };
  const row = db
    .prepare(
      `INSERT INTO rationale_versions(rationale_id, version, uid, text, agent_kind, agent, generation_key, parent_version_id, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))) RETURNING *`,
    )
    .get(
      v.rationaleId,
      next,
      v.uid ?? randomUUID(),
      v.text,
      v.agentKind,
      JSON.stringify(agent),
      v.generationKey ?? '',
      v.parentVersionId ?? null,
      v.jobId ?? null,
      v.createdAt ?? null,
    ) as VersionRow;
  return toVersion(row);
}

/** Creates the rationale if needed and appends a version, in one transaction (a kill leaves all or nothing). */
export function writeRationale(db: Db, datasetId: number, t: TrainingTarget, v: Omit<NewVersion, 'rationaleId'>): VersionRecord {
  return db.transaction(() => addVersion(db, { ...v, rationaleId: ensureRationale(db, datasetId, t) }))();
}

/** Targets (targetKey) whose rationale already has a version with this generation key (optionally: from these jobs). */
export function finishedTargets(db: Db, datasetId: number, generationKey: string, jobIds?: number[]): Set<string> {
  let sql = `SELECT DISTINCT r.user_idx AS userIdx, r.target_pos AS pos FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id
             WHERE r.dataset_id = ? AND v.generation_key = ?`;
  const args: unknown[] = [datasetId, generationKey];
  if (jobIds) {
    if (jobIds.length === 0) return new Set();
    sql += ` AND v.job_id IN (${jobIds.map(() => '?').join(',')})`;
    args.push(...jobIds);
  }
  return new Set((db.prepare(sql).all(...args) as { userIdx: number; pos: number }[]).map(targetKey));
}

/** Users that already have any version from this agent kind. */
export function usersWithAgent(db: Db, datasetId: number, agentKind: AgentKind): Set<number> {
  return new Set(
    db
      .prepare('SELECT DISTINCT r.user_idx FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id WHERE r.dataset_id = ? AND v.agent_kind = ?')
      .pluck()
      .all(datasetId, agentKind) as number[],
  );
}

const SUMMARY_SQL = `
SELECT r.id, d.name AS dataset, r.user_idx, r.user_original_id, r.item_idx, r.item_original_id, COALESCE(i.title, '') AS item_title,
       r.target_pos, r.created_at,
       (SELECT COUNT(*) FROM rationale_versions v WHERE v.rationale_id = r.id) AS versions,
       lv.id AS l_id, lv.version AS l_version, lv.text AS l_text, lv.agent_kind AS l_kind, lv.created_at AS l_created
FROM rationales r
JOIN datasets d ON d.id = r.dataset_id
LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.idx = r.item_idx
LEFT JOIN rationale_versions lv ON lv.id = (SELECT id FROM rationale_versions WHERE rationale_id = r.id ORDER BY version DESC LIMIT 1)`;

interface SummaryRow {
  id: number;
  dataset: string;
  user_idx: number;
  user_original_id: string;
  item_idx: number;
  item_original_id: string;
  item_title: string;
  target_pos: number;
  created_at: string;
  versions: number;
  l_id: number | null;
  l_version: number | null;
  l_text: string | null;
  l_kind: AgentKind | null;
  l_created: string | null;
}

function toSummary(r: SummaryRow): RationaleSummary {
  return {
    id: r.id,
    dataset: r.dataset,
    userIdx: r.user_idx,
    userOriginalId: r.user_original_id,
    itemIdx: r.item_idx,
    itemOriginalId: r.item_original_id,
    itemTitle: r.item_title,
    targetPos: r.target_pos,
    createdAt: r.created_at,
    versions: r.versions,
    latest: r.l_id === null ? null : { id: r.l_id, version: r.l_version!, text: r.l_text!, agentKind: r.l_kind!, createdAt: r.l_created! },
  };
}

export interface ListOptions {
  offset?: number;
  limit?: number;
  agentKind?: AgentKind;
  userIdx?: number;
}

/** One page of a dataset's rationales in user order, each with its latest version. */
export function listRationales(db: Db, datasetId: number, o: ListOptions = {}): { total: number; rows: RationaleSummary[] } {
  const where = ['r.dataset_id = ?'];
  const args: unknown[] = [datasetId];
  if (o.userIdx !== undefined) {
    where.push('r.user_idx = ?');
    args.push(o.userIdx);
  }
  if (o.agentKind) {
    where.push('EXISTS (SELECT 1 FROM rationale_versions x WHERE x.rationale_id = r.id AND x.agent_kind = ?)');
    args.push(o.agentKind);
  }
  const w = where.join(' AND ');
  const total = db
    .prepare(`SELECT COUNT(*) FROM rationales r WHERE ${w}`)
    .pluck()
    .get(...args) as number;
  const rows = db
    .prepare(`${SUMMARY_SQL} WHERE ${w} ORDER BY r.user_idx, r.target_pos LIMIT ? OFFSET ?`)
    .all(...args, o.limit ?? 50, o.offset ?? 0) as SummaryRow[];
  return { total, rows: rows.map(toSummary) };
}

export function getRationale(db: Db, id: number): RationaleWithVersions {
  const row = db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as SummaryRow | undefined;
  if (!row) throw new UserError(`There is no rationale ${id}.`, { code: 'not_found' });
  return { ...toSummary(row), versionList: versionsOf(db, id) };
}

/** The dataset a rationale belongs to. */
export function datasetOfRationale(db: Db, id: number): number {
  const ds = db.prepare('SELECT dataset_id FROM rationales WHERE id = ?').pluck().get(id) as number | undefined;
  if (ds === undefined) throw new UserError(`There is no rationale ${id}.`, { code: 'not_found' });
  return ds;
}

export function versionsOf(db: Db, rationaleId: number): VersionRecord[] {
  return (db.prepare('SELECT * FROM rationale_versions WHERE rationale_id = ? ORDER BY version').all(rationaleId) as VersionRow[]).map(toVersion);
}

export function hasVersionUid(db: Db, uid: string): boolean {
  return db.prepare('SELECT 1 FROM rationale_versions WHERE uid = ?').get(uid) !== undefined;
}

/** Every rationale of a dataset with every version, in user order (for export). */
export function* allRationales(db: Db, datasetId: number): Generator<RationaleWithVersions> {
  const ids = db.prepare('SELECT id FROM rationales WHERE dataset_id = ? ORDER BY user_idx, target_pos').pluck().all(datasetId) as number[];
  for (const id of ids) yield getRationale(db, id);
}

function toVersion(r: VersionRow): VersionRecord {
  return {
    id: r.id,
    rationaleId: r.rationale_id,
    version: r.version,
    uid: r.uid,
    text: r.text,
    agentKind: r.agent_kind,
    agent: JSON.parse(r.agent) as Record<string, unknown>,
    generationKey: r.generation_key,
    parentVersionId: r.parent_version_id,
    jobId: r.job_id,
    createdAt: r.created_at,
  };
}
