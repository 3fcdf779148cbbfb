// The history structure (src/store/history.ts): one point per new sample, the rates the table
// shows, a window by time, ring wrap-around, deleted instances dropped, the store recording it.
import { describe, expect, it } from 'vitest';
import { createHistory, createStore, HISTORY_WINDOW_MS, selectInstanceMetrics, type HistorySeries } from '../../../src/store/index.js';
import { inst, running } from './helpers.js';

const T0 = Date.parse('2025-01-15T12:00:00Z');
const KEY = 'default/web';

function points(s: HistorySeries | undefined) {
  if (!s) return [];
  return Array.from({ length: s.length }, (_, i) => ({ at: s.at(i), cpu: s.value('cpu', i), memory: s.value('memory', i), rx: s.value('rx', i), tx: s.value('tx', i) }));
}

function storeWithWeb(windowMs?: number) {
  const store = createStore({ history: createHistory({ windowMs }) });
  store.dispatch({ type: 'instances/loaded', instances: [inst('web'), inst('db')], project: 'default', at: T0 });
  return store;
}

/** A `/state` sample every `stepMs`, CPU busy at `cpuPct` % of a core, 1000 B/s in, 500 B/s out. */
function sample(store: ReturnType<typeof createStore>, i: number, stepMs = 2000, cpuPct = 50, key = KEY) {
  const at = T0 + i * stepMs;
  const cpu = (i * stepMs * 1e6 * cpuPct) / 100;
  store.dispatch({ type: 'instance/sample', key, at, state: running({ cpu, mem: 1_000_000 + i, rx: i * stepMs, tx: (i * stepMs) / 2 }) });
}

