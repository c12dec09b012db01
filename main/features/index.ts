/**
 * The composition root: assembles what every feature contributes and hands it to the platform (the doors pass
 * CONTRIBUTIONS to Host.open). The platform (host/, jobs/) imports no feature; features never import this file.
 */
import { appHandlers } from '../platform/host/app-handlers.js';
import type { Contributions } from '../platform/host/host.js';
import { jobsHandlers } from '../platform/host/jobs-handlers.js';
import { datasets } from './datasets/contribution.js';
import { demo } from './demo/contribution.js';
import { models } from './models/contribution.js';
import { secretsForJobs } from './models/secret-store.js';
import { rationales } from './rationales/contribution.js';
import { reasoning } from './reasoning/contribution.js';
import { review } from './review/contribution.js';
import { space } from './space/contribution.js';
import { training } from './training/contribution.js';
import { JOB_KINDS } from './job-kinds.js';

export const CONTRIBUTIONS: Contributions = {
  // Typed as every contract method's handler: a method without one is a compile error here.
  handlers: {
    ...appHandlers,
    ...jobsHandlers,
    ...datasets.handlers,
    ...demo.handlers,
    ...models.handlers,
    ...rationales.handlers,
    ...reasoning.handlers,
    ...review.handlers,
    ...space.handlers,
    ...training.handlers,
  },
  jobs: { kinds: JOB_KINDS, workerEntry: new URL('./job-worker.js', import.meta.url), secrets: secretsForJobs },
  onDidOpenWorkspace: [demo.onDidOpenWorkspace],
};
