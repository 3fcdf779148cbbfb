// Sampling within the daemon budget, on a fake clock: what is asked, how often, what it costs the
// (fake) daemon, how metrics figures are timed, and what happens when metrics are refused,
// malformed or slow. The fake daemon's latencies are fake-timer delays, so lxtop's estimator learns
// the costs from them as it would from a real daemon's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALIBRATION } from '../../../src/store/cost.js';
import { createController } from '../../../src/store/controller.js';
import { METRICS_RETRY_MS } from '../../../src/store/sampler.js';
import { selectInstanceMetrics } from '../../../src/store/selectors.js';
import { createStore } from '../../../src/store/store.js';
import type { Controller, ControllerOptions, SamplePair, Store } from '../../../src/store/state.js';
import { FakeApi } from './fake-api.js';
import { lifecycle } from './helpers.js';

const START = 1_700_000_000_000;

/** When the row's latest metrics sample was computed (undefined: none). */
function metricsAt(p: SamplePair | undefined): number | undefined {
  if (!p) return undefined;
  return p.last.source === 'metrics' ? p.last.at : p.metrics?.at;
}
let made: { api: FakeApi; store: Store; ctl: Controller }[] = [];
let dir: string;

beforeEach(() => {
  vi.useFakeTimers({ now: START + 300 });
  dir = mkdtempSync(join(tmpdir(), 'lxtop-sampler-'));
  made = [];
});
afterEach(() => {
  for (const m of made) m.ctl.stop();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const names = (n: number, running = n) => Array.from({ length: n }, (_, i) => [`c${String(i).padStart(3, '0')}`, i < running ? 'Running' : 'Stopped'] as [string, string]);

function setup(api: FakeApi, opts: ControllerOptions = {}) {
  const store = createStore();
  const ctl = createController(api, store, { interval: 2000, now: () => Date.now(), ...opts });
  made.push({ api, store, ctl });
  return { store, ctl };
}

function fakeApi(n: number, running = n): FakeApi {
  const api = new FakeApi(...names(n, running));
  api.stateMs = 120; // ~0.11 s of daemon CPU by the estimator
  return api;
}

/** The fake daemon's CPU over the run as lxtop's own estimator would charge it (k × latency). */
function daemonSeconds(api: FakeApi): number {
  const states = api.count('instanceState');
  return api.metricsComputed * CALIBRATION.metrics.k * (api.metricsColdMs / 1000) + states * CALIBRATION.state.k * (api.stateMs / 1000);
}

async function startWith(api: FakeApi, visible: number, opts: ControllerOptions = {}) {
  const s = setup(api, opts);
  await s.ctl.start();
  s.ctl.setVisible(Object.keys(s.store.getState().instances).sort().slice(0, visible));
  return s;
}

describe('at the default budget (10 % of a core)', () => {
  it('20 running: the selected row by /state every 2 s, the others by one metrics fetch per slot; within budget', async () => {
    const api = fakeApi(20);
    api.enableMetrics();
    const { store } = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(60_000); // startup: first figures at once, then the plan
    const t0 = Date.now();
    const d0 = daemonSeconds(api);
    const states0 = api.calls.filter((c) => c.startsWith('instanceState')).length;
    await vi.advanceTimersByTimeAsync(600_000);
    const seconds = (Date.now() - t0) / 1000;
    const share = (daemonSeconds(api) - d0) / seconds;
    expect(share).toBeLessThanOrEqual(0.1);
    expect(share).toBeGreaterThan(0.05); // it does use what it may
    const sampling = store.getState().sampling!;
    expect(sampling).toMatchObject({ budget: 0.1, via: 'metrics', selectedMs: 2000 });
    expect(sampling.refreshMs).toBeGreaterThanOrEqual(16_000);
    // the selected (first) row: ~one /state per 2 s; the rest only now and then (IPv4, disk)
    const selected = api.calls.slice(0).filter((c) => c === 'instanceState c000').length;
    expect(selected).toBeGreaterThanOrEqual(600 / 2 - 5 + 30);
    const others = api.calls.filter((c) => c.startsWith('instanceState') && c !== 'instanceState c000').length;
    expect(others).toBeLessThan((api.calls.filter((c) => c.startsWith('instanceState')).length - states0) / 4);
    // figures on every running row; the selected one ≤ 2 s old
    const now = Date.now();
    const st = store.getState();
    expect(now - st.samples['default/c000'].last.at).toBeLessThanOrEqual(2200);
    expect(selectInstanceMetrics(st, 'default/c005').cpuPercent).toBeCloseTo(50, 1);
    expect(selectInstanceMetrics(st, 'default/c005').memoryBytes).toBe(1000);
  });

  it('one running row: by /state every 2 s alone (fits the budget)', async () => {
    const api = fakeApi(5, 1);
    api.enableMetrics();
    const { store } = await startWith(api, 5);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(api.count('metrics')).toBe(0);
    expect(api.count('instanceState')).toBeGreaterThanOrEqual(9);
    expect(store.getState().sampling).toMatchObject({ via: 'state', refreshMs: 2000 });
  });

  it('another pane on screen: no instance figures asked (none are shown); back on Instances: at once again', async () => {
    // 20 running: the selected row has a /state of its own every 2 s, the others come by metrics.
    const api = fakeApi(20);
    api.enableMetrics();
    const { store, ctl } = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.count('instanceState')).toBeGreaterThanOrEqual(25);
    for (const pane of ['sessions', 'images', 'operations'] as const) {
      store.dispatch({ type: 'ui/focus', pane });
      ctl.setVisible([]); // as App does: no instance rows on screen
      await vi.advanceTimersByTimeAsync(1000); // a round already asked may end
      const before = [api.count('instanceState'), api.count('metrics')];
      await vi.advanceTimersByTimeAsync(60_000);
      expect([api.count('instanceState'), api.count('metrics')], pane).toEqual(before);
    }
    store.dispatch({ type: 'ui/focus', pane: 'instances' });
    ctl.setVisible(Object.keys(store.getState().instances).sort());
    const before = api.count('instanceState');
    await vi.advanceTimersByTimeAsync(3000);
    expect(api.count('instanceState')).toBeGreaterThan(before);
  });

  it('metrics fetches start on wall-clock multiples of their period (lxtops meet in the daemon cache)', async () => {
    const api = fakeApi(20);
    api.enableMetrics();
    const times: number[] = [];
    const orig = api.metrics!;
    api.metrics = (o) => {
      times.push(Date.now());
      return orig(o);
    };
    const { store } = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(400_000);
    const period = store.getState().sampling!.refreshMs!;
    // the first fetch is at once; every later one on a slot
    expect(times.length).toBeGreaterThan(2);
    for (const t of times.slice(1)) expect(t % period).toBe(0);
  });

  it('three lxtops on one daemon: one metrics computation per slot, the selected row’s /state asked once per slot', async () => {
    const api = fakeApi(20);
    api.enableMetrics();
    const before = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = dir;
    try {
      const one = fakeApi(20);
      one.enableMetrics();
      await startWith(one, 20, { shareKey: 'unix:/one' });
      for (let i = 0; i < 3; i++) await startWith(api, 20, { shareKey: 'unix:/three' });
      await vi.advanceTimersByTimeAsync(60_000);
      const [d1, d3] = [daemonSeconds(one), daemonSeconds(api)];
      await vi.advanceTimersByTimeAsync(600_000);
      const cost1 = daemonSeconds(one) - d1;
      const cost3 = daemonSeconds(api) - d3;
      expect(cost3).toBeLessThanOrEqual(1.3 * cost1);
    } finally {
      if (before === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = before;
    }
  });
});

describe('--daemon-budget 0: events only', () => {
  it('asks no state and no metrics; events still reach the rows at once', async () => {
    const api = fakeApi(20);
    api.enableMetrics();
    const { store } = await startWith(api, 20, { daemonBudget: 0 });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(api.count('instanceState')).toBe(0);
    expect(api.count('metrics')).toBe(0);
    expect(store.getState().sampling).toMatchObject({ budget: 0, via: 'none' });
    api.streams[0].emit(lifecycle('instance-stopped', '/1.0/instances/c003'));
    expect(store.getState().instances['default/c003'].status).toBe('Stopped');
  });
});

describe('metrics refused, malformed or slow', () => {
  it.each(['refuse', 'malformed'] as const)('%s: /state takes over, the status line says why, metrics tried again later', async (mode) => {
    const api = fakeApi(20);
    api.enableMetrics(mode);
    const { store } = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.count('metrics')).toBe(1);
    expect(store.getState().status?.text).toMatch(/^metrics: .*figures from \/state/);
    expect(store.getState().sampling?.via).toBe('state');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(api.count('metrics')).toBe(1);
    // every visible running row has figures from /state
    expect(Object.keys(store.getState().samples).length).toBe(20);
    await vi.advanceTimersByTimeAsync(METRICS_RETRY_MS);
    expect(api.count('metrics')).toBeGreaterThanOrEqual(2);
  });

  it('slow: the panes go on (the selected row keeps its 2 s), one fetch at a time, the figures age', async () => {
    const api = fakeApi(20);
    api.enableMetrics('slow', { slowMs: 90_000 });
    const { store } = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.count('metrics')).toBe(1); // still waiting: no second one
    const st = store.getState();
    expect(Date.now() - st.samples['default/c000'].last.at).toBeLessThanOrEqual(2200);
    const fromMetrics = () => Object.values(store.getState().samples).filter((p) => metricsAt(p) !== undefined).length;
    expect(fromMetrics()).toBe(0);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(fromMetrics()).toBeGreaterThan(10);
  });
});

