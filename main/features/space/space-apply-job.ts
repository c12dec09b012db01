// Job 'space.apply': cross-domain use of a trained space. The encoders are text-based, so the towers trained on
// dataset A apply to dataset B's texts unchanged; retrieval on B is reported with the frozen encoder alone
// (before) and through the towers (after), and recorded in space_applications.
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { loadSpacePairs } from './space-data.js';
import { ThoughtSpace } from './space-model.js';
import { getSpace, recordApplication } from './space-store.js';
import { UserError } from '../../base/errors.js';
import path from 'node:path';

export interface SpaceApplyParams {
  space: number;
  dataset: string;
  threads?: number;
}

export const run: JobHandler<SpaceApplyParams> = async (ctx) => {
  const ws = ctx.workspace;
  const rec = getSpace(ws.db, ctx.params.space);
  if (rec.state !== 'ready')
    throw new UserError(`Thought Space ${rec.id} is ${rec.state}, not ready.`, { hint: 'Resume or re-run its training job.', code: 'bad_state' });
  const { dataset, pairs, skipped } = loadSpacePairs(ws.db, ctx.params.dataset, { maxHistory: (rec.config.maxHistory as number | undefined) ?? 20 });
  const space = await ThoughtSpace.open(path.resolve(ws.dir, rec.artifactDir), { threads: ctx.params.threads });
  try {
    const t0 = performance.now();
    const r = await space.apply(pairs, {
      onProgress: (done, total) => ctx.progress({ done, total, unit: 'texts', message: `encoding ${dataset.name}` }),
      checkCancel: () => ctx.throwIfCancelled(),
    });
    const application = recordApplication(ws.db, {
      spaceId: rec.id,
      datasetName: dataset.name,
      datasetHash: dataset.contentHash,
      metrics: r,
      rationaleVersions: pairs.map((p) => p.versionId),
      jobId: ctx.jobId,
    });
    return {
      space: rec.id,
      trainedOn: rec.datasetName,
      dataset: dataset.name,
      application,
      users: pairs.length,
      skipped,
      before: r.before,
      after: r.after,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await space.dispose();
  }
};
