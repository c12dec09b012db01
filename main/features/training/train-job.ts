/**
 * The 'train.run' job: trains one run (its row holds the full config) on the dataset's training split, with
 * early stopping on validation full-ranking NDCG@10, a checkpoint after every epoch (and mid-epoch at most every
 * checkpointSeconds, and on cancel) under artifacts/runs/<id>/, the best-validation checkpoint kept, and the test
 * split evaluated once, on the best checkpoint. Metrics stream as job events ('metrics') and land in run_metrics.
 * A resumed job (after a kill, a cancel or a failure) continues the same run from its last checkpoint; the
 * engine restores weights, Adam moments, epoch, batch position and RNG, so the result equals an uninterrupted run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import { JobCancelled, type JobContext, type JobHandler } from '../../platform/jobs/job-context.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { deriveSeed, Rng } from '../../base/rng.js';
import type { SequenceSource } from '../../base/sequence-source.js';
import { buildPulseInputs, loadPulseInputs, savePulseInputs } from './pulse-inputs.js';
import type { RunConfig } from './run-config.js';
import { loadRunData, type RunData } from './run-data.js';
import { evaluate, parseProtocol } from './run-eval.js';
import { RUN_DEFAULTS } from './run-config.js';
import {
  addMetrics,
  getRun,
  recordRunRationales,
  runDir,
  saveResult,
  setRunState,
  setRunSummary,
  truncateMetrics,
  type MetricRow,
  type RunRecord,
} from './run-store.js';
import { createTrainer, type Trainer } from './sasrec/index.js';

export interface TrainJobParams {
  runId: number;
}

export interface TrainJobResult {
  run: number;
  name: string;
  arch: string;
  dataset: string;
  seed: number;
  epochs: number;
  best_epoch: number | null;
  stopped_early: boolean;
  seconds: number;
  train_seconds: number;
  sequences_per_second: number | null;
  valid: Record<string, number>;
  test: Record<string, Record<string, number>>;
  rationale_versions: number;
}

export const FILES = { last: 'last.ckpt', best: 'best.ckpt', state: 'state.json' } as const;

/** Progress of the loop that the checkpoint alone does not hold (written after each checkpoint). */
interface LoopState {
  /** Epochs whose validation has been done. */
  epochsDone: number;
  best: number;
  bestEpoch: number | null;
  bestValid: Record<string, number>;
  sinceBest: number;
  stopped: boolean;
  trainSeconds: number;
  sequences: number;
  wall: number;
}

const freshState = (): LoopState => ({
  epochsDone: 0,
  best: -Infinity,
  bestEpoch: null,
  bestValid: {},
  sinceBest: 0,
  stopped: false,
  trainSeconds: 0,
  sequences: 0,
  wall: 0,
});

function writeJsonAtomic(file: string, v: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(v));
  fs.renameSync(tmp, file);
}

function copyAtomic(from: string, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
}

export interface RunTrainer {
  trainer: Trainer;
  data: RunData;
  dir: string;
  rationaleVersions: number;
}

/**
 * The training sequences a run learns from: every user's, or with trainFraction < 1 a seeded subset of users
 * (the others' sequences are empty for training; their histories are still inputs at evaluation). The subset
 * depends on the seed only, so two runs with the same seed and fraction train on the same users.
 */
