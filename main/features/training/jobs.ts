import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const trainingJobs = {
  'train.run': { load: () => import('./train-job.js') },
  'train.eval': { load: () => import('./eval-job.js') },
  'train.sweep': { load: () => import('./sweep-job.js') },
} satisfies JobKinds<'train.run' | 'train.eval' | 'train.sweep'>;
