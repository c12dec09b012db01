// The SASRec trainer: epochs over a seeded permutation of users, packed batches, CE over all
// items or BCE with sampled negatives, Adam, optional auxiliary alignment loss, and exact
// checkpoint/resume (weights, Adam moments, step, epoch, batch position, RNG state).
import { Adam } from '../../../base/engine/adam.js';
import { readCheckpointFile, writeCheckpointFile } from '../../../base/engine/checkpoint-file.js';
import { jsKernels, loadKernels, type Kernels, type Vec } from '../../../base/engine/kernels.js';
import { bceSampled, CeWorkspace, crossEntropyAllItems } from '../../../base/engine/losses.js';
import { deriveSeed, Rng, type RngState } from '../../../base/rng.js';
import { alloc, StepArena, type Ctx, type DType, zeroGrads } from '../../../base/engine/tensor.js';
import { AuxAlignment, type AuxOptions } from './aux.js';
import { resolveConfig, type SasrecConfig } from './config.js';
import type { ItemVectors } from './item-fusion.js';
import { packSequences, SasrecModel } from './model.js';
import { sequenceSource, type SequenceSource, type Sequences } from '../../../base/sequence-source.js';
import { scanSequences } from './sequences.js';

export interface TrainerOptions {
  /** Training part of each user's sequence (item ids 1..nItems): an array, or a source read per batch (base/sequence-source.ts). */
  sequences: Sequences;
  nItems: number;
  config?: Partial<SasrecConfig>;
  /** Float width; 'f64' (with the TypeScript kernels) is for gradient tests. */
  dtype?: DType;
  kernels?: Kernels;
  aux?: AuxOptions;
  /** PULSE's item side: a fixed semantic vector per item, fused with the ID embeddings (item-fusion.ts). */
  itemVectors?: ItemVectors;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  step: number;
  loss: number;
}

export interface EpochResult {
  epoch: number;
  /** Mean loss per target over the batches of this epoch run so far (including before a resume). */
  loss: number;
  auxLoss: number;
  completed: boolean;
  sequences: number;
  seconds: number;
}

export interface Trainer {
  readonly config: SasrecConfig;
  readonly model: SasrecModel;
  readonly epoch: number;
  readonly step: number;
  readonly batchInEpoch: number;
  /** Batches in one epoch (sequences with at least two items, in batches of config.batch). */
  readonly batchesPerEpoch: number;
  trainEpoch(opts?: { onBatch?: (p: BatchProgress) => void; shouldStop?: () => boolean }): EpochResult;
  /** One training step on the given users (indices into sequences); returns summed loss and target count. */
  trainBatch(users: readonly number[]): { loss: number; targets: number; auxLoss: number };
  /** Scores over all items (row u: nItems+1 floats, index 0 = -Infinity) after each history. */
  scoreUsers(histories: readonly Int32Array[]): Float32Array;
  /** Final hidden state [U, hidden] after each history (eval mode). */
  represent(histories: readonly Int32Array[]): Vec;
  saveCheckpoint(file: string): void;
  loadCheckpoint(file: string): void;
  /**
   * Copies the weights of another run's checkpoint (other data) for the parameters `take` accepts and whose
   * shapes match; optimizer state starts fresh. Returns the names copied.
   */
  loadWeightsFrom(file: string, take: (name: string) => boolean): string[];
}

export function createTrainer(opts: TrainerOptions): Trainer {
  return new SasrecTrainer(opts);
}

class SasrecTrainer implements Trainer {
  readonly config: SasrecConfig;
  readonly model: SasrecModel;
  readonly ctx: Ctx;
  private readonly sequences: SequenceSource;
  private readonly dataHash: string;
  private readonly eligible: Int32Array;
  private readonly adam: Adam;
  private readonly rng: Rng;
  private readonly ws = new CeWorkspace();
  private readonly aux: AuxAlignment | null;
  epoch = 0;
  step = 0;
  batchInEpoch = 0;
  private epochLoss = 0;
  private epochTargets = 0;
  private epochAux = 0;
  private epochAuxCount = 0;
  private perm: Int32Array | null = null;
  private permEpoch = -1;

