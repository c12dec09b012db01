import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const reviewJobs = {
  'review.quality': { load: () => import('./quality-job.js') },
} satisfies JobKinds<'review.quality'>;
