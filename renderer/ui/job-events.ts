import { useSyncExternalStore } from 'react';
import type { HostEvent } from '../../preload/contract';
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
  private listeners = new Set<() => void>();
  private started = false;

  start(s: Services): void {
    if (this.started) return;
    this.started = true;
    s.api.onEvent((e: HostEvent) => {
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
      for (const l of [...this.listeners]) l();
    });
  }

  get(jobId: number): JobEventRecord[] {
    return this.events.get(jobId) ?? [];
  }

  version(jobId: number): number {
    return this.versions.get(jobId) ?? 0;
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const jobEventLog = new JobEventLog();

/** The recorded events of a job (re-rendering on new ones); [] for null. */
export function useJobEventLog(jobId: number | null): JobEventRecord[] {
  const v = useSyncExternalStore(jobEventLog.subscribe, () => (jobId === null ? 0 : jobEventLog.version(jobId)));
  void v;
  return jobId === null ? [] : jobEventLog.get(jobId);
}
