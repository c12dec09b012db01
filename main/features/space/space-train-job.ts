// Job 'space.train': trains a Thought Space on a dataset's curated rationales and stores it (a spaces row and
// artifacts/spaces/<id>/). Progress per step and epoch, cancel between batches; a resumed job continues the
// same space from its last epoch checkpoint (and its cached embeddings).
import fs from 'node:fs';
import path from 'node:path';
import { JobCancelled, type JobHandler } from '../../platform/jobs/job-context.js';
import { packageRoot } from '../../platform/paths.js';
import type { TfidfOptions } from './tfidf-encoder.js';
import { loadSpacePairs } from './space-data.js';
import { trainSpace } from './space-model.js';
import { createSpace, spaceDir, spaceOfJob, updateSpace } from './space-store.js';
import type { SpaceTrainConfig } from './trainer.js';
import { parseEncoderSpec } from './text-encoder.js';

export interface SpaceTrainParams {
  dataset: string;
  encoder: string;
  name?: string;
  config?: Partial<SpaceTrainConfig>;
  /** TF-IDF width and vocabulary settings (tfidf encoder only). */
  tfidf?: Partial<TfidfOptions>;
  threads?: number;
  maxHistory?: number;
}

export function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

export const run: JobHandler<SpaceTrainParams> = async (ctx) => {
  const p = ctx.params;
  const ws = ctx.workspace;
  parseEncoderSpec(p.encoder);
  const { dataset, pairs, skipped } = loadSpacePairs(ws.db, p.dataset, { maxHistory: p.maxHistory });
  if (skipped.leakage) ctx.log(`${skipped.leakage} rationale(s) explain a validation or test item and were left out (leakage rule).`, 'warn');
  const previous = ctx.resumedFrom ? spaceOfJob(ws.db, ctx.resumedFrom.jobId) : null;
  const space =
    previous ??
    createSpace(ws, {
      name: p.name ?? `${p.dataset} · ${p.encoder.split(/[\\/]/).pop()}`,
      datasetId: dataset.id,
      datasetName: dataset.name,
      datasetHash: dataset.contentHash,
      encoder: p.encoder,
      config: { ...p.config, tfidf: p.tfidf ?? null, maxHistory: p.maxHistory ?? 20 },
      jobId: ctx.jobId,
      appVersion: appVersion(),
    });
  updateSpace(ws.db, space.id, { state: 'training', jobId: ctx.jobId, users: pairs.length, rationaleVersions: pairs.map((x) => x.versionId) });
  ctx.event('space.started', { space: space.id, users: pairs.length, skipped });
  const t0 = performance.now();
  try {
    const { meta } = await trainSpace({
      dir: spaceDir(ws, space.id),
      encoder: p.encoder,
      pairs,
      dataset: { name: dataset.name, contentHash: dataset.contentHash },
      config: p.config,
      tfidf: p.tfidf,
      threads: p.threads,
      checkCancel: () => ctx.throwIfCancelled(),
      onProgress: (x) =>
        ctx.progress({
          done: x.done,
          total: x.total,
          unit: x.phase === 'encode' ? 'texts' : x.phase === 'train' ? 'steps' : undefined,
          message: x.message,
          metrics: x.metrics,
        }),
      onEpoch: (s) => ctx.event('space.epoch', { space: space.id, ...s }),
    });
    updateSpace(ws.db, space.id, { state: 'ready', encoderId: meta.encoder.id, metrics: { ...meta.metrics, skipped } });
    return {
      space: space.id,
      dataset: dataset.name,
      encoder: meta.encoder.id,
      users: meta.users,
      epochs: meta.config.epochs,
      before: meta.metrics.before,
      after: meta.metrics.after,
      skipped,
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (err) {
    updateSpace(ws.db, space.id, { state: err instanceof JobCancelled ? 'cancelled' : 'failed' });
    throw err;
  }
};
