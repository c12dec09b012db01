import { describe, expect, test, vi } from 'vitest';
import { DisposableStore, Emitter, Event, toDisposable } from '../../../common/event.js';

describe('Emitter', () => {
  test('fires to each subscription in order until it is disposed', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    const a = e.event((n) => seen.push(`a${n}`));
    e.event((n) => seen.push(`b${n}`));
    e.fire(1);
    a.dispose();
    a.dispose();
    e.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  test('the same function subscribed twice is called twice and disposed once per subscription', () => {
    const e = new Emitter<void>();
    const fn = vi.fn();
    const one = e.event(fn);
    e.event(fn);
    e.fire();
    one.dispose();
    e.fire();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  test('a throwing listener is reported and the others still run', () => {
    const e = new Emitter<number>();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    e.event(() => {
      throw new Error('broken');
    });
    e.event(after);
    e.fire(7);
    expect(after).toHaveBeenCalledWith(7);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });

  test('first-listener and last-listener hooks start and stop a source lazily', () => {
    const log: string[] = [];
    const e = new Emitter<number>({ onWillAddFirstListener: () => log.push('start'), onDidRemoveLastListener: () => log.push('stop') });
    const a = e.event(() => undefined);
    const b = e.event(() => undefined);
    a.dispose();
    b.dispose();
    e.event(() => undefined);
    expect(log).toEqual(['start', 'stop', 'start']);
  });

  test('a listener added while firing runs from the next event on', () => {
    const e = new Emitter<number>();
    const late = vi.fn();
    e.event(() => e.event(late));
    e.fire(1);
    expect(late).not.toHaveBeenCalled();
    e.fire(2);
    expect(late).toHaveBeenCalledWith(2);
  });

  test('after dispose it fires nothing and subscriptions are inert', () => {
    const e = new Emitter<number>();
    const fn = vi.fn();
    e.event(fn);
    e.dispose();
    e.fire(1);
    e.event(fn).dispose();
    expect(fn).not.toHaveBeenCalled();
    expect(e.hasListeners).toBe(false);
  });
});

describe('Event helpers and DisposableStore', () => {
  test('filter and map derive events', () => {
    const e = new Emitter<number>();
    const got: string[] = [];
    Event.map(
      Event.filter(e.event, (n) => n % 2 === 0),
      (n) => `#${n}`,
    )((s) => got.push(s));
    [1, 2, 3, 4].forEach((n) => e.fire(n));
    expect(got).toEqual(['#2', '#4']);
  });

  test('a store disposes everything it holds once, and what is added later at once', () => {
    const store = new DisposableStore();
    const fn = vi.fn();
    store.add(toDisposable(fn));
    store.add(toDisposable(fn));
    store.dispose();
    store.dispose();
    expect(fn).toHaveBeenCalledTimes(2);
    store.add(toDisposable(fn));
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
