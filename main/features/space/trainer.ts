// Trains the two towers with InfoNCE over in-batch negatives (Adam, seeded). One checkpoint per epoch holds
// the weights, Adam's moments and step, and the history; the shuffle and the negatives of an epoch come from
// a generator seeded by (seed, epoch), so a resumed run continues exactly as the uninterrupted one would.
import fs from 'node:fs';
import { Adam } from '../../base/engine/adam.js';
import { readCheckpointFile, writeCheckpointFile } from '../../base/engine/checkpoint-file.js';
import { loadKernels, jsKernels, type Vec } from '../../base/engine/kernels.js';
import { deriveSeed, Rng } from '../../base/rng.js';
import { zeroGrads, type Ctx, type Param } from '../../base/engine/tensor.js';
import { infoNce } from './infonce.js';
import { retrievalMetrics, type RetrievalMetrics } from './retrieval.js';
import { embedRows, gatherNormalized, Tower, type TowerConfig, type TowerKind } from './towers.js';

export interface SpaceTrainConfig {
  tower: TowerKind;
  /** Hidden width of the mlp tower (0: same as the input). */
  hidden: number;
  epochs: number;
  batchSize: number;
  /** In-batch negatives per row (capped by batchSize - 1). */
  negatives: number;
  temperature: number;
  lr: number;
  weightDecay: number;
  seed: number;
  /** Share of users held out for retrieval evaluation (never trained on). */
  holdoutFraction: number;
}

/**
 * Defaults for small towers on frozen embeddings. The paper fine-tunes whole DistilBERT encoders with t = 1,
 * batch 16, lr 2e-5; here only a small residual MLP learns, so a larger lr (1e-3) is needed to move it in a
 * few epochs, and t = 0.1 because with t = 1 cosines in [-1, 1] give logits too flat for the softmax to
 * separate 11 candidates (the loss barely moves). Batch 16 and 10 negatives follow the paper.
 */
export const SPACE_DEFAULTS: SpaceTrainConfig = {
  tower: 'mlp',
  hidden: 0,
  epochs: 20,
  batchSize: 16,
  negatives: 10,
  temperature: 0.1,
  lr: 1e-3,
  weightDecay: 0,
  seed: 1,
  holdoutFraction: 0.2,
};

export function spaceCtx(dtype: 'f32' | 'f64' = 'f32'): Ctx {
  return dtype === 'f64' ? { kernels: jsKernels, dtype } : { kernels: loadKernels(), dtype };
}

/** The two towers of a space. */
export class SpaceTowers {
  readonly behaviour: Tower;
  readonly rationale: Tower;
  constructor(
    readonly ctx: Ctx,
    readonly cfg: TowerConfig,
    seed: number,
  ) {
    this.behaviour = new Tower(ctx, 'behaviour', cfg, deriveSeed(seed, 101));
    this.rationale = new Tower(ctx, 'rationale', cfg, deriveSeed(seed, 202));
  }

  static configFor(inDim: number, c: Pick<SpaceTrainConfig, 'tower' | 'hidden'>): TowerConfig {
    return { kind: c.tower, inDim, outDim: inDim, hidden: c.hidden > 0 ? c.hidden : inDim };
  }

  get params(): Param[] {
    return [...this.behaviour.params, ...this.rationale.params];
  }

  tower(which: 'behaviour' | 'rationale'): Tower {
    return which === 'behaviour' ? this.behaviour : this.rationale;
  }

  save(file: string, header: Record<string, unknown> = {}): void {
    writeCheckpointFile(
      file,
      { format: 'pulse-space-towers-1', towers: this.cfg, ...header },
      this.params.map((p) => ({ name: p.name, data: p.value })),
    );
  }

  static load(file: string, ctx: Ctx = spaceCtx()): { towers: SpaceTowers; header: Record<string, unknown> } {
    const { header, arrays } = readCheckpointFile(file);
    if (header.format !== 'pulse-space-towers-1') throw new Error(`${file} is not a Thought Space towers file`);
    const towers = new SpaceTowers(ctx, header.towers as TowerConfig, 0);
    for (const p of towers.params) p.value.set(arrays.get(p.name)!);
    return { towers, header };
  }
}

export interface EpochStats {
  epoch: number;
  loss: number;
  /** In-batch accuracy: the positive outscored every negative. */
  batchAccuracy: number;
  holdout: RetrievalMetrics | null;
  seconds: number;
}

export interface TrainData {
  behaviour: readonly Float32Array[];
  rationale: readonly Float32Array[];
  trainIdx: readonly number[];
  holdoutIdx: readonly number[];
}

export interface TrainHooks {
  /** Written at the end of every epoch; read at the start to resume. */
  checkpointFile?: string;
  onEpoch?(s: EpochStats): void;
  onStep?(step: number, stepsPerEpoch: number, epoch: number): void;
  /** Throw from here to stop (job cancel). Called between batches. */
  checkCancel?(): void;
  /** Users scored by the per-epoch holdout check (the final evaluation uses all). Default 1000. */
  liveHoldoutLimit?: number;
}

