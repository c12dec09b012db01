// Evaluation of a trainer on a run's split: full ranking or sampled (stored negatives), metric keys in lower
// case (hr@10, ndcg@10, mrr@10), per-user ranks kept for paired tests.
import { drawNegatives, fullRanking, sampledRanking } from '../../base/ranking.js';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import type { SequenceSource } from '../../base/sequence-source.js';
import type { RunData } from './run-data.js';
import { storedNegatives } from './run-store.js';
import type { Trainer } from './sasrec/index.js';

export interface EvalOutcome {
  metrics: Record<string, number>;
  ranks: Int32Array;
  users: number[];
}

export function parseProtocol(p: string): { kind: 'full' } | { kind: 'sampled'; n: number } {
  if (p === 'full') return { kind: 'full' };
  const m = /^sampled:(\d+)$/.exec(p);
  if (!m) throw new RangeError(`Unknown protocol "${p}" (use full or sampled:N)`);
  return { kind: 'sampled', n: Number(m[1]) };
}

export const lowerKeys = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));

/** The sampled negatives of the run's evaluated users (drawn outside each user's whole sequence, stored once). */
export function negativesFor(db: Db, data: RunData, n: number, seed: number): SequenceSource {
  return storedNegatives(
    db,
    { datasetId: data.datasetId, contentHash: data.contentHash, seed, n, users: Int32Array.from(data.evalIdx, (k) => data.users[k]!) },
    (emit) => {
      try {
        drawNegatives(data.testHistory, data.testTarget, data.nItems, n, seed, emit);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        throw new UserError(`sampled:${n} cannot be drawn on this dataset: ${e.message}.`, { hint: 'Use a smaller N, or full ranking.', code: 'bad_config' });
      }
    },
  );
}

export function evaluate(trainer: Trainer, data: RunData, db: Db, split: 'valid' | 'test', protocol: string, negSeed: number): EvalOutcome {
  const histories = split === 'valid' ? data.validHistory : data.testHistory;
  const targets = split === 'valid' ? data.validTarget : data.testTarget;
  const scorer = (h: readonly Int32Array[]) => trainer.scoreUsers(h);
  const p = parseProtocol(protocol);
  const r =
    p.kind === 'full'
      ? fullRanking({ scorer, histories, targets, nItems: data.nItems })
      : sampledRanking({ scorer, histories, targets, nItems: data.nItems, negatives: negativesFor(db, data, p.n, negSeed) });
  return { metrics: lowerKeys(r.metrics), ranks: r.ranks, users: Array.from(data.evalIdx, (k) => data.users[k]!) };
}
