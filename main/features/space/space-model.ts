// A Thought Space as one object: frozen encoder + two towers, trained from pairs, saved to a folder, opened
// again to embed text or to be applied to another dataset. The job, the handlers and the `space.embed` API
// all go through here, and tests call it directly (no worker needed).
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import { readCheckpointFile, writeCheckpointFile } from '../../base/engine/checkpoint-file.js';
import { deriveSeed, Rng } from '../../base/rng.js';
import { GgufEncoder } from './gguf-encoder.js';
import { OnnxEncoder } from './onnx-encoder.js';
import { retrievalMetrics, type RetrievalMetrics } from './retrieval.js';
import { buildSpaceMap, type MapUser, type SpaceMap } from './space-map.js';
import type { SpacePair } from './space-data.js';
import { readJson, writeJsonAtomic } from './space-store.js';
import { encodeInChunks, parseEncoderSpec, type TextEncoder } from './text-encoder.js';
import { TfidfEncoder, type TfidfOptions } from './tfidf-encoder.js';
import { embedRows, type TowerConfig } from './towers.js';
import { SPACE_DEFAULTS, SpaceTowers, spaceCtx, trainTowers, type EpochStats, type SpaceTrainConfig } from './trainer.js';

export type TowerName = 'behaviour' | 'rationale';

export interface SpaceMeta {
  format: 'pulse-space-1';
  encoder: { spec: string; id: string; dim: number };
  towers: TowerConfig;
  config: SpaceTrainConfig;
  dataset: { name: string; contentHash: string };
  rationaleVersions: number[];
  users: { train: number; holdout: number };
  metrics: SpaceMetrics;
}

export interface SpaceMetrics {
  /** Retrieval on held-out users with the frozen encoder alone (identity towers). */
  before: RetrievalMetrics;
  after: RetrievalMetrics;
  /** The same on the users trained on (how well it fits, for comparison). */
  trainAfter: RetrievalMetrics | null;
  history: EpochStats[];
  seconds: { encode: number; train: number };
}

export const FILES = {
  meta: 'space.json',
  towers: 'towers.bin',
  encoder: 'encoder.bin',
  map: 'map.json',
  checkpoint: 'train.ckpt',
  base: 'base.bin',
} as const;

export interface OpenEncoderOptions {
  threads?: number;
  /** tfidf: fit on this corpus (training) ... */
  corpus?: string[];
  tfidf?: Partial<TfidfOptions>;
  /** ... or load the fitted encoder from this file (an existing space). */
  tfidfFile?: string;
  /** Called during a TF-IDF fit (cancel checks). */
  tick?: () => void;
}

export async function openEncoder(spec: string, o: OpenEncoderOptions = {}): Promise<TextEncoder> {
  const s = parseEncoderSpec(spec);
  if (s.kind === 'gguf') return GgufEncoder.load(s.path, { threads: o.threads });
  if (s.kind === 'onnx') return OnnxEncoder.load(s.dir, { threads: o.threads });
  if (o.tfidfFile && fs.existsSync(o.tfidfFile)) return TfidfEncoder.load(o.tfidfFile);
  if (!o.corpus) throw new Error('A tfidf encoder needs a corpus to fit or a file to load');
  return TfidfEncoder.fit(o.corpus, o.tfidf, o.tick);
}

/** Deterministic held-out users: a seeded permutation, the first share held out (at least 2 each side). */
export function holdoutSplit(n: number, fraction: number, seed: number): { trainIdx: number[]; holdoutIdx: number[] } {
  if (n < 4) {
    throw new UserError(`A Thought Space needs at least 4 users with a rationale; this dataset has ${n}.`, {
      hint: 'Generate or import rationales for more users first (`pulse rationales generate`).',
      code: 'too_few_rationales',
    });
  }
  const order = new Rng(deriveSeed(seed, 7)).shuffle(Array.from({ length: n }, (_, i) => i));
  const h = Math.min(n - 2, Math.max(2, Math.round(n * fraction)));
  return { holdoutIdx: order.slice(0, h).sort((a, b) => a - b), trainIdx: order.slice(h).sort((a, b) => a - b) };
}

