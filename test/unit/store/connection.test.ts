import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventStream } from '../../../src/lxd/api.js';
import { createConnection, RETRY_MS } from '../../../src/store/connection.js';
import { createStore } from '../../../src/store/store.js';
import { createTimers } from '../../../src/store/timers.js';
import { netError } from './fake-api.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(opts: { active?: boolean; events?: Partial<EventStream> | null } = {}) {
  const store = createStore();
  let active = opts.active ?? true;
  let stopped = false;
  const relist = vi.fn(async () => {});
  const timers = createTimers(() => active);
  const connection = createConnection({
    store,
    now: () => Date.now(),
    dispatch: (a) => store.dispatch(a),
    stopped: () => stopped,
    active: () => active,
    timers,
    relist,
    events: () => (opts.events ?? null) as EventStream | null,
  });
  return {
    store,
    relist,
    timers,
    connection,
    pause: () => void (active = false),
    stop: () => void (stopped = true),
  };
}

describe('the REST connection', () => {
  it('a network error: down with the error verbatim, one re-list every RETRY_MS, never backing off', async () => {
    const { store, relist, connection } = setup();
    connection.onNetworkError(netError('connect ECONNREFUSED'));
    expect(store.getState().connection).toMatchObject({ rest: 'down', lastError: 'connect ECONNREFUSED', nextRetryAt: Date.now() + RETRY_MS });
    // More errors while a retry waits change nothing.
    connection.onNetworkError(netError('again'));
    expect(store.getState().connection.lastError).toBe('connect ECONNREFUSED');
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(relist).toHaveBeenCalledTimes(1);
    // The re-list failed again: the next retry is as close as the first.
    for (let i = 2; i <= 4; i++) {
      connection.onNetworkError(netError('still refused'));
      expect(store.getState().connection.nextRetryAt).toBe(Date.now() + RETRY_MS);
      await vi.advanceTimersByTimeAsync(RETRY_MS);
      expect(relist).toHaveBeenCalledTimes(i);
    }
  });

  it('an answer: up again, the waiting retry dropped, a disconnected event stream reconnects now', async () => {
    const reconnectNow = vi.fn();
    const { store, relist, timers, connection } = setup({ events: { status: 'disconnected', reconnectNow } });
    connection.onNetworkError(netError());
    connection.onRestOk();
    expect(store.getState().connection).toMatchObject({ rest: 'ok', nextRetryAt: null, reconnecting: false });
    expect(timers.has('retry')).toBe(false);
    expect(reconnectNow).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(RETRY_MS * 4);
    expect(relist).not.toHaveBeenCalled();
  });

  it('a connected stream is left alone; a throwing reconnectNow is ignored', () => {
    const reconnectNow = vi.fn();
    setup({ events: { status: 'connected', reconnectNow } }).connection.onRestOk();
    expect(reconnectNow).not.toHaveBeenCalled();
    const throwing = () => {
      throw new Error('boom');
    };
    expect(() => setup({ events: { status: 'disconnected', reconnectNow: throwing } }).connection.onRestOk()).not.toThrow();
  });

  it('paused: down with no retry time (the resume re-lists); stopped: nothing at all', async () => {
    const paused = setup({ active: false });
    paused.connection.onNetworkError(netError());
    expect(paused.store.getState().connection).toMatchObject({ rest: 'down', nextRetryAt: null });
    await vi.advanceTimersByTimeAsync(RETRY_MS * 2);
    expect(paused.relist).not.toHaveBeenCalled();

    const stopped = setup();
    stopped.stop();
    stopped.connection.onNetworkError(netError());
    expect(stopped.store.getState().connection.rest).toBe('connecting');
  });
});
