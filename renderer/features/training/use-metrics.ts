import { useEffect, useState } from 'react';
import type { HostEvent, MetricPoint } from '../../../common/contract';
import { DisposableStore, Emitter, toDisposable } from '../../../common/event';
import type { Services } from '../../workbench/services';
import { useServices } from '../../workbench/services';

interface Series {
  points: MetricPoint[];
  next: number;
  loading: boolean;
  again: boolean;
}

/** Metric points of every run fetched so far, by run; new points are fetched from the run's cursor. */
const cache = new Map<number, Series>();
/** Fires with the run id when new points of it arrived. */
const pulled = new Emitter<number>();

async function pull(s: Services, run: number): Promise<void> {
  let c = cache.get(run);
  if (!c) cache.set(run, (c = { points: [], next: 0, loading: false, again: false }));
  if (c.loading) {
    c.again = true;
    return;
  }
  c.loading = true;
  try {
    for (;;) {
      c.again = false;
      const r = await s.api.call('runs.metrics', { id: run, since: c.next, limit: 20000 });
      if (r.points.length) {
        c.points = [...c.points, ...r.points];
        c.next = r.next;
        pulled.fire(run);
      }
      if (!c.again && r.points.length < 20000) break;
    }
  } finally {
    c.loading = false;
  }
}

/**
 * Points of the given runs, kept live: a `metrics` job event of one of them (the train.run job sends one per
 * report) fetches what is new since the run's cursor, so the curves follow training without polling.
 */
export function useRunMetrics(runs: number[]): { points: Map<number, MetricPoint[]>; error: Error | null } {
  const s = useServices();
  const [, setTick] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const key = runs.join(',');
  useEffect(() => {
    const ids = key ? key.split(',').map(Number) : [];
    const store = new DisposableStore();
    store.add(pulled.event((run) => ids.includes(run) && setTick((t) => t + 1)));
    const timers = new Map<number, ReturnType<typeof setTimeout>>();
    store.add(toDisposable(() => timers.forEach((t) => clearTimeout(t))));
    const schedule = (id: number) => {
      if (timers.has(id)) return;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          pull(s, id).catch(setError);
        }, 150),
      );
    };
    for (const id of ids) pull(s, id).catch(setError);
    store.add(
      s.api.onDidEmit((e: HostEvent) => {
        if (e.topic === 'job.event' && e.name === 'metrics') {
          const run = (e.data as { run?: number }).run;
          if (run !== undefined && ids.includes(run)) schedule(run);
        }
      }),
    );
    store.add(s.jobs.onDidFinish(() => ids.forEach(schedule)));
    return () => store.dispose();
  }, [key, s]);
  return { points: new Map(runs.map((r) => [r, cache.get(r)?.points ?? []])), error };
}
