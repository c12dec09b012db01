// PULSE runs through the real 'train.run' job in-process on a synthetic dataset: rationales at every training
// position, the item side, a run that starts from another run, a share of the users, a sweep as one job, and
// every bad input refused before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import { draftDataset } from '../../../main/features/rationales/draft-job.js';
import { readCheckpointFile } from '../../../main/base/engine/checkpoint-file.js';
import { loadPulseInputs, PULSE_FILES } from '../../../main/features/training/pulse-inputs.js';
import { loadRunData } from '../../../main/features/training/run-data.js';
import { getRun, listRuns, runDir, runRationales } from '../../../main/features/training/run-store.js';
import { run as sweepJob } from '../../../main/features/training/sweep-job.js';
import { run as trainJob, FILES, trainingSequences } from '../../../main/features/training/train-job.js';
import { prepareRun, prepareSweep } from '../../../main/features/training/training-handlers.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { sequenceRange } from '../../../main/base/sequence-source.js';
import { fakeJobContext, insertSynthetic } from '../../support/training-data.js';
import { tempWorkspace } from '../../support/temp.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const workspace = (): Workspace => tempWorkspace(cleanups, 'pulse-pulse-');

const TINY = { epochs: 2, hidden: 8, inner: 16, blocks: 1, heads: 1, batch: 16, metricEvery: 1, testProtocols: ['full'] };

function refused(f: () => unknown, code: string, message: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).code).toBe(code);
  expect((err as UserError).message).toMatch(message);
  expect((err as UserError).hint ?? '').not.toBe('');
}

