/**
 * Crash safety (issue 11): the host is killed with SIGKILL in the middle of long work, then started again.
 * Afterwards nothing partial is visible, and the work resumes, or its job is marked interrupted and resuming it
 * (`jobs.resume`, the Jobs panel's Resume, `pulse jobs resume ID`) finishes it.
 *
 * Covered here, each through `pulse serve` (the compiled host, job workers included) killed with SIGKILL:
 *  1. a dataset import (datasets.import job, 1.5M interactions) killed while reading: the dataset list and every
 *     table but the job log are as before; the job is interrupted; resuming it imports the whole dataset.
 *  2. rationale generation (rationales.generate, tiny GGUF from test/support/tiny-gguf.ts) killed mid-job: every
 *     stored rationale has its complete version; resuming the interrupted job generates the rest, exactly one per
 *     user (needs ../shared/data: Office).
 *  3. review edits (review.decide 'edited', each a new human version plus a decision) in flight when the host is
 *     killed: every answered decision is there, every edit has both its version and its decision or neither,
 *     and the derived statuses match a recomputation.
 *  4. a Thought Space training (space.train, TF-IDF) killed after its first epoch checkpoint: the space shows
 *     'interrupted' (never 'ready'), it has no map; resuming the job continues the same space to 'ready'.
 *  5. a model download (models.download against test/support/range-server.ts) killed mid-file: no model is
 *     listed and no file with the model's name exists (only the .part); resuming continues with a Range
 *     request and registers the model with the right sha256.
 *
 * Existing crash tests elsewhere:
 *  - import killed while reading and while writing (the importer in a child process): test/unit/datasets/kill.test.ts
 *  - `pulse generate` killed and run again: test/integration/rationales/generate-cli-kill.test.ts
 *  - review drafts (text typed, not yet decided) after SIGKILL of `pulse serve`: test/integration/review/draft-crash.test.ts
 *  - SASRec training killed after a checkpoint, `pulse jobs resume` equal to an uninterrupted run:
 *    test/integration/training/train-cli.test.ts
 *  - a download's .part left by a SIGKILLed process, resumed with Range: test/integration/models/download.test.ts
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../common/contract/jobs.js';
import { importDataset } from '../../main/features/datasets/importer.js';
import { rationaleTokenBudget } from '../../main/features/models/backend.js';
import { recomputeState } from '../../main/features/review/decisions.js';
import { openDatabase } from '../../main/platform/storage/database.js';
import { Workspace } from '../../main/platform/workspace/workspace.js';
import { dataSet, missingReason } from '../support/data.js';
import { startRangeServer } from '../support/range-server.js';
import { importOffice } from '../support/rationale-data.js';
import { rationaleIds, reviewFixture } from '../support/review-data.js';
import { jobResult, killStartedHosts, serveWorkspace, waitUntil, type ServedHost } from '../support/served-host.js';
import { tempDir } from '../support/temp.js';
import { makeTempDir, writeTinyModel } from '../support/tiny-gguf.js';
import { workspaceChecksum } from '../support/workspace-checksum.js';

const t = tempDir('pulse-crash-');
afterAll(() => {
  killStartedHosts();
  t.cleanup();
});

/** A read-only look at a workspace database while (or after) a host writes it. */
function peek<T>(ws: string, f: (db: Database.Database) => T): T {
  const db = new Database(path.join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return f(db);
  } catch {
    return undefined as T; // a table not created yet
  } finally {
    db.close();
  }
}

/** After the restart: the database is sound, and the killed job is interrupted. */
async function afterRestart(ws: string, jobId: number): Promise<ServedHost> {
  const db = openDatabase(path.join(ws, 'workspace.sqlite'));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
  const host = await serveWorkspace(ws);
  expect((await host.call<Job>('jobs.get', { id: jobId })).state).toBe('interrupted');
  return host;
}

async function resume(host: ServedHost, jobId: number): Promise<Job> {
  const { jobId: next } = await host.call<{ jobId: number }>('jobs.resume', { id: jobId });
  const job = await jobResult(host, next);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  expect(job.resumedFrom).toBe(jobId);
  return job;
}

