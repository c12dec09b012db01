import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../../main/platform/event-bus.js';
import { CONTRIBUTIONS } from '../../../../main/features/index.js';
import { JobService } from '../../../../main/platform/jobs/job-service.js';
import { Workspace } from '../../../../main/platform/workspace/workspace.js';
import { tempDir } from '../../../support/temp.js';

describe('jobs after a crash', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('marks jobs of a dead process as interrupted and keeps live ones of another process running', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = Workspace.open(t.dir);
    const ins = ws.db.prepare("INSERT INTO jobs(kind, title, state, params, progress, pid) VALUES ('import', ?, 'running', '{}', ?, ?)");
    // pid 2^22+ is above Linux's pid_max default, so no such process exists
    ins.run('crashed', JSON.stringify({ done: 40, total: 100 }), 4_194_999);
    ins.run('elsewhere', '{}', process.ppid);
    const jobs = new JobService(ws, new EventBus(), CONTRIBUTIONS.jobs);
    const lost = jobs.recoverInterrupted();
    expect(lost.map((j) => j.title)).toEqual(['crashed']);
    expect(lost[0]!.state).toBe('interrupted');
    expect(lost[0]!.progress).toEqual({ done: 40, total: 100 });
    expect(jobs.list().find((j) => j.title === 'elsewhere')!.state).toBe('running');
    ws.close();
  });

  it('refuses to resume a job that finished, and explains why', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = Workspace.open(t.dir);
    ws.db.prepare("INSERT INTO jobs(kind, title, state, params) VALUES ('import', 'done', 'succeeded', '{}')").run();
    const jobs = new JobService(ws, new EventBus(), CONTRIBUTIONS.jobs);
    expect(() => jobs.resume(1)).toThrow(/only interrupted, failed or cancelled/);
    expect(() => jobs.get(99)).toThrow(/no job 99/);
    ws.close();
  });
});
