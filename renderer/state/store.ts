import { useSyncExternalStore } from 'react';

/** A value with change notification: the one state primitive services use (read with `useStore`). */
export class Store<T> {
  private value: T;
  private listeners = new Set<() => void>();
  constructor(initial: T) {
    this.value = initial;
  }
  get = (): T => this.value;
  set = (next: T | ((prev: T) => T)): void => {
    const v = typeof next === 'function' ? (next as (p: T) => T)(this.value) : next;
    if (Object.is(v, this.value)) return;
    this.value = v;
    for (const l of [...this.listeners]) l();
  };
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/** Something to release: subscriptions, registrations, timers. */
export type Disposable = () => void;
