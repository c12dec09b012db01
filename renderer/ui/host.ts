import { useEffect, useRef, useState } from 'react';
import type { HostEvent, Job } from '../../preload/contract';
import { HostError } from '../api/host-error';
import { useStore } from '../state/store';
import type { Services } from '../workbench/services';
import { useServices } from '../workbench/services';

/**
 * Calls a host method by name, typed by the caller. The views use it for methods whose contract is still
 * landing (models.*, train.*, runs.*): the host answers `unknown_method` until then and the view says so.
 */
export function callHost<T>(s: Services, method: string, input: unknown): Promise<T> {
  const call = s.api.call as unknown as (m: string, i: unknown) => Promise<T>;
  return call(method, input);
}

/** True when the host does not know the method (or stubs it): this build lacks the feature, not an error to report. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof HostError && (err.code === 'unknown_method' || err.code === 'not_implemented');
}

export interface HostState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** The host does not offer the method. */
  unavailable: boolean;
  reload: () => void;
}

/** Calls `method` when `input` changes (compared as JSON) or `refreshKey` changes; null input skips the call. */
export function useHost<T>(method: string, input: unknown, refreshKey: unknown = 0): HostState<T> {
  const s = useServices();
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<Omit<HostState<T>, 'reload'>>({ data: null, error: null, loading: input !== null, unavailable: false });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === null) return;
    let live = true;
    setState((p) => ({ ...p, loading: true }));
    callHost<T>(s, method, input).then(
      (data) => live && setState({ data, error: null, loading: false, unavailable: false }),
      (error: Error) => live && setState({ data: null, error, loading: false, unavailable: isUnavailable(error) }),
    );
    return () => {
      live = false;
    };
    // `key` stands for `input` (compared by value).
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
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (id === null) return;
    return s.api.onEvent((e: HostEvent) => {
      if (e.topic === 'job.event' && e.jobId === id) ref.current(e.name, e.data);
    });
  }, [id, s]);
}

/** Bumps when any job of one of `kinds` finishes: lists of runs/spaces refetch on it. */
export function useJobsFinished(kinds: string[]): number {
  const s = useServices();
  const [n, setN] = useState(0);
  const key = kinds.join(',');
  useEffect(
    () =>
      s.jobs.onDidFinish((job) => {
        if (key.split(',').some((k) => job.kind === k || job.kind.startsWith(k))) setN((x) => x + 1);
      }),
    [s, key],
  );
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
