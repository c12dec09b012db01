import type { JobKinds } from '../jobs/job-kinds.js';

export const modelsJobs = {
  'models.download': { load: () => import('./model-download-job.js') },
} satisfies JobKinds<'models.download'>;
