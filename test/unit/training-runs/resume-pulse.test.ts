import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeRationale } from '../../../main/features/rationales/rationale-store.js';
import { negativesFor } from '../../../main/features/training/run-eval.js';
import { loadRunData } from '../../../main/features/training/run-data.js';
import { getRun, metricsSince, runResults, runRationales } from '../../../main/features/training/run-store.js';
import { run as trainJob } from '../../../main/features/training/train-job.js';
import { prepareRun } from '../../../main/features/training/training-handlers.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { sequenceRange, type SequenceSource } from '../../../main/base/sequence-source.js';
import { fakeJobContext, insertSynthetic } from '../../support/training-data.js';
import { tempWorkspace } from '../../support/temp.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const workspace = (): Workspace => tempWorkspace(cleanups, 'pulse-runs-');

const TINY = { epochs: 3, hidden: 8, inner: 16, blocks: 1, heads: 1, batch: 16, metricEvery: 1, testProtocols: ['full', 'sampled:20'] };

describe('train.run job in-process', () => {
  it('cancel mid-epoch, resume: same test metrics, ranks and curves as an uninterrupted run', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    const a = prepareRun(ws, { dataset: 'syn', ...TINY });
    const ra = await trainJob(fakeJobContext(ws, { runId: a }).ctx);

    const b = prepareRun(ws, { dataset: 'syn', ...TINY });
    // Cancel in the middle of the second epoch (batch 3 of 7).
    const first = fakeJobContext(
      ws,
      { runId: b },
      { cancelWhen: (ev) => ev.filter((e) => e.name === 'metrics' && 'train.loss' in (e.data as { values: object }).values).length === 10 },
    );
    await expect(trainJob(first.ctx)).rejects.toThrow(/Cancelled/);
    expect(getRun(ws.db, b).state).toBe('cancelled');
    const state = JSON.parse(fs.readFileSync(path.join(ws.artifactsDir, 'runs', String(b), 'state.json'), 'utf8')) as { epochsDone: number };
    expect(state.epochsDone).toBe(1);
    const rb = await trainJob(fakeJobContext(ws, { runId: b }).ctx);
    expect(getRun(ws.db, b).state).toBe('succeeded');
    expect(rb.test).toEqual(ra.test);
    expect(rb.valid).toEqual(ra.valid);
    const ranks = (id: number) => runResults(ws.db, id, true).map((r) => [r.split, r.protocol, Array.from(r.ranks)]);
    expect(ranks(b)).toEqual(ranks(a));
    // The curve after resume is the uninterrupted one (points after the checkpoint were dropped and recorded again).
    const curve = (id: number) =>
      metricsSince(ws.db, id)
        .points.filter((p) => p.name !== 'train.sequences_per_second')
        .map((p) => [p.step, p.name, p.value]);
    expect(curve(b)).toEqual(curve(a));
  });

  it('sampled negatives are drawn once and identical across runs and calls', () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    const d = loadRunData(ws.db, 'syn');
    const all = (src: SequenceSource) => sequenceRange(src, 0, src.length);
    const n1 = all(negativesFor(ws.db, d, 20, 5));
    const n2 = all(negativesFor(ws.db, d, 20, 5));
    expect(n2.map((x) => Array.from(x))).toEqual(n1.map((x) => Array.from(x)));
    expect(ws.db.prepare('SELECT COUNT(*) FROM sampled_negatives WHERE seed = 5 AND n = 20').pluck().get()).toBe(d.evalIdx.length);
    // Never an item of the user's sequence.
    d.evalIdx.forEach((k, j) => {
      const seen = new Set([...d.testHistory.get(j), d.testTarget[j]!]);
      for (const x of n1[j]!) expect(seen.has(x)).toBe(false);
      expect(k).toBeGreaterThanOrEqual(0);
    });
    const other = all(negativesFor(ws.db, d, 20, 6));
    expect(other.map((x) => Array.from(x))).not.toEqual(n1.map((x) => Array.from(x)));
  });

  it('pulse: aligns users with a rationale, records the versions used, and reports the alignment loss', async () => {
    const ws = workspace();
    const seqs = insertSynthetic(ws.db, 'syn');
    const dsId = ws.db.prepare("SELECT id FROM datasets WHERE name = 'syn'").pluck().get() as number;
    const versions = new Map<number, number>();
    // Rationales for every other eligible user; one user gets two versions (the latest counts).
    seqs.forEach((s, u) => {
      if (s.length < 4 || u % 2) return;
      const t = { userIdx: u, pos: s.length - 3, itemIdx: s[s.length - 3]! };
      let v = writeRationale(ws.db, dsId, t, {
        text: `User ${u} likes ${['red', 'blue', 'green', 'gold', 'black'][s[0]! % 5]} lipstick from brand${s[0]! % 7}.`,
        agentKind: 'extractive',
        agent: {},
      });
      if (u === 0) v = writeRationale(ws.db, dsId, t, { text: 'User 0 edited: loves gold lipstick and brand3 makeup.', agentKind: 'human', agent: {} });
      versions.set(u, v.id);
    });
    const id = prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxWeight: 0.5, auxDim: 8, ...TINY, epochs: 2 });
    const { ctx, events } = fakeJobContext(ws, { runId: id });
    const r = await trainJob(ctx);
    expect(r.rationale_versions).toBe(versions.size);
    expect(new Map(runRationales(ws.db, id).map((x) => [x.userIdx, x.versionId]))).toEqual(versions);
    const aux = metricsSince(ws.db, id).points.filter((p) => p.name === 'train.aux_loss');
    expect(aux.length).toBe(2);
    for (const p of aux) expect(p.value).toBeGreaterThan(0);
    expect(events.some((e) => e.name === 'metrics' && 'train.aux_loss' in (e.data as { values: object }).values)).toBe(true);
    const cfg = getRun(ws.db, id).config;
    expect(cfg.aux).toMatchObject({ weight: 0.5, kind: 'infonce', space: null, dim: 8, positions: 'all', itemSide: 'text+rationales' });
  });
});
