import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRationale } from '../../../main/features/rationales/rationale-store.js';
import { JobCancelled, type JobContext } from '../../../main/platform/jobs/job-context.js';
import { run as runApply, type SpaceApplyParams } from '../../../main/features/space/space-apply-job.js';
import { loadSpacePairs } from '../../../main/features/space/space-data.js';
import { closeSpaces, embedWithSpace, scoreRationales, userBehaviourText } from '../../../main/features/space/space-embed.js';
import { FILES, trainSpace, type SpaceMeta } from '../../../main/features/space/space-model.js';
import { getSpace, listApplications } from '../../../main/features/space/space-store.js';
import { run as runTrain, type SpaceTrainParams } from '../../../main/features/space/space-train-job.js';
import { Rng } from '../../../main/base/rng.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { tempDir } from '../../support/temp.js';

// A synthetic domain where behaviour and rationale share signal but no words: each user likes two of eight
// topics; the history names the topics' items, the rationale speaks of the topics' motives in other words.
// The frozen TF-IDF space cannot match the two sides; trained towers can.
const TOPICS = [
  { items: ['lipstick', 'lip liner', 'lip gloss'], why: ['bold colour', 'glamour evenings'] },
  { items: ['tennis racket', 'tennis balls', 'grip tape'], why: ['competitive matches', 'weekend club'] },
  { items: ['stapler', 'paper clips', 'desk organiser'], why: ['tidy workspace', 'efficient paperwork'] },
  { items: ['puzzle game', 'strategy game', 'board game'], why: ['thinking ahead', 'family nights'] },
  { items: ['face serum', 'night cream', 'sunscreen'], why: ['skin health', 'ageing gracefully'] },
  { items: ['running shoes', 'sports watch', 'water bottle'], why: ['marathon training', 'endurance goals'] },
  { items: ['fountain pen', 'notebook', 'ink cartridge'], why: ['handwriting pleasure', 'journaling habit'] },
  { items: ['headphones', 'speaker', 'microphone'], why: ['music production', 'podcast hobby'] },
];

interface SynthUser {
  id: string;
  items: string[];
  rationale: string;
}

function synthUsers(n: number, seed: number): SynthUser[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, u) => {
    const a = rng.int(TOPICS.length);
    const b = (a + 1 + rng.int(TOPICS.length - 1)) % TOPICS.length;
    const items = Array.from({ length: 6 }, () => {
      const t = TOPICS[rng.next() < 0.5 ? a : b]!;
      return t.items[rng.int(t.items.length)]!;
    });
    const why = [...TOPICS[a]!.why, ...TOPICS[b]!.why];
    rng.shuffle(why);
    return { id: `u${u}`, items, rationale: `This shopper values ${why.join(' and ')}.` };
  });
}

/** A dataset whose items are named by topic item words, one user per synthetic user, and their rationales. */
function seedWorkspace(ws: Workspace, name: string, users: SynthUser[]): number {
  const db = ws.db;
  const datasetId = Number(db.prepare("INSERT INTO datasets(name, format, content_hash) VALUES (?, 'test', ?)").run(name, `hash-${name}`).lastInsertRowid);
  const titles = [...new Set(TOPICS.flatMap((t) => t.items)), 'VALID ITEM', 'TEST ITEM'];
  const insItem = db.prepare("INSERT INTO items(dataset_id, idx, original_id, title, brand, categories) VALUES (?, ?, ?, ?, 'Acme', 'Shop')");
  titles.forEach((t, i) => insItem.run(datasetId, i, `i${i}`, t));
  const insUser = db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)');
  const insInter = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    users.forEach((u, ui) => {
      const seq = [...u.items.map((t) => titles.indexOf(t)), titles.length - 2, titles.length - 1];
      insUser.run(datasetId, ui, u.id, seq.length);
      seq.forEach((item, pos) => insInter.run(datasetId, ui, pos, item));
      const target = { userIdx: ui, pos: u.items.length - 1, itemIdx: seq[u.items.length - 1]! };
      writeRationale(db, datasetId, target, { text: u.rationale, agentKind: 'extractive', agent: { test: true } });
    });
  })();
  return datasetId;
}

