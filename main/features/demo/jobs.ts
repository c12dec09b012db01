import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const demoJobs = {
  'demo.build': { load: () => import('./demo-job.js') },
} satisfies JobKinds<'demo.build'>;
