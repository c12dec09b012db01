/**
 * `pulse train` end to end on ml-100k through the real CLI (compiled host, jobs in worker threads): a run,
 * SIGKILL after its first checkpoint, `pulse jobs resume` giving the same result as the uninterrupted run,
 * re-evaluation, comparison, export, embeddings, run management, PULSE with drafted rationales, several seeds,
 * and the RecBole export.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULSE_BIN, pulse } from '../../support/cli.js';
import { dataSet, missingReason } from '../../support/data.js';
import { tempDir } from '../../support/temp.js';

const ML = dataSet('ml-100k');
const t = tempDir('pulse-train-cli-');
const W = ['--workspace', t.dir];
const TINY = ['--dataset', 'ml', '--epochs', '2', '--hidden', '16', '--inner', '32', '--blocks', '1', '--heads', '1', '--batch', '128', '--seed', '5'];

type TrainOut = {
  run: number;
  epochs: number;
  seconds: number;
  sequences_per_second: number;
  test: Record<string, Record<string, number>>;
  rationale_versions: number;
};

function ok(args: string[]): unknown {
  const r = pulse([...args, ...W, '--json']);
  if (r.code !== 0) throw new Error(`pulse ${args.join(' ')} failed (${r.code}): ${r.stdout}\n${r.stderr}`);
  return r.json;
}

describe.skipIf(!ML)(`pulse train on ml-100k${ML ? '' : ` (skipped: ${missingReason('ml-100k')})`}`, () => {
  let A: TrainOut;
  beforeAll(() => {
    ok(['import', ML!, '--name', 'ml']);
    A = ok(['train', ...TINY]) as TrainOut;
  });
  afterAll(() => t.cleanup());

  it('prints the run with epochs, seconds, sequences per second and full-ranking test metrics', () => {
    expect(A.run).toBe(1);
    expect(A.epochs).toBe(2);
    expect(A.seconds).toBeGreaterThan(0);
    expect(A.sequences_per_second).toBeGreaterThan(0);
    for (const k of ['hr@1', 'hr@5', 'hr@10', 'hr@20', 'ndcg@10', 'mrr@10']) expect(A.test.full![k]).toBeGreaterThanOrEqual(0);
    expect(A.test.full!['hr@10']).toBeGreaterThanOrEqual(A.test.full!['ndcg@10']!);
    expect(A.test['sampled:100']!['hr@10']).toBeGreaterThan(A.test.full!['hr@10']!);
  });

  it('SIGKILL after the first checkpoint, `pulse jobs resume`: the same run finishes with the uninterrupted result', async () => {
    const child = spawn(process.execPath, [PULSE_BIN, 'train', ...TINY, ...W, '--json'], { stdio: 'ignore' });
    const state = path.join(t.dir, 'artifacts', 'runs', '2', 'state.json');
    const t0 = Date.now();
    while (!fs.existsSync(state)) {
      if (Date.now() - t0 > 120_000) throw new Error('no checkpoint within 2 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Killed after the first epoch's checkpoint (its validation may or may not be recorded yet: resume redoes it).
    expect(fs.existsSync(path.join(t.dir, 'artifacts', 'runs', '2', 'last.ckpt'))).toBe(true);
    expect((JSON.parse(fs.readFileSync(state, 'utf8')) as { epochsDone: number }).epochsDone).toBeLessThan(2);
    const jobs = (ok(['jobs']) as { jobs: { id: number; state: string; kind: string }[] }).jobs;
    const lost = jobs.find((j) => j.kind === 'train.run' && j.state === 'interrupted');
    expect(lost).toBeDefined();
    const runs = (ok(['runs']) as { runs: { id: number; state: string }[] }).runs;
    expect(runs.find((r) => r.id === 2)?.state).toBe('interrupted');
    const C = ok(['jobs', 'resume', String(lost!.id)]) as TrainOut;
    expect(C.run).toBe(2);
    expect(C.epochs).toBe(2);
    expect(C.test).toEqual(A.test);
  });

  it('`pulse eval` re-evaluates the best checkpoint with the same numbers (full and stored sampled negatives)', () => {
    const full = ok(['eval', '--run', '1', '--protocol', 'full']) as { test: Record<string, Record<string, number>> };
    expect(full.test.full).toEqual(A.test.full);
    const sampled = ok(['eval', '--run', '1', '--protocol', 'sampled:100']) as { test: Record<string, Record<string, number>> };
    expect(sampled.test['sampled:100']).toEqual(A.test['sampled:100']);
    const other = ok(['eval', '--run', '1', '--protocol', 'sampled:50', '--seed', '9']) as { test: Record<string, Record<string, number>> };
    expect(other.test['sampled:50']!['hr@10']).toBeGreaterThan(0);
  });

  it('compares, exports, writes embeddings and manages runs', () => {
    const cmp = ok(['runs', 'compare', '1', '2', '--metric', 'ndcg@10']) as { n: number; meanDiff: number; p: number };
    expect(cmp.n).toBeGreaterThan(900);
    expect(cmp.meanDiff).toBe(0);
    expect(cmp.p).toBe(1);
    const csv = path.join(t.dir, 'out', 'runs.csv');
    ok(['runs', 'export', '--format', 'csv', '--out', csv]);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^id,name,dataset,arch/);
    expect(lines[0]).toContain('test full ndcg@10');
    const md = path.join(t.dir, 'out', 'runs.md');
    ok(['runs', 'export', '--format', 'md', '--out', md]);
    expect(fs.readFileSync(md, 'utf8').split('\n')[1]).toMatch(/^\|---/);
    const tsv = path.join(t.dir, 'out', 'items.tsv');
    const emb = ok(['runs', 'embeddings', '--run', '1', '--out', tsv]) as { items: number; dim: number };
    expect(emb).toMatchObject({ items: 1682, dim: 16 });
    const rows = fs.readFileSync(tsv, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1682);
    expect(rows[0]!.split('\t')).toHaveLength(17);
    ok(['runs', 'rename', '2', 'resumed', 'run']);
    ok(['runs', 'archive', '2']);
    let list = (ok(['runs']) as { runs: { id: number; name: string }[] }).runs;
    expect(list.map((r) => r.id)).toEqual([1]);
    list = (ok(['runs', '--all']) as { runs: { id: number; name: string }[] }).runs;
    expect(list.find((r) => r.id === 2)?.name).toBe('resumed run');
    const cfg = path.join(t.dir, 'out', 'run1.yaml');
    const shown = ok(['runs', 'show', '1', '--config-out', cfg]) as { config: { sasrec: { hidden: number } }; best: Record<string, number> };
    expect(shown.config.sasrec.hidden).toBe(16);
    expect(shown.best['valid.ndcg@10']).toBeGreaterThan(0);
    expect(fs.readFileSync(cfg, 'utf8')).toMatch(/hidden: 16/);
    ok(['runs', 'delete', '2']);
    expect(fs.existsSync(path.join(t.dir, 'artifacts', 'runs', '2'))).toBe(false);
  });

  it('pulse arch with drafted rationales records the versions used and the alignment loss', () => {
    ok(['rationales', 'draft', '--dataset', 'ml', '--users', '300']);
    const P = ok(['train', '--arch', 'pulse', '--aux-weight', '0.5', ...TINY, '--epochs', '1']) as TrainOut;
    expect(P.rationale_versions).toBe(300);
    const detail = ok(['runs', 'show', String(P.run)]) as { arch: string; rationaleVersions: number };
    expect(detail).toMatchObject({ arch: 'pulse', rationaleVersions: 300 });
    const m = ok(['runs', 'metrics', String(P.run)]) as { points: { name: string; value: number }[] };
    expect(m.points.some((p) => p.name === 'train.aux_loss' && p.value > 0)).toBe(true);
  });

  it('several seeds report mean and std', () => {
    const r = ok(['train', ...TINY, '--epochs', '1', '--seeds', '1,2']) as {
      runs: number[];
      test: Record<string, Record<string, { mean: number; std: number }>>;
    };
    expect(r.runs).toHaveLength(2);
    expect(r.test.full!['ndcg@10']!.mean).toBeGreaterThan(0);
    expect(r.test.full!['ndcg@10']!.std).toBeGreaterThanOrEqual(0);
  });

  it('exports RecBole atomic and benchmark files with typed headers and the right counts', () => {
    const out = path.join(t.dir, 'recbole');
    ok(['export', 'recbole', '--dataset', 'ml', '--out', out]);
    const read = (f: string) => fs.readFileSync(path.join(out, f), 'utf8').trim().split('\n');
    const inter = read('ml.inter');
    expect(inter[0]).toBe('user_id:token\titem_id:token\trating:float\ttimestamp:float');
    expect(inter).toHaveLength(100_001);
    const [tr, va, te] = ['ml.train.inter', 'ml.valid.inter', 'ml.test.inter'].map(read);
    for (const f of [tr!, va!, te!]) expect(f[0]).toBe(inter[0]);
    expect(va!.length - 1).toBe(943);
    expect(te!.length - 1).toBe(943);
    expect(tr!.length - 1 + va!.length - 1 + te!.length - 1).toBe(100_000);
    expect(read('ml.item')[0]).toBe('item_id:token\ttitle:token_seq\tbrand:token\tcategories:token_seq');
    expect(read('ml.item')).toHaveLength(1683);
    expect(read('ml.user')).toHaveLength(944);
    const rats = read('ml.rationales.jsonl').map((l) => JSON.parse(l) as { user_id: string; rationale: string; version_id: number });
    expect(rats).toHaveLength(300);
    expect(rats[0]!.rationale.length).toBeGreaterThan(10);
    // Each test line is its user's last interaction in the full file.
    const lastOf = new Map<string, string>();
    for (const l of inter.slice(1)) lastOf.set(l.split('\t')[0]!, l);
    for (const l of te!.slice(1)) expect(lastOf.get(l.split('\t')[0]!)).toBe(l);
  });
});