export interface TrainProgress {
  phase: 'encode' | 'train' | 'evaluate';
  done: number;
  total: number;
  message?: string;
  metrics?: Record<string, number>;
}

export interface TrainSpaceOptions {
  dir: string;
  encoder: string;
  pairs: SpacePair[];
  dataset: { name: string; contentHash: string };
  config?: Partial<SpaceTrainConfig>;
  tfidf?: Partial<TfidfOptions>;
  threads?: number;
  onProgress?(p: TrainProgress): void;
  onEpoch?(s: EpochStats): void;
  checkCancel?(): void;
  /** Users on the map (holdout first, then train). Default 2000. */
  mapLimit?: number;
}

export interface TrainSpaceResult {
  meta: SpaceMeta;
  map: SpaceMap;
}

/** Encodes with a cache file so a resumed job does not embed everything again (GGUF is slow). */
async function baseEmbeddings(
  enc: TextEncoder,
  texts: { behaviour: string[]; rationale: string[] },
  cacheFile: string,
  o: Pick<TrainSpaceOptions, 'onProgress' | 'checkCancel'>,
): Promise<{ behaviour: Float32Array[]; rationale: Float32Array[] }> {
  const n = texts.behaviour.length;
  if (fs.existsSync(cacheFile)) {
    const { header, arrays } = readCheckpointFile(cacheFile);
    if (header.encoderId === enc.id && header.n === n && header.dim === enc.dim) {
      const split = (a: Float32Array) => Array.from({ length: n }, (_, i) => a.slice(i * enc.dim, (i + 1) * enc.dim));
      return { behaviour: split(arrays.get('behaviour') as Float32Array), rationale: split(arrays.get('rationale') as Float32Array) };
    }
  }
  const all = [...texts.behaviour, ...texts.rationale];
  const vecs = await encodeInChunks(enc, all, {
    chunk: 64,
    onChunk: (done, total) => {
      o.checkCancel?.();
      o.onProgress?.({ phase: 'encode', done, total, message: `encoding texts with ${enc.id}` });
    },
  });
  const flat = (vs: Float32Array[]) => {
    const out = new Float32Array(vs.length * enc.dim);
    vs.forEach((v, i) => out.set(v, i * enc.dim));
    return out;
  };
  const behaviour = vecs.slice(0, n);
  const rationale = vecs.slice(n);
  writeCheckpointFile(cacheFile, { encoderId: enc.id, n, dim: enc.dim }, [
    { name: 'behaviour', data: flat(behaviour) },
    { name: 'rationale', data: flat(rationale) },
  ]);
  return { behaviour, rationale };
}

