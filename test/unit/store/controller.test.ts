import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateInstanceName } from '../../../src/store/actions.js';
import { createController } from '../../../src/store/controller.js';
import { SAMPLE_FLUSH_MS, usesStateList } from '../../../src/store/sampler.js';
import { selectInstanceMetrics, selectSnapshotCount } from '../../../src/store/selectors.js';
import { createStore } from '../../../src/store/store.js';
import type { Controller, ControllerOptions, Store } from '../../../src/store/state.js';
import type { LxdEvent } from '../../../src/lxd/types.js';
import { FakeApi, httpError, netError } from './fake-api.js';
import { inst, lifecycle, op, opEvent } from './helpers.js';
import { OPERATION_KEEP_MS } from '../../../src/store/slices/operations.js';

let api: FakeApi;
let store: Store;
let ctl: Controller;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

/**
 * The polling mechanics (rounds, lists, batching, errors) with a budget that never binds: the
 * daemon budget and its spacing have tests of their own (sampler.test.ts).
 */
function setup(opts: ControllerOptions = {}, ...names: [string, string][]) {
  api = new FakeApi(...names);
  store = createStore();
  ctl = createController(api, store, { interval: 1000, daemonBudget: 1000, now: () => Date.now(), ...opts });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  ctl?.stop();
  vi.useRealTimers();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const keys = (...names: string[]) => names.map((n) => `default/${n}`);

/**
 * The CPU % the fake's counter (1 s more per answer) makes over the last two samples: rounds start
 * on wall-clock multiples of their period (so lxtops share them), not a fixed time after the last.
 */
function fakeCpu(key: string): number {
  const p = store.getState().samples[key];
  return (1e9 / ((p.last.at - p.prev!.at) * 1e6)) * 100;
}

describe('start', () => {
  it('subscribes to lifecycle and operation events first (a unix socket: the log lines too), then lists everything', async () => {
    setup({}, ['web1', 'Running']);
    await ctl.start();
    expect(api.calls[0]).toBe('events {"types":["lifecycle","operation"]}');
    expect(api.calls.slice(1, 5).sort()).toEqual(['listImages', 'listInstances', 'listOperations', 'server']);
    const s = store.getState();
    expect(Object.keys(s.instances)).toEqual(['default/web1']);
    expect(s.server?.kind).toBe('lxd');
    expect(s.connection.rest).toBe('ok');
    expect(s.connection.events).toBe('connected');
  });
});

describe('polling', () => {
  it('polls only visible running instances, every interval', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running'], ['c', 'Stopped']);
    await ctl.start();
    ctl.setVisible(keys('a', 'c'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('instanceState')).toBe(1);
    expect(api.calls.filter((c) => c.startsWith('instanceState'))).toEqual(['instanceState a']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.count('instanceState')).toBe(2);
    expect(selectInstanceMetrics(store.getState(), 'default/a').cpuPercent).toBeCloseTo(fakeCpu('default/a'), 6);
  });

  it('bounded concurrency and no overlapping rounds', async () => {
    const names: [string, string][] = Array.from({ length: 20 }, (_, i) => [`i${i}`, 'Running']);
    setup({ stateConcurrency: 3 }, ...names);
    await ctl.start();
    api.holdState = true;
    ctl.setVisible(names.map(([n]) => `default/${n}`));
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.maxInFlightState).toBe(3);
    expect(api.count('instanceState')).toBe(3); // the round waits; no new round starts
    api.holdState = false;
    while (api.held.length) {
      api.held.shift()!();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(api.count('instanceState')).toBe(20);
    expect(api.maxInFlightState).toBe(3);
  });

  it('pause stops polling and re-listing; resume re-lists once and polls again', async () => {
    setup({ relistInterval: 5000 }, ['a', 'Running']);
    await ctl.start();
    ctl.setVisible(keys('a'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('instanceState')).toBe(1);
    ctl.pause();
    expect(store.getState().paused).toBe(true);
    const before = api.calls.length;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(api.calls.length).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
    // events still reach the store while paused
    api.streams[0].emit(lifecycle('instance-stopped', '/1.0/instances/a'));
    expect(store.getState().instances['default/a'].status).toBe('Stopped');
    api.instances.get('a')!.status = 'Running';
    ctl.resume();
    await vi.advanceTimersByTimeAsync(10);
    expect(api.count('listInstances')).toBe(2);
    expect(store.getState().instances['default/a'].status).toBe('Running');
    expect(api.count('instanceState')).toBe(2);
  });

  it('records the daemon\'s logging frames in the events log, except its debug lines', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    const before = store.getState();
    const line = (level: string, message: string) => ({ type: 'logging', timestamp: '2026-12-06T20:00:00Z', location: 'none', metadata: { level, message, context: { instance: 'a' } } }) as unknown as LxdEvent;
    api.streams[0].emit(line('debug', 'Handling API request'));
    expect(store.getState()).toBe(before);
    api.streams[0].emit(line('info', 'Started container'));
    expect(store.getState().eventLog[0]).toMatchObject({ type: 'logging', instance: 'a', action: 'info', detail: 'Started container' });
    expect(store.getState().eventLog).toHaveLength(before.eventLog.length + 1);
  });

  it('another project\'s frames are recorded for the events view and nothing else', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    const calls = api.calls.length;
    const instances = store.getState().instances;
    const frame = { ...lifecycle('instance-stopped', '/1.0/instances/a?project=other'), project: 'other' } as LxdEvent;
    api.streams[0].emit(frame);
    api.streams[0].emit({ ...lifecycle('instance-created', '/1.0/instances/new?project=other'), project: 'other' } as LxdEvent);
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().instances).toBe(instances);
    expect(store.getState().eventLog.slice(0, 2).map((r) => `${r.project} ${r.action}`)).toEqual(['other instance-created', 'other instance-stopped']);
    expect(api.calls.slice(calls).filter((c) => c.startsWith('getInstance'))).toEqual([]);
    // The same frame of its own project changes its row.
    api.streams[0].emit({ ...frame, project: 'default' });
    expect(store.getState().instances['default/a'].status).toBe('Stopped');
  });

  it('setVisible during the first list does not stop the other timers from starting', async () => {
    setup({ relistInterval: 5000 }, ['a', 'Running']);
    // The view re-renders when the list lands and reports its rows before start() resumes.
    const off = store.subscribe(() => {
      if (store.getState().instances['default/a']) ctl.setVisible(keys('a'));
    });
    await ctl.start();
    off();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.count('listInstances')).toBe(2);
    expect(api.count('instanceState')).toBeGreaterThan(0);
  });

  it('stop clears every timer and closes the event stream', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    ctl.setVisible(keys('a'));
    await vi.advanceTimersByTimeAsync(100);
    ctl.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(api.streams[0].closed).toBe(true);
  });
});