export function trainingSequences(data: RunData, cfg: RunConfig): SequenceSource {
  if (cfg.trainFraction >= 1) return data.train;
  const n = data.train.length;
  const order = new Rng(deriveSeed(cfg.sasrec.seed, 0x5eed)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const keep = new Uint8Array(n);
  for (const i of order.subarray(0, Math.max(1, Math.round(cfg.trainFraction * n)))) keep[i] = 1;
  const none = new Int32Array(0);
  return { length: n, get: (i) => (keep[i] ? data.train.get(i) : none) };
}

/**
 * The trainer of a run on its data (PULSE inputs built and recorded on first use, then read from the run's
 * folder). Also what re-evaluation and embedding export use to open a checkpoint.
 */
export async function openRunTrainer(ws: Workspace, rec: RunRecord, o: { build: boolean; log?: (m: string) => void } = { build: false }): Promise<RunTrainer> {
  const cfg = rec.config;
  const data = loadRunData(ws.db, cfg.dataset);
  if (data.contentHash !== rec.datasetHash)
    throw new UserError(`Dataset "${cfg.dataset}" changed since run ${rec.id} was created (content hash ${data.contentHash}, run ${rec.datasetHash}).`, {
      hint: 'Start a new run on the current data.',
      code: 'data_changed',
    });
  const dir = runDir(ws, rec.id);
  const sequences = trainingSequences(data, cfg);
  let aux = undefined;
  let itemVectors = undefined;
  let rationaleVersions = 0;
  if (cfg.arch === 'pulse' && cfg.aux) {
    const view = { ...data, train: sequences };
    let t = loadPulseInputs(dir, view);
    if (!t) {
      if (!o.build) throw new UserError(`Run ${rec.id} has no PULSE inputs saved; it never started training.`, { code: 'bad_state' });
      const from = cfg.initFrom !== null ? runDir(ws, cfg.initFrom) : null;
      t = await buildPulseInputs(ws, view, cfg.aux, { seed: cfg.sasrec.seed, dir, from, log: o.log });
      recordRunRationales(ws.db, rec.id, t.used);
      savePulseInputs(dir, t);
      o.log?.(
        `PULSE inputs: ${t.used.length} aligned rationales (${t.rationaleEncoder ?? 'none'}), item side ${cfg.aux.itemSide}` +
          (t.itemVectors ? ` (${t.itemVectors.dim} dims, ${t.itemEncoder ?? 'rationales'})` : '') +
          '.',
      );
    }
    rationaleVersions = t.used.length;
    if (t.alignment && cfg.aux.weight > 0)
      aux = { targets: t.alignment, weight: cfg.aux.weight, kind: cfg.aux.kind, temperature: cfg.aux.temperature, halfLife: cfg.aux.halfLife };
    itemVectors = t.itemVectors ?? undefined;
  }
  const trainer = createTrainer({ sequences, nItems: data.nItems, config: cfg.sasrec, aux, itemVectors });
  return { trainer, data, dir, rationaleVersions };
}

export const run: JobHandler<TrainJobParams, TrainJobResult> = async (ctx) => {
  const db = ctx.workspace.db;
  const id = ctx.params.runId;
  setRunState(db, id, 'running', ctx.jobId);
  try {
    const result = await train(ctx);
    setRunState(db, id, 'succeeded');
    return result;
  } catch (e) {
    setRunState(db, id, e instanceof JobCancelled ? 'cancelled' : 'failed');
    throw e;
  }
};

async function train(ctx: JobContext<TrainJobParams>): Promise<TrainJobResult> {
  const ws = ctx.workspace;
  const db = ws.db;
  const rec = getRun(db, ctx.params.runId);
  const cfg: RunConfig = rec.config;
  const t0 = performance.now();
  ctx.progress({ message: 'Loading data', done: 0, total: cfg.epochs, unit: 'epochs' });
  const { trainer, data, dir, rationaleVersions } = await openRunTrainer(ws, rec, { build: true, log: (m) => ctx.log(m) });
  const testProtocols = feasibleProtocols(cfg.testProtocols, data, (m) => ctx.log(m, 'warn'));
  const last = path.join(dir, FILES.last);
  const best = path.join(dir, FILES.best);
  const stateFile = path.join(dir, FILES.state);
  let st = freshState();
  if (fs.existsSync(last)) {
    trainer.loadCheckpoint(last);
    if (fs.existsSync(stateFile)) st = { ...st, ...(JSON.parse(fs.readFileSync(stateFile, 'utf8')) as LoopState) };
    truncateMetrics(db, rec.id, trainer.step);
    ctx.log(`Resuming run ${rec.id} at epoch ${trainer.epoch + 1}, batch ${trainer.batchInEpoch} (step ${trainer.step}).`);
  } else {
    truncateMetrics(db, rec.id, -1);
    if (cfg.initFrom !== null) {
      const src = path.join(runDir(ws, cfg.initFrom), FILES.best);
      if (!fs.existsSync(src))
        throw new UserError(`Run ${cfg.initFrom} has no best checkpoint to start from.`, { hint: 'Let it finish first.', code: 'bad_state' });
      // Item ID embeddings carry over only within the same data (a fine-tune); across datasets items differ.
      const sameData = getRun(db, cfg.initFrom).datasetHash === rec.datasetHash;
      const copied = trainer.loadWeightsFrom(src, (name) => sameData || name !== 'itemEmb');
      ctx.log(`Started from run ${cfg.initFrom}: ${copied.join(', ')}.`);
    }
  }
  const wallBase = st.wall;
  const wall = () => wallBase + (performance.now() - t0) / 1000;
  const emit = (values: Record<string, number>) => {
    const step = trainer.step;
    const epoch = trainer.epoch + (trainer.batchInEpoch ? trainer.batchInEpoch / Math.max(1, batches) : 0);
    const w = wall();
    addMetrics(
      db,
      rec.id,
      Object.entries(values).map(([name, value]): MetricRow => ({ step, epoch, wall: w, name, value })),
    );
    ctx.event('metrics', { run: rec.id, step, epoch, wall: w, values });
  };
  const batches = trainer.batchesPerEpoch;

  const saveLast = () => {
    trainer.saveCheckpoint(last);
    st.wall = wall();
    writeJsonAtomic(stateFile, st);
  };

  const validate = () => {
    const v = evaluate(trainer, data, db, 'valid', 'full', cfg.negSeed).metrics;
    const e = trainer.epoch;
    const key = v['ndcg@10']!;
    if (key > st.best) {
      st.best = key;
      st.bestEpoch = e;
      st.bestValid = v;
      st.sinceBest = 0;
      copyAtomic(last, best);
    } else if (++st.sinceBest >= cfg.patience) st.stopped = true;
    st.epochsDone = e;
    writeJsonAtomic(stateFile, { ...st, wall: wall() });
    emit(Object.fromEntries(Object.entries(v).map(([k, x]) => [`valid.${k}`, x])));
    ctx.progress({
      done: e,
      total: cfg.epochs,
      unit: 'epochs',
      message: `valid NDCG@10 ${key.toFixed(4)} (best ${st.best.toFixed(4)} at epoch ${st.bestEpoch})`,
      metrics: { 'valid.ndcg@10': key, 'valid.hr@10': v['hr@10']!, 'best.ndcg@10': st.best },
    });
  };

  // Killed after an epoch's checkpoint but before its validation was recorded: validate it now (deterministic).
  if (trainer.batchInEpoch === 0 && trainer.epoch > st.epochsDone && (trainer.epoch % cfg.evalEvery === 0 || trainer.epoch >= cfg.epochs)) validate();
  else if (trainer.batchInEpoch === 0 && trainer.epoch > st.epochsDone) st.epochsDone = trainer.epoch;

  let lastCkpt = performance.now();
  let epochSeqs = 0;
  let epochSecs = 0;
  while (!st.stopped && trainer.epoch < cfg.epochs) {
    ctx.throwIfCancelled();
    let due = false;
    const r = trainer.trainEpoch({
      onBatch: (p) => {
        if (p.batch % cfg.metricEvery === 0 || p.batch === p.batches) {
          emit({ 'train.loss': p.loss });
          ctx.progress({
            done: p.epoch + p.batch / p.batches,
            total: cfg.epochs,
            unit: 'epochs',
            message: `epoch ${p.epoch + 1}, batch ${p.batch}/${p.batches}, loss ${p.loss.toFixed(4)}`,
          });
        }
        if (performance.now() - lastCkpt > cfg.checkpointSeconds * 1000) due = true;
      },
      shouldStop: () => ctx.cancelled || due,
    });
    st.trainSeconds += r.seconds;
    st.sequences += r.sequences;
    epochSeqs += r.sequences;
    epochSecs += r.seconds;
    if (!r.completed) {
      saveLast();
      lastCkpt = performance.now();
      ctx.throwIfCancelled();
      continue;
    }
    const sps = epochSecs > 0 ? epochSeqs / epochSecs : 0;
    epochSeqs = epochSecs = 0;
    saveLast();
    lastCkpt = performance.now();
    const values: Record<string, number> = { 'train.epoch_loss': r.loss, 'train.sequences_per_second': sps };
    if (cfg.arch === 'pulse') values['train.aux_loss'] = r.auxLoss;
    emit(values);
    if (trainer.epoch % cfg.evalEvery === 0 || trainer.epoch >= cfg.epochs) validate();
    else {
      st.epochsDone = trainer.epoch;
      writeJsonAtomic(stateFile, { ...st, wall: wall() });
    }
  }

  // The test split, once, on the best-validation checkpoint.
  ctx.progress({ message: `Evaluating the test split on the best checkpoint (epoch ${st.bestEpoch})`, done: trainer.epoch, total: cfg.epochs, unit: 'epochs' });
  if (fs.existsSync(best)) trainer.loadCheckpoint(best);
  const bestEpoch = st.bestEpoch ?? trainer.epoch;
  const users = Array.from(data.evalIdx, (k) => data.users[k]!);
  const validFull = evaluate(trainer, data, db, 'valid', 'full', cfg.negSeed);
  saveResult(db, rec.id, { protocol: 'full', negSeed: 0, split: 'valid', epoch: bestEpoch, metrics: validFull.metrics, users, ranks: validFull.ranks });
  const test: Record<string, Record<string, number>> = {};
  for (const p of testProtocols) {
    ctx.throwIfCancelled();
    const o = evaluate(trainer, data, db, 'test', p, cfg.negSeed);
    saveResult(db, rec.id, {
      protocol: p,
      negSeed: p === 'full' ? 0 : cfg.negSeed,
      split: 'test',
      epoch: bestEpoch,
      metrics: o.metrics,
      users,
      ranks: o.ranks,
    });
    test[p] = o.metrics;
  }
  const seconds = wall();
  const sps = st.trainSeconds > 0 ? st.sequences / st.trainSeconds : null;
  setRunSummary(db, rec.id, {
    epochs: st.epochsDone,
    bestEpoch,
    seconds,
    trainSeconds: st.trainSeconds,
    sequences: st.sequences,
    sequencesPerSecond: sps,
    best: st.bestValid,
    stoppedEarly: st.stopped,
  });
  const round = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, +v.toFixed(6)]));
  return {
    run: rec.id,
    name: rec.name,
    arch: cfg.arch,
    dataset: cfg.dataset,
    seed: cfg.sasrec.seed,
    epochs: st.epochsDone,
    best_epoch: bestEpoch,
    stopped_early: st.stopped,
    seconds: +seconds.toFixed(3),
    train_seconds: +st.trainSeconds.toFixed(3),
    sequences_per_second: sps === null ? null : +sps.toFixed(2),
    valid: round(validFull.metrics),
    test: Object.fromEntries(Object.entries(test).map(([k, v]) => [k, round(v)])),
    rationale_versions: rationaleVersions,
  };
}