describe('the host killed with SIGKILL in the middle of long work', () => {
  it('1. a dataset import: nothing of it is visible, the job is interrupted, resuming imports it all', async () => {
    const ws = path.join(t.dir, 'import');
    fs.mkdirSync(ws, { recursive: true });
    const db0 = openDatabase(path.join(ws, 'workspace.sqlite'));
    const small = path.join(t.dir, 'small.txt');
    fs.writeFileSync(small, '1 1 2 3\n2 2 3 4\n3 4 1\n');
    await importDataset(db0, { paths: [small], name: 'earlier' });
    db0.close();
    const big = path.join(t.dir, 'big.txt');
    const lines: string[] = [];
    for (let u = 1; u <= 30_000; u++) lines.push([u, ...Array.from({ length: 50 }, (_, k) => 1 + ((u * 7919 + k * 104729) % 40_000))].join(' '));
    fs.writeFileSync(big, lines.join('\n') + '\n');

    let host = await serveWorkspace(ws);
    const listBefore = await host.call<unknown>('datasets.list', {});
    const before = peek(ws, (db) => workspaceChecksum(db, ['jobs']));
    const { jobId } = await host.call<{ jobId: number }>('datasets.import', { paths: [big], name: 'big' });
    await waitUntil(async () => {
      const j = await host.call<Job>('jobs.get', { id: jobId });
      expect(j.state).toBe('running'); // killed before it finishes, or the test is void
      return (j.progress.done ?? 0) > 0 && (j.progress.message ?? '').startsWith('Reading');
    }, 'the import to be reading');
    await host.kill();

    host = await afterRestart(ws, jobId);
    expect(await host.call<unknown>('datasets.list', {})).toEqual(listBefore);
    expect(peek(ws, (db) => workspaceChecksum(db, ['jobs']))).toBe(before);
    const job = await resume(host, jobId);
    expect(job.result).toMatchObject({ dataset: 'big', users: 30_000, interactions: 1_500_000 });
    await host.stop();
  }, 300_000);

  const office = dataSet('amazon_office_lcrec');
  it.skipIf(!office)(
    `2. rationale generation: stored rationales are whole, resuming finishes exactly one per user${office ? '' : ` (skipped: ${missingReason('amazon_office_lcrec')})`}`,
    async () => {
      const ws = path.join(t.dir, 'generate');
      const w = Workspace.open(ws);
      await importOffice(w.db, 'office');
      w.close();
      const model = writeTinyModel(makeTempDir(), { chatTemplate: true }).file;
      const USERS = 80;
      let host = await serveWorkspace(ws);
      const { jobId } = await host.call<{ jobId: number }>('rationales.generate', {
        dataset: 'office',
        model,
        users: USERS,
        parallel: 2,
        threads: 1,
        settings: { maxChars: 60, maxTokens: rationaleTokenBudget(60) },
      });
      const versions = () => peek(ws, (db) => db.prepare('SELECT count(*) FROM rationale_versions').pluck().get() as number) ?? 0;
      await waitUntil(() => versions() >= 8, 'a few rationales');
      await host.kill();
      const atKill = versions();
      expect(atKill).toBeLessThan(USERS);

      host = await afterRestart(ws, jobId);
      // Every rationale written has its version (record and version are one transaction), each with its text.
      expect(
        peek(ws, (db) =>
          db.prepare('SELECT count(*) FROM rationales r WHERE NOT EXISTS (SELECT 1 FROM rationale_versions v WHERE v.rationale_id = r.id)').pluck().get(),
        ),
      ).toBe(0);
      expect(peek(ws, (db) => db.prepare("SELECT count(*) FROM rationale_versions WHERE text = '' OR generation_key = ''").pluck().get())).toBe(0);
      const job = await resume(host, jobId);
      expect(job.result).toMatchObject({ users: USERS, generated: USERS - atKill, skipped: atKill, failed: 0 });
      const perUser = peek(
        ws,
        (db) =>
          db.prepare('SELECT count(*) AS n FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id GROUP BY r.user_idx').pluck().all() as number[],
      );
      expect(perUser).toHaveLength(USERS);
      expect(perUser.every((n) => n === 1)).toBe(true);
      await host.stop();
    },
    300_000,
  );

  it('3. review edits in flight: every answered edit is there, each edit is whole, statuses match a recomputation', async () => {
    const ws = path.join(t.dir, 'review');
    const fx = reviewFixture(ws, { users: 60 });
    const ids = rationaleIds(fx.db, fx.datasetId);
    const base = new Map(ids.map((id) => [id, fx.db.prepare('SELECT max(id) FROM rationale_versions WHERE rationale_id = ?').pluck().get(id) as number]));
    fx.db.close();
    let host = await serveWorkspace(ws);
    const answered: string[] = [];
    // Edits one after another; the host is killed while one is in flight.
    const editing = (async () => {
      for (const id of ids) {
        const r = await host.call<{ decision: { uid: string } }>('review.decide', {
          id,
          annotator: 'ann',
          decision: 'edited',
          versionId: base.get(id)!,
          text: `Edited by hand, record ${id}: the user keeps to one brand.`,
        });
        answered.push(r.decision.uid);
      }
    })().catch(() => undefined);
    await waitUntil(() => answered.length >= 5, 'a few edits');
    await host.kill();
    await editing;
    expect(answered.length).toBeLessThan(ids.length);

    const db = openDatabase(path.join(ws, 'workspace.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const uids = new Set(db.prepare("SELECT uid FROM review_decisions WHERE decision = 'edited'").pluck().all() as string[]);
    for (const u of answered) expect(uids.has(u), `answered edit ${u}`).toBe(true);
    // Whole edits: each edited decision names a human version whose parent is the version edited, and each
    // human version belongs to exactly one edited decision.
    const edits = db
      .prepare(
        "SELECT d.rationale_id, v.agent_kind, v.parent_version_id FROM review_decisions d JOIN rationale_versions v ON v.id = d.version_id WHERE d.decision = 'edited'",
      )
      .all() as { rationale_id: number; agent_kind: string; parent_version_id: number }[];
    expect(edits.length).toBeGreaterThanOrEqual(answered.length);
    for (const e of edits) expect([e.agent_kind, e.parent_version_id]).toEqual(['human', base.get(e.rationale_id)]);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM rationale_versions v WHERE v.agent_kind = 'human' AND (SELECT count(*) FROM review_decisions d WHERE d.version_id = v.id AND d.decision = 'edited') != 1",
        )
        .pluck()
        .get(),
    ).toBe(0);
    const state = () =>
      db.prepare('SELECT rationale_id, status, decision_id, curated_version_id, latest_version_id, n_decisions FROM review_state ORDER BY 1').all();
    const stored = state();
    db.transaction(() => ids.forEach((id) => recomputeState(db, id)))();
    expect(state()).toEqual(stored);
    db.close();
    // The restarted host goes on where the annotator was.
    host = await serveWorkspace(ws);
    const next = ids[answered.length + 1]!;
    await host.call('review.decide', { id: next, annotator: 'ann', decision: 'accepted', versionId: base.get(next)! });
    await host.stop();
  }, 300_000);

  it('4. a Thought Space training: interrupted, never ready, no map; resuming continues the same space to ready', async () => {
    const ws = path.join(t.dir, 'space');
    reviewFixture(ws, { users: 150, items: 120 }).db.close();
    let host = await serveWorkspace(ws);
    const { jobId } = await host.call<{ jobId: number }>('space.train', { dataset: 'tiny', encoder: 'tfidf', epochs: 60, threads: 1 });
    let spaceId = 0;
    await waitUntil(() => {
      spaceId = peek(ws, (db) => db.prepare('SELECT id FROM spaces WHERE job_id = ?').pluck().get(jobId) as number | undefined) ?? 0;
      return spaceId > 0 && fs.existsSync(path.join(ws, 'artifacts', 'spaces', String(spaceId), 'train.ckpt'));
    }, 'the first epoch checkpoint');
    await host.kill();

    host = await afterRestart(ws, jobId);
    const listed = await host.call<{ spaces: { id: number; state: string }[] }>('space.list', {});
    expect(listed.spaces).toEqual([expect.objectContaining({ id: spaceId, state: 'interrupted' })]);
    await expect(host.call('space.map', { id: spaceId })).rejects.toThrow(/no map yet \(it is interrupted\)/);
    const job = await resume(host, jobId);
    expect(job.result).toMatchObject({ space: spaceId, epochs: 60 });
    const after = await host.call<{ spaces: { id: number; state: string }[] }>('space.list', {});
    expect(after.spaces).toEqual([expect.objectContaining({ id: spaceId, state: 'ready' })]);
    await host.stop();
  }, 300_000);

  it('5. a model download: nothing listed, no file under its name; resuming continues with Range and registers it', async () => {
    const ws = path.join(t.dir, 'download');
    Workspace.open(ws).close();
    const body = fs.readFileSync(writeTinyModel(makeTempDir(), { chatTemplate: true }).file);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const server = await startRangeServer({ '/tiny.gguf': { body } }, { chunkBytes: 8 * 1024, delayMs: 15 });
    try {
      let host = await serveWorkspace(ws);
      const { jobId } = await host.call<{ jobId: number }>('models.download', { source: `${server.url}/tiny.gguf`, sha256 });
      const part = path.join(ws, 'models', 'tiny.gguf.part');
      await waitUntil(() => fs.existsSync(part) && fs.statSync(part).size >= body.length / 4, 'a quarter of the file');
      await host.kill();
      expect(fs.statSync(part).size).toBeLessThan(body.length);

      host = await afterRestart(ws, jobId);
      expect((await host.call<{ models: unknown[] }>('models.list', {})).models).toEqual([]);
      expect(fs.existsSync(path.join(ws, 'models', 'tiny.gguf'))).toBe(false);
      server.options.delayMs = 0;
      const job = await resume(host, jobId);
      expect(job.result).toMatchObject({ sha256, bytes: body.length, resumed: true });
      expect(server.requests.at(-1)!.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(fs.readFileSync(path.join(ws, 'models', 'tiny.gguf')).equals(body)).toBe(true);
      expect((await host.call<{ models: { path: string }[] }>('models.list', {})).models).toEqual([
        expect.objectContaining({ path: path.join(ws, 'models', 'tiny.gguf') }),
      ]);
      await host.stop();
    } finally {
      await server.close();
    }
  }, 300_000);
});
