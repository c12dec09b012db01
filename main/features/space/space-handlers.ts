import path from 'node:path';
import fs from 'node:fs';
import type { Handlers } from '../../platform/host/host.js';
import type { SpaceRetrieval } from '../../../common/contract/index.js';
import { UserError } from '../../base/errors.js';
import { embedWithSpace } from './space-embed.js';
import { FILES } from './space-model.js';
import type { SpaceMap } from './space-map.js';
import type { Db } from '../../platform/storage/database.js';
import { effectiveSpaceState, getSpace, listApplications, listSpaces, readJson, type SpaceRecord } from './space-store.js';
import type { SpaceTrainParams } from './space-train-job.js';
import type { SpaceTrainConfig } from './trainer.js';

function summary(db: Db, r: SpaceRecord) {
  const m = r.metrics as { before?: SpaceRetrieval; after?: SpaceRetrieval } | null;
  return {
    id: r.id,
    name: r.name,
    state: effectiveSpaceState(db, r),
    dataset: r.datasetName,
    datasetHash: r.datasetHash,
    encoder: r.encoder,
    encoderId: r.encoderId,
    users: r.users,
    jobId: r.jobId,
    before: m?.before ?? null,
    after: m?.after ?? null,
    createdAt: r.createdAt,
  };
}

export const spaceHandlers: Handlers<'space.train' | 'space.list' | 'space.get' | 'space.map' | 'space.apply' | 'space.embed'> = {
  'space.train': (i, host) => {
    const config: Partial<SpaceTrainConfig> = {};
    if (i.epochs !== undefined) config.epochs = i.epochs;
    if (i.temperature !== undefined) config.temperature = i.temperature;
    if (i.negatives !== undefined) config.negatives = i.negatives;
    if (i.batchSize !== undefined) config.batchSize = i.batchSize;
    if (i.lr !== undefined) config.lr = i.lr;
    if (i.weightDecay !== undefined) config.weightDecay = i.weightDecay;
    if (i.tower !== undefined) config.tower = i.tower;
    if (i.hidden !== undefined) config.hidden = i.hidden;
    if (i.seed !== undefined) config.seed = i.seed;
    if (i.holdout !== undefined) config.holdoutFraction = i.holdout;
    const params: SpaceTrainParams = {
      dataset: i.dataset,
      encoder: i.encoder,
      name: i.name,
      config,
      tfidf: i.dim !== undefined ? { dim: i.dim } : undefined,
      threads: i.threads,
      maxHistory: i.maxHistory,
    };
    const job = host.jobs.start('space.train', params, `Train a Thought Space on ${i.dataset} (${i.encoder})`);
    return { jobId: job.id };
  },
  'space.list': (_i, host) => ({ spaces: listSpaces(host.workspace.db).map((r) => summary(host.workspace.db, r)) }),
  'space.get': (i, host) => {
    const r = getSpace(host.workspace.db, i.id);
    return {
      ...summary(host.workspace.db, r),
      config: r.config,
      metrics: r.metrics,
      rationaleVersions: r.rationaleVersions,
      appVersion: r.appVersion,
      applications: listApplications(host.workspace.db, r.id).map((a) => {
        const m = a.metrics as { before: SpaceRetrieval; after: SpaceRetrieval };
        return { id: a.id, dataset: a.datasetName, before: m.before, after: m.after, createdAt: a.createdAt };
      }),
    };
  },
  'space.map': (i, host) => {
    const r = getSpace(host.workspace.db, i.id);
    const file = path.join(path.resolve(host.workspace.dir, r.artifactDir), FILES.map);
    if (r.state !== 'ready' || !fs.existsSync(file))
      throw new UserError(`Thought Space ${i.id} has no map yet (it is ${effectiveSpaceState(host.workspace.db, r)}).`, {
        hint: r.jobId !== null ? `Its training job is ${r.jobId}: resume it with \`pulse jobs resume ${r.jobId}\` if it was interrupted.` : undefined,
        code: 'bad_state',
      });
    const map = readJson<SpaceMap>(file);
    return { space: r.id, ...map };
  },
  'space.apply': (i, host) => {
    const r = getSpace(host.workspace.db, i.id);
    const job = host.jobs.start('space.apply', { space: r.id, dataset: i.dataset }, `Apply Thought Space ${r.id} (${r.datasetName}) to ${i.dataset}`);
    return { jobId: job.id };
  },
  'space.embed': async (i, host) => {
    const vecs = await embedWithSpace(host.workspace, i.id, i.texts, i.tower);
    return { dim: vecs[0]?.length ?? 0, vectors: vecs.map((v) => Array.from(v)) };
  },
};
