import fs from 'node:fs';
import path from 'node:path';
import type { ImportOptions } from '../../../common/contract/index.js';
import { run as runImport } from '../datasets/import-job.js';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { draftDataset } from '../rationales/draft-job.js';
import { writeDemoQaFile } from '../reasoning/demo-qa.js';
import { seedDemoReviews } from '../review/demo-reviews.js';
import { run as runSpaceTrain } from '../space/space-train-job.js';
import { trainDemoRun } from '../training/demo-run.js';
import { DEMO_SEED, DEMO_SOURCE, demoAsAmazonJsonLines, generateDemo } from '../datasets/demo-data.js';
import { DatasetService } from '../datasets/dataset-service.js';

export interface DemoParams {
  seed?: number;
  name?: string;
}

export const DEMO_NAME = 'demo';

/** Writes the synthetic demo as Amazon-style files under artifacts/demo and imports them like any dataset. */
export const run: JobHandler<DemoParams> = async (ctx) => {
  const seed = ctx.params.seed ?? DEMO_SEED;
  const name = ctx.params.name ?? DEMO_NAME;
  const data = generateDemo({ seed });
  const dir = ctx.workspace.artifactDir('demo');
  const files = demoAsAmazonJsonLines(data);
  const reviews = path.join(dir, 'demo_reviews.json');
  const meta = path.join(dir, 'meta_demo.json');
  fs.writeFileSync(reviews, files.reviews);
  fs.writeFileSync(meta, files.meta);
  // The latent tastes that generated the data: ground truth a rationale can be checked against.
  fs.writeFileSync(path.join(dir, 'tastes.json'), JSON.stringify(data.users, null, 1));
  const params: ImportOptions = { paths: [reviews, meta], name, format: 'amazon', kcore: 0, minHistory: 0 };
  const result = await runImport({ ...ctx, params });
  new DatasetService(ctx.workspace.db).markSynthetic(name, `${DEMO_SOURCE}, seed ${seed}`);
  // Extractive rationales (no model needed), so the demo has readable rationales from the start.
  draftDataset(ctx.workspace.db, { dataset: name }, { jobId: ctx.jobId, throwIfCancelled: () => ctx.throwIfCancelled() });
  // A few review decisions, so the review queues and filters have something in them (docs/review.md).
  seedDemoReviews(ctx.workspace.db, name);
  // A Thought Space on the built-in encoder (no weights needed), so the map has something to show.
  await runSpaceTrain({ ...ctx, params: { dataset: name, encoder: 'tfidf', name: `${name} · tfidf` } }).catch((e: unknown) =>
    ctx.log(`Demo Thought Space not trained: ${(e as Error).message}`, 'warn'),
  );
  // A small multi-hop QA file about the demo shop for the Probe view.
  writeDemoQaFile(dir);
  // A trained run for the Training view; the demo stays usable if it fails.
  await trainDemoRun(ctx, name).catch((e: unknown) => ctx.log(`Demo run not trained: ${(e as Error).message}`, 'warn'));
  return result;
};