/** Trains a space into `dir` (resuming from its checkpoint if one is there) and writes all its files. */
export async function trainSpace(o: TrainSpaceOptions): Promise<TrainSpaceResult> {
  const config: SpaceTrainConfig = { ...SPACE_DEFAULTS, ...o.config };
  fs.mkdirSync(o.dir, { recursive: true });
  const { trainIdx, holdoutIdx } = holdoutSplit(o.pairs.length, config.holdoutFraction, config.seed);
  const texts = { behaviour: o.pairs.map((p) => p.behaviour), rationale: o.pairs.map((p) => p.rationale) };
  const t0 = performance.now();
  const encFile = path.join(o.dir, FILES.encoder);
  // TF-IDF is fitted on the dataset's own text (behaviour and rationale texts: the workspace's text).
  o.onProgress?.({ phase: 'encode', done: 0, total: o.pairs.length * 2, message: 'preparing the text encoder' });
  const enc = await openEncoder(o.encoder, {
    threads: o.threads,
    corpus: [...texts.behaviour, ...texts.rationale],
    tfidf: o.tfidf,
    tfidfFile: encFile,
    tick: o.checkCancel,
  });
  try {
    if (enc instanceof TfidfEncoder && !fs.existsSync(encFile)) enc.save(encFile);
    const base = await baseEmbeddings(enc, texts, path.join(o.dir, FILES.base), o);
    const tEncode = (performance.now() - t0) / 1000;
    const ctx = spaceCtx('f32');
    const towerCfg = SpaceTowers.configFor(enc.dim, config);
    const initial = new SpaceTowers(ctx, towerCfg, config.seed);
    const embedAll = (t: SpaceTowers, idx: number[]) => ({
      b: embedRows(
        t.behaviour,
        idx.map((i) => base.behaviour[i]!),
      ),
      r: embedRows(
        t.rationale,
        idx.map((i) => base.rationale[i]!),
      ),
    });
    const beforeH = embedAll(initial, holdoutIdx);
    const before = retrievalMetrics(beforeH.b, beforeH.r);
    const towers = new SpaceTowers(ctx, towerCfg, config.seed);
    const steps = Math.ceil(trainIdx.length / Math.max(2, config.batchSize));
    const t1 = performance.now();
    const history = trainTowers(towers, { ...base, trainIdx, holdoutIdx }, config, {
      checkpointFile: path.join(o.dir, FILES.checkpoint),
      checkCancel: o.checkCancel,
      onStep: (step, steps, epoch) => {
        if (step === steps || step % 50 === 0)
          o.onProgress?.({ phase: 'train', done: epoch * steps + step, total: config.epochs * steps, message: `epoch ${epoch + 1}/${config.epochs}` });
      },
      onEpoch: (s) => {
        o.onEpoch?.(s);
        o.onProgress?.({
          phase: 'train',
          done: s.epoch * steps,
          total: config.epochs * steps,
          message: `epoch ${s.epoch}/${config.epochs}`,
          metrics: {
            loss: s.loss,
            batchAccuracy: s.batchAccuracy,
            ...(s.holdout ? { 'holdout.mrr': s.holdout.mrr, 'holdout.recall@1': s.holdout['recall@1'] } : {}),
          },
        });
      },
    });
    const tTrain = (performance.now() - t1) / 1000;
    o.onProgress?.({ phase: 'evaluate', done: 0, total: 1, message: 'evaluating and mapping' });
    const afterH = embedAll(towers, holdoutIdx);
    const after = retrievalMetrics(afterH.b, afterH.r);
    const trainSample = trainIdx.slice(0, 2000);
    const trainEmb = embedAll(towers, trainSample);
    const metrics: SpaceMetrics = { before, after, trainAfter: retrievalMetrics(trainEmb.b, trainEmb.r), history, seconds: { encode: tEncode, train: tTrain } };
    const meta: SpaceMeta = {
      format: 'pulse-space-1',
      encoder: { spec: o.encoder, id: enc.id, dim: enc.dim },
      towers: towerCfg,
      config,
      dataset: o.dataset,
      rationaleVersions: o.pairs.map((p) => p.versionId),
      users: { train: trainIdx.length, holdout: holdoutIdx.length },
      metrics,
    };
    // Map: held-out users first (the honest picture), then trained ones, up to the limit.
    const limit = o.mapLimit ?? 2000;
    const mapIdx = [...holdoutIdx, ...trainIdx].slice(0, limit);
    const holdoutSet = new Set(holdoutIdx);
    const mapUsers: MapUser[] = mapIdx.map((i) => ({
      userIdx: o.pairs[i]!.userIdx,
      userOriginalId: o.pairs[i]!.userOriginalId,
      split: holdoutSet.has(i) ? 'holdout' : 'train',
      rationaleVersionId: o.pairs[i]!.versionId,
    }));
    const map = buildSpaceMap(mapUsers, embedAll(initial, mapIdx), embedAll(towers, mapIdx), config.seed);
    towers.save(path.join(o.dir, FILES.towers), { encoder: meta.encoder });
    writeJsonAtomic(path.join(o.dir, FILES.map), map);
    writeJsonAtomic(path.join(o.dir, FILES.meta), meta);
    for (const f of [FILES.checkpoint, FILES.base]) fs.rmSync(path.join(o.dir, f), { force: true });
    return { meta, map };
  } finally {
    await enc.dispose?.();
  }
}