describe('polling: one update per round, states by one list where it pays', () => {
  /** Store updates that changed the samples (what the views redraw for). */
  function sampleUpdates(): () => number {
    let n = 0;
    let last = store.getState().samples;
    store.subscribe(() => {
      const s = store.getState().samples;
      if (s !== last) n++;
      last = s;
    });
    return () => n;
  }

  it('single requests: a round of 6 arrives in the store as one update', async () => {
    const names: [string, string][] = Array.from({ length: 6 }, (_, i) => [`i${i}`, 'Running']);
    setup({ stateConcurrency: 2 }, ...names);
    await ctl.start();
    const updates = sampleUpdates();
    ctl.setVisible(names.map(([n]) => `default/${n}`));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('instanceState')).toBe(6);
    expect(updates()).toBe(1);
    expect(Object.keys(store.getState().samples)).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.count('instanceState')).toBe(12);
    expect(updates()).toBe(2);
    expect(selectInstanceMetrics(store.getState(), 'default/i3').cpuPercent).toBeCloseTo(fakeCpu('default/i3'), 6);
  });

  it('a slow round flushes what it has after SAMPLE_FLUSH_MS, the rest when it ends', async () => {
    setup({ stateConcurrency: 3, interval: 2000 }, ['a', 'Running'], ['b', 'Running'], ['c', 'Running']);
    await ctl.start();
    const updates = sampleUpdates();
    const orig = api.instanceState.bind(api);
    let release: () => void = () => {};
    api.instanceState = async (name: string) => {
      if (name === 'c') await new Promise<void>((r) => (release = r));
      return orig(name);
    };
    ctl.setVisible(keys('a', 'b', 'c'));
    await vi.advanceTimersByTimeAsync(100);
    expect(updates()).toBe(0);
    await vi.advanceTimersByTimeAsync(SAMPLE_FLUSH_MS);
    expect(updates()).toBe(1);
    expect(Object.keys(store.getState().samples).sort()).toEqual(keys('a', 'b'));
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(updates()).toBe(2);
    expect(store.getState().samples['default/c']).toBeDefined();
  });

  it('all visible and a small scope: one list per round, no single request, counts from the list', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running'], ['c', 'Running'], ['d', 'Stopped']);
    api.enableStateList();
    api.listedSnapshots.set('a', 2);
    await ctl.start();
    const updates = sampleUpdates();
    ctl.setVisible(keys('a', 'b', 'c', 'd'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.calls.filter((c) => c.startsWith('listInstanceStates'))).toEqual(['listInstanceStates {"runningOnly":true}']);
    expect(api.count('instanceState')).toBe(0);
    expect(updates()).toBe(1);
    expect(selectSnapshotCount(store.getState(), 'default/a')).toBe(2);
    // counts the list did not bring are read once, as before
    expect(api.calls.filter((c) => c.startsWith('listSnapshots')).sort()).toEqual(['listSnapshots b', 'listSnapshots c', 'listSnapshots d']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.count('listInstanceStates')).toBe(2);
    expect(api.count('instanceState')).toBe(0);
    expect(updates()).toBe(2);
    expect(selectInstanceMetrics(store.getState(), 'default/b').cpuPercent).toBeCloseTo(fakeCpu('default/b'), 6);
    expect(store.getState().samples['default/d']).toBeUndefined();
  });

  it('only the visible rows are sampled from the list', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running'], ['c', 'Running']);
    api.enableStateList();
    await ctl.start();
    ctl.setVisible(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('listInstanceStates')).toBe(1);
    expect(Object.keys(store.getState().samples).sort()).toEqual(keys('a', 'b'));
  });

  it('a large scope with few visible rows is read one by one (the daemon would build every state)', async () => {
    const names: [string, string][] = Array.from({ length: 10 }, (_, i) => [`i${i}`, i < 3 ? 'Running' : 'Stopped']);
    setup({}, ...names);
    api.enableStateList();
    await ctl.start();
    ctl.setVisible(keys('i0', 'i1'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('listInstanceStates')).toBe(0);
    expect(api.count('instanceState')).toBe(2);
    expect(usesStateList(2, 10)).toBe(false);
    expect(usesStateList(2, 4)).toBe(true);
    expect(usesStateList(1, 1)).toBe(false);
    expect(usesStateList(20, 40)).toBe(true);
    expect(usesStateList(50, 50)).toBe(true);
    expect(usesStateList(40, 5000)).toBe(false);
  });

  it('an instance stopped or deleted behind our back is missing from the list: its own request says which', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running'], ['c', 'Running'], ['d', 'Running']);
    api.enableStateList();
    await ctl.start();
    api.instances.set('b', inst('b', 'Stopped'));
    api.instances.delete('c');
    ctl.setVisible(keys('a', 'b', 'c', 'd'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.calls.filter((c) => c.startsWith('instanceState')).sort()).toEqual(['instanceState b', 'instanceState c']);
    expect(store.getState().instances['default/b'].status).toBe('Stopped');
    expect(store.getState().instances['default/c']).toBeUndefined();
    expect(store.getState().samples['default/a']).toBeDefined();
    expect(api.count('listInstanceStates')).toBe(1);
    // the list stays in use; b (stopped) is no longer polled
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.count('listInstanceStates')).toBe(2);
    expect(api.count('instanceState')).toBe(2);
    expect(selectInstanceMetrics(store.getState(), 'default/d').cpuPercent).toBeCloseTo(fakeCpu('default/d'), 6);
  });

  it.each(['null', 'stateless'] as const)('a server without state lists (%s): single requests, the list never asked again', async (mode) => {
    setup({}, ['a', 'Running'], ['b', 'Running']);
    api.enableStateList(mode);
    await ctl.start();
    ctl.setVisible(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('listInstanceStates')).toBe(1);
    expect(api.count('instanceState')).toBe(2);
    expect(Object.keys(store.getState().samples).sort()).toEqual(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(api.count('listInstanceStates')).toBe(1);
    expect(api.count('instanceState')).toBe(6);
  });

  it('a refused list (HTTP error) falls back to single requests in the same round', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running']);
    api.enableStateList();
    api.fail.listInstanceStates = httpError('invalid filter', 400);
    await ctl.start();
    ctl.setVisible(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.count('instanceState')).toBe(2);
    expect(store.getState().samples['default/b']).toBeDefined();
  });

  it('a network error on the list marks the connection down, no single requests follow', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running']);
    api.enableStateList();
    await ctl.start();
    api.fail.listInstanceStates = netError();
    ctl.setVisible(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.getState().connection.rest).toBe('down');
    expect(api.count('instanceState')).toBe(0);
    delete api.fail.listInstanceStates;
    await vi.advanceTimersByTimeAsync(3000);
    expect(store.getState().connection.rest).toBe('ok');
    expect(store.getState().samples['default/a']).toBeDefined();
  });

  it('--all-projects asks the list across projects', async () => {
    setup({ allProjects: true }, ['a', 'Running'], ['b', 'Running']);
    api.enableStateList();
    await ctl.start();
    ctl.setVisible(keys('a', 'b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(api.calls).toContain('listInstanceStates {"allProjects":true,"runningOnly":true}');
  });
});

