import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { Event } from '../../common/event';

/** Listens to `event` while the component is mounted (null: not at all); the latest `listener` is called. */
export function useEvent<T>(event: Event<T> | null, listener: (e: T) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (!event) return;
    const d = event((e) => ref.current(e));
    return () => d.dispose();
  }, [event]);
}

/** A value read with `get` that re-renders when `event` fires (React's external-store subscription). */
export function useEventSnapshot<T>(event: Event<unknown>, get: () => T): T {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const d = event(onChange);
      return () => d.dispose();
    },
    [event],
  );
  return useSyncExternalStore(subscribe, get, get);
}
