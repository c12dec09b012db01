import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const reasoningJobs = {
  'qa.run': { load: () => import('./qa-job.js') },
  'qa.ask': { load: () => import('./ask-job.js') },
  'rank.run': { load: () => import('./rank-job.js') },
  'rationales.refine': { load: () => import('./refine-job.js') },
} satisfies JobKinds<'qa.run' | 'qa.ask' | 'rank.run' | 'rationales.refine'>;
