import type { JobKinds } from '../../platform/jobs/job-kinds.js';

export const datasetsJobs = {
  /**
   * Imports wait for each other instead of running side by side: short, write-heavy jobs that gain no speed from
   * more threads on a small machine. Fifty clients importing at once started fifty workers that starved the host's
   * event loop of CPU and of the database's write lock, so every request took seconds (bench/server-load.ts); two
   * at a time import as many files per second and the host stays responsive.
   */
  import: { load: () => import('./import-job.js'), maxRunning: 2 },
} satisfies JobKinds<'import'>;
