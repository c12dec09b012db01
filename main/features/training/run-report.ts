// Runs as the workbench shows them: summaries with best and last values, the paired comparison of two runs on
// per-user test metrics, the results table as CSV or Markdown, and a run's item embeddings as TSV.
import fs from 'node:fs';
import path from 'node:path';
import type { CompareResult, RunDetail, RunSummary } from '../../../common/contract/training.js';
import { UserError } from '../../base/errors.js';
import { perUserMetric } from '../../base/ranking.js';
import { pairedTTest } from '../../base/stats.js';
import type { Db } from '../../platform/storage/database.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { readCheckpointFile } from '../../base/engine/checkpoint-file.js';
import { configOverrides, configToSettings } from './run-config.js';
import { readPulseInputsSummary } from './pulse-inputs.js';
import { effectiveState, getRun, lastMetrics, runDir, runResults, type RunRecord } from './run-store.js';
import { FILES } from './train-job.js';

export function runSummary(db: Db, r: RunRecord): RunSummary {
  const test: Record<string, Record<string, number>> = {};
  for (const x of runResults(db, r.id)) if (x.split === 'test') test[x.protocol] = x.metrics;
  const best = Object.fromEntries(Object.entries(r.summary.best ?? {}).map(([k, v]) => [`valid.${k}`, v]));
  return {
    id: r.id,
    name: r.name,
    dataset: r.datasetName,
    datasetHash: r.datasetHash,
    arch: r.arch,
    preset: r.preset,
    seed: r.seed,
    group: r.group,
    state: effectiveState(db, r),
    archived: r.archived,
    jobId: r.jobId,
    epochs: r.summary.epochs ?? 0,
    bestEpoch: r.summary.bestEpoch ?? null,
    seconds: r.summary.seconds ?? 0,
    sequencesPerSecond: r.summary.sequencesPerSecond ?? null,
    best,
    last: lastMetrics(db, r.id),
    test,
    overrides: configOverrides(r.config),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function runDetail(ws: Workspace, id: number): RunDetail {
  const r = getRun(ws.db, id);
  const n = ws.db.prepare('SELECT COUNT(*) FROM run_rationales WHERE run_id = ?').pluck().get(id) as number;
  return {
    ...runSummary(ws.db, r),
    config: r.config as unknown as Record<string, unknown>,
    settings: configToSettings(r.config),
    appVersion: r.appVersion,
    rationaleVersions: n,
    results: runResults(ws.db, id).map(({ protocol, negSeed, split, epoch, metrics, createdAt }) => ({ protocol, negSeed, split, epoch, metrics, createdAt })),
    artifactDir: path.join('artifacts', 'runs', String(id)),
    pulse: readPulseInputsSummary(runDir(ws, id)),
  };
}

export function compareRuns(db: Db, a: number, b: number, metric = 'ndcg@10', protocol = 'full'): CompareResult {
  const m = /^(hr|ndcg|mrr)@(\d+)$/i.exec(metric);
  if (!m) throw new UserError(`Unknown metric "${metric}".`, { hint: 'Use hr@K, ndcg@K or mrr@K.', code: 'bad_metric' });
  const name = m[1]!.toUpperCase() as 'HR' | 'NDCG' | 'MRR';
  const k = Number(m[2]);
  const ra = getRun(db, a);
  const rb = getRun(db, b);
  if (ra.datasetName !== rb.datasetName || ra.datasetHash !== rb.datasetHash)
    throw new UserError(`Runs ${a} and ${b} were trained on different data; a paired test needs the same users.`, { code: 'not_comparable' });
  const pick = (r: RunRecord) => {
    const res = runResults(db, r.id, true).find((x) => x.split === 'test' && x.protocol === protocol);
    if (!res)
      throw new UserError(`Run ${r.id} has no ${protocol} test result.`, {
        hint: `Evaluate it: \`pulse eval --run ${r.id} --protocol ${protocol}\`.`,
        code: 'no_result',
      });
    const per = perUserMetric(res.ranks, name, k);
    return new Map(res.users.map((u, i) => [u, per[i]!]));
  };
  const ma = pick(ra);
  const mb = pick(rb);
  const users = [...ma.keys()].filter((u) => mb.has(u));
  const xa = Float64Array.from(users, (u) => ma.get(u)!);
  const xb = Float64Array.from(users, (u) => mb.get(u)!);
  const t = pairedTTest(xa, xb);
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
  return { metric: metric.toLowerCase(), protocol, a: { run: a, value: mean(xa) }, b: { run: b, value: mean(xb) }, ...t };
}

const TABLE_METRICS = ['hr@10', 'ndcg@10', 'mrr@10', 'hr@20', 'ndcg@20'];

export function resultsTable(db: Db, runs: RunRecord[], format: 'csv' | 'md'): string {
  const sampled = [
    ...new Set(
      runs.flatMap((r) =>
        runResults(db, r.id)
          .filter((x) => x.split === 'test' && x.protocol !== 'full')
          .map((x) => x.protocol),
      ),
    ),
  ].sort();
  const head = ['id', 'name', 'dataset', 'arch', 'preset', 'seed', 'state', 'epochs', 'best_epoch', 'seconds', 'sequences_per_second', 'valid ndcg@10'];
  head.push(...TABLE_METRICS.map((m) => `test full ${m}`));
  for (const p of sampled) head.push(`test ${p} hr@10`, `test ${p} ndcg@10`);
  head.push('settings');
  const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(d));
  const rows = runs.map((r) => {
    const s = runSummary(db, r);
    const row = [
      String(s.id),
      s.name,
      s.dataset,
      s.arch,
      s.preset,
      String(s.seed),
      s.state,
      String(s.epochs),
      s.bestEpoch === null ? '' : String(s.bestEpoch),
      num(s.seconds, 1),
      num(s.sequencesPerSecond, 1),
      num(s.best['valid.ndcg@10']),
    ];
    row.push(...TABLE_METRICS.map((m) => num(s.test.full?.[m])));
    for (const p of sampled) row.push(num(s.test[p]?.['hr@10']), num(s.test[p]?.['ndcg@10']));
    row.push(
      Object.entries(s.overrides)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
    );
    return row;
  });
  if (format === 'csv') {
    const q = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    return [head, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
  }
  const e = (c: string) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [`| ${head.map(e).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(e).join(' | ')} |`)].join('\n') + '\n';
}

/** Item embeddings of the best checkpoint as TSV: original item id, then `hidden` floats. */
export function writeItemEmbeddings(ws: Workspace, id: number, out: string): { file: string; items: number; dim: number } {
  const r = getRun(ws.db, id);
  const ckpt = path.join(ws.artifactsDir, 'runs', String(id), FILES.best);
  if (!fs.existsSync(ckpt)) throw new UserError(`Run ${id} has no best checkpoint yet.`, { code: 'bad_state' });
  const { arrays } = readCheckpointFile(ckpt);
  const emb = arrays.get('itemEmb');
  if (!emb || r.datasetId === null) throw new UserError(`Run ${id}'s checkpoint or dataset is missing.`, { code: 'bad_state' });
  const d = r.config.sasrec.hidden;
  const ids = ws.db.prepare('SELECT idx, original_id FROM items WHERE dataset_id = ? ORDER BY idx').raw().all(r.datasetId) as [number, string][];
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const [idx, orig] of ids) {
      const row = emb.subarray((idx + 1) * d, (idx + 2) * d);
      fs.writeSync(fd, `${orig.replace(/[\t\n\r]/g, ' ')}\t${Array.from(row, (v) => String(v)).join('\t')}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return { file, items: ids.length, dim: d };
}
