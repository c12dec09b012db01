import type { Job } from '../../common/contract';
import type { ClientApi } from '../api/client';
import { Emitter, type Event } from '../../common/event';
import { Store } from '../state/store';

export const ACTIVE_STATES: ReadonlySet<Job['state']> = new Set(['queued', 'running']);
export const RESUMABLE_STATES: ReadonlySet<Job['state']> = new Set(['interrupted', 'failed', 'cancelled']);

/** Jobs by id, kept live by `job` events; a resync after reconnect fetches the full list again. */
export class JobsService {
  readonly jobs = new Store<ReadonlyMap<number, Job>>(new Map());
  private readonly started = new Emitter<Job>();
  private readonly finished = new Emitter<Job>();
  /** A job this window had not seen arrived queued or running (a resync's list does not count). */
  readonly onDidStart: Event<Job> = this.started.event;
  /** A job left the active states (once per job). */
  readonly onDidFinish: Event<Job> = this.finished.event;

  /** Whether the list has been fetched once: before that, an update of a running job is not news of a start. */
  private loaded = false;

  constructor(private readonly api: ClientApi) {}

  async refresh(): Promise<void> {
    const { jobs } = await this.api.call('jobs.list', {});
    this.jobs.set(new Map(jobs.map((j) => [j.id, j])));
    this.loaded = true;
  }

  /** Applies a job update from the host; fires `onDidStart` for a new active job, `onDidFinish` once when one ends. */
  update(job: Job): void {
    const prev = this.jobs.get().get(job.id);
    this.jobs.set((m) => new Map(m).set(job.id, job));
    if (!prev && this.loaded && ACTIVE_STATES.has(job.state)) this.started.fire(job);
    if (!ACTIVE_STATES.has(job.state) && (!prev || ACTIVE_STATES.has(prev.state))) this.finished.fire(job);
  }

  list(): Job[] {
    return [...this.jobs.get().values()].sort((a, b) => b.id - a.id);
  }

  running(): Job[] {
    return this.list().filter((j) => ACTIVE_STATES.has(j.state));
  }

  async cancel(id: number): Promise<void> {
    await this.api.call('jobs.cancel', { id });
  }

  async resume(id: number): Promise<number> {
    const { jobId } = await this.api.call('jobs.resume', { id });
    return jobId;
  }
}

/** Fraction done in [0, 1], or null when the job has not said how much work there is. */
export function jobFraction(job: Job): number | null {
  const { done, total } = job.progress;
  if (job.state === 'succeeded') return 1;
  if (done === undefined || !total) return null;
  return Math.max(0, Math.min(1, done / total));
}

export function jobProgressText(job: Job): string {
  const p = job.progress;
  const parts: string[] = [];
  if (p.done !== undefined && p.total) parts.push(`${fmtInt(p.done)} / ${fmtInt(p.total)}${p.unit ? ` ${p.unit}` : ''}`);
  else if (p.done !== undefined) parts.push(`${fmtInt(p.done)}${p.unit ? ` ${p.unit}` : ''}`);
  if (p.rate) parts.push(`${fmtInt(Math.round(p.rate))}${p.unit ? ` ${p.unit}` : ''}/s`);
  if (p.etaSeconds !== undefined && ACTIVE_STATES.has(job.state)) parts.push(`ETA ${fmtDuration(p.etaSeconds)}`);
  return parts.join(' · ');
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;
}
