import { Emitter, type Event } from '../../common/event';
import { useEventSnapshot } from './use-event';

/** A value with change notification: the one state primitive services use (read with `useStore`). */
export class Store<T> {
  private value: T;
  private readonly changed = new Emitter<T>();
  /** Fires with the new value after each change. */
  readonly onDidChange: Event<T> = this.changed.event;

  constructor(initial: T) {
    this.value = initial;
  }
  get = (): T => this.value;
  set = (next: T | ((prev: T) => T)): void => {
    const v = typeof next === 'function' ? (next as (p: T) => T)(this.value) : next;
    if (Object.is(v, this.value)) return;
    this.value = v;
    this.changed.fire(v);
  };
}

export function useStore<T>(store: Store<T>): T {
  return useEventSnapshot(store.onDidChange, store.get);
}
