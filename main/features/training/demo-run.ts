// The demo workspace's trained run: a short SASRec run (5 epochs, tiny settings) on the demo dataset, trained
// inside the calling job (the demo build) through the same 'train.run' handler, so it has curves, checkpoints
// and results like any run. With rationales present it trains PULSE instead.
import type { TrainSettings } from '../../../common/contract/training.js';
import type { JobContext } from '../../platform/jobs/job-context.js';
import { run as trainJob, type TrainJobResult } from './train-job.js';
import { prepareRun } from './training-handlers.js';

export const DEMO_RUN_SETTINGS: Omit<TrainSettings, 'dataset'> = {
  epochs: 5,
  hidden: 16,
  inner: 32,
  blocks: 1,
  heads: 1,
  batch: 64,
  dropout: 0.2,
  attnDropout: 0.2,
  maxLen: 20,
  metricEvery: 1,
  seed: 1,
  testProtocols: ['full', 'sampled:50'],
};

export async function trainDemoRun(ctx: JobContext<unknown>, dataset = 'demo'): Promise<TrainJobResult> {
  const ws = ctx.workspace;
  const hasRationales =
    ws.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rationales'").get() !== undefined &&
    ws.db.prepare('SELECT 1 FROM rationales r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ? LIMIT 1').get(dataset) !== undefined;
  const runId = prepareRun(ws, {
    dataset,
    ...DEMO_RUN_SETTINGS,
    arch: hasRationales ? 'pulse' : 'sasrec',
    name: `demo ${hasRationales ? 'pulse' : 'sasrec'} run`,
  });
  ctx.log(`Training the demo run ${runId} (5 epochs, tiny settings).`);
  // Object.create keeps ctx's live getters (cancelled), which a spread would freeze.
  return trainJob(Object.create(ctx, { params: { value: { runId } } }) as JobContext<{ runId: number }>);
}
