import { UserError } from '../../../base/errors.js';
import { followJob, type Command } from '../cli-kit.js';

function jobId(arg: string | undefined, usage: string): number {
  const id = Number(arg);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('Give a job id.', { hint: `Usage: ${usage}` });
  return id;
}

export const jobsList: Command = {
  name: 'jobs',
  summary: 'List jobs with their state (interrupted ones can be resumed)',
  usage: 'pulse jobs [--json]',
  run: (ctx) => ctx.host().invoke('jobs.list', {}),
};

export const jobsResume: Command = {
  name: 'jobs resume',
  summary: 'Resume an interrupted, failed or cancelled job in the foreground',
  usage: 'pulse jobs resume ID [--json]',
  async run(ctx, _v, [id]) {
    const { jobId: next } = await ctx.host().invoke('jobs.resume', { id: jobId(id, this.usage) });
    return followJob(ctx, next);
  },
};
