import type { ErrorPayload, HostEvent, Input, Method, Output, WorkbenchApi } from '../../common/contract';
import { Emitter, Event, toDisposable } from '../../common/event';
import { HostError } from './host-error';

/** What the renderer uses: the contract's WorkbenchApi plus the two things a browser door needs. */
export interface ClientApi extends WorkbenchApi {
  /** Puts a file where the host can read it and returns its host path (upload, or the local path in Electron). */
  upload(file: File): Promise<string>;
  /** The host's events (`job`, `log`, `job.event`, `workspace`, `datasets`). */
  readonly onDidEmit: Event<HostEvent>;
  /** Connection state of the event stream; listeners resync (refetch) on `true` after a drop. */
  readonly onDidChangeConnection: Event<boolean>;
  readonly door: 'electron' | 'server';
}

/**
 * Shape of `window.pulse` exposed by preload/electron-bridge.ts. Written out here rather than imported so that
 * the web type-check does not need electron's types (electron is an optional dependency); keep the two in step.
 */
export interface PulseBridge {
  call(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    pulse?: PulseBridge;
  }
}

type Envelope = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

function unwrap(env: Envelope): unknown {
  if (env.ok) return env.result;
  throw new HostError(env.error);
}

/** Electron door: the preload bridge. The main process answers `pulse:call` with the same envelope as HTTP. */
function electronClient(bridge: PulseBridge): ClientApi {
  return {
    door: 'electron',
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      return unwrap((await bridge.call(method, input)) as Envelope) as Output<M>;
    },
    onDidEmit: (listener) => toDisposable(bridge.onEvent((e) => listener(e as HostEvent))),
    async upload(file: File): Promise<string> {
      return bridge.pathForFile(file);
    },
    onDidChangeConnection: Event.None,
  };
}

/** Browser door: POST /api/call/<method>, POST /api/upload, WebSocket /api/events (reconnecting). */
function httpClient(base: URL): ClientApi {
  // The socket opens when the first listener subscribes to either event.
  const events = new Emitter<HostEvent>({ onWillAddFirstListener: () => ensure() });
  const connection = new Emitter<boolean>({ onWillAddFirstListener: () => ensure() });
  let socket: WebSocket | null = null;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    const url = new URL('api/events', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retry = 0;
      connection.fire(true);
    };
    ws.onmessage = (m) => {
      try {
        events.fire(JSON.parse(String(m.data)) as HostEvent);
      } catch (err) {
        console.error('Bad event from host', err);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      connection.fire(false);
      // Back off up to 5 s: the host may be restarting, and a reconnect triggers a resync.
      const delay = Math.min(5000, 250 * 2 ** retry++);
      timer = setTimeout(connect, delay);
    };
  };

  const ensure = (): void => {
    if (!socket && timer === undefined) connect();
  };

  async function post(path: string, body: BodyInit, contentType: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(path, base), { method: 'POST', body, headers: { 'content-type': contentType }, credentials: 'same-origin' });
    } catch (err) {
      throw new HostError({
        message: `The host is not reachable (${(err as Error).message}).`,
        file: null,
        line: null,
        hint: 'Is `pulse serve` still running?',
        code: 'unreachable',
      });
    }
    let env: Envelope;
    try {
      env = (await res.json()) as Envelope;
    } catch {
      throw new HostError({
        message: `The host answered ${res.status} ${res.statusText}.`,
        file: null,
        line: null,
        hint: res.status === 401 ? 'Open the workbench with the URL (and token) that `pulse serve` printed.' : null,
        code: `http_${res.status}`,
      });
    }
    return unwrap(env);
  }

  return {
    door: 'server',
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      return (await post(`api/call/${encodeURIComponent(method)}`, JSON.stringify(input ?? {}), 'application/json')) as Output<M>;
    },
    onDidEmit: events.event,
    async upload(file: File): Promise<string> {
      const r = (await post(`api/upload?name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream')) as { path: string };
      return r.path;
    },
    onDidChangeConnection: connection.event,
  };
}

export function createClient(): ClientApi {
  if (window.pulse) return electronClient(window.pulse);
  // The token only authorises the first load (the server sets a cookie); keep it out of history and screenshots.
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url);
  }
  return httpClient(new URL('./', url));
}
