import { useEffect, useState } from 'react';
import type { Input, Method, Output } from '../../../preload/contract';
import { useServices } from '../../workbench/services';

export interface CallState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/** Calls a host method when its input changes (compared as JSON) and keeps the last answer. */
export function useCall<M extends Method>(method: M, input: Input<M> | null, refreshKey: unknown = 0): CallState<Output<M>> {
  const s = useServices();
  const [state, setState] = useState<CallState<Output<M>>>({ data: null, error: null, loading: input !== null });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === null) return;
    let live = true;
    setState((p) => ({ ...p, loading: true }));
    s.api.call(method, input).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // `key` stands for `input` (compared by value, not identity).
  }, [method, key, refreshKey, s]);
  return state;
}
