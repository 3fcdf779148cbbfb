// What lxtop's requests cost the daemon, learned from lxtop's own requests, and the budget that
// spaces them (`--daemon-budget PCT`, default 10 % of one core). Pure: the clock is passed in.
//
// THE ESTIMATOR. The daemon's CPU for one request ≈ k × the request's latency (seconds), k per
// kind of request; for the kinds the daemon computes in parallel (one goroutine per instance, up
// to its number of CPUs: `/1.0/metrics` cold, `recursion=2`) k grows with that parallelism:
//   cost = k × latency × (parallel kinds: min(server cores, instances) / 2)
// Each kind keeps a cost per unit (one request; for the parallel kinds one running instance), an
// average that starts at the calibration below (counted as one observation, so the first real
// answer already weighs half) and then moves by 1/(n+1), never less than a quarter, per answer.
// `/1.0/metrics` is learned from cold answers only: a cache hit costs ~1/100 of a computation, and
// letting hits pull the learned cost down would make lxtop poll faster, miss the cache, learn a
// high cost again, slow down: an oscillation. A hit is charged at the cheap kind's k.
// Latency overstates the cost when the daemon's host is busy (the request waits for a CPU): the
// estimate errs on the side of sampling less.
//
// CALIBRATION (2026-12-06, the sandbox daemons of scripts/sandbox, 2 cores; daemon CPU from
// /proc/PID/stat utime+stime+cutime+cstime around N sequential requests, so the helpers the daemon
// forks count; 20 running busybox containers in a project of their own; the host was shared with
// other test runs, load 10-17, so latencies ran long):
//   request                                  LXD 5.0.2            Incus 6.0.4         k used
//                                            CPU s   latency s    CPU s   latency s
//   GET /1.0/instances/NAME/state            0.11-0.12  0.12      0.12-0.13  0.17-0.26   0.95
//   GET /1.0/instances?recursion=1 (20)      0.008-0.011 0.010-0.012 0.012-0.014 0.013-0.018 0.6
//   GET /1.0/instances?recursion=2 (20 run)  2.4-3.2  2.0-2.6     2.4-2.7  3.9-4.4     1.2 (0.6 a core)
//   GET /1.0/metrics cold (20 running)       3.1      2.3         2.3-2.4  3.1-4.7     1.35 (0.675 a core)
//   GET /1.0/metrics cache hit               ~0.005   0.005-0.010 ~0.005   0.005       0.5
//   GET /1.0                                 0.0015   0.002-0.005 0.001    0.002-0.003 0.5
// Per running instance a cold metrics computation costs about what one `/state` costs (both read
// the cgroup and fork `forknet` into the instance's namespaces for the network counters).
export type RequestKind = 'state' | 'metrics' | 'stateList' | 'list' | 'other';

interface KindCalibration {
  /** Daemon CPU seconds per second of latency (per 2 cores' parallelism for parallel kinds). */
  k: number;
  /** Starting cost per unit, CPU seconds. */
  prior: number;
  /** Cost scales with instances computed in parallel. */
  parallel: boolean;
}

export const CALIBRATION: Readonly<Record<RequestKind, KindCalibration>> = {
  state: { k: 0.95, prior: 0.12, parallel: false },
  metrics: { k: 1.35, prior: 0.13, parallel: true },
  stateList: { k: 1.2, prior: 0.13, parallel: true },
  list: { k: 0.6, prior: 0.012, parallel: false },
  other: { k: 0.5, prior: 0.003, parallel: false },
};

/** The lightest an average may move per answer. */
const MIN_WEIGHT = 0.25;

export class CostModel {
  private readonly perUnit = new Map<RequestKind, { value: number; n: number }>();
  /** CPUs of the daemon's host (the parallelism of the parallel kinds). */
  readonly cores: number;

  constructor(opts: { cores?: number } = {}) {
    this.cores = Math.max(1, Math.floor(opts.cores ?? 2));
  }

  private factor(kind: RequestKind, units: number): number {
    const c = CALIBRATION[kind];
    if (!c.parallel) return c.k;
    return (c.k / 2) * Math.max(1, Math.min(this.cores, Math.max(1, units)));
  }