const CKPT_FORMAT = 'pulse-space-train-1';

function toCtx(ctx: Ctx, a: Float64Array): Vec {
  return ctx.dtype === 'f64' ? a : Float32Array.from(a);
}

/** Picks up to k distinct indices from 0..n-1 other than `self`. */
function sampleNegatives(rng: Rng, n: number, self: number, k: number): number[] {
  const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== self);
  if (others.length <= k) return others;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(others.length - i);
    [others[i], others[j]] = [others[j]!, others[i]!];
  }
  return others.slice(0, k);
}

export function evaluateHoldout(towers: SpaceTowers, data: Pick<TrainData, 'behaviour' | 'rationale'>, idx: readonly number[]): RetrievalMetrics {
  const b = embedRows(
    towers.behaviour,
    idx.map((i) => data.behaviour[i]!),
  );
  const r = embedRows(
    towers.rationale,
    idx.map((i) => data.rationale[i]!),
  );
  return retrievalMetrics(b, r);
}

/** One optimisation step on a batch of pair indices; returns loss and in-batch hits. */
export function trainStep(
  towers: SpaceTowers,
  adam: Adam,
  data: TrainData,
  batch: number[],
  cfg: SpaceTrainConfig,
  rng: Rng,
): { loss: number; correct: number } {
  const { ctx } = towers;
  const d = towers.cfg.inDim;
  const n = batch.length;
  zeroGrads(towers.params);
  const xb = gatherNormalized(ctx, data.behaviour, batch, d);
  const xr = gatherNormalized(ctx, data.rationale, batch, d);
  const fb = towers.behaviour.forward(xb, n);
  const fr = towers.rationale.forward(xr, n);
  const negatives = Array.from({ length: n }, (_, i) => sampleNegatives(rng, n, i, cfg.negatives));
  const res = infoNce(fb.y, fr.y, n, towers.cfg.outDim, cfg.temperature, negatives);
  towers.behaviour.backward(fb.cache, toCtx(ctx, res.db));
  towers.rationale.backward(fr.cache, toCtx(ctx, res.dr));
  adam.update();
  return { loss: res.loss, correct: res.correct };
}

/** Trains in place; resumes from hooks.checkpointFile when it holds a checkpoint of this run. */
export function trainTowers(towers: SpaceTowers, data: TrainData, cfg: SpaceTrainConfig, hooks: TrainHooks = {}): EpochStats[] {
  const adam = new Adam(towers.ctx, towers.params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  let history: EpochStats[] = [];
  let startEpoch = 0;
  if (hooks.checkpointFile && fs.existsSync(hooks.checkpointFile)) {
    const { header, arrays } = readCheckpointFile(hooks.checkpointFile);
    if (header.format === CKPT_FORMAT) {
      towers.params.forEach((p, k) => {
        p.value.set(arrays.get(p.name)!);
        adam.m[k]!.set(arrays.get(`adam.m.${p.name}`)!);
        adam.v[k]!.set(arrays.get(`adam.v.${p.name}`)!);
      });
      adam.step = header.adamStep as number;
      history = header.history as EpochStats[];
      startEpoch = header.epoch as number;
    }
  }
  const liveIdx = data.holdoutIdx.slice(0, hooks.liveHoldoutLimit ?? 1000);
  const bs = Math.max(2, cfg.batchSize);
  const steps = Math.ceil(data.trainIdx.length / bs);
  for (let epoch = startEpoch; epoch < cfg.epochs; epoch++) {
    const t0 = performance.now();
    const rng = new Rng(deriveSeed(cfg.seed, epoch));
    const order = rng.shuffle([...data.trainIdx]);
    let lossSum = 0;
    let rows = 0;
    let correct = 0;
    for (let s = 0; s < steps; s++) {
      hooks.checkCancel?.();
      const batch = order.slice(s * bs, (s + 1) * bs);
      if (batch.length < 2) continue; // a lone pair has no negative
      const r = trainStep(towers, adam, data, batch, cfg, rng);
      lossSum += r.loss * batch.length;
      rows += batch.length;
      correct += r.correct;
      hooks.onStep?.(s + 1, steps, epoch);
    }
    const stats: EpochStats = {
      epoch: epoch + 1,
      loss: rows ? lossSum / rows : 0,
      batchAccuracy: rows ? correct / rows : 0,
      holdout: liveIdx.length >= 2 ? evaluateHoldout(towers, data, liveIdx) : null,
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(stats);
    if (hooks.checkpointFile) {
      const arrays: { name: string; data: Vec }[] = [];
      towers.params.forEach((p, k) => {
        arrays.push({ name: p.name, data: p.value }, { name: `adam.m.${p.name}`, data: adam.m[k]! }, { name: `adam.v.${p.name}`, data: adam.v[k]! });
      });
      writeCheckpointFile(hooks.checkpointFile, { format: CKPT_FORMAT, epoch: epoch + 1, adamStep: adam.step, history, config: cfg }, arrays);
    }
    hooks.onEpoch?.(stats);
  }
  return history;
}
