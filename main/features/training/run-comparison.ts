// Two sets of runs compared the way a paper would: a baseline set A (e.g. SASRec over seeds) against a candidate
// set B (e.g. PULSE over the same seeds), on one test metric: mean ± std over runs, the relative gain of B over
// A, a paired t-test over seeds (runs paired by seed) and one over users (each user's metric averaged over the
// runs of a set), and the same per segment: cold users (3 to 5 interactions in all) and long-tail test items
// (outside the 20% of items with the most training interactions). Used by the Training view and bench scripts.
import type { SetComparison } from '../../../common/contract/training.js';
import { UserError } from '../../base/errors.js';
import { perUserMetric } from '../../base/ranking.js';
import { mean, pairedTTest, std, type PairedTTest } from '../../base/stats.js';
import type { Db } from '../../platform/storage/database.js';
import { getRun, runResults, type RunRecord } from './run-store.js';

/** Users with at most this many interactions in all count as cold (the 3 to 5). */
export const COLD_MAX_INTERACTIONS = 5;
/** Items outside this share of the most popular (by training interactions) are the long tail. */
export const HEAD_SHARE = 0.2;

export function parseMetric(metric: string): { name: 'HR' | 'NDCG' | 'MRR'; k: number } {
  const m = /^(hr|ndcg|mrr)@(\d+)$/i.exec(metric);
  if (!m) throw new UserError(`Unknown metric "${metric}".`, { hint: 'Use hr@K, ndcg@K or mrr@K.', code: 'bad_metric' });
  return { name: m[1]!.toUpperCase() as 'HR' | 'NDCG' | 'MRR', k: Number(m[2]) };
}

/** A run's test result under a protocol, with its per-user ranks, or an error that says how to get one. */
function testResult(db: Db, r: RunRecord, protocol: string) {
  const res = runResults(db, r.id, true).find((x) => x.split === 'test' && x.protocol === protocol);
  if (!res)
    throw new UserError(`Run ${r.id} has no ${protocol} test result.`, {
      hint: r.state === 'succeeded' ? `Evaluate it: \`pulse eval --run ${r.id} --protocol ${protocol}\`.` : `Run ${r.id} is ${r.state}; let it finish first.`,
      code: 'no_result',
    });
  return res;
}

/** Per-user values of a run's test result (user idx -> metric). */
export function perUserValues(db: Db, r: RunRecord, metric: string, protocol: string): Map<number, number> {
  const { name, k } = parseMetric(metric);
  const res = testResult(db, r, protocol);
  const per = perUserMetric(res.ranks, name, k);
  return new Map(res.users.map((u, i) => [u, per[i]!]));
}

interface Segment {
  name: string;
  users: Set<number>;
}

/** The cold-user and long-tail segments of a dataset's test split. */
export function segments(db: Db, datasetId: number): Segment[] {
  const cold = new Set(
    db.prepare('SELECT idx FROM users WHERE dataset_id = ? AND n_interactions BETWEEN 3 AND ?').pluck().all(datasetId, COLD_MAX_INTERACTIONS) as number[],
  );
  const pop = db
    .prepare("SELECT item_idx AS i, COUNT(*) AS n FROM interaction_split WHERE dataset_id = ? AND split = 'train' GROUP BY item_idx ORDER BY n DESC, item_idx")
    .all(datasetId) as { i: number; n: number }[];
  const nItems = db.prepare('SELECT COUNT(*) FROM items WHERE dataset_id = ?').pluck().get(datasetId) as number;
  const head = new Set(pop.slice(0, Math.ceil(HEAD_SHARE * nItems)).map((r) => r.i));
  const tail = new Set<number>();
  const tests = db.prepare("SELECT user_idx AS u, item_idx AS i FROM interaction_split WHERE dataset_id = ? AND split = 'test'").all(datasetId) as {
    u: number;
    i: number;
  }[];
  for (const t of tests) if (!head.has(t.i)) tail.add(t.u);
  return [
    { name: `cold users (3 to ${COLD_MAX_INTERACTIONS} interactions)`, users: cold },
    { name: `long-tail test items (outside the top ${HEAD_SHARE * 100}% by training interactions)`, users: tail },
  ];
}

/**
 * Users whose test item the two runs rank most differently (from the ranks stored with each run's test result,
 * over every evaluated user): the starting points of the per-user view.
 */
