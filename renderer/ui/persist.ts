import { useCallback, useState } from 'react';

const values = new Map<string, unknown>();

/** useState that outlives the component (editor tabs unmount when hidden): keyed for the window's lifetime. */
export function usePersistentState<T>(key: string, initial: T | (() => T)): [T, (v: T | ((p: T) => T)) => void] {
  const [v, setV] = useState<T>(() => (values.has(key) ? (values.get(key) as T) : typeof initial === 'function' ? (initial as () => T)() : initial));
  const set = useCallback(
    (next: T | ((p: T) => T)) =>
      setV((prev) => {
        const n = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        values.set(key, n);
        return n;
      }),
    [key],
  );
  return [v, set];
}

/** The current value of a persistent state (for commands that act on what a view shows). */
export function getPersistent<T>(key: string): T | undefined {
  return values.get(key) as T | undefined;
}

/** Sets a persistent state from outside its component (takes effect when the view next mounts). */
export function setPersistent<T>(key: string, v: T): void {
  values.set(key, v);
}
