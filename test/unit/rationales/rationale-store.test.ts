import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import {
  addVersion,
  ensureRationale,
  finishedTargets,
  trainingTargets,
  getRationale,
  listRationales,
  trainingTarget,
  writeRationale,
} from '../../../main/features/rationales/rationale-store.js';
import { saveTemplate, getTemplate, listTemplates } from '../../../main/features/rationales/template-store.js';
import { loadUserContext } from '../../../main/features/rationales/user-context.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { tempDir } from '../../support/temp.js';

let ws: Workspace;
let cleanup: () => void;
let ds: number;

/** Users: 0 has 6 interactions (items 0..5), 1 has 2 (items 6, 7: everything is train), 2 has 3. */
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  ws = Workspace.open(t.dir);
  const db = ws.db;
  ds = Number(db.prepare("INSERT INTO datasets(name, format) VALUES ('toy', 'test')").run().lastInsertRowid);
  for (let i = 0; i < 10; i++) db.prepare('INSERT INTO items(dataset_id, idx, original_id, title) VALUES (?, ?, ?, ?)').run(ds, i, `I${i}`, `Item ${i}`);
  const seqs = [
    [0, 1, 2, 3, 4, 5],
    [6, 7],
    [8, 9, 0],
  ];
  seqs.forEach((s, u) => {
    db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)').run(ds, u, `U${u}`, s.length);
    s.forEach((it, pos) => db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx, rating) VALUES (?, ?, ?, ?, 5)').run(ds, u, pos, it));
  });
});
afterEach(() => {
  ws.close();
  cleanup();
});

describe('rationale record', () => {
  it('the target is the last TRAINING item, never validation or test', () => {
    expect(trainingTarget(ws.db, ds, 0)).toEqual({ userIdx: 0, pos: 3, itemIdx: 3 }); // 4 = valid, 5 = test
    expect(trainingTarget(ws.db, ds, 1)).toEqual({ userIdx: 1, pos: 1, itemIdx: 7 }); // < 3 interactions: all train
    expect(trainingTarget(ws.db, ds, 2)).toEqual({ userIdx: 2, pos: 0, itemIdx: 8 });
  });

  it('the history a prompt sees holds only training items before the target', () => {
    const c = loadUserContext(ws.db, ds, 0)!;
    expect(c.history.map((h) => h.item.idx)).toEqual([0, 1, 2]);
    expect(c.targetItem.idx).toBe(3);
    expect(loadUserContext(ws.db, ds, 2)!.history).toEqual([]);
  });

  it('every training position is a target with positions all, never the validation or test item', () => {
    expect(trainingTargets(ws.db, ds, 0, 'all')).toEqual([1, 2, 3].map((p) => ({ userIdx: 0, pos: p, itemIdx: p })));
    expect(trainingTargets(ws.db, ds, 0, 'last')).toEqual([{ userIdx: 0, pos: 3, itemIdx: 3 }]);
    expect(trainingTargets(ws.db, ds, 1, 'all')).toEqual([{ userIdx: 1, pos: 1, itemIdx: 7 }]);
    expect(trainingTargets(ws.db, ds, 2, 'all')).toEqual([{ userIdx: 2, pos: 0, itemIdx: 8 }]); // its only training item
    // Each target's context holds exactly the training items before it.
    for (const t of trainingTargets(ws.db, ds, 0, 'all')) {
      const c = loadUserContext(ws.db, ds, 0, t)!;
      expect(c.history.map((h) => h.item.idx)).toEqual([0, 1, 2].slice(0, t.pos));
      expect(c.targetItem.idx).toBe(t.itemIdx);
    }
    expect(() => loadUserContext(ws.db, ds, 0, { userIdx: 0, pos: 4, itemIdx: 4 })).toThrow(/training item/);
  });

  it('refuses a rationale for the validation or test item (leakage rule), whoever writes it', () => {
    for (const pos of [4, 5]) {
      let err: unknown;
      try {
        ensureRationale(ws.db, ds, { userIdx: 0, pos, itemIdx: pos });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('leakage');
    }
    expect(() => writeRationale(ws.db, ds, { userIdx: 2, pos: 2, itemIdx: 0 }, { text: 'x', agentKind: 'human', agent: { annotator: 'a' } })).toThrow(
      /training item/,
    );
    expect(ws.db.prepare('SELECT COUNT(*) FROM rationales').pluck().get()).toBe(0);
  });

  it('keeps every version, numbered, and never lets one be overwritten', () => {
    const t = trainingTarget(ws.db, ds, 0)!;
    const v1 = writeRationale(ws.db, ds, t, { text: 'first', agentKind: 'extractive', agent: {}, generationKey: 'k1' });
    const v2 = writeRationale(ws.db, ds, t, { text: 'second', agentKind: 'human', agent: { annotator: 'ann' }, parentVersionId: v1.id });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.rationaleId).toBe(v2.rationaleId);
    const r = getRationale(ws.db, v1.rationaleId);
    expect(r.userOriginalId).toBe('U0');
    expect(r.itemOriginalId).toBe('I3');
    expect(r.versionList.map((v) => v.text)).toEqual(['first', 'second']);
    expect(r.versionList[1]!.agent).toEqual({ annotator: 'ann', kind: 'human' });
    expect(r.latest!.text).toBe('second');
    expect(() => ws.db.prepare("UPDATE rationale_versions SET text = 'changed' WHERE id = ?").run(v1.id)).toThrow(/never overwritten/);
    expect(() => addVersion(ws.db, { rationaleId: v1.rationaleId, text: 'x', agentKind: 'robot' as never, agent: {} })).toThrow(/agent kind/);
  });

  it('finds finished users by generation key (and by job for regenerate runs)', () => {
    writeRationale(ws.db, ds, trainingTarget(ws.db, ds, 0)!, { text: 'a', agentKind: 'slm', agent: {}, generationKey: 'K', jobId: 7 });
    writeRationale(ws.db, ds, trainingTarget(ws.db, ds, 1)!, { text: 'b', agentKind: 'slm', agent: {}, generationKey: 'other' });
    expect([...finishedTargets(ws.db, ds, 'K')]).toEqual(['0:3']);
    expect([...finishedTargets(ws.db, ds, 'K', [7])]).toEqual(['0:3']);
    expect([...finishedTargets(ws.db, ds, 'K', [8])]).toEqual([]);
    const page = listRationales(ws.db, ds, { limit: 1 });
    expect(page.total).toBe(2);
    expect(page.rows).toHaveLength(1);
    expect(listRationales(ws.db, ds, { agentKind: 'extractive' }).total).toBe(0);
  });

  it('stores templates by content hash; saving twice is one row', () => {
    const a = saveTemplate(ws.db, 'mine', '=== user ===\n{{target}}');
    const b = saveTemplate(ws.db, 'mine again', '=== user ===\n{{target}}');
    expect(b.hash).toBe(a.hash);
    expect(getTemplate(ws.db, a.hash.slice(0, 8)).hash).toBe(a.hash);
    expect(getTemplate(ws.db, 'pulse-rationale').name).toBe('pulse-rationale');
    expect(
      listTemplates(ws.db)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['mine', 'pulse-rationale']);
    expect(() => saveTemplate(ws.db, 'bad', '{{nope}}')).toThrow(/Unknown variable/);
  });
});