describe('PULSE runs', () => {
  it('aligns every training position with a rationale and fuses item text and rationales into the item side', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    const drafted = draftDataset(ws.db, { dataset: 'syn', positions: 'all' });
    expect(drafted.drafted).toBe(drafted.targets);
    const id = prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 8, ...TINY });
    const r = await trainJob(fakeJobContext(ws, { runId: id }).ctx);
    const data = loadRunData(ws.db, 'syn');
    const inputs = loadPulseInputs(runDir(ws, id), data)!;
    // Every drafted target is a training position; each one is aligned (one version recorded per target).
    let aligned = 0;
    sequenceRange(data.train, 0, data.train.length).forEach((s, slot) =>
      inputs.alignment!.rowOf[slot]!.forEach((row, pos) => {
        if (row >= 0) {
          aligned++;
          // Position 0 only for a user whose single training item is all there is to explain.
          if (s.length > 1) expect(pos).toBeGreaterThan(0);
          expect(pos).toBeLessThan(s.length);
        }
      }),
    );
    expect(aligned).toBe(drafted.targets);
    expect(r.rationale_versions).toBe(drafted.targets);
    expect(runRationales(ws.db, id)).toHaveLength(drafted.targets);
    // Item side: text (8) + rationale means (8); items without a rationale keep their text part.
    expect(inputs.itemVectors!.dim).toBe(16);
    const ck = readCheckpointFile(path.join(runDir(ws, id), FILES.best));
    expect(ck.arrays.get('itemText.proj')!.length).toBe(8 * 16);
    expect(fs.existsSync(path.join(runDir(ws, id), PULSE_FILES.itemEncoder))).toBe(true);
    expect(r.test.full!['ndcg@10']).toBeGreaterThan(0);
  });

  it('a cancelled PULSE run resumes to exactly the uninterrupted result', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    draftDataset(ws.db, { dataset: 'syn', positions: 'all' });
    const s = { dataset: 'syn', arch: 'pulse' as const, auxDim: 8, itemDim: 8, ...TINY, epochs: 3 };
    const a = await trainJob(fakeJobContext(ws, { runId: prepareRun(ws, s) }).ctx);
    const b = prepareRun(ws, s);
    const first = fakeJobContext(ws, { runId: b }, { cancelWhen: (ev) => ev.filter((e) => e.name === 'metrics').length === 9 });
    await expect(trainJob(first.ctx)).rejects.toThrow(/Cancelled/);
    const rb = await trainJob(fakeJobContext(ws, { runId: b }).ctx);
    expect(rb.test).toEqual(a.test);
  });

  it('starts from another run: every weight but the item IDs, and that run encoders', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'src', { seed: 3 });
    insertSynthetic(ws.db, 'dst', { seed: 4, items: 40 });
    for (const d of ['src', 'dst']) draftDataset(ws.db, { dataset: d, positions: 'all' });
    const common = { arch: 'pulse' as const, auxDim: 8, itemDim: 8, textCorpus: ['src', 'dst'], ...TINY };
    const src = prepareRun(ws, { dataset: 'src', ...common });
    await trainJob(fakeJobContext(ws, { runId: src }).ctx);
    const dst = prepareRun(ws, { dataset: 'dst', ...common, initFrom: src, epochs: 1 });
    const { ctx, logs } = fakeJobContext(ws, { runId: dst });
    await trainJob(ctx);
    const copied = logs.find((l) => l.startsWith(`Started from run ${src}`))!;
    for (const name of ['posEmb', 'b0.inW', 'itemText.proj', 'aux.proj']) expect(copied).toContain(name);
    expect(copied).not.toMatch(/\bitemEmb\b/);
    // The same encoder files (same vocabulary and projection) serve both runs.
    for (const f of [PULSE_FILES.itemEncoder, PULSE_FILES.rationaleEncoder])
      expect(fs.readFileSync(path.join(runDir(ws, dst), f))).toEqual(fs.readFileSync(path.join(runDir(ws, src), f)));
  });

  it('trains on a seeded share of the users and still evaluates all of them', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn', { users: 200 });
    const id = prepareRun(ws, { dataset: 'syn', ...TINY, epochs: 1, trainFraction: 0.25 });
    const r = await trainJob(fakeJobContext(ws, { runId: id }).ctx);
    const data = loadRunData(ws.db, 'syn');
    const seqs = trainingSequences(data, getRun(ws.db, id).config);
    const lengths = (src: typeof seqs) => sequenceRange(src, 0, src.length).map((s) => s.length);
    expect(lengths(seqs).filter((n) => n > 0).length).toBe(50);
    expect(lengths(trainingSequences(data, getRun(ws.db, id).config))).toEqual(lengths(seqs)); // the same users every time
    expect(r.test.full!['hr@10']).toBeGreaterThanOrEqual(0);
    const users = ws.db.prepare("SELECT users FROM run_results WHERE run_id = ? AND split = 'test'").pluck().get(id) as string;
    expect((JSON.parse(users) as number[]).length).toBe(data.evalIdx.length);
  });

  it('a sweep trains every combination in one job, and skips finished runs when resumed', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    draftDataset(ws.db, { dataset: 'syn' });
    const ids = prepareSweep(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 8, ...TINY, epochs: 1 }, { auxWeight: [0, 0.2], seed: [1, 2] }, 'grid');
    expect(ids).toHaveLength(4);
    const runs = ids.map((i) => getRun(ws.db, i));
    expect(runs.map((r) => [r.config.aux!.weight, r.seed])).toEqual([
      [0, 1],
      [0, 2],
      [0.2, 1],
      [0.2, 2],
    ]);
    expect(new Set(runs.map((r) => r.group))).toEqual(new Set(['grid']));
    const first = fakeJobContext(ws, { runIds: ids }, { cancelWhen: (ev) => ev.filter((e) => e.name === 'metrics').length === 12 });
    await expect(sweepJob(first.ctx)).rejects.toThrow(/Cancelled/);
    const done = ids.filter((i) => getRun(ws.db, i).state === 'succeeded');
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(4);
    const r = await sweepJob(fakeJobContext(ws, { runIds: ids }).ctx);
    expect(r.results).toHaveLength(4 - done.length);
    expect(ids.every((i) => getRun(ws.db, i).state === 'succeeded')).toBe(true);
  });

  it('refuses a PULSE run that cannot train, before writing anything', () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    const runsBefore = () => listRuns(ws.db, { includeArchived: true }).length;
    // No rationales.
    refused(() => prepareRun(ws, { dataset: 'syn', arch: 'pulse', ...TINY }), 'no_rationales', /needs rationales/);
    // Item text side on a dataset without item text.
    ws.db.prepare("UPDATE items SET title = '', brand = '', categories = '', description = ''").run();
    refused(() => prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxWeight: 0, itemSide: 'text', ...TINY }), 'no_item_text', /needs item text/);
    // A sweep with one bad combination creates none of its runs.
    refused(() => prepareSweep(ws, { dataset: 'syn', ...TINY }, { hidden: [8, 7], heads: [2] }, 'bad'), 'bad_config', /divisible/);
    expect(runsBefore()).toBe(0);
  });

  it('refuses mismatched dimensions against a source run, and a source that did not finish', async () => {
    const ws = workspace();
    insertSynthetic(ws.db, 'syn');
    draftDataset(ws.db, { dataset: 'syn' });
    const src = prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 8, ...TINY, epochs: 1 });
    refused(() => prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 8, ...TINY, initFrom: src }), 'bad_state', /finished/);
    await trainJob(fakeJobContext(ws, { runId: src }).ctx);
    const before = listRuns(ws.db).length;
    refused(() => prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 16, ...TINY, initFrom: src }), 'dim_mismatch', /item dimension 8 vs 16/);
    refused(
      () => prepareRun(ws, { dataset: 'syn', arch: 'pulse', auxDim: 8, itemDim: 8, ...TINY, hidden: 16, initFrom: src }),
      'dim_mismatch',
      /hidden size 8/,
    );
    expect(listRuns(ws.db).length).toBe(before);
  });
});
