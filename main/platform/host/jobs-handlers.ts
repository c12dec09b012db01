import type { Handlers } from './host.js';

export const jobsHandlers: Handlers<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.resume'> = {
  'jobs.list': (_i, host) => ({ jobs: host.jobs.list() }),
  'jobs.get': (i, host) => host.jobs.get(i.id),
  'jobs.cancel': (i, host) => {
    host.jobs.cancel(i.id);
    return { ok: true as const };
  },
  'jobs.resume': async (i, host) => ({ jobId: host.jobs.resume(i.id, await host.jobs.secretsForJobs()).id }),
};
