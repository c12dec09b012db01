import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../../../main/features/review/decisions.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { getRecord } from '../../../main/features/review/review-record.js';
import { pulse } from '../../support/cli.js';
import { insertDataset, rationaleIds, reviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';
import { openDatabase } from '../../../main/platform/storage/database.js';

const t = tempDir();
afterAll(() => t.cleanup());

describe('pulse review', () => {
  it('stats, agreement, assign, quality and merge with --json', () => {
    const a = path.join(t.dir, 'a');
    const fx = reviewFixture(a, { users: 10 });
    const ids = rationaleIds(fx.db, fx.datasetId);
    for (const [k, id] of ids.slice(0, 4).entries()) {
      const v = getRecord(fx.db, DEFAULT_CONFIG, id, 'ann').currentVersionId;
      decide(fx.db, DEFAULT_CONFIG, { rationaleId: id, annotator: 'ann', decision: 'accepted', versionId: v });
      decide(
        fx.db,
        DEFAULT_CONFIG,
        k < 2
          ? { rationaleId: id, annotator: 'bob', decision: 'accepted', versionId: v }
          : { rationaleId: id, annotator: 'bob', decision: 'rejected', versionId: v, reason: DEFAULT_CONFIG.rejectReasons[0] },
      );
    }
    fx.db.close();
    const W = ['--workspace', a, '--json'];
    const stats = pulse(['review', 'stats', '--dataset', 'tiny', ...W]);
    expect(stats.code).toBe(0);
    expect(stats.json).toMatchObject({ rationales: 10, statuses: { accepted: 2, rejected: 2, pending: 6 }, decisions: 8 });
    const agr = pulse(['review', 'agreement', '--dataset', 'tiny', ...W]);
    expect(agr.json).toMatchObject({ records: 4, annotators: ['ann', 'bob'], overall: { method: 'cohen', observed: 0.5 } });
    const as = pulse(['review', 'assign', '--dataset', 'tiny', '--annotators', 'ann,bob,cy', '--overlap', '2', ...W]);
    expect(as.json).toMatchObject({ records: 10, assignments: 20 });
    const q = pulse(['review', 'quality', '--dataset', 'tiny', ...W]);
    expect(q.code).toBe(0);
    expect((q.json as { checked: number }).checked).toBe(6); // the four records opened above were checked when shown

    const file = path.join(t.dir, 'a.jsonl');
    expect(pulse(['rationales', 'export', '--dataset', 'tiny', '--out', file, ...W]).json).toMatchObject({ decisions: 8, annotators: 2 });
    const b = path.join(t.dir, 'b');
    fs.mkdirSync(b, { recursive: true });
    const dbB = openDatabase(path.join(b, 'workspace.sqlite'));
    insertDataset(dbB, 'tiny', { users: 10, items: 60 });
    dbB.close();
    const m = pulse(['review', 'merge', file, '--workspace', b, '--json']);
    expect(m.code).toBe(0);
    expect(m.json).toMatchObject({ records: 10, decisions: 8, annotators: 2, decisionDuplicates: 0 });
    expect(pulse(['review', 'merge', file, '--workspace', b, '--json']).json).toMatchObject({ decisions: 0, decisionDuplicates: 8 });
    expect(pulse(['review', 'stats', '--dataset', 'tiny', '--workspace', b, '--json']).json).toMatchObject({ statuses: { accepted: 2, rejected: 2 } });
    const bad = pulse(['review', 'stats', '--dataset', 'nope', ...W]);
    expect(bad.code).not.toBe(0);
    expect(bad.json).toMatchObject({ error: { message: expect.stringContaining('nope') } });
  }, 300_000); // seven CLI runs, each opening the workspace: slow on a loaded machine
});
