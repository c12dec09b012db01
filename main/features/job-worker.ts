/**
 * The entry of every job's worker thread (JobService starts it): the platform's worker loop with every feature's
 * job kinds. Secrets a run was handed go to the models feature's secret store for this thread.
 */
import { runJobWorker } from '../platform/jobs/job-worker.js';
import { JOB_KINDS } from './job-kinds.js';

runJobWorker(JOB_KINDS, {
  provideSecrets: async (secrets) => (await import('./models/secret-store.js')).provideJobSecrets(secrets),
});