function fakeContext<P>(
  ws: Workspace,
  jobId: number,
  params: P,
  resumedFrom: JobContext['resumedFrom'] = null,
  cancelAfter = Infinity,
): JobContext<P> & { events: { name: string; data: unknown }[] } {
  let calls = 0;
  const events: { name: string; data: unknown }[] = [];
  const ctx = {
    jobId,
    params,
    resumedFrom,
    workspace: ws,
    progress: () => undefined,
    event: (name: string, data: unknown) => events.push({ name, data }),
    log: () => undefined,
    get cancelled() {
      return calls >= cancelAfter;
    },
    throwIfCancelled() {
      if (++calls > cancelAfter) throw new JobCancelled();
    },
    events,
  };
  return ctx;
}

function insertJob(ws: Workspace, kind: string): number {
  return Number(ws.db.prepare("INSERT INTO jobs(kind, title, state, params) VALUES (?, 't', 'running', '{}')").run(kind).lastInsertRowid);
}

let t: ReturnType<typeof tempDir>;
let ws: Workspace;

beforeAll(() => {
  t = tempDir('pulse-space-');
  ws = Workspace.open(t.dir);
  seedWorkspace(ws, 'shopA', synthUsers(240, 1));
  seedWorkspace(ws, 'shopB', synthUsers(120, 2));
});
afterAll(async () => {
  await closeSpaces();
  ws?.close();
  t?.cleanup();
});

describe('Thought Space data', () => {
  it('builds "History: ... Chosen item: ..." from training items only (leakage rule)', () => {
    const { pairs, skipped } = loadSpacePairs(ws.db, 'shopA');
    expect(pairs).toHaveLength(240);
    expect(skipped.leakage).toBe(0);
    for (const p of pairs) {
      expect(p.behaviour).toMatch(/^History: .+\. Chosen item: .+$/);
      expect(p.behaviour).not.toContain('VALID ITEM');
      expect(p.behaviour).not.toContain('TEST ITEM');
    }
    expect(pairs[0]!.behaviour).toContain('(Acme; Shop)');
  });

  it('skips a rationale that explains the validation or test item, even one written behind the store', () => {
    const d = ws.db.prepare("SELECT id FROM datasets WHERE name = 'shopB'").pluck().get() as number;
    // The store refuses it ...
    expect(() =>
      writeRationale(
        ws.db,
        d,
        {
          userIdx: 0,
          pos: 7,
          itemIdx: ws.db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = 0 AND pos = 7').pluck().get(d) as number,
        },
        { text: 'x', agentKind: 'human', agent: {} },
      ),
    ).toThrow(/leakage|only explain a training item/i);
    // ... and a row written directly is left out when the space reads its pairs.
    const item = ws.db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = 1 AND pos = 7').pluck().get(d) as number;
    const rid = Number(
      ws.db
        .prepare("INSERT INTO rationales(dataset_id, user_idx, item_idx, target_pos, user_original_id, item_original_id) VALUES (?, 1, ?, 7, 'u1', 'x')")
        .run(d, item).lastInsertRowid,
    );
    ws.db
      .prepare("INSERT INTO rationale_versions(rationale_id, version, uid, text, agent_kind) VALUES (?, 1, 'leak-1', 'leaky test-item rationale', 'human')")
      .run(rid);
    const { pairs, skipped } = loadSpacePairs(ws.db, 'shopB');
    expect(skipped.leakage).toBe(1);
    expect(pairs.find((p) => p.userIdx === 1)!.rationale).not.toContain('leaky');
    expect(userBehaviourText(ws, d, 1)).toBe(pairs.find((p) => p.userIdx === 1)!.behaviour);
    expect(() => userBehaviourText(ws, d, 1, 7)).toThrow(/leakage/);
  });

  it('uses the latest version of a rationale (the curated one until reviews exist)', () => {
    const d = ws.db.prepare("SELECT id FROM datasets WHERE name = 'shopB'").pluck().get() as number;
    const target = ws.db
      .prepare('SELECT user_idx AS userIdx, target_pos AS pos, item_idx AS itemIdx FROM rationales WHERE dataset_id = ? AND user_idx = 2')
      .get(d) as {
      userIdx: number;
      pos: number;
      itemIdx: number;
    };
    const v = writeRationale(ws.db, d, target, { text: 'Edited: this shopper values careful choices.', agentKind: 'human', agent: { annotator: 'a' } });
    const p = loadSpacePairs(ws.db, 'shopB').pairs.find((x) => x.userIdx === 2)!;
    expect(p.versionId).toBe(v.id);
    expect(p.rationale).toContain('Edited');
  });
});