describe('the time base of metrics figures', () => {
  it('CPU % is Δ CPU seconds over Δ computation time, however late each lxtop read the cache', async () => {
    const api = fakeApi(20);
    api.enableMetrics('ok', { cpuPerSecond: 0.25 });
    const a = await startWith(api, 20);
    await vi.advanceTimersByTimeAsync(3000);
    const b = await startWith(api, 20); // starts later: its reads land in the same cache entries
    await vi.advanceTimersByTimeAsync(300_000);
    for (const { store } of [a, b]) {
      const m = selectInstanceMetrics(store.getState(), 'default/c010');
      expect(m.cpuPercent).toBeCloseTo(25, 0);
      const pair = store.getState().samples['default/c010'];
      expect(pair.last.source).toBe('metrics');
      // the figures' time is the computation's, never later than when they were read
      expect(pair.last.at).toBeLessThanOrEqual(Date.now());
    }
  });

  it('idle instances: each computation gives the same counters, and each is a new sample (CPU 0 % over two computations)', async () => {
    // As the integration test on the real daemons: three idle running instances and a stopped one,
    // the rows by metrics every 16 s (a budget that never binds), the first row selected (/state
    // every 2 s), the others' IPv4 and disk by the slow /state now and then. Every fetch comes 16 s
    // after the last, when the last entry had expired (8 s): the same counters are a new
    // computation of instances that did nothing, not the cache entry seen before.
    const api = fakeApi(4, 3);
    api.metricsColdMs = 60;
    api.enableMetrics('ok', { idle: true });
    const { store } = await startWith(api, 4, { daemonBudget: 100, sampleVia: 'metrics' });
    const key = 'default/c001';
    let caught: { pair: SamplePair; cpu: number | null; at: number } | null = null;
    const t0 = Date.now();
    const off = store.subscribe(() => {
      const p = store.getState().samples[key];
      if (caught || p?.last.source !== 'metrics' || p.prev?.source !== 'metrics') return;
      caught = { pair: p, cpu: selectInstanceMetrics(store.getState(), key).cpuPercent, at: Date.now() };
    });
    await vi.advanceTimersByTimeAsync(90_000);
    off();
    expect(store.getState().sampling).toMatchObject({ via: 'metrics', refreshMs: 16_000, selectedMs: 2000 });
    expect(api.metricsComputed).toBeGreaterThanOrEqual(5);
    const got = caught as { pair: SamplePair; cpu: number | null; at: number } | null;
    expect(got).not.toBeNull();
    expect(got!.at - t0).toBeLessThanOrEqual(3 * 16_000 + 1000);
    expect(got!.pair.last.at - got!.pair.prev!.at).toBeGreaterThanOrEqual(8000);
    expect(got!.cpu).toBe(0);
    // the row's latest metrics figures are as old as the last computation, not the first
    expect(Date.now() - metricsAt(store.getState().samples[key])!).toBeLessThanOrEqual(16_000 + 100);
  });
});
