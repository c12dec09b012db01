import { useEffect, useState } from 'react';
import type { Input, Job, Method, Output } from '../../common/contract';
import { HostError } from '../api/host-error';
import { useStore } from '../state/store';
import { useEvent } from '../state/use-event';
import { useServices } from '../workbench/services';

/** True when the host does not know the method (or stubs it): this build lacks the feature, not an error to report. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof HostError && (err.code === 'unknown_method' || err.code === 'not_implemented');
}

export interface CallState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** The host does not offer the method. */
  unavailable: boolean;
  reload: () => void;
}

/**
 * The one way a view reads from the host: calls `method` (typed by the contract) when `input` changes (compared
 * as JSON) or `refreshKey` changes, and keeps the last answer; null input skips the call. Actions call
 * `s.api.call` directly, typed the same way.
 */
export function useCall<M extends Method>(method: M, input: Input<M> | null, refreshKey: unknown = 0): CallState<Output<M>> {
  const s = useServices();
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<Omit<CallState<Output<M>>, 'reload'>>({ data: null, error: null, loading: input !== null, unavailable: false });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === null) return;
    let live = true;
    setState((p) => ({ ...p, loading: true }));
    s.api.call(method, input).then(
      (data) => live && setState({ data, error: null, loading: false, unavailable: false }),
      (error: Error) => live && setState({ data: null, error, loading: false, unavailable: isUnavailable(error) }),
    );
    return () => {
      live = false;
    };
    // `key` stands for `input` (compared by value, not identity).
  }, [method, key, refreshKey, tick, s]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** The live job (from `job` events), or null. */
export function useJob(id: number | null): Job | null {
  const s = useServices();
  const jobs = useStore(s.jobs.jobs);
  return id === null ? null : (jobs.get(id) ?? null);
}

/** Calls `listener(name, data)` for each `job.event` of the job `id` (null: none). */
export function useJobEvents(id: number | null, listener: (name: string, data: unknown) => void): void {
  const s = useServices();
  useEvent(s.api.onDidEmit, (e) => {
    if (id !== null && e.topic === 'job.event' && e.jobId === id) listener(e.name, e.data);
  });
}

/** Bumps when any job of one of `kinds` finishes: lists of runs/spaces refetch on it. */
export function useJobsFinished(kinds: string[]): number {
  const s = useServices();
  const [n, setN] = useState(0);
  useEvent(s.jobs.onDidFinish, (job) => {
    if (kinds.some((k) => job.kind === k || job.kind.startsWith(k))) setN((x) => x + 1);
  });
  return n;
}

export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits);
}

export function fmtBytes(b: number | null | undefined): string {
  if (b === null || b === undefined) return '—';
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${(b / 1024 ** 3).toFixed(2)} GB`;
}
