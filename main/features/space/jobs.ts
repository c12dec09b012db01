import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const spaceJobs = {
  'space.train': { load: () => import('./space-train-job.js') },
  'space.apply': { load: () => import('./space-apply-job.js') },
} satisfies JobKinds<'space.train' | 'space.apply'>;
