/**
 * Every feature's job kinds, for the job service (host side) and the worker thread (job-worker.ts). Only the
 * lazy loaders are imported here, so a worker loads its one job module and nothing of the handlers.
 */
import type { JobKinds } from '../platform/jobs/job-kinds.js';
import { datasetsJobs } from './datasets/jobs.js';
import { demoJobs } from './demo/jobs.js';
import { modelsJobs } from './models/jobs.js';
import { rationalesJobs } from './rationales/jobs.js';
import { reasoningJobs } from './reasoning/jobs.js';
import { reviewJobs } from './review/jobs.js';
import { spaceJobs } from './space/jobs.js';
import { trainingJobs } from './training/jobs.js';

/** Typed by the contract's JobKind: a kind without its module is a compile error. */
export const JOB_KINDS: JobKinds = {
  ...datasetsJobs,
  ...demoJobs,
  ...modelsJobs,
  ...rationalesJobs,
  ...reasoningJobs,
  ...reviewJobs,
  ...spaceJobs,
  ...trainingJobs,
};
