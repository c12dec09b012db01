import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const modelsJobs = {
  'models.download': { load: () => import('./model-download-job.js') },
} satisfies JobKinds<'models.download'>;