export function rankDifferences(db: Db, a: number, b: number, o: { protocol?: string; limit?: number } = {}): RankDifference[] {
  const protocol = o.protocol ?? 'full';
  const [ra, rb] = [getRun(db, a), getRun(db, b)];
  if (ra.datasetHash !== rb.datasetHash) throw new UserError(`Runs ${a} and ${b} were trained on different data.`, { code: 'not_comparable' });
  const ranks = (r: RunRecord) => {
    const res = testResult(db, r, protocol);
    return new Map(res.users.map((u, i) => [u, res.ranks[i]!]));
  };
  const [ma, mb] = [ranks(ra), ranks(rb)];
  const ids = db.prepare('SELECT idx, original_id FROM users WHERE dataset_id = ?').raw().all(ra.datasetId) as [number, string][];
  const original = new Map(ids);
  return [...ma.keys()]
    .filter((u) => mb.has(u))
    .map((u) => ({ idx: u, originalId: original.get(u) ?? String(u), rankA: ma.get(u)!, rankB: mb.get(u)! }))
    .sort((x, y) => Math.abs(y.rankA - y.rankB) - Math.abs(x.rankA - x.rankB) || x.idx - y.idx)
    .slice(0, o.limit ?? 20);
}

export interface RankDifference {
  idx: number;
  originalId: string;
  /** 0-based ranks of the test item in run A and run B. */
  rankA: number;
  rankB: number;
}

const gain = (a: number, b: number): number | null => (a > 0 ? (b - a) / a : null);

function safeTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTest | null {
  return a.length >= 2 ? pairedTTest(a, b) : null;
}

/** B against A; differences and gains are B - A. */
export function compareRunSets(db: Db, aIds: number[], bIds: number[], o: { metric?: string; protocol?: string } = {}): SetComparison {
  const metric = (o.metric ?? 'ndcg@10').toLowerCase();
  const protocol = o.protocol ?? 'full';
  parseMetric(metric);
  if (!aIds.length || !bIds.length) throw new UserError('Pick at least one run on each side.', { code: 'bad_request' });
  const A = aIds.map((id) => getRun(db, id));
  const B = bIds.map((id) => getRun(db, id));
  const all = [...A, ...B];
  const first = all[0]!;
  for (const r of all)
    if (r.datasetName !== first.datasetName || r.datasetHash !== first.datasetHash)
      throw new UserError(`Runs ${first.id} and ${r.id} were trained on different data; comparing them needs the same users.`, { code: 'not_comparable' });
  const perA = A.map((r) => perUserValues(db, r, metric, protocol));
  const perB = B.map((r) => perUserValues(db, r, metric, protocol));
  const users = [...perA[0]!.keys()].filter((u) => perA.every((m) => m.has(u)) && perB.every((m) => m.has(u)));
  const avg = (maps: Map<number, number>[], u: number) => maps.reduce((s, m) => s + m.get(u)!, 0) / maps.length;
  const runMean = (m: Map<number, number>) => mean(users.map((u) => m.get(u)!));
  const valuesA = perA.map(runMean);
  const valuesB = perB.map(runMean);
  // Over seeds: pairs of runs with the same seed (or in the given order when seeds differ).
  const seedsA = A.map((r) => r.seed);
  const seedsB = B.map((r) => r.seed);
  const bySeed = seedsA.length === seedsB.length && new Set(seedsA).size === seedsA.length && seedsA.every((s) => seedsB.includes(s));
  const pairedB = bySeed ? seedsA.map((s) => valuesB[seedsB.indexOf(s)]!) : valuesB;
  const overSeeds = valuesA.length === valuesB.length ? safeTest(pairedB, valuesA) : null;
  const side = (runs: RunRecord[], values: number[]) => ({
    runs: runs.map((r) => r.id),
    seeds: runs.map((r) => r.seed),
    values,
    mean: mean(values),
    std: std(values),
  });
  const userTest = (us: number[]) => {
    const xa = Float64Array.from(us, (u) => avg(perA, u));
    const xb = Float64Array.from(us, (u) => avg(perB, u));
    return { users: us.length, a: mean(xa), b: mean(xb), gain: gain(mean(xa), mean(xb)), test: safeTest(xb, xa) };
  };
  const datasetId = first.datasetId;
  return {
    metric,
    protocol,
    dataset: first.datasetName,
    a: side(A, valuesA),
    b: side(B, valuesB),
    gain: gain(mean(valuesA), mean(valuesB)),
    pairedBySeed: bySeed,
    overSeeds,
    perUser: userTest(users),
    segments: datasetId === null ? [] : segments(db, datasetId).map((s) => ({ name: s.name, ...userTest(users.filter((u) => s.users.has(u))) })),
  };
}