describe('events and re-lists', () => {
  it('an events reconnect triggers a full re-list; the safety net re-lists periodically', async () => {
    setup({ relistInterval: 30_000 });
    await ctl.start();
    expect(api.count('listInstances')).toBe(1);
    api.streams[0].reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.count('listInstances')).toBe(2);
    expect(store.getState().connection.reconnecting).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.count('listInstances')).toBe(3);
  });

  it('an event for an unknown instance fetches it', async () => {
    setup();
    await ctl.start();
    api.instances.set('new1', { ...(await api.listInstances())[0], name: 'new1' } as never);
    api.instances.set('new1', { name: 'new1', status: 'Stopped', project: 'default' } as never);
    api.streams[0].emit(lifecycle('instance-created', '/1.0/instances/new1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls).toContain('getInstance new1');
    expect(store.getState().instances['default/new1']?.status).toBe('Stopped');
  });

  it('counts snapshots of visible rows once; a snapshot event re-reads the count', async () => {
    setup({}, ['a', 'Stopped'], ['b', 'Stopped']);
    await ctl.start();
    ctl.setVisible(keys('a'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(api.calls.filter((c) => c.startsWith('listSnapshots'))).toEqual(['listSnapshots a']);
    expect(selectSnapshotCount(store.getState(), 'default/a')).toBe(1);
    expect(selectSnapshotCount(store.getState(), 'default/b')).toBeNull();
    api.streams[0].emit(lifecycle('instance-snapshot-created', '/1.0/instances/b/snapshots/s1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(selectSnapshotCount(store.getState(), 'default/b')).toBe(1);
  });

  it('a fetch that answers 404 removes the row', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    api.instances.delete('a');
    api.streams[0].emit(lifecycle('instance-updated', '/1.0/instances/a'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().instances['default/a']).toBeUndefined();
  });
});

describe('connection loss', () => {
  it('network error → down + banner; retries every 0.5 s; recovers and re-lists', async () => {
    setup({}, ['a', 'Running']);
    api.failAll = netError();
    await ctl.start();
    let c = store.getState().connection;
    expect(c).toMatchObject({ rest: 'down', reconnecting: true, lastError: 'connect ENOENT /var/tmp/x/unix.socket' });
    const serverCalls = () => api.count('server');
    expect(serverCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(serverCalls()).toBe(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(serverCalls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(serverCalls()).toBe(3);
    // Every 0.5 s (a retry is one GET /1.0): back within half a second of the daemon, however long away.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(serverCalls()).toBe(123);
    api.failAll = null;
    await vi.advanceTimersByTimeAsync(1000);
    c = store.getState().connection;
    expect(c).toMatchObject({ rest: 'ok', reconnecting: false });
    expect(Object.keys(store.getState().instances)).toEqual(['default/a']);
    expect(api.count('instanceState')).toBe(0); // nothing polled while down (none visible)
  });

  it('a network error while polling marks the connection down', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    api.fail.instanceState = netError('socket hang up');
    ctl.setVisible(keys('a'));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.getState().connection).toMatchObject({ rest: 'down', lastError: 'socket hang up' });
    delete api.fail.instanceState;
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.getState().connection.rest).toBe('ok');
  });
});

describe('a dropped event stream asks the REST API whether the daemon is still there', () => {
  it('gone: the connection reads down at once and the quick retries bring it back', async () => {
    setup({}, ['a', 'Stopped']);
    await ctl.start();
    const calls = api.count('server');
    api.failAll = netError();
    for (const h of api.streams[0].statuses) h('disconnected', new Error('socket hang up'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.count('server')).toBe(calls + 1);
    expect(store.getState().connection).toMatchObject({ rest: 'down', reconnecting: true });
    api.failAll = null;
    await vi.advanceTimersByTimeAsync(500);
    expect(store.getState().connection.rest).toBe('ok');
  });

  it('still there: nothing changes but the stream\'s own status; a stream failing again is not asked about', async () => {
    setup({}, ['a', 'Stopped']);
    await ctl.start();
    const calls = api.count('server');
    const emit = (status: 'disconnected' | 'connecting') => {
      for (const h of api.streams[0].statuses) h(status, new Error('socket hang up'));
    };
    emit('disconnected');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.count('server')).toBe(calls + 1);
    expect(store.getState().connection).toMatchObject({ rest: 'ok', eventsLost: true });
    emit('connecting');
    emit('disconnected');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.count('server')).toBe(calls + 1);
  });
});

describe('actions', () => {
  it('read-only refuses every action with a status line and never calls the API', async () => {
    setup({ readOnly: true }, ['a', 'Running']);
    await ctl.start();
    const before = api.calls.length;
    const results = await Promise.all([
      ctl.startInstances(keys('a')),
      ctl.stopInstances(keys('a')),
      ctl.forceStopInstances(keys('a')),
      ctl.restartInstances(keys('a')),
      ctl.freezeInstances(keys('a')),
      ctl.unfreezeInstances(keys('a')),
      ctl.deleteInstances(keys('a'), { force: true }),
      ctl.snapshot('default/a', 's1'),
      ctl.restore('default/a', 's1'),
      ctl.deleteSnapshot('default/a', 's1'),
      ctl.rename('default/a', 'b'),
      ctl.createInstance('x', 'busybox'),
      ctl.deleteImage('abc'),
      ctl.cancelOperation('op1'),
    ]);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(api.calls.length).toBe(before);
    expect(store.getState().status).toMatchObject({ level: 'error' });
    expect(store.getState().status?.text).toMatch(/^Read-only mode/);
    expect(store.getState().readOnly).toBe(true);
  });

  it('tracks the operation at once, waits, and applies the outcome', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    let open!: () => void;
    api.waitGate = new Promise((r) => (open = r));
    const done = ctl.stopInstances(keys('a'));
    await vi.advanceTimersByTimeAsync(0);
    const ops = Object.values(store.getState().operations);
    expect(ops).toHaveLength(1);
    expect(ops[0].finishedAt).toBeNull();
    open();
    expect(await done).toEqual({ ok: true });
    expect(store.getState().instances['default/a'].status).toBe('Stopped');
    expect(Object.values(store.getState().operations)[0].outcome).toBe('Success');
    expect(store.getState().status).toMatchObject({ text: 'Stopped a', level: 'info' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.getState().operations).toEqual({}); // pruned
  });

  it('a finished operation (from an event) leaves OPERATION_KEEP_MS after it ended; no prune runs while none has finished', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    const prunes: number[] = [];
    const dispatch = store.dispatch.bind(store);
    store.dispatch = (action) => {
      if (action.type === 'operations/prune') prunes.push(Date.now());
      dispatch(action);
    };
    await vi.advanceTimersByTimeAsync(60_000);
    expect(prunes).toEqual([]); // an idle lxtop is not woken every second for nothing
    api.streams[0].emit(opEvent(op('op1', 'Running')));
    await vi.advanceTimersByTimeAsync(5000);
    expect(prunes).toEqual([]);
    expect(Object.keys(store.getState().operations)).toEqual(['op1']);
    api.streams[0].emit(opEvent(op('op1', 'Success', { status_code: 200 })));
    const ended = Date.now();
    await vi.advanceTimersByTimeAsync(OPERATION_KEEP_MS - 100);
    expect(Object.keys(store.getState().operations)).toEqual(['op1']);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.getState().operations).toEqual({});
    expect(prunes).toEqual([ended + OPERATION_KEEP_MS]);
  });

  it('puts Failure err verbatim in the status line', async () => {
    setup({}, ['a', 'Running']);
    await ctl.start();
    api.outcomes.push({ prefix: 'start', outcome: { status: 'Failure', err: 'The instance is already running' } });
    const r = await ctl.startInstances(keys('a'));
    expect(r).toEqual({ ok: false, error: 'The instance is already running' });
    expect(store.getState().status).toMatchObject({ level: 'error', text: 'a: The instance is already running' });
    expect(Object.values(store.getState().operations)[0].outcome).toBe('Failure');
  });

  it('a thrown server error reaches the status line verbatim, never as a rejection', async () => {
    setup({}, ['a', 'Running'], ['b', 'Running']);
    await ctl.start();
    api.fail.deleteInstance = httpError('Instance is running');
    const r = await ctl.deleteInstances(keys('a', 'b'));
    expect(r.ok).toBe(false);
    expect(store.getState().status?.text).toBe('2 of 2 failed; a: Instance is running');
  });

  it('force delete stops a running instance with --force first', async () => {
    setup({}, ['a', 'Running'], ['s', 'Stopped']);
    await ctl.start();
    expect(await ctl.deleteInstances(keys('a', 's'), { force: true })).toEqual({ ok: true });
    const acts = api.calls.filter((c) => c.startsWith('changeState') || c.startsWith('deleteInstance'));
    expect(acts.sort()).toEqual(['changeState a stop force', 'deleteInstance a', 'deleteInstance s']);
    expect(api.calls.indexOf('changeState a stop force')).toBeLessThan(api.calls.indexOf('deleteInstance a'));
    expect(store.getState().instances).toEqual({});
  });

  it('create starts explicitly after creating; invalid names never reach the API', async () => {
    setup();
    await ctl.start();
    expect(await ctl.createInstance('new-1', 'busybox')).toEqual({ ok: true });
    expect(api.calls.filter((c) => /^(create|change)/.test(c))).toEqual([
      'createInstance new-1 {"alias":"busybox"}',
      'changeState new-1 start',
    ]);
    expect(store.getState().instances['default/new-1'].status).toBe('Running');
    const before = api.calls.length;
    const bad = await ctl.createInstance('1bad', 'busybox');
    expect(bad.ok).toBe(false);
    expect(api.calls.length).toBe(before);
    expect(store.getState().status?.text).toBe('Invalid instance name: Name must not start with a number');
  });

  it('names are checked by the rules of the server in use', () => {
    expect(validateInstanceName('1abc', 'lxd')).toBe('Invalid instance name: Name must not start with a number');
    expect(validateInstanceName('1abc', 'incus')).toBeNull();
    expect(validateInstanceName('123', 'incus')).toBe('Invalid instance name: Name cannot be a number');
    expect(validateInstanceName('web-1')).toBeNull();
  });

  it('rename moves the row; snapshot/restore/cancel call through', async () => {
    setup({}, ['a', 'Stopped']);
    await ctl.start();
    store.dispatch({ type: 'ui/select', pane: 'instances', key: 'default/a' });
    expect(await ctl.rename('default/a', 'b')).toEqual({ ok: true });
    expect(store.getState().ui.panes.instances.selected).toBe('default/b');
    expect(await ctl.snapshot('default/b', 'snap1')).toEqual({ ok: true });
    expect(await ctl.restore('default/b', 'snap1')).toEqual({ ok: true });
    expect(await ctl.cancelOperation('op9')).toEqual({ ok: true });
    expect(api.calls).toEqual(expect.arrayContaining(['createSnapshot b snap1', 'restoreSnapshot b snap1', 'cancelOperation op9']));
    expect(await ctl.listSnapshots('default/b')).toHaveLength(1);
    const detail = await ctl.instanceDetail('default/b');
    expect(detail?.instance.name).toBe('b');
    expect(detail?.snapshots).toHaveLength(1);
  });

  it('instanceDetail of a vanished instance: null, error in the status line', async () => {
    setup({}, ['a', 'Stopped']);
    await ctl.start();
    api.instances.delete('a');
    expect(await ctl.instanceDetail('default/a')).toBeNull();
    expect(store.getState().status?.text).toBe('a: Instance not found');
    expect(store.getState().instances['default/a']).toBeUndefined();
  });
});