describe('training a Thought Space', () => {
  it('improves retrieval of held-out users on a task where the two sides share signal but no words', async () => {
    const { pairs } = loadSpacePairs(ws.db, 'shopA');
    const dir = path.join(t.dir, 'direct');
    const { meta, map } = await trainSpace({
      dir,
      encoder: 'tfidf',
      pairs,
      dataset: { name: 'shopA', contentHash: 'h' },
      config: { epochs: 25, seed: 3 },
      tfidf: { dim: 32 },
    });
    const { before, after } = meta.metrics;
    expect(before.users).toBe(48);
    expect(after.mrr).toBeGreaterThan(before.mrr + 0.1);
    expect(after['recall@10']).toBeGreaterThan(before['recall@10'] + 0.2);
    expect(after.meanPositiveCos - after.meanNegativeCos).toBeGreaterThan(before.meanPositiveCos - before.meanNegativeCos);
    const losses = meta.metrics.history.map((h) => h.loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // Map: two points per user (behaviour and rationale), before and after, with users to open on click.
    expect(map.before).toHaveLength(2 * 240);
    expect(map.after).toHaveLength(2 * 240);
    expect(map.after[0]).toMatchObject({ kind: 'behaviour', split: 'holdout' });
    expect(map.after[240]!.userIdx).toBe(map.after[0]!.userIdx);
    expect(typeof map.after[0]!.rationaleVersionId).toBe('number');
    for (const f of [FILES.meta, FILES.towers, FILES.encoder, FILES.map]) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    expect(fs.existsSync(path.join(dir, FILES.checkpoint))).toBe(false);
    // Seeded: the same run gives the same numbers.
    const again = await trainSpace({
      dir: path.join(t.dir, 'direct2'),
      encoder: 'tfidf',
      pairs,
      dataset: { name: 'shopA', contentHash: 'h' },
      config: { epochs: 25, seed: 3 },
      tfidf: { dim: 32 },
    });
    expect(again.meta.metrics.after).toEqual(after);
  });

  it('resumes after a cancel and ends exactly where an uninterrupted run ends', async () => {
    const { pairs } = loadSpacePairs(ws.db, 'shopA');
    const opts = { encoder: 'tfidf', pairs, dataset: { name: 'shopA', contentHash: 'h' }, config: { epochs: 6, seed: 5 }, tfidf: { dim: 16 } };
    const full = await trainSpace({ ...opts, dir: path.join(t.dir, 'full') });
    let calls = 0;
    const dir = path.join(t.dir, 'interrupted');
    // 12 batches per epoch: cancel in the middle of epoch 4.
    await expect(
      trainSpace({
        ...opts,
        dir,
        checkCancel: () => {
          if (++calls > 12 * 3 + 5) throw new JobCancelled();
        },
      }),
    ).rejects.toThrow(JobCancelled);
    expect(fs.existsSync(path.join(dir, FILES.checkpoint))).toBe(true);
    const resumed = await trainSpace({ ...opts, dir });
    expect(resumed.meta.metrics.after).toEqual(full.meta.metrics.after);
    expect(resumed.meta.metrics.history.map((h) => h.loss)).toEqual(full.meta.metrics.history.map((h) => h.loss));
  });
});

describe('space.train and space.apply jobs, and space.embed', () => {
  let spaceId = 0;

  it('trains as a job: a spaces row with config, encoder, dataset hash and the rationale versions used', async () => {
    const jobId = insertJob(ws, 'space.train');
    const params: SpaceTrainParams = { dataset: 'shopA', encoder: 'tfidf', config: { epochs: 20, seed: 2 }, tfidf: { dim: 32 } };
    const ctx = fakeContext(ws, jobId, params);
    const res = (await runTrain(ctx)) as { space: number; before: { mrr: number }; after: { mrr: number }; users: { train: number; holdout: number } };
    expect(res.after.mrr).toBeGreaterThan(res.before.mrr);
    expect(res.users).toEqual({ train: 192, holdout: 48 });
    spaceId = res.space;
    const rec = getSpace(ws.db, spaceId);
    expect(rec).toMatchObject({ state: 'ready', datasetName: 'shopA', datasetHash: 'hash-shopA', encoder: 'tfidf', users: 240, jobId });
    expect(rec.encoderId).toMatch(/^tfidf:d32:/);
    expect(rec.rationaleVersions).toHaveLength(240);
    expect(rec.config).toMatchObject({ epochs: 20, seed: 2 });
    const meta = JSON.parse(fs.readFileSync(path.join(ws.dir, rec.artifactDir, FILES.meta), 'utf8')) as SpaceMeta;
    expect(meta.config.temperature).toBe(0.1);
    expect(ctx.events.some((e) => e.name === 'space.epoch')).toBe(true);
  });

  it('a cancelled job leaves the space cancelled; resuming the job finishes the same space', async () => {
    const jobId = insertJob(ws, 'space.train');
    const params: SpaceTrainParams = { dataset: 'shopA', encoder: 'tfidf', config: { epochs: 3, seed: 9 }, tfidf: { dim: 8 } };
    await expect(runTrain(fakeContext(ws, jobId, params, null, 20))).rejects.toThrow(JobCancelled);
    const cancelled = ws.db.prepare('SELECT id, state FROM spaces WHERE job_id = ?').get(jobId) as { id: number; state: string };
    expect(cancelled.state).toBe('cancelled');
    const next = insertJob(ws, 'space.train');
    const res = (await runTrain(fakeContext(ws, next, params, { jobId, progress: {} }))) as { space: number };
    expect(res.space).toBe(cancelled.id);
    expect(getSpace(ws.db, cancelled.id).state).toBe('ready');
  });

  it('applies the space to another dataset (cross-domain) and records it', async () => {
    const jobId = insertJob(ws, 'space.apply');
    const res = (await runApply(fakeContext<SpaceApplyParams>(ws, jobId, { space: spaceId, dataset: 'shopB' }))) as {
      before: { mrr: number; users: number };
      after: { mrr: number };
      trainedOn: string;
    };
    expect(res.trainedOn).toBe('shopA');
    expect(res.before.users).toBe(120);
    expect(res.after.mrr).toBeGreaterThan(res.before.mrr);
    expect(listApplications(ws.db, spaceId)).toHaveLength(1);
  });

  it('serves space.list, space.get, space.map and space.embed through the host, and validates space.train input', async () => {
    const host = Host.open(t.dir, 'cli', CONTRIBUTIONS);
    try {
      const list = (await host.invoke('space.list', {})).spaces;
      expect(list.find((s) => s.id === spaceId)).toMatchObject({ state: 'ready', dataset: 'shopA', encoder: 'tfidf' });
      const detail = await host.invoke('space.get', { id: spaceId });
      expect(detail.applications).toHaveLength(1);
      expect(detail.applications[0]!.dataset).toBe('shopB');
      expect(detail.rationaleVersions).toHaveLength(240);
      const map = await host.invoke('space.map', { id: spaceId });
      expect(map.before).toHaveLength(480);
      expect(map.after).toHaveLength(480);
      expect(map.after.filter((p) => p.split === 'holdout')).toHaveLength(96);
      const emb = await host.invoke('space.embed', { id: spaceId, texts: ['a', 'b'], tower: 'rationale' });
      expect(emb.dim).toBe(32);
      expect(emb.vectors).toHaveLength(2);
      await expect(host.call('space.train', { dataset: 'shopA', encoder: 'bert' })).rejects.toThrow(/tfidf, gguf:PATH or onnx:DIR/);
      await expect(host.call('space.map', { id: 9999 })).rejects.toThrow(/no Thought Space 9999/);
    } finally {
      await host.close();
    }
  });

  it('embeds texts with either tower, and scores candidate rationales for a behaviour', async () => {
    const [b] = await embedWithSpace(ws, spaceId, ['History: lipstick, lip gloss. Chosen item: lip liner'], 'behaviour');
    expect(b).toHaveLength(32);
    expect(Math.hypot(...b!)).toBeCloseTo(1, 5);
    const scores = await scoreRationales(ws, spaceId, 'History: lipstick, lip gloss, tennis racket. Chosen item: lip liner', [
      'This shopper values bold colour and competitive matches.',
      'This shopper values tidy workspace and journaling habit.',
    ]);
    expect(scores[0]!).toBeGreaterThan(scores[1]!);
  });
});
