// Each instance's CPU %, memory and network rates over the last 30 minutes, recorded from the
// samples the sampler already takes (no request of its own): one point per new sample, the rates
// as the table shows them (computeMetrics on the store's SamplePair). Ring buffers of typed arrays,
// kept outside the immutable state (a point a sample would copy 30 minutes of arrays per round);
// the store records into it after each reduce, before its listeners run, and `version` counts the
// changes so memoised views can tell. See docs/ARCHITECTURE.md (History).
import { computeMetrics } from './metrics.js';
import type { InstanceKey, SamplePair, State } from './state.js';

export const HISTORY_WINDOW_MS = 30 * 60_000;

export type HistoryMetric = 'cpu' | 'memory' | 'rx' | 'tx';
export const HISTORY_METRICS: readonly HistoryMetric[] = ['cpu', 'memory', 'rx', 'tx'];

/** One instance's points, oldest first. A value is NaN where the figure was unknown. */
export interface HistorySeries {
  readonly length: number;
  /** Epoch ms of point `i`. */
  at(i: number): number;
  value(metric: HistoryMetric, i: number): number;
}

/** What the views read. */
export interface HistoryReader {
  /** Grows whenever a point is added or a series dropped. */
  readonly version: number;
  series(key: InstanceKey): HistorySeries | undefined;
}

export interface History extends HistoryReader {
  /** Takes the new samples of `state` (those whose pair changed), drops deleted instances. */
  record(state: State): void;
  /** Instances with a series. */
  keys(): InstanceKey[];
  /** Bytes of the rings' typed arrays. */
  bytes(): number;
}

const FIRST_CAPACITY = 16;
/** Offsets from the series' base time stay below this (Uint32); past it the base moves. */
const REBASE_MS = 2 ** 31;

/**
 * A ring of points: times as Uint32 ms offsets from `base`, the four figures as Float32 (7
 * significant digits: far finer than a cell shows). 20 bytes a point. Grows (see grow) while the
 * window is not covered; points older than the window before the newest are dropped as points come.
 */
class Ring implements HistorySeries {
  private base: number;
  private times: Uint32Array;
  private values: Float32Array; // 4 per point, in HISTORY_METRICS order
  private start = 0;
  length = 0;

  constructor(at: number) {
    this.base = at;
    this.times = new Uint32Array(FIRST_CAPACITY);
    this.values = new Float32Array(FIRST_CAPACITY * 4);
  }

  private slot(i: number): number {
    const cap = this.times.length;
    const s = this.start + i;
    return s >= cap ? s - cap : s;
  }

  at(i: number): number {
    return this.base + this.times[this.slot(i)];
  }

  value(metric: HistoryMetric, i: number): number {
    const m = metric === 'cpu' ? 0 : metric === 'memory' ? 1 : metric === 'rx' ? 2 : 3;
    return this.values[this.slot(i) * 4 + m];
  }

  bytes(): number {
    return this.times.byteLength + this.values.byteLength;
  }

  lastAt(): number {
    return this.length ? this.at(this.length - 1) : -Infinity;
  }

  /** Drops the points older than `from`. */
  prune(from: number): void {
    while (this.length && this.at(0) < from) {
      this.start = this.slot(1);
      this.length--;
    }
  }

  push(at: number, cpu: number, memory: number, rx: number, tx: number, windowMs: number): void {
    this.prune(at - windowMs);
    if (at - this.base >= REBASE_MS) this.rebase(this.length ? this.at(0) : at);
    if (this.length === this.times.length) this.grow(at, windowMs);
    const s = this.slot(this.length);
    this.times[s] = at - this.base;
    const v = this.values;
    v[s * 4] = cpu;
    v[s * 4 + 1] = memory;
    v[s * 4 + 2] = rx;
    v[s * 4 + 3] = tx;
    this.length++;
  }

  /**
   * Room for the window at the pace the points came so far (+10 %), at least half as much again:
   * at 2 s a ring goes from 16 points to 990 in one step, not through 32…1024 (each step's old
   * arrays are garbage the process keeps as RSS).
   */
  private grow(at: number, windowMs: number): void {
    const old = this.times.length;
    const span = at - this.at(0);
    const pace = span > 0 ? Math.ceil((windowMs / span) * this.length * 1.1) : 0;
    const cap = Math.max(Math.ceil(old * 1.5), Math.min(pace, old * 64));
    const times = new Uint32Array(cap);
    const values = new Float32Array(cap * 4);
    for (let i = 0; i < this.length; i++) {
      const s = this.slot(i);
      times[i] = this.times[s];
      values.set(this.values.subarray(s * 4, s * 4 + 4), i * 4);
    }
    this.times = times;
    this.values = values;
    this.start = 0;
  }

  private rebase(base: number): void {
    for (let i = 0; i < this.length; i++) {
      const s = this.slot(i);
      this.times[s] = this.base + this.times[s] - base;
    }
    this.base = base;
  }
}

const nan = (v: number | null): number => (v === null ? Number.NaN : v);

export function createHistory(opts: { windowMs?: number } = {}): History {
  const windowMs = opts.windowMs ?? HISTORY_WINDOW_MS;
  const rings = new Map<InstanceKey, Ring>();
  let lastSamples: State['samples'] | null = null;
  let lastInstances: State['instances'] | null = null;
  let newest = -Infinity;
  let sweptAt = -Infinity;
  let version = 0;

  function add(key: InstanceKey, pair: SamplePair): boolean {
    const at = pair.last.at;
    let ring = rings.get(key);
    if (ring && at <= ring.lastAt()) return false; // not a new sample (a pair change beside `last`)
    const m = computeMetrics(pair);
    ring ??= new Ring(at);
    rings.set(key, ring);
    ring.push(at, nan(m.cpuPercent), nan(m.memoryBytes), nan(m.rxBytesPerSec), nan(m.txBytesPerSec), windowMs);
    if (at > newest) newest = at;
    return true;
  }

  /** Series with nothing left in the window (an instance stopped for 30 minutes) go, once a minute. */
  function sweep(): boolean {
    if (newest - sweptAt < 60_000) return false;
    sweptAt = newest;
    let changed = false;
    for (const [key, ring] of rings) {
      ring.prune(newest - windowMs);
      if (ring.length === 0) {
        rings.delete(key);
        changed = true;
      }
    }
    return changed;
  }

  return {
    get version() {
      return version;
    },
    series: (key) => rings.get(key),
    keys: () => [...rings.keys()],
    bytes: () => {
      let n = 0;
      for (const ring of rings.values()) n += ring.bytes();
      return n;
    },
    record(state) {
      let changed = false;
      if (state.instances !== lastInstances) {
        lastInstances = state.instances;
        for (const key of rings.keys()) {
          if (!Object.hasOwn(state.instances, key)) {
            rings.delete(key);
            changed = true;
          }
        }
      }
      if (state.samples !== lastSamples) {
        const before = lastSamples ?? {};
        lastSamples = state.samples;
        for (const key in state.samples) {
          const pair = state.samples[key];
          if (pair !== before[key] && add(key, pair)) changed = true;
        }
        if (sweep()) changed = true;
      }
      if (changed) version++;
    },
  };
}
