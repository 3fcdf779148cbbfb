// How often to sample what, within the daemon budget. Pure: the sampler (sampler.ts) plans again
// whenever the rows on screen, the selection or the learned costs change.
//
//   all        few rows: every visible running row, the selected one included, by `/state` every
//              `intervalMs` (default 2 s) when that fits the budget (one running row at ~0.12 s
//              CPU a request is 6 % of a core);
//   selected   otherwise the selected running instance alone: one `/state` every `intervalMs` (its
//              figures ≤ 2 s old, the detail view refreshes with it), at most 80 % of the budget;
//   bulk       the other visible running rows, by whichever way is fresher for the rest of it:
//                metrics  one `/1.0/metrics` for the scope (per cluster member), period
//                         ≥ cold cost / budget and ≥ 16 s (the daemons cache it 8 s: a faster
//                         poll only gets the same figures again), a power of two seconds so that
//                         lxtops (and the daemon's cache) line up on the same wall-clock slots;
//                state    one `/state` per row per round (for a few rows: taken when its period
//                         is at most half the metrics one), also a power of two seconds;
//   slow       with metrics: one `/state` every `slowMs` for a row's IPv4 and disk usage (10 %).
// A zero budget plans nothing: events only.

/** How long LXD 5.0 and Incus 6 serve `/1.0/metrics` from their cache (api_metrics.go: 8 s). */
export const METRICS_CACHE_MS = 8000;
/** A metrics fetch at least this far apart from the last one reads a new computation. */
export const METRICS_MIN_PERIOD_MS = 2 * METRICS_CACHE_MS;
/** The most of the budget the selected instance's 2 s `/state` may take. */
const SELECTED_MAX_SHARE = 0.8;
/** The share of the budget for IPv4 / disk usage `/state` requests when the rows come from metrics. */
const SLOW_SHARE = 0.1;
/** Slow state requests are never closer than this. */
const SLOW_MIN_MS = 10_000;

export interface PlanInput {
  /** Fraction of one core (0.1 = 10 %); 0: events only. */
  budget: number;
  /** `--interval`: the fastest any figure refreshes, ms. */
  intervalMs: number;
  /** A running instance is selected (sampled on its own). */
  selected: boolean;
  /** Visible running rows besides the selected one. */
  others: number;
  /** CPU seconds of one `/state`. */
  stateCost: number;
  /** CPU seconds of one cold `/1.0/metrics` of the scope; null: metrics cannot be used. */
  metricsCost: number | null;
  /** The bulk reads' way whatever is fresher (tests, benchmarks); metrics only where usable. */
  via?: 'metrics' | 'state';
}

export interface Plan {
  /** Period of the selected instance's own `/state`, ms; null: none (or it is in the bulk rounds). */
  selectedMs: number | null;
  /** The bulk `/state` rounds include the selected instance (all rows fit at the fastest refresh). */
  withSelected: boolean;
  via: 'metrics' | 'state' | 'none';
  /** Period of the bulk reads (a metrics fetch, or a round of `/state`), ms; null: none. */
  bulkMs: number | null;
  /** With metrics: one `/state` (IPv4, disk) every this many ms; null: none. */
  slowMs: number | null;
}

export const NO_PLAN: Plan = Object.freeze({ selectedMs: null, withSelected: false, via: 'none', bulkMs: null, slowMs: null });

/** `floor` if ms ≤ floor, else the smallest power of two seconds ≥ ms (below a second: 100 ms steps). */
export function quantize(ms: number, floor: number): number {
  if (ms <= floor) return floor;
  const want = ms;
  if (want <= 1000) return Math.ceil(want / 100) * 100;
  let p = 1000;
  while (p < want) p *= 2;
  return p;
}

export function planSampling(input: PlanInput): Plan {
  const { budget, intervalMs, stateCost } = input;
  if (!(budget > 0)) return NO_PLAN;
  // Few enough rows for all of them, the selected one included, at the fastest refresh: one round.
  const all = input.others + (input.selected ? 1 : 0);
  if (all > 0 && !input.via && (all * stateCost) / (intervalMs / 1000) <= budget) {
    return { selectedMs: null, withSelected: input.selected, via: 'state', bulkMs: intervalMs, slowMs: null };
  }
  let left = budget;
  let selectedMs: number | null = null;
  if (input.selected) {
    const raw = Math.max(intervalMs, (stateCost / (SELECTED_MAX_SHARE * budget)) * 1000);
    selectedMs = Math.ceil(raw / 100) * 100;
    left -= stateCost / (selectedMs / 1000);
  }
  if (input.others <= 0 || left <= 0) return { selectedMs, withSelected: false, via: 'none', bulkMs: null, slowMs: null };
  const stateRaw = Math.max(intervalMs, ((input.others * stateCost) / left) * 1000);
  const stateMs = quantize(stateRaw, intervalMs);
  if (input.metricsCost === null) return { selectedMs, withSelected: false, via: 'state', bulkMs: stateMs, slowMs: null };
  const forMetrics = left - SLOW_SHARE * budget;
  const metricsFloor = Math.max(intervalMs, METRICS_MIN_PERIOD_MS);
  const metricsRaw = Math.max(metricsFloor, (input.metricsCost / forMetrics) * 1000);
  const metricsMs = quantize(metricsRaw, metricsFloor);
  // Metrics first (one request, and a computation the daemon shares with every other observer);
  // `/state` where it is at least twice as fresh (a few rows).
  if (input.via !== 'metrics' && (input.via === 'state' || stateRaw * 2 <= metricsRaw)) return { selectedMs, withSelected: false, via: 'state', bulkMs: stateMs, slowMs: null };
  const slowMs = Math.max(SLOW_MIN_MS, Math.ceil((stateCost / (SLOW_SHARE * budget)) * 1000));
  return { selectedMs, withSelected: false, via: 'metrics', bulkMs: metricsMs, slowMs };
}
