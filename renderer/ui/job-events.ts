import type { HostEvent } from '../../common/contract';
import { Emitter, type Event, type IDisposable } from '../../common/event';
import { useEventSnapshot } from '../state/use-event';
import type { Services } from '../workbench/services';

export interface JobEventRecord {
  name: string;
  data: unknown;
}

const PER_JOB = 20_000;
const JOBS = 64;

/**
 * Every `job.event` since the window opened, per job (capped). Views read from here rather than subscribing
 * themselves, so a stream survives its tab being closed and reopened, and events that arrive before the
 * starting call has returned the job id are not lost.
 */
class JobEventLog {
  private events = new Map<number, JobEventRecord[]>();
  private versions = new Map<number, number>();
  private readonly changed = new Emitter<number>();
  /** Fires with the job id after each recorded event. */
  readonly onDidRecord: Event<number> = this.changed.event;
  private subscription: IDisposable | null = null;

  /** Starts recording (once per window; several features ask for it). */
  start(s: Services): IDisposable {
    this.subscription ??= s.api.onDidEmit((e: HostEvent) => {
      if (e.topic !== 'job.event') return;
      let list = this.events.get(e.jobId);
      if (!list) {
        list = [];
        this.events.set(e.jobId, list);
        if (this.events.size > JOBS) {
          const oldest = Math.min(...this.events.keys());
          this.events.delete(oldest);
          this.versions.delete(oldest);
        }
      }
      if (list.length < PER_JOB) list.push({ name: e.name, data: e.data });
      this.versions.set(e.jobId, (this.versions.get(e.jobId) ?? 0) + 1);
      this.changed.fire(e.jobId);
    });
    // The log lives as long as the window: the features that start it do not stop it.
    return { dispose: () => undefined };
  }

  get(jobId: number): JobEventRecord[] {
    return this.events.get(jobId) ?? [];
  }

  version(jobId: number): number {
    return this.versions.get(jobId) ?? 0;
  }
}

export const jobEventLog = new JobEventLog();

/** The recorded events of a job (re-rendering on new ones); [] for null. */
export function useJobEventLog(jobId: number | null): JobEventRecord[] {
  useEventSnapshot(jobEventLog.onDidRecord, () => (jobId === null ? 0 : jobEventLog.version(jobId)));
  return jobId === null ? [] : jobEventLog.get(jobId);
}
