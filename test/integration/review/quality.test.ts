import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TitleIndex, userScope } from '../../../main/features/review/named-items.js';
import { checkText, FLAG_BITS, flagsFromBits } from '../../../main/features/review/quality-checks.js';
import { checkVersion, refreshQuality } from '../../../main/features/review/quality.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { decide } from '../../../main/features/review/decisions.js';
import { getRecord } from '../../../main/features/review/review-record.js';
import { writeRationale } from '../../../main/features/rationales/rationale-store.js';
import { trainingTarget } from '../../../main/features/rationales/rationale-store.js';
import { reviewFixture, type ReviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';

const limits = { minWords: 8, maxWords: 60, duplicateThreshold: 0.8 };

describe('quality checks: each flags what it must and nothing else', () => {
  let fx: ReviewFixture;
  let cleanup: () => void;
  let titles: TitleIndex;
  let scope: ReturnType<typeof userScope>;
  let history: Array<{ title: string; originalId: string; split: string; pos: number; idx: number }>;
  let target: { pos: number; itemIdx: number };
  beforeAll(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    fx = reviewFixture(t.dir, { users: 40, items: 80 });
    titles = TitleIndex.forDataset(fx.db, fx.datasetId);
    target = trainingTarget(fx.db, fx.datasetId, 0)!;
    scope = userScope(fx.db, fx.datasetId, 0, target.pos);
    history = fx.db
      .prepare(
        'SELECT s.pos, s.split, i.idx, i.title, i.original_id AS originalId FROM interaction_split s JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx WHERE s.dataset_id = ? AND s.user_idx = 0 ORDER BY s.pos',
      )
      .all(fx.datasetId) as typeof history;
  });
  afterAll(() => {
    fx.db.close();
    cleanup();
  });
  const flags = (text: string) => flagsFromBits(checkText(text, limits, scope, titles).bits);
  const ok = 'This user keeps buying office supplies from the same few brands, so one more is a natural pick.';

  it('a plain, grounded rationale has no flags', () => {
    expect(flags(ok)).toEqual([]);
  });

  it('invalid: empty, no words, broken characters, template leftovers', () => {
    expect(flags('')).toContain('invalid');
    expect(flags('   \n ')).toContain('invalid');
    expect(flags('... !!! ---')).toContain('invalid');
    expect(flags(`${ok} \uFFFD`)).toContain('invalid');
    expect(flags(`${ok} {{history}}`)).toContain('invalid');
    expect(flags(`<|im_start|>assistant ${ok}`)).toContain('invalid');
    expect(flags(ok)).not.toContain('invalid');
  });

  it('too short and too long, by word count', () => {
    expect(flags('Likes pens.')).toContain('too_short');
    expect(flags(ok)).not.toContain('too_short');
    expect(flags(Array(61).fill('word').join(' '))).toContain('too_long');
    expect(flags(Array(60).fill('word').join(' '))).not.toContain('too_long');
  });

  it('leakage: naming the held-out validation or test item', () => {
    const test = history.find((h) => h.split === 'test')!;
    const valid = history.find((h) => h.split === 'valid')!;
    expect(flags(`${ok} Next they will buy the ${test.title}.`)).toContain('leakage');
    expect(flags(`${ok} Reference ${valid.originalId}.`)).toContain('leakage');
    const train = history.find((h) => h.split === 'train')!;
    expect(flags(`${ok} Earlier they bought the ${train.title}.`)).not.toContain('leakage');
  });

  it('unknown item: naming a catalog item that is not in the user history', () => {
    const mine = new Set(history.map((h) => h.idx));
    const foreign = fx.db
      .prepare('SELECT idx, title FROM items WHERE dataset_id = ? ORDER BY idx')
      .all(fx.datasetId)
      .find((i) => !mine.has((i as { idx: number }).idx)) as { title: string };
    expect(flags(`${ok} They also loved the ${foreign.title}.`)).toContain('unknown_item');
    const train = history.find((h) => h.split === 'train' && h.pos < target.pos) ?? history[0]!;
    expect(flags(`${ok} They loved the ${train.title}.`)).not.toContain('unknown_item');
  });

  it('near-duplicate: a copy of another rationale flags both; a different text does not', () => {
    const base = refreshQuality(fx.db, fx.datasetId, limits);
    expect(base.checked).toBeGreaterThan(0);
    const u1 = trainingTarget(fx.db, fx.datasetId, 1)!;
    const u2 = trainingTarget(fx.db, fx.datasetId, 2)!;
    const u3 = trainingTarget(fx.db, fx.datasetId, 3)!;
    const text =
      'Across many earlier purchases this shopper showed a steady appetite for tidy desks, labelled folders and quiet mornings with fresh paper, and this pick continues that habit.';
    const a = writeRationale(fx.db, fx.datasetId, u1, { text, agentKind: 'slm', agent: { model: { name: 'm' } } });
    const b = writeRationale(fx.db, fx.datasetId, u2, { text: `${text} Really.`, agentKind: 'slm', agent: { model: { name: 'm' } } });
    const c = writeRationale(fx.db, fx.datasetId, u3, {
      text: 'Completely different words: a gift for a colleague who collects novelty staplers, bought in a hurry before a birthday at work.',
      agentKind: 'slm',
      agent: { model: { name: 'm' } },
    });
    refreshQuality(fx.db, fx.datasetId, limits);
    const q = (id: number) => fx.db.prepare('SELECT flags FROM review_quality WHERE version_id = ?').pluck().get(id) as number;
    expect(q(a.id) & FLAG_BITS.near_duplicate).toBeTruthy();
    expect(q(b.id) & FLAG_BITS.near_duplicate).toBeTruthy();
    expect(q(c.id) & FLAG_BITS.near_duplicate).toBe(0);
    // The single-version path (an edit) finds the same pair through the stored LSH bands.
    const u4 = trainingTarget(fx.db, fx.datasetId, 4)!;
    const d = writeRationale(fx.db, fx.datasetId, u4, { text: `${text} Indeed so.`, agentKind: 'slm', agent: {} });
    const r = checkVersion(fx.db, fx.datasetId, { id: d.id, rationaleId: d.rationaleId, userIdx: 4, targetPos: u4.pos, text: d.text }, limits);
    expect(flagsFromBits(r.bits)).toContain('near_duplicate');
    // Flags reach the status index (bulk view filter) for the latest version.
    expect(fx.db.prepare('SELECT flags FROM review_state WHERE rationale_id = ?').pluck().get(a.rationaleId)).toBe(q(a.id));
  });

  it('an edit is checked when it is made and shown in the record', () => {
    const id = fx.db.prepare('SELECT id FROM rationales WHERE dataset_id = ? AND user_idx = 0').pluck().get(fx.datasetId) as number;
    const rec = getRecord(fx.db, DEFAULT_CONFIG, id, 'ann');
    const test = history.find((h) => h.split === 'test')!;
    decide(fx.db, DEFAULT_CONFIG, {
      rationaleId: id,
      annotator: 'ann',
      decision: 'edited',
      versionId: rec.currentVersionId,
      text: `${ok} Next they buy the ${test.title}.`,
    });
    const after = getRecord(fx.db, DEFAULT_CONFIG, id, 'ann');
    expect(after.quality[String(after.currentVersionId)]!.flags).toContain('leakage');
  });
});