describe('history', () => {
  it('records one point per new sample: the rates computeMetrics gives, NaN where unknown', () => {
    const store = storeWithWeb();
    const seen: { at: number; cpu: number | null; memory: number | null; rx: number | null; tx: number | null }[] = [];
    for (let i = 0; i < 5; i++) {
      sample(store, i);
      const m = selectInstanceMetrics(store.getState(), KEY);
      seen.push({ at: T0 + i * 2000, cpu: m.cpuPercent, memory: m.memoryBytes, rx: m.rxBytesPerSec, tx: m.txBytesPerSec });
    }
    const got = points(store.history!.series(KEY));
    expect(got.map((p) => p.at)).toEqual(seen.map((p) => p.at));
    // The first sample has no rate yet.
    expect(Number.isNaN(got[0].cpu)).toBe(true);
    expect(Number.isNaN(got[0].rx)).toBe(true);
    for (let i = 1; i < 5; i++) {
      expect(got[i].cpu).toBeCloseTo(seen[i].cpu!, 4);
      expect(got[i].cpu).toBeCloseTo(50, 4);
      expect(got[i].memory).toBe(seen[i].memory);
      expect(got[i].rx).toBeCloseTo(1000, 3);
      expect(got[i].tx).toBeCloseTo(500, 3);
    }
  });

  it('a state that does not bring a newer sample adds nothing; version counts the changes', () => {
    const store = storeWithWeb();
    sample(store, 1);
    const v = store.history!.version;
    sample(store, 1); // the same time: not newer
    store.dispatch({ type: 'ui/focus', pane: 'images' });
    expect(store.history!.version).toBe(v);
    expect(store.history!.series(KEY)!.length).toBe(1);
    sample(store, 2);
    expect(store.history!.version).toBe(v + 1);
  });

  it('keeps 30 minutes by time, whatever the intervals, across the ring wrapping and growing', () => {
    const store = storeWithWeb();
    // 2 s samples for 40 minutes, then 100 ms samples for 10 s (irregular intervals).
    const n = (40 * 60_000) / 2000;
    for (let i = 0; i <= n; i++) sample(store, i);
    const last = T0 + n * 2000;
    for (let j = 1; j <= 100; j++) store.dispatch({ type: 'instance/sample', key: KEY, at: last + j * 100, state: running({ cpu: (n * 2000 + j * 100) * 1e6 * 0.5 }) });
    const got = points(store.history!.series(KEY));
    const newest = last + 100 * 100;
    expect(got[got.length - 1].at).toBe(newest);
    expect(got[0].at).toBeGreaterThanOrEqual(newest - HISTORY_WINDOW_MS);
    expect(got[0].at - 2000).toBeLessThan(newest - HISTORY_WINDOW_MS);
    // In time order, none lost inside the window.
    for (let i = 1; i < got.length; i++) expect(got[i].at).toBeGreaterThan(got[i - 1].at);
    expect(got.length).toBe(got.filter((p) => p.at <= last).length + 100);
    expect(got.filter((p) => p.at <= last).length).toBe((last - got[0].at) / 2000 + 1);
  });

  it('wraps a small ring in place: the oldest go, the order holds', () => {
    const h = createHistory({ windowMs: 10_000 });
    const store = createStore({ history: h });
    store.dispatch({ type: 'instances/loaded', instances: [inst('web')], project: 'default', at: T0 });
    for (let i = 0; i < 100; i++) sample(store, i, 1000);
    const got = points(h.series(KEY));
    expect(got.map((p) => p.at)).toEqual(Array.from({ length: 11 }, (_, k) => T0 + (89 + k) * 1000));
    expect(got.map((p) => p.memory)).toEqual(Array.from({ length: 11 }, (_, k) => 1_000_000 + 89 + k));
  });

  it('drops the history of a deleted instance, keeps a stopped one', () => {
    const store = storeWithWeb();
    for (let i = 0; i < 3; i++) {
      sample(store, i);
      sample(store, i, 2000, 10, 'default/db');
    }
    store.dispatch({ type: 'instance/status', key: 'default/db', status: 'Stopped' });
    expect(store.history!.series('default/db')!.length).toBe(3);
    store.dispatch({ type: 'instance/removed', key: KEY });
    expect(store.history!.series(KEY)).toBeUndefined();
    expect(store.history!.series('default/db')!.length).toBe(3);
  });

  it('a stopped instance\'s points leave with the window (swept once a minute)', () => {
    const store = storeWithWeb();
    sample(store, 0, 2000, 10, 'default/db');
    for (let i = 0; i < (31 * 60_000) / 2000; i++) sample(store, i);
    expect(store.history!.series('default/db')!.length).toBe(1);
    for (let i = (31 * 60_000) / 2000; i < (32 * 60_000) / 2000; i++) sample(store, i);
    expect(store.history!.series('default/db')).toBeUndefined();
    expect(store.history!.series(KEY)!.length).toBeGreaterThan(800);
  });

  it('keeps times exact 2^31 ms and more after the first point (the Uint32 offsets are rebased)', () => {
    const h = createHistory();
    const store = createStore({ history: h });
    store.dispatch({ type: 'instances/loaded', instances: [inst('web')], project: 'default', at: T0 });
    const times = [T0, T0 + 2 ** 31 - 1000, T0 + 2 ** 31 + 1000, T0 + 2 ** 32 + 7, T0 + 2 ** 32 + 1007];
    times.forEach((at, i) => {
      store.dispatch({ type: 'instance/sample', key: KEY, at, state: running({ cpu: i * 1e9 }) });
      if (i === 2) expect(points(h.series(KEY)).map((p) => p.at)).toEqual(times.slice(1, 3));
    });
    expect(points(h.series(KEY)).map((p) => p.at)).toEqual(times.slice(3));
  });

  it('900 samples (30 minutes at 2 s) take under 20 kB an instance: 1,000 instances within 30 MB', () => {
    const h = createHistory();
    const store = createStore({ history: h });
    const names = Array.from({ length: 100 }, (_, i) => `c${i}`);
    store.dispatch({ type: 'instances/loaded', instances: names.map((n) => inst(n)), project: 'default', at: T0 });
    for (let i = 0; i < 900; i++) {
      const at = T0 + i * 2000;
      const state = running({ cpu: i * 1e9 });
      store.dispatch({ type: 'instance/samples', samples: names.map((n) => ({ key: `default/${n}`, at, state })) });
    }
    expect(h.keys().length).toBe(100);
    expect(h.series('default/c99')!.length).toBe(900);
    // The rings: 20 bytes a point (Uint32 time + 4 × Float32), room for the window at the pace
    // seen (900 points + 10 %) per instance.
    expect(h.bytes()).toBeGreaterThanOrEqual(100 * 900 * 20);
    expect(h.bytes()).toBeLessThanOrEqual(100 * 1000 * 20);
    expect(h.bytes() * 10).toBeLessThanOrEqual(30e6);
    // The process's heap and typed arrays, measured after a collection: bench/history-memory.mjs.
  });
});
