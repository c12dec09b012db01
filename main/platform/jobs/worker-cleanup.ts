/**
 * Native resources a job's worker thread must release before it ends (llama.cpp models and backends): a thread
 * torn down while they are alive can abort the whole process. Modules that hold such resources register here.
 */
const cleanups = new Set<() => Promise<void> | void>();

export function registerWorkerCleanup(fn: () => Promise<void> | void): void {
  cleanups.add(fn);
}

export async function runWorkerCleanups(): Promise<void> {
  for (const fn of [...cleanups].reverse()) {
    try {
      await fn();
    } catch {
      /* best effort: the thread ends next */
    }
  }
  cleanups.clear();
}
