import { describe, expect, it, vi } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import { createEventStream } from '../../../src/store/event-stream.js';
import { createStore } from '../../../src/store/store.js';
import { FakeApi, netError } from './fake-api.js';
import { lifecycle } from './helpers.js';

function setup(opts: { allProjects?: boolean; api?: LxdApi } = {}) {
  const api = new FakeApi();
  const store = createStore();
  const onEvent = vi.fn();
  const relist = vi.fn(async () => {});
  const onNetworkError = vi.fn();
  let stopped = false;
  const events = createEventStream({
    api: opts.api ?? api,
    store,
    now: () => 42,
    allProjects: opts.allProjects ?? false,
    dispatch: (a) => store.dispatch(a),
    stopped: () => stopped,
    onEvent,
    relist,
    onNetworkError,
  });
  return { api, store, events, onEvent, relist, onNetworkError, stop: () => void (stopped = true) };
}

const flush = () => new Promise((r) => setImmediate(r));

describe("the controller's event stream", () => {
  it('lifecycle and operation frames (every project with allProjects), status to the store, frames and reconnects passed on', () => {
    const { api, store, events, onEvent, relist } = setup({ allProjects: true });
    events.open();
    expect(api.calls).toEqual(['events {"types":["lifecycle","operation"],"allProjects":true}']);
    expect(store.getState().connection).toMatchObject({ events: 'connected', eventsLost: false });
    expect(events.current()).toBe(api.streams[0]);
    const e = lifecycle('instance-started', '/1.0/instances/a');
    api.streams[0].emit(e);
    expect(onEvent).toHaveBeenCalledWith(e);
    api.streams[0].reconnect();
    expect(relist).toHaveBeenCalledTimes(1);
  });

  it('every project and the daemon\'s log lines where the client sees them all (a unix socket); elsewhere the project, no log lines (LXD refuses them to a restricted certificate)', () => {
    const unix = setup({});
    unix.api.seesEveryProject = true;
    unix.events.open();
    expect(unix.api.calls).toEqual(['events {"types":["lifecycle","operation","logging"],"allProjects":true}']);
    const https = setup({});
    https.events.open();
    expect(https.api.calls).toEqual(['events {"types":["lifecycle","operation"]}']);
  });

  it('a stream that cannot be opened reads disconnected with the error', () => {
    const api = new FakeApi();
    api.events = () => {
      throw new Error('no websocket module');
    };
    const { store, events } = setup({ api });
    events.open();
    expect(store.getState().connection).toMatchObject({ events: 'disconnected', eventsError: 'no websocket module' });
    expect(events.current()).toBeNull();
  });

  it('dropped after connecting: the REST API is asked; a network error there goes on', async () => {
    const { api, events, onNetworkError } = setup();
    events.open();
    const calls = api.count('server');
    api.failAll = netError();
    api.streams[0].reconnect(); // disconnected (asked), then connected
    await flush();
    expect(api.count('server')).toBe(calls + 1);
    expect(onNetworkError).toHaveBeenCalledTimes(1);
  });

  it('close unsubscribes and closes; nothing reaches the store after stop', () => {
    const { api, store, events, onEvent, stop } = setup();
    events.open();
    const stream = api.streams[0];
    stop();
    stream.reconnect();
    expect(store.getState().connection.events).toBe('connected');
    events.close();
    expect(stream.closed).toBe(true);
    expect(events.current()).toBeNull();
    stream.emit(lifecycle('instance-started', '/1.0/instances/a'));
    expect(onEvent).not.toHaveBeenCalled();
  });
});
