import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRationale, trainingTarget } from '../../../main/features/rationales/rationale-store.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { JobCancelled, type JobContext } from '../../../main/platform/jobs/job-context.js';
import { run as runRefine, type RefineJobParams } from '../../../main/features/reasoning/refine-job.js';
import { run as runAsk, type AskJobParams } from '../../../main/features/reasoning/ask-job.js';
import { closeSpaces } from '../../../main/features/space/space-embed.js';
import { pulse } from '../../support/cli.js';
import { writeTinyDataset, type TinyDataset } from '../../support/reasoning-fixtures.js';
import { tempDir } from '../../support/temp.js';
import { writeTinyModel } from '../../support/tiny-gguf.js';

const t = tempDir('pulse-refine-');
const ws = path.join(t.dir, 'ws');
let model: string;
let ds: TinyDataset;
let spaceId: number;

beforeAll(() => {
  model = writeTinyModel(t.dir).file;
  ds = writeTinyDataset(ws, { users: 12 });
  const w = Workspace.open(ws);
  try {
    for (let u = 0; u < ds.users; u++) {
      const target = trainingTarget(w.db, ds.datasetId, u)!;
      writeRationale(w.db, ds.datasetId, target, {
        text: `The user likes ${ds.titles[target.itemIdx]} for its good quality and style.`,
        agentKind: 'extractive',
        agent: { test: true },
      });
    }
  } finally {
    w.close();
  }
  const r = pulse(['space', 'train', '--dataset', ds.name, '--encoder', 'tfidf', '--epochs', '2', '--dim', '8', '--json', '--workspace', ws]);
  if (r.code !== 0) throw new Error(`space train failed: ${r.stderr}`);
  spaceId = (r.json as { space?: number; id?: number; spaceId?: number }).space ?? (r.json as { id?: number }).id ?? (r.json as { spaceId: number }).spaceId;
});
afterAll(async () => {
  await closeSpaces();
  t.cleanup();
});

/** A job context in this process: events recorded, cancel after `cancelAfter` checks. */
function fakeContext<P>(w: Workspace, jobId: number, params: P, resumedFrom: JobContext['resumedFrom'] = null, cancelAfter = Infinity) {
  let calls = 0;
  const events: Array<{ name: string; data: unknown }> = [];
  const ctx: JobContext<P> = {
    jobId,
    params,
    resumedFrom,
    workspace: w,
    progress: () => undefined,
    event: (name, data) => events.push({ name, data }),
    log: () => undefined,
    get cancelled() {
      return calls >= cancelAfter;
    },
    throwIfCancelled() {
      if (++calls > cancelAfter) throw new JobCancelled();
    },
  };
  return { ctx, events };
}

function insertJob(w: Workspace, kind: string): number {
  return Number(w.db.prepare("INSERT INTO jobs(kind, title, state, params) VALUES (?, 't', 'running', '{}')").run(kind).lastInsertRowid);
}

