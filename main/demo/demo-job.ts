import type { JobHandler } from '../jobs/job-context.js';

export const run: JobHandler = async () => {
  throw new Error('Not implemented yet');
};
