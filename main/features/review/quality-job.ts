/** The 'review.quality' job: quality flags for a dataset's versions (quality.ts), off the host's main thread. */
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { refreshQuality, type QualityRunResult } from './quality.js';
import { readConfig } from './review-config.js';

export interface QualityParams {
  dataset: string;
  recompute?: boolean;
}

export const run: JobHandler<QualityParams, QualityRunResult & { dataset: string }> = async (ctx) => {
  const ds = datasetByName(ctx.workspace.db, ctx.params.dataset);
  const r = refreshQuality(ctx.workspace.db, ds.id, readConfig(ctx.workspace), {
    recompute: ctx.params.recompute,
    progress: (done, total) => {
      ctx.throwIfCancelled();
      ctx.progress({ done, total, unit: 'versions' });
    },
  });
  return { ...r, dataset: ds.name };
};