/** A trained space opened for use: embed texts with either tower. */
export class ThoughtSpace {
  private constructor(
    readonly dir: string,
    readonly meta: SpaceMeta,
    readonly encoder: TextEncoder,
    readonly towers: SpaceTowers,
  ) {}

  static async open(dir: string, o: { threads?: number } = {}): Promise<ThoughtSpace> {
    const metaFile = path.join(dir, FILES.meta);
    if (!fs.existsSync(metaFile))
      throw new UserError(`No trained Thought Space in ${dir}.`, { hint: 'Train one with `pulse space train`.', code: 'not_found' });
    const meta = readJson<SpaceMeta>(metaFile);
    const { towers } = SpaceTowers.load(path.join(dir, FILES.towers), spaceCtx('f32'));
    const encoder = await openEncoder(meta.encoder.spec, { threads: o.threads, tfidfFile: path.join(dir, FILES.encoder) });
    if (encoder.id !== meta.encoder.id) {
      await encoder.dispose?.();
      throw new UserError(`The space was trained on encoder ${meta.encoder.id}, but ${meta.encoder.spec} is now ${encoder.id}.`, {
        hint: 'The model file changed since training: restore it, or train a new space.',
        code: 'encoder_changed',
      });
    }
    return new ThoughtSpace(dir, meta, encoder, towers);
  }

  /** Unit vectors in the space, one per text, from the behaviour or the rationale tower. */
  async embed(texts: string[], tower: TowerName): Promise<Float32Array[]> {
    const base = await this.encoder.encode(texts);
    return embedRows(this.towers.tower(tower), base);
  }

  /** The frozen encoder alone (identity towers): the space "before training". */
  async embedBase(texts: string[]): Promise<Float32Array[]> {
    const base = await this.encoder.encode(texts);
    const identity = new SpaceTowers(this.towers.ctx, this.towers.cfg, this.meta.config.seed);
    return embedRows(identity.behaviour, base);
  }

  /**
   * Cross-domain: retrieval on another dataset's pairs with the frozen encoder alone (before) and through the
   * towers trained here (after). A TF-IDF space keeps its own vocabulary: words new to it are dropped.
   */
  async apply(
    pairs: SpacePair[],
    o: { onProgress?(done: number, total: number): void; checkCancel?(): void } = {},
  ): Promise<{ before: RetrievalMetrics; after: RetrievalMetrics }> {
    if (pairs.length < 2)
      throw new UserError('Applying a space needs at least 2 users with a rationale in the target dataset.', { code: 'too_few_rationales' });
    const all = [...pairs.map((p) => p.behaviour), ...pairs.map((p) => p.rationale)];
    const base = await encodeInChunks(this.encoder, all, {
      onChunk: (d, t) => {
        o.checkCancel?.();
        o.onProgress?.(d, t);
      },
    });
    const n = pairs.length;
    const identity = new SpaceTowers(this.towers.ctx, this.towers.cfg, this.meta.config.seed);
    const bBase = base.slice(0, n);
    const rBase = base.slice(n);
    return {
      before: retrievalMetrics(embedRows(identity.behaviour, bBase), embedRows(identity.rationale, rBase)),
      after: retrievalMetrics(embedRows(this.towers.behaviour, bBase), embedRows(this.towers.rationale, rBase)),
    };
  }

  async dispose(): Promise<void> {
    await this.encoder.dispose?.();
  }
}
