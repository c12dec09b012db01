import type { JobKinds } from '../jobs/job-kinds.js';

export const rationalesJobs = {
  'rationales.generate': { load: () => import('./generate-job.js') },
  'rationales.draft': { load: () => import('./draft-job.js') },
} satisfies JobKinds<'rationales.generate' | 'rationales.draft'>;
