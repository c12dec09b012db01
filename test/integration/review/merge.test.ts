import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetAgreement } from '../../../main/features/review/agreement.js';
import { decide, undo } from '../../../main/features/review/decisions.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { getRecord } from '../../../main/features/review/review-record.js';
import { exportRationales, importRationales } from '../../../main/features/review/rationale-jsonl.js';
import { openDatabase, type Db } from '../../../main/platform/storage/database.js';
import { insertDataset, rationaleIds, reviewFixture, type ReviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';

const REASON = DEFAULT_CONFIG.rejectReasons[1]!;

/** Everything review-related, by portable identity, for comparing two workspaces. */
function snapshot(db: Db) {
  return {
    versions: db
      .prepare(
        'SELECT v.uid, v.text, v.agent_kind, p.uid AS parent FROM rationale_versions v LEFT JOIN rationale_versions p ON p.id = v.parent_version_id ORDER BY v.uid',
      )
      .all(),
    decisions: db
      .prepare(
        `SELECT d.uid, v.uid AS version, a.name, d.decision, d.reason, d.comment, u.uid AS undoes, d.created_at FROM review_decisions d
         JOIN rationale_versions v ON v.id = d.version_id JOIN annotators a ON a.id = d.annotator_id LEFT JOIN review_decisions u ON u.id = d.undoes_id ORDER BY d.uid`,
      )
      .all(),
    statuses: db
      .prepare(
        'SELECT r.user_original_id, s.status, cv.uid AS curated FROM review_state s JOIN rationales r ON r.id = s.rationale_id LEFT JOIN rationale_versions cv ON cv.id = s.curated_version_id ORDER BY 1',
      )
      .all(),
  };
}

describe('export, import and merge with decisions', () => {
  let dir: string;
  let cleanup: () => void;
  let fx: ReviewFixture;
  let ids: number[];
  beforeEach(() => {
    const t = tempDir();
    dir = t.dir;
    cleanup = t.cleanup;
    fx = reviewFixture(path.join(dir, 'a'), { users: 20 });
    ids = rationaleIds(fx.db, fx.datasetId);
  });
  afterEach(() => {
    fx.db.close();
    cleanup();
  });
  const cur = (db: Db, id: number, who: string) => getRecord(db, DEFAULT_CONFIG, id, who).currentVersionId;

  function freshWorkspace(name: string): Db {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    const db = openDatabase(path.join(dir, name, 'workspace.sqlite'));
    insertDataset(db, fx.name, { users: 20, items: 60 }); // same seed: the same dataset
    return db;
  }

  it('round trip: export then import into a fresh workspace gives the same records, versions and decisions', async () => {
    const [a, b, c] = ids as [number, number, number];
    decide(fx.db, DEFAULT_CONFIG, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: cur(fx.db, a, 'ann'), ms: 1200 });
    decide(fx.db, DEFAULT_CONFIG, {
      rationaleId: b,
      annotator: 'ann',
      decision: 'edited',
      versionId: cur(fx.db, b, 'ann'),
      text: 'Hand-edited rationale for record b, kept short.',
      comment: 'tightened',
    });
    decide(fx.db, DEFAULT_CONFIG, { rationaleId: c, annotator: 'bob', decision: 'rejected', versionId: cur(fx.db, c, 'bob'), reason: REASON });
    decide(fx.db, DEFAULT_CONFIG, { rationaleId: a, annotator: 'bob', decision: 'flagged', versionId: cur(fx.db, a, 'bob') });
    undo(fx.db, 'bob'); // the undo travels too
    const file = path.join(dir, 'export.jsonl');
    const ex = await exportRationales(fx.db, fx.name, file);
    expect(ex).toMatchObject({ records: ids.length, decisions: 5, annotators: 2 });

    const db2 = freshWorkspace('b');
    const im = await importRationales(db2, file);
    expect(im).toMatchObject({ records: ids.length, decisions: 5, annotators: 2, decisionDuplicates: 0 });
    expect(snapshot(db2)).toEqual(snapshot(fx.db));
    // Importing again changes nothing.
    const again = await importRationales(db2, file);
    expect(again).toMatchObject({ versions: 0, decisions: 0, decisionDuplicates: 5 });
    expect(snapshot(db2)).toEqual(snapshot(fx.db));
    db2.close();
  });

  it('merges responses made in two workspaces without losing or duplicating any', async () => {
    // Both workspaces start from the same drafted export.
    const seed = path.join(dir, 'seed.jsonl');
    await exportRationales(fx.db, fx.name, seed);
    const w1 = freshWorkspace('w1');
    const w2 = freshWorkspace('w2');
    await importRationales(w1, seed);
    await importRationales(w2, seed);
    const ids1 = rationaleIds(w1, 1);
    const ids2 = rationaleIds(w2, 1);
    // ann reviews on machine 1, bob on machine 2, overlapping on the first five records.
    for (const id of ids1.slice(0, 8)) decide(w1, DEFAULT_CONFIG, { rationaleId: id, annotator: 'ann', decision: 'accepted', versionId: cur(w1, id, 'ann') });
    decide(w1, DEFAULT_CONFIG, {
      rationaleId: ids1[8]!,
      annotator: 'ann',
      decision: 'edited',
      versionId: cur(w1, ids1[8]!, 'ann'),
      text: 'ann edit of record nine, in her words.',
    });
    for (const [k, id] of ids2.slice(0, 5).entries()) {
      decide(
        w2,
        DEFAULT_CONFIG,
        k % 2
          ? { rationaleId: id, annotator: 'bob', decision: 'rejected', versionId: cur(w2, id, 'bob'), reason: REASON }
          : { rationaleId: id, annotator: 'bob', decision: 'accepted', versionId: cur(w2, id, 'bob') },
      );
    }
    decide(w2, DEFAULT_CONFIG, {
      rationaleId: ids2[8]!,
      annotator: 'bob',
      decision: 'edited',
      versionId: cur(w2, ids2[8]!, 'bob'),
      text: 'bob edit of record nine, his words.',
    });
    const f1 = path.join(dir, 'w1.jsonl');
    const f2 = path.join(dir, 'w2.jsonl');
    await exportRationales(w1, fx.name, f1);
    await exportRationales(w2, fx.name, f2);

    const hub = freshWorkspace('hub');
    await importRationales(hub, f1);
    const m2 = await importRationales(hub, f2);
    expect(m2.decisions).toBe(6);
    expect(m2.duplicates).toBeGreaterThan(0); // the shared drafted versions
    // Merging both again, in the other order, adds nothing.
    const again = [await importRationales(hub, f2), await importRationales(hub, f1)];
    expect(again.map((r) => [r.versions, r.decisions])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const n = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
    expect(n(hub, 'SELECT COUNT(*) FROM review_decisions')).toBe(9 + 6);
    expect(n(hub, "SELECT COUNT(*) FROM rationale_versions WHERE agent_kind = 'human'")).toBe(2);
    expect(n(hub, 'SELECT COUNT(DISTINCT uid) FROM review_decisions')).toBe(15);
    // Record nine holds both edits as two human versions with the same parent.
    const nine = hub.prepare("SELECT COUNT(DISTINCT parent_version_id) AS parents, COUNT(*) AS n FROM rationale_versions WHERE agent_kind = 'human'").get();
    expect(nine).toEqual({ parents: 1, n: 2 });
    const agr = datasetAgreement(hub, 1, fx.name);
    expect(agr.records).toBe(6);
    expect(agr.pairs).toHaveLength(1);
    expect(agr.pairs[0]).toMatchObject({ a: 'ann', b: 'bob', n: 6, edits: 1 });
    // ann: A A A A A E ; bob: A R A R A E -> po = 4/6; pe = (5/6)(3/6) + (1/6)(1/6) + 0 = 16/36; kappa = (24/36-16/36)/(20/36) = 0.4
    expect(agr.pairs[0]!.kappa).toBeCloseTo(0.4, 10);
    expect(agr.overall.method).toBe('cohen');
    for (const db of [w1, w2, hub]) db.close();
  });
});
