import type { JobHandler } from './job-context.js';

/**
 * Job kinds and the modules that run them (loaded inside the worker thread, so heavy code never loads on
 * the host's main thread). Each module exports `run: JobHandler`.
 */
export const JOB_KINDS = {
  import: () => import('../datasets/import-job.js'),
  'demo.build': () => import('../demo/demo-job.js'),
  'rationales.generate': () => import('../rationales/generate-job.js'),
  'rationales.draft': () => import('../rationales/draft-job.js'),
  'models.download': () => import('../slm/model-download-job.js'),
  'qa.run': () => import('../qa/qa-job.js'),
  'rank.run': () => import('../qa/rank-job.js'),
  'rationales.refine': () => import('../qa/refine-job.js'),
  'qa.ask': () => import('../qa/ask-job.js'),
  'review.quality': () => import('../review/quality-job.js'),
  'space.train': () => import('../thought-space/space-train-job.js'),
  'space.apply': () => import('../thought-space/space-apply-job.js'),
  'train.run': () => import('../training/train-job.js'),
  'train.eval': () => import('../training/eval-job.js'),
  'train.sweep': () => import('../training/sweep-job.js'),
} satisfies Record<string, () => Promise<{ run: JobHandler<never, unknown> }>>;

export type JobKind = keyof typeof JOB_KINDS;

export function isJobKind(kind: string): kind is JobKind {
  return Object.prototype.hasOwnProperty.call(JOB_KINDS, kind);
}
