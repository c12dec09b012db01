import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const rationalesJobs = {
  'rationales.generate': { load: () => import('./generate-job.js') },
  'rationales.draft': { load: () => import('./draft-job.js') },
} satisfies JobKinds<'rationales.generate' | 'rationales.draft'>;