describe('Tree-of-Thought refinement job', () => {
  it('pulse refine builds a small tree per user, scores chains in the Thought Space, stores the winner as a refined version', () => {
    const r = pulse([
      'refine',
      '--dataset',
      ds.name,
      '--model',
      model,
      '--space',
      String(spaceId),
      '--users',
      '2',
      '--depth',
      '2',
      '--branching',
      '2',
      '--beam',
      '1',
      '--step-chars',
      '12',
      '--threads',
      '1',
      '--parallel',
      '2',
      '--json',
      '--workspace',
      ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as { runId: number; users: number; refined: number; nodes: number; meanBestScore: number };
    expect(out).toMatchObject({ users: 2, refined: 2, nodes: 2 * (2 + 2) });

    const tr = pulse(['refine', 'tree', '--dataset', ds.name, '--user', '1', '--json', '--workspace', ws]);
    expect(tr.code, tr.stderr).toBe(0);
    const tree = tr.json as {
      nodes: Array<{ id: number; parent: number | null; depth: number; score: number; kept: boolean; step: string }>;
      bestNode: number;
      bestScore: number;
      bestChain: number[];
      rationale: string;
      rationaleVersionId: number;
    };
    expect(tree.nodes).toHaveLength(4);
    expect(tree.nodes.filter((n) => n.depth === 1 && n.kept)).toHaveLength(1);
    const lastDepth = tree.nodes.filter((n) => n.depth === 2);
    expect(tree.bestScore).toBe(Math.max(...lastDepth.map((n) => n.score)));
    expect(tree.bestChain).toHaveLength(2);
    expect(tree.rationale).toBe(
      tree.bestChain
        .map((i) => tree.nodes[i]!.step.trim())
        .filter(Boolean)
        .join(' '),
    );
    for (const n of tree.nodes) expect(n.score).toBeGreaterThanOrEqual(-1.0001);

    const w = Workspace.open(ws);
    try {
      const v = w.db
        .prepare('SELECT v.text, v.agent_kind, v.agent, v.parent_version_id, v.version FROM rationale_versions v WHERE v.id = ?')
        .get(tree.rationaleVersionId) as {
        text: string;
        agent_kind: string;
        agent: string;
        parent_version_id: number | null;
        version: number;
      };
      expect(v.agent_kind).toBe('refined');
      expect(v.text).toBe(tree.rationale);
      expect(v.version).toBe(2);
      expect(v.parent_version_id).not.toBeNull();
      expect(JSON.parse(v.agent)).toMatchObject({ method: 'tree-of-thought', depth: 2, branching: 2, beam: 1, space: { id: spaceId } });
    } finally {
      w.close();
    }
  }, 600_000);

  it('refuses a space that does not exist, naming the ones there are', () => {
    const r = pulse(['refine', '--dataset', ds.name, '--model', model, '--space', 'nope', '--json', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect((r.json as { error: { hint: string } }).error.hint).toContain(`${spaceId} (`);
  });

  it('cancels between users and resumes the same run without redoing finished users', async () => {
    const w = Workspace.open(ws);
    try {
      const params: RefineJobParams = {
        datasetId: ds.datasetId,
        dataset: ds.name,
        model,
        spaceId,
        spaceName: 's',
        users: 4,
        depth: 1,
        branching: 2,
        beam: 1,
        stepChars: 10,
        temperature: 0.8,
        seed: 3,
        threads: 1,
        parallel: 1,
      };
      const j1 = insertJob(w, 'rationales.refine');
      // Checks: 1 per user + 1 per depth; cancel inside the second user.
      const first = fakeContext(w, j1, params, null, 3);
      await expect(runRefine(first.ctx)).rejects.toBeInstanceOf(JobCancelled);
      const runId = w.db.prepare('SELECT id FROM refine_runs WHERE job_id = ?').pluck().get(j1) as number;
      expect(w.db.prepare('SELECT user_idx FROM refine_trees WHERE run_id = ?').pluck().all(runId)).toEqual([0]);
      const j2 = insertJob(w, 'rationales.refine');
      const second = fakeContext(w, j2, params, { jobId: j1, progress: {} });
      const r = await runRefine(second.ctx);
      expect(r).toMatchObject({ runId, users: 4, refined: 3 });
      expect(second.events.filter((e) => e.name === 'refine.user').map((e) => (e.data as { userIdx: number }).userIdx)).toEqual([1, 2, 3]);
    } finally {
      w.close();
    }
  }, 600_000);

  it('qa.ask streams an answer grounded in the history and the nearest rationales, sources first', async () => {
    const w = Workspace.open(ws);
    try {
      const params: AskJobParams = {
        datasetId: ds.datasetId,
        dataset: ds.name,
        userIdx: 2,
        question: 'What does this user care about?',
        model,
        spaceId,
        withRationales: true,
        nearest: 3,
        history: 4,
        maxTokens: 12,
        threads: 1,
        label: 'A',
      };
      const { ctx, events } = fakeContext(w, insertJob(w, 'qa.ask'), params);
      const r = await runAsk(ctx);
      expect(events[0]!.name).toBe('qa.ask.sources');
      const tokens = events.filter((e) => e.name === 'qa.ask.token').map((e) => (e.data as { text: string; label: string }).text);
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.join('').trim()).toBe(r.answer);
      expect(r.sources.history).toHaveLength(4);
      expect(r.sources.rationales).toHaveLength(3);
      const scores = r.sources.rationales.map((x) => x.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // The validation and test items are never shown.
      const seq = w.db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = 2 ORDER BY pos').pluck().all(ds.datasetId) as number[];
      for (const leak of seq.slice(-2)) expect(r.sources.history.map((h) => h.title)).not.toContain(ds.titles[leak]);
      // Without rationales (the compare view's other side): history only.
      const bare = await runAsk(fakeContext(w, insertJob(w, 'qa.ask'), { ...params, withRationales: false, label: 'B' }).ctx);
      expect(bare.sources.rationales).toEqual([]);
      expect(bare.label).toBe('B');
    } finally {
      w.close();
    }
  }, 600_000);
});
