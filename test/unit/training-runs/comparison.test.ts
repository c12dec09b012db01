// compareRunSets and rankDifferences against figures worked out by hand from known per-user ranks.
import { afterEach, describe, expect, it } from 'vitest';
import { pairedTTest } from '../../../main/base/stats.js';
import { compareRunSets, rankDifferences } from '../../../main/features/training/run-comparison.js';
import { resolveRunConfig } from '../../../main/features/training/run-config.js';
import { createRun, saveResult, setRunState } from '../../../main/features/training/run-store.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { insertSynthetic } from '../../support/training-data.js';
import { tempDir } from '../../support/temp.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A finished run whose full-ranking test result puts the test item of user u at ranks[u]. */
function runWithRanks(ws: Workspace, arch: 'sasrec' | 'pulse', seed: number, ranks: number[]): number {
  const ds = ws.db.prepare("SELECT id, content_hash FROM datasets WHERE name = 'syn'").get() as { id: number; content_hash: string };
  const config = resolveRunConfig({ dataset: 'syn', arch: 'sasrec', seed });
  const id = createRun(ws.db, { config: { ...config, arch }, datasetId: ds.id, datasetHash: ds.content_hash, appVersion: 'test' });
  saveResult(ws.db, id, { protocol: 'full', negSeed: 0, split: 'test', epoch: 1, metrics: {}, users: ranks.map((_, u) => u), ranks: Int32Array.from(ranks) });
  setRunState(ws.db, id, 'succeeded');
  return id;
}

const ndcg10 = (r: number) => (r < 10 ? 1 / Math.log2(r + 2) : 0);

describe('comparing sets of runs', () => {
  it('mean ± std, gain, paired tests over seeds and users, and segments', () => {
    const t = tempDir('pulse-cmp-');
    const ws = Workspace.open(t.dir);
    cleanups.push(() => {
      ws.close();
      t.cleanup();
    });
    insertSynthetic(ws.db, 'syn', { users: 6 });
    const A = [
      [0, 5, 20, 1, 3, 9],
      [1, 4, 30, 2, 3, 9],
    ];
    const B = [
      [0, 1, 2, 1, 0, 12],
      [0, 2, 9, 0, 1, 8],
    ];
    const a = [runWithRanks(ws, 'sasrec', 1, A[0]!), runWithRanks(ws, 'sasrec', 2, A[1]!)];
    // B's runs are listed in the other seed order: the test over seeds pairs them by seed.
    const b = [runWithRanks(ws, 'pulse', 2, B[1]!), runWithRanks(ws, 'pulse', 1, B[0]!)];
    const c = compareRunSets(ws.db, a, b, { metric: 'ndcg@10' });
    const meanOf = (r: number[]) => r.reduce((s, x) => s + ndcg10(x), 0) / r.length;
    const [a1, a2, b1, b2] = [meanOf(A[0]!), meanOf(A[1]!), meanOf(B[0]!), meanOf(B[1]!)];
    expect(c.a.mean).toBeCloseTo((a1 + a2) / 2, 12);
    expect(c.b.values).toEqual([expect.closeTo(b2, 12), expect.closeTo(b1, 12)]);
    expect(c.gain).toBeCloseTo((b1 + b2) / (a1 + a2) - 1, 12);
    expect(c.pairedBySeed).toBe(true);
    expect(c.overSeeds!.p).toBeCloseTo(pairedTTest([b1, b2], [a1, a2]).p, 12);
    const perUser = (S: number[][], u: number) => (ndcg10(S[0]![u]!) + ndcg10(S[1]![u]!)) / 2;
    const us = [0, 1, 2, 3, 4, 5];
    expect(c.perUser.test!.p).toBeCloseTo(
      pairedTTest(
        us.map((u) => perUser(B, u)),
        us.map((u) => perUser(A, u)),
      ).p,
      12,
    );
    // Segments are subsets of the users with the same arithmetic.
    const cold = c.segments.find((s) => s.name.startsWith('cold'))!;
    const coldUsers = (ws.db.prepare('SELECT idx FROM users WHERE n_interactions BETWEEN 3 AND 5 ORDER BY idx').pluck().all() as number[]).filter((u) => u < 6);
    expect(cold.users).toBe(coldUsers.length);
    if (coldUsers.length) expect(cold.b).toBeCloseTo(coldUsers.reduce((s, u) => s + perUser(B, u), 0) / coldUsers.length, 12);
    // Users where two runs differ most, by the distance between their test item's ranks.
    expect(rankDifferences(ws.db, a[0]!, b[1]!, { limit: 2 }).map((d) => [d.idx, d.rankA, d.rankB])).toEqual([
      [2, 20, 2],
      [1, 5, 1],
    ]);
  });
});
