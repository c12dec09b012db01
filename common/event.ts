/**
 * The one event and disposable type of host and window, after VS Code's `Event`/`Emitter`/`IDisposable`: an object
 * owns a private `Emitter` and exposes its `event` as a public `onDidX`; subscribing returns something to `dispose()`.
 * Plain TypeScript (no DOM, no Node, no React), so both sides import it (the host's EventBus, the renderer's services).
 */

/** Something to release: a subscription, a registration, a timer. */
export interface IDisposable {
  dispose(): void;
}

/** A subscription function: call it with a listener, dispose the result to stop listening. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Several disposables released together (a feature's subscriptions, a service's registrations). */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  add<T extends IDisposable>(d: T): T {
    // Added after dispose: released at once, so nothing outlives its owner.
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of [...this.items]) d.dispose();
    this.items.clear();
  }
}

export interface EmitterOptions {
  /** Runs before the first listener is added: start the source lazily (a socket, a host subscription). */
  onWillAddFirstListener?: () => void;
  /** Runs after the last listener is removed. */
  onDidRemoveLastListener?: () => void;
}

/** Fires events to its listeners in subscription order; a throwing listener is reported and the others still run. */
export class Emitter<T> implements IDisposable {
  private readonly listeners = new Set<{ fn: (e: T) => void }>();
  private disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {}

  /** The public side: `readonly onDidX = this.x.event`. */
  readonly event: Event<T> = (fn) => {
    if (this.disposed) return toDisposable(() => undefined);
    if (this.listeners.size === 0) this.options.onWillAddFirstListener?.();
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const entry = { fn };
    this.listeners.add(entry);
    return toDisposable(() => {
      if (!this.listeners.delete(entry)) return;
      if (this.listeners.size === 0) this.options.onDidRemoveLastListener?.();
    });
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l.fn(e);
      } catch (err) {
        console.error(err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const had = this.listeners.size > 0;
    this.listeners.clear();
    if (had) this.options.onDidRemoveLastListener?.();
  }
}

/** Events derived from events. */
export const Event = {
  /** Only the events that pass `pred` (narrowing when `pred` is a type guard). */
  filter<T, U extends T = T>(event: Event<T>, pred: ((e: T) => e is U) | ((e: T) => boolean)): Event<U> {
    return (fn) => event((e) => pred(e) && fn(e as U));
  },
  /** Each event mapped through `map`. */
  map<T, U>(event: Event<T>, map: (e: T) => U): Event<U> {
    return (fn) => event((e) => fn(map(e)));
  },
  /** Never fires (an Electron window has no connection to lose). */
  None: ((): IDisposable => toDisposable(() => undefined)) as Event<never>,
};