/**
 * Checked before training, so a run never fails at its end: sampled:N needs N items outside every evaluated
 * user's sequence. A default protocol that a small dataset cannot meet is dropped with a warning; one the user
 * asked for is refused with what to do.
 */
export function feasibleProtocols(protocols: readonly string[], data: RunData, warn: (m: string) => void): string[] {
  if (protocols.every((p) => parseProtocol(p).kind === 'full')) return [...protocols];
  let fewest = Infinity;
  for (let k = 0; k < data.testHistory.length; k++) {
    const seen = new Set<number>(data.testHistory.get(k));
    seen.add(data.testTarget[k]!);
    fewest = Math.min(fewest, data.nItems - seen.size);
  }
  const isDefault = protocols.length === RUN_DEFAULTS.testProtocols.length && protocols.every((p, i) => p === RUN_DEFAULTS.testProtocols[i]);
  return protocols.filter((p) => {
    const q = parseProtocol(p);
    if (q.kind === 'full' || q.n <= fewest) return true;
    const why = `${p} needs ${q.n} negatives outside each user's history, and some user has only ${fewest} items left in this dataset.`;
    if (isDefault) {
      warn(`${why} Testing with full ranking only.`);
      return false;
    }
    throw new UserError(why, { hint: `Use a smaller N (--test-protocols full,sampled:${Math.max(1, fewest)}) or full ranking only.`, code: 'bad_config' });
  });
}