  constructor(opts: TrainerOptions) {
    this.config = resolveConfig('default', opts.config);
    const dtype = opts.dtype ?? 'f32';
    this.ctx = { kernels: opts.kernels ?? (dtype === 'f64' ? loadKernelsFor64() : loadKernels()), dtype, arena: new StepArena(dtype) };
    this.sequences = sequenceSource(opts.sequences);
    ({ eligible: this.eligible, hash: this.dataHash } = scanSequences(this.sequences, opts.nItems));
    this.model = new SasrecModel(this.ctx, this.config, opts.nItems, opts.itemVectors);
    const initRng = new Rng(deriveSeed(this.config.seed, 0x1417));
    this.model.init(initRng);
    this.aux = opts.aux ? new AuxAlignment(this.ctx, opts.aux, this.config.hidden, opts.sequences.length, initRng) : null;
    const params = this.aux ? [...this.model.params, this.aux.proj] : this.model.params;
    this.adam = new Adam(this.ctx, params, { lr: this.config.lr, weightDecay: this.config.weightDecay });
    this.rng = new Rng(this.config.seed);
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.eligible.length / this.config.batch);
  }

  private permutation(): Int32Array {
    if (this.permEpoch !== this.epoch || !this.perm) {
      this.perm = new Rng(deriveSeed(this.config.seed, this.epoch + 1)).shuffle(this.eligible.slice());
      this.permEpoch = this.epoch;
    }
    return this.perm;
  }

  trainEpoch(opts: { onBatch?: (p: BatchProgress) => void; shouldStop?: () => boolean } = {}): EpochResult {
    const t0 = performance.now();
    const perm = this.permutation();
    const B = this.config.batch;
    const batches = Math.ceil(perm.length / B);
    let seen = 0;
    const epoch = this.epoch;
    while (this.batchInEpoch < batches) {
      if (opts.shouldStop?.()) return this.result(epoch, false, seen, t0);
      const users = Array.from(perm.subarray(this.batchInEpoch * B, Math.min(perm.length, (this.batchInEpoch + 1) * B)));
      const r = this.trainBatch(users);
      this.batchInEpoch++;
      this.epochLoss += r.loss;
      this.epochTargets += r.targets;
      if (this.aux) {
        this.epochAux += r.auxLoss * users.length;
        this.epochAuxCount += users.length;
      }
      seen += users.length;
      opts.onBatch?.({ epoch, batch: this.batchInEpoch, batches, step: this.step, loss: r.loss / Math.max(1, r.targets) });
    }
    const res = this.result(epoch, true, seen, t0);
    this.epoch++;
    this.batchInEpoch = 0;
    this.epochLoss = this.epochTargets = this.epochAux = this.epochAuxCount = 0;
    return res;
  }

  private result(epoch: number, completed: boolean, seen: number, t0: number): EpochResult {
    return {
      epoch,
      completed,
      sequences: seen,
      seconds: (performance.now() - t0) / 1000,
      loss: this.epochLoss / Math.max(1, this.epochTargets),
      auxLoss: this.epochAux / Math.max(1, this.epochAuxCount),
    };
  }

  trainBatch(users: readonly number[]): { loss: number; targets: number; auxLoss: number } {
    this.ctx.arena!.begin();
    try {
      return this.trainStep(users);
    } finally {
      this.ctx.arena!.end();
    }
  }

  private trainStep(users: readonly number[]): { loss: number; targets: number; auxLoss: number } {
    const { config: cfg, model, ctx } = this;
    const inputs: Int32Array[] = [];
    const outputs: Int32Array[] = [];
    const inputLengths: number[] = [];
    const seqs = users.map((u) => this.sequences.get(u));
    for (const s of seqs) {
      inputs.push(s.subarray(0, s.length - 1));
      outputs.push(s.subarray(1));
      inputLengths.push(s.length - 1);
    }
    const batch = packSequences(inputs, cfg.maxLen);
    const targets = packSequences(outputs, cfg.maxLen).items;
    const T = targets.length;
    zeroGrads(this.adam.params);
    const { h, cache } = model.forward(batch, this.rng);
    const scale = 1 / T;
    const table = model.outputTable(cache);
    let out: { loss: number; dh: Vec };
    if (cfg.loss === 'ce') {
      out = crossEntropyAllItems(ctx, h, T, table, targets, scale, this.ws);
    } else {
      const neg = new Int32Array(T);
      for (let b = 0; b < users.length; b++) {
        const s = seqs[b]!;
        for (let t = batch.offsets[b]!; t < batch.offsets[b + 1]!; t++) neg[t] = this.sampleNegative(s);
      }
      out = bceSampled(ctx, h, T, table, targets, neg, scale);
    }
    let auxLoss = 0;
    if (this.aux) auxLoss = this.aux.lossAndGrad(h, batch.offsets, users, inputLengths, out.dh, this.rng, this.epoch);
    model.backward(cache, out.dh);
    this.adam.update();
    this.step++;
    return { loss: out.loss, targets: T, auxLoss };
  }

  private sampleNegative(seq: Int32Array): number {
    const n = this.model.nItems;
    for (;;) {
      const c = 1 + this.rng.int(n);
      if (!seq.includes(c)) return c;
    }
  }

  represent(histories: readonly Int32Array[]): Vec {
    const d = this.config.hidden;
    const out = alloc(this.ctx, histories.length * d);
    const CH = 512;
    for (let u0 = 0; u0 < histories.length; u0 += CH) {
      const part = histories.slice(u0, u0 + CH);
      const n = this.model.nItems;
      for (const s of part) {
        if (s.length === 0) throw new RangeError('scoreUsers: empty history');
        for (const v of s) if (!(v >= 1 && v <= n)) throw new RangeError(`scoreUsers: item id ${v} outside 1..${n}`);
      }
      const batch = packSequences(part, this.config.maxLen);
      const { h } = this.model.forward(batch, null);
      for (let b = 0; b < part.length; b++) {
        const last = batch.offsets[b + 1]! - 1;
        out.set(h.subarray(last * d, (last + 1) * d), (u0 + b) * d);
      }
    }
    return out;
  }

  scoreUsers(histories: readonly Int32Array[]): Float32Array {
    const d = this.config.hidden;
    const n1 = this.model.nItems + 1;
    const H = this.represent(histories);
    const U = histories.length;
    const scores = this.ctx.dtype === 'f32' ? new Float32Array(U * n1) : new Float64Array(U * n1);
    if (U > 0) this.ctx.kernels.sgemm(false, true, U, n1, d, 1, H, d, this.model.itemTable(), d, 0, scores, n1);
    for (let u = 0; u < U; u++) scores[u * n1] = -Infinity;
    return scores instanceof Float32Array ? scores : Float32Array.from(scores);
  }

  saveCheckpoint(file: string): void {
    const arrays: { name: string; data: Vec }[] = [];
    this.adam.params.forEach((p, i) => {
      arrays.push({ name: `${p.name}`, data: p.value }, { name: `${p.name}#m`, data: this.adam.m[i]! }, { name: `${p.name}#v`, data: this.adam.v[i]! });
    });
    writeCheckpointFile(
      file,
      {
        kind: 'sasrec',
        config: this.config,
        nItems: this.model.nItems,
        nSequences: this.sequences.length,
        dataHash: this.dataHash,
        epoch: this.epoch,
        batchInEpoch: this.batchInEpoch,
        step: this.step,
        adamStep: this.adam.step,
        rng: this.rng.getState(),
        epochLoss: this.epochLoss,
        epochTargets: this.epochTargets,
        epochAux: this.epochAux,
        epochAuxCount: this.epochAuxCount,
      },
      arrays,
    );
  }

  loadWeightsFrom(file: string, take: (name: string) => boolean): string[] {
    return loadWeights(file, this.adam.params, take);
  }

  loadCheckpoint(file: string): void {
    const { header: h, arrays } = readCheckpointFile(file);
    if (h.kind !== 'sasrec') throw new Error(`${file} is not a SASRec checkpoint`);
    if (h.dtype !== this.ctx.dtype) throw new Error(`${file} holds ${h.dtype} weights; this trainer uses ${this.ctx.dtype}`);
    if (h.nItems !== this.model.nItems || h.nSequences !== this.sequences.length || h.dataHash !== this.dataHash)
      throw new Error(`${file} was trained on different data`);
    if (JSON.stringify(h.config) !== JSON.stringify(this.config)) throw new Error(`${file} has a different config`);
    this.adam.params.forEach((p, i) => {
      for (const [suffix, dst] of [
        ['', p.value],
        ['#m', this.adam.m[i]!],
        ['#v', this.adam.v[i]!],
      ] as const) {
        const src = arrays.get(p.name + suffix);
        if (!src || src.length !== dst.length) throw new Error(`${file}: missing or mis-sized ${p.name + suffix}`);
        dst.set(src);
      }
    });
    this.epoch = h.epoch as number;
    this.batchInEpoch = h.batchInEpoch as number;
    this.step = h.step as number;
    this.adam.step = h.adamStep as number;
    this.rng.setState(h.rng as RngState);
    this.epochLoss = h.epochLoss as number;
    this.epochTargets = h.epochTargets as number;
    this.epochAux = h.epochAux as number;
    this.epochAuxCount = h.epochAuxCount as number;
    this.perm = null;
  }
}

function loadWeights(file: string, params: readonly { name: string; value: Vec }[], take: (name: string) => boolean): string[] {
  const { header: h, arrays } = readCheckpointFile(file);
  if (h.kind !== 'sasrec') throw new Error(`${file} is not a SASRec checkpoint`);
  const copied: string[] = [];
  for (const p of params) {
    const src = arrays.get(p.name);
    if (!take(p.name) || !src || src.length !== p.value.length) continue;
    p.value.set(src);
    copied.push(p.name);
  }
  return copied;
}

/** The native kernels are float32 only; f64 runs use the TypeScript ones. */
function loadKernelsFor64(): Kernels {
  return jsKernels;
}