  /** CPU seconds a request of this kind that took `latencyMs` cost the daemon (no learning). */
  estimate(kind: RequestKind, latencyMs: number, units = 1): number {
    return this.factor(kind, units) * Math.max(0, latencyMs) / 1000;
  }

  /**
   * Learns from one answer; returns its estimated cost. `units`: running instances the answer
   * covered for the parallel kinds (0 for a scope without any), else 1. A metrics cache hit is
   * passed with `warm` and not learned (charged as a cheap request).
   */
  observe(kind: RequestKind, latencyMs: number, units = 1, opts: { warm?: boolean } = {}): number {
    if (opts.warm) return this.estimate('other', latencyMs);
    const cost = this.estimate(kind, latencyMs, units);
    const per = CALIBRATION[kind].parallel ? cost / Math.max(1, units) : cost;
    const cur = this.perUnit.get(kind) ?? { value: CALIBRATION[kind].prior, n: 1 };
    const w = Math.max(MIN_WEIGHT, 1 / (cur.n + 1));
    this.perUnit.set(kind, { value: cur.value + w * (per - cur.value), n: cur.n + 1 });
    return cost;
  }

  /** The learned cost per unit (CPU seconds). */
  unitCost(kind: RequestKind): number {
    return this.perUnit.get(kind)?.value ?? CALIBRATION[kind].prior;
  }

  /** Predicted CPU seconds of a request covering `units` (parallel kinds: running instances). */
  predict(kind: RequestKind, units = 1): number {
    return this.unitCost(kind) * (CALIBRATION[kind].parallel ? Math.max(1, units) : 1);
  }

  /** Answers learned for this kind (the calibration not counted). */
  samples(kind: RequestKind): number {
    return (this.perUnit.get(kind)?.n ?? 1) - 1;
  }
}

/**
 * The daemon budget as a bucket of CPU seconds: it fills at `fraction` CPU-seconds per second up
 * to `capacity` and every request lxtop makes is taken out of it (the level may go below zero:
 * a request is never cut short). Sampling waits while the level is below what it would cost, so
 * over any long window lxtop's requests cost the daemon at most `fraction` of a core, whatever the
 * planned periods assumed. It starts full: the first figures come at once.
 */
export class DaemonBudget {
  private level_: number;
  private at: number;
  capacity: number;

  constructor(
    /** CPU-seconds per second (0.1 = 10 % of one core; 0 = nothing may be sampled). */
    readonly fraction: number,
    private readonly now: () => number,
    /** Seconds of budget the bucket holds (default 30 s worth, at least 0.5 CPU s). */
    capacitySeconds?: number,
  ) {
    this.capacity = Math.max(fraction > 0 ? 0.5 : 0, capacitySeconds ?? fraction * 30);
    this.level_ = this.capacity;
    this.at = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.at) this.level_ = Math.min(this.capacity, this.level_ + ((t - this.at) / 1000) * this.fraction);
    this.at = t;
  }

  /** CPU seconds available now (negative: owed). */
  level(): number {
    this.refill();
    return this.level_;
  }

  /** Takes a request's cost out of the bucket. */
  spend(cpuSeconds: number): void {
    if (!(cpuSeconds > 0)) return;
    this.refill();
    this.level_ -= cpuSeconds;
  }

  /** Whether a request of this cost may go now (never with a zero budget). */
  allows(cpuSeconds: number): boolean {
    if (this.fraction <= 0) return false;
    return this.level() >= Math.min(cpuSeconds, this.capacity);
  }

  /** Makes room for a single request larger than the bucket (a cold metrics computation of many instances). */
  fit(cpuSeconds: number): void {
    if (cpuSeconds * 1.2 > this.capacity) this.capacity = cpuSeconds * 1.2;
  }

  /** Milliseconds until `allows(cpuSeconds)` (Infinity with a zero budget). */
  waitMs(cpuSeconds: number): number {
    if (this.fraction <= 0) return Number.POSITIVE_INFINITY;
    const missing = Math.min(cpuSeconds, this.capacity) - this.level();
    return missing <= 0 ? 0 : Math.ceil((missing / this.fraction) * 1000);
  }
}
