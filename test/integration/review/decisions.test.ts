import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewConfig } from '../../../common/contract/review.js';
import { assign, reviewStats } from '../../../main/features/review/assignment.js';
import { curatedRationales } from '../../../main/features/review/curated.js';
import { bulkDecide, decide, decisionsOf, saveDraft, undo } from '../../../main/features/review/decisions.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { getRecord, nextInQueue } from '../../../main/features/review/review-record.js';
import { bulkQuery } from '../../../main/features/review/bulk.js';
import { rationaleIds, reviewFixture, type ReviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';

const config: ReviewConfig = { ...DEFAULT_CONFIG };
const REASON = DEFAULT_CONFIG.rejectReasons[0]!;

describe('review decisions', () => {
  let fx: ReviewFixture;
  let cleanup: () => void;
  let ids: number[];
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    fx = reviewFixture(t.dir);
    ids = rationaleIds(fx.db, fx.datasetId);
  });
  afterEach(() => {
    fx.db.close();
    cleanup();
  });

  const status = (id: number) => fx.db.prepare('SELECT status FROM review_state WHERE rationale_id = ?').pluck().get(id);
  const current = (id: number, who = 'ann') => getRecord(fx.db, config, id, who);

  it('accept, edit, reject, flag set the status; an edit is a new human version with its parent', () => {
    const [a, b, c, d] = ids as [number, number, number, number];
    expect(status(a)).toBe('pending');
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: current(a).currentVersionId });
    expect(status(a)).toBe('accepted');

    const shown = current(b);
    const r = decide(fx.db, config, {
      rationaleId: b,
      annotator: 'ann',
      decision: 'edited',
      versionId: shown.currentVersionId,
      text: 'An edited rationale about the user buying pens again and again.',
    });
    expect(r.status).toBe('edited');
    const after = current(b);
    expect(after.versions).toHaveLength(2);
    const human = after.versions[1]!;
    expect(human.agentKind).toBe('human');
    expect(human.parentVersionId).toBe(shown.currentVersionId);
    expect(human.agent.annotator).toBe('ann');
    expect(r.decision.versionId).toBe(human.id);
    expect(after.suggestionVersionId).toBe(shown.currentVersionId); // the diff's left side stays the model's text

    expect(() => decide(fx.db, config, { rationaleId: c, annotator: 'ann', decision: 'rejected', versionId: current(c).currentVersionId })).toThrow(/reason/);
    expect(() =>
      decide(fx.db, config, { rationaleId: c, annotator: 'ann', decision: 'rejected', versionId: current(c).currentVersionId, reason: 'made up' }),
    ).toThrow(/configured/);
    decide(fx.db, config, {
      rationaleId: c,
      annotator: 'ann',
      decision: 'rejected',
      versionId: current(c).currentVersionId,
      reason: REASON,
      comment: 'names nothing real',
    });
    expect(status(c)).toBe('rejected');
    expect(decisionsOf(fx.db, c)[0]).toMatchObject({ reason: REASON, comment: 'names nothing real', annotator: 'ann' });

    decide(fx.db, config, { rationaleId: d, annotator: 'ann', decision: 'flagged', versionId: current(d).currentVersionId, comment: 'odd' });
    expect(status(d)).toBe('flagged');
    // A version of another rationale is refused.
    expect(() => decide(fx.db, config, { rationaleId: d, annotator: 'ann', decision: 'accepted', versionId: current(a).currentVersionId })).toThrow(
      /not a version/,
    );
  });

  it('undo cancels the latest standing decision, keeps it in the history, and gives an undone edit back as a draft', () => {
    const [a, b] = ids as [number, number];
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: current(a).currentVersionId });
    const text = 'My better rationale, written by hand for this user and item.';
    decide(fx.db, config, { rationaleId: b, annotator: 'ann', decision: 'edited', versionId: current(b).currentVersionId, text });
    const u1 = undo(fx.db, 'ann');
    expect(u1).toMatchObject({ rationaleId: b, decision: 'edited', undone: true });
    expect(status(b)).toBe('pending');
    const rb = current(b);
    expect(rb.draft?.text).toBe(text); // continue from the undone edit
    expect(rb.versions).toHaveLength(2); // the version stays: nothing is deleted
    expect(rb.decisions.map((d) => [d.decision, d.undone])).toEqual([
      ['edited', true],
      ['undo', false],
    ]);
    const u2 = undo(fx.db, 'ann');
    expect(u2?.rationaleId).toBe(a);
    expect(status(a)).toBe('pending');
    expect(undo(fx.db, 'ann')).toBeNull();
    // Decisions can never be rewritten.
    expect(() => fx.db.prepare("UPDATE review_decisions SET decision = 'accepted'").run()).toThrow(/never overwritten/);
    // Re-deciding after undo works and the history grows.
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'flagged', versionId: current(a).currentVersionId });
    expect(status(a)).toBe('flagged');
    expect(decisionsOf(fx.db, a).map((d) => d.decision)).toEqual(['accepted', 'undo', 'flagged']);
  });

  it('curated text: latest accepted or edited version; pending only on request; rejected and flagged never', () => {
    const [a, b, c, d] = ids as [number, number, number, number];
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: current(a).currentVersionId });
    decide(fx.db, config, {
      rationaleId: b,
      annotator: 'ann',
      decision: 'edited',
      versionId: current(b).currentVersionId,
      text: 'Edited text for b, long enough to be a rationale.',
    });
    decide(fx.db, config, { rationaleId: c, annotator: 'ann', decision: 'rejected', versionId: current(c).currentVersionId, reason: REASON });
    decide(fx.db, config, { rationaleId: d, annotator: 'ann', decision: 'flagged', versionId: current(d).currentVersionId });
    const cur = curatedRationales(fx.db, fx.datasetId);
    expect(cur.map((x) => x.rationaleId)).toEqual([a, b]);
    expect(cur[1]).toMatchObject({ status: 'edited', agentKind: 'human', text: 'Edited text for b, long enough to be a rationale.' });
    const all = curatedRationales(fx.db, fx.datasetId, { includePending: true });
    expect(all.map((x) => x.rationaleId).sort((x, y) => x - y)).toEqual(ids.filter((i) => i !== c && i !== d));
    // A later rejection of an edited record takes it out.
    decide(fx.db, config, { rationaleId: b, annotator: 'bob', decision: 'rejected', versionId: current(b).currentVersionId, reason: REASON });
    expect(curatedRationales(fx.db, fx.datasetId).map((x) => x.rationaleId)).toEqual([a]);
    undo(fx.db, 'bob');
    expect(curatedRationales(fx.db, fx.datasetId).map((x) => x.rationaleId)).toEqual([a, b]);
  });

  it('queues move to the next pending record and wrap around', () => {
    const [a, b] = ids as [number, number];
    expect(nextInQueue(fx.db, fx.datasetId, 'ann', 'pending', false)).toEqual({ id: a, remaining: ids.length });
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: current(a).currentVersionId });
    expect(nextInQueue(fx.db, fx.datasetId, 'ann', 'pending', false, a)).toEqual({ id: b, remaining: ids.length - 1 });
    expect(nextInQueue(fx.db, fx.datasetId, 'ann', 'pending', false, ids.at(-1))).toEqual({ id: b, remaining: ids.length - 1 });
    expect(nextInQueue(fx.db, fx.datasetId, 'ann', 'accepted', false)).toEqual({ id: a, remaining: 1 });
  });

  it('assigns with overlap, tracks progress per annotator, and blind mode hides the others', () => {
    const r = assign(fx.db, fx.datasetId, ['ann', 'bob', 'cy'], 2, false);
    expect(r.assignments).toBe(ids.length * 2);
    expect(Object.values(r.perAnnotator).reduce((s, x) => s + x, 0)).toBe(ids.length * 2);
    expect(Math.max(...Object.values(r.perAnnotator)) - Math.min(...Object.values(r.perAnnotator))).toBeLessThanOrEqual(1);
    const first = nextInQueue(fx.db, fx.datasetId, 'ann', 'pending', false).id!;
    const rec = current(first);
    expect(rec.assignedTo).toContain('ann');
    const other = rec.assignedTo.find((x) => x !== 'ann')!;
    decide(fx.db, config, {
      rationaleId: first,
      annotator: other,
      decision: 'edited',
      versionId: rec.currentVersionId,
      text: `Edited by ${other}, with its own words.`,
    });
    // Not blind: ann sees the other's edit and decision; her own queue still holds the record.
    expect(getRecord(fx.db, config, first, 'ann').versions).toHaveLength(2);
    expect(nextInQueue(fx.db, fx.datasetId, 'ann', 'pending', false).id).toBe(first);
    // Blind: hidden.
    const blind = { ...config, blind: true };
    const seen = getRecord(fx.db, blind, first, 'ann');
    expect(seen.versions).toHaveLength(1);
    expect(seen.decisions).toHaveLength(0);
    expect(seen.status).toBe('pending');
    decide(fx.db, config, { rationaleId: first, annotator: 'ann', decision: 'accepted', versionId: seen.currentVersionId });
    const stats = reviewStats(fx.db, fx.datasetId, fx.name);
    const ann = stats.annotators.find((x) => x.annotator === 'ann')!;
    expect(ann).toMatchObject({ assigned: r.perAnnotator.ann, decided: 1, accepted: 1, remaining: r.perAnnotator.ann! - 1 });
    expect(stats.annotators.find((x) => x.annotator === other)).toMatchObject({ decided: 1, edited: 1 });
  });

  it('drafts are saved per annotator and replaced, and a decision clears them', () => {
    const [a] = ids as [number];
    const v = current(a).currentVersionId;
    saveDraft(fx.db, a, 'ann', v, 'half typed');
    saveDraft(fx.db, a, 'ann', v, 'half typed, more');
    expect(current(a).draft?.text).toBe('half typed, more');
    expect(current(a, 'bob').draft).toBeNull();
    decide(fx.db, config, { rationaleId: a, annotator: 'ann', decision: 'edited', versionId: v, text: 'half typed, more and finished now.' });
    expect(current(a).draft).toBeNull();
  });

  it('bulk decisions and bulk filters', () => {
    const n = bulkDecide(fx.db, config, ids.slice(0, 5), 'ann', 'rejected', REASON);
    expect(n).toBe(5);
    const q = (f: Partial<Parameters<typeof bulkQuery>[2]>) => bulkQuery(fx.db, fx.datasetId, { offset: 0, limit: 100, sort: 'id', desc: false, ...f });
    expect(q({ status: ['rejected'] }).total).toBe(5);
    expect(q({ status: ['pending'] }).total).toBe(ids.length - 5);
    expect(q({ agentKind: ['extractive'] }).total).toBe(ids.length);
    expect(q({ hasEdits: true }).total).toBe(0);
    const byLen = q({ sort: 'length', desc: true }).rows;
    expect(byLen[0]!.length).toBeGreaterThanOrEqual(byLen.at(-1)!.length);
    const some = q({}).rows[3]!;
    const word = some.itemTitle.split(' ')[0]!;
    const found = q({ search: word });
    expect(found.total).toBeGreaterThan(0);
    expect(found.rows.some((r) => r.id === some.id)).toBe(true);
    expect(q({ search: 'zzzqqq' }).total).toBe(0);
    // Syntax characters in a search are words, never an FTS5 error.
    expect(q({ search: '"AND (OR* NEAR' }).total).toBeGreaterThanOrEqual(0);
  });
});

describe('demo reviews', () => {
  it('gives the demo a few decisions of every kind and quality flags', async () => {
    const { seedDemoReviews } = await import('../../../main/features/review/demo-reviews.js');
    const t = tempDir();
    const fx = reviewFixture(t.dir);
    expect(seedDemoReviews(fx.db, fx.name)).toBe(10);
    const s = reviewStats(fx.db, fx.datasetId, fx.name);
    expect(s.statuses).toMatchObject({ accepted: 5, edited: 2, rejected: 2, flagged: 1 });
    expect(s.qualityChecked).toBe(s.rationales);
    fx.db.close();
    t.cleanup();
  });
});
