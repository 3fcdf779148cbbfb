// Rates and figures derived from an instance's last two state samples (`/state` answers, or
// `/1.0/metrics` figures shaped as states: figuresState). Pure; memoised per sample pair (reducers
// replace the pair object whenever a sample arrives, so identity is the cache key).
import type { InstanceFigures } from '../lxd/metrics.js';
import type { InstanceState, NetworkState } from '../lxd/types.js';
import type { InstanceMetrics, SamplePair } from './state.js';

export const EMPTY_METRICS: InstanceMetrics = Object.freeze({
  cpuPercent: null,
  memoryBytes: null,
  memoryPeakBytes: null,
  memoryTotalBytes: null,
  rxBytesPerSec: null,
  txBytesPerSec: null,
  processes: null,
  ipv4: null,
  diskBytes: null,
});

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** True when the state describes a stopped instance (its figures are zeros, not measurements). */
function isStoppedState(state: InstanceState | null | undefined): boolean {
  if (!state) return true;
  return state.status === 'Stopped' || state.status_code === 102;
}

/** Bytes received/sent summed over every interface except `lo`; null without network data. */
export function networkTotals(state: InstanceState | null | undefined): { rx: number; tx: number } | null {
  const network = state?.network;
  if (!network || typeof network !== 'object') return null;
  let rx = 0;
  let tx = 0;
  let seen = false;
  for (const [name, iface] of Object.entries(network)) {
    if (name === 'lo' || !iface || !iface.counters) continue;
    const r = num(iface.counters.bytes_received);
    const t = num(iface.counters.bytes_sent);
    if (r === null && t === null) continue;
    rx += r ?? 0;
    tx += t ?? 0;
    seen = true;
  }
  return seen ? { rx, tx } : null;
}

/** The first global-scope IPv4 address on an interface other than `lo`. */
export function firstGlobalIpv4(state: InstanceState | null | undefined): string | null {
  const network = state?.network;
  if (!network || typeof network !== 'object') return null;
  for (const [name, iface] of Object.entries(network)) {
    if (name === 'lo' || !iface || !Array.isArray(iface.addresses)) continue;
    for (const addr of iface.addresses) {
      if (addr && addr.family === 'inet' && addr.scope === 'global' && typeof addr.address === 'string') {
        return addr.address;
      }
    }
  }
  return null;
}

/** Δcpu.usage (ns) / Δwall (ns) × 100: percent of one CPU. Null when not computable. */
export function cpuPercent(pair: SamplePair): number | null {
  const { prev, last } = pair;
  if (!prev) return null;
  const a = num(prev.state.cpu?.usage);
  const b = num(last.state.cpu?.usage);
  const wallNs = (last.at - prev.at) * 1e6;
  if (a === null || b === null || wallNs <= 0 || b < a) return null;
  return ((b - a) / wallNs) * 100;
}

/** Network rates in bytes/s; null before two samples or after a counter reset. */
function networkRates(pair: SamplePair): { rx: number; tx: number } | null {
  const { prev, last } = pair;
  if (!prev) return null;
  const a = networkTotals(prev.state);
  const b = networkTotals(last.state);
  const seconds = (last.at - prev.at) / 1000;
  if (!a || !b || seconds <= 0 || b.rx < a.rx || b.tx < a.tx) return null;
  return { rx: (b.rx - a.rx) / seconds, tx: (b.tx - a.tx) / seconds };
}

function diskUsage(state: InstanceState): number | null {
  const disk = state.disk;
  if (!disk || typeof disk !== 'object') return null;
  const root = disk.root;
  if (root && num(root.usage) !== null) return root.usage;
  let total = 0;
  let seen = false;
  for (const d of Object.values(disk)) {
    const u = num(d?.usage);
    if (u !== null) {
      total += u;
      seen = true;
    }
  }
  return seen ? total : null;
}

const cache = new WeakMap<SamplePair, InstanceMetrics>();

/** Every figure a row shows, from the last two samples; all null for a stopped instance. */
export function computeMetrics(pair: SamplePair | null | undefined): InstanceMetrics {
  if (!pair) return EMPTY_METRICS;
  const cached = cache.get(pair);
  if (cached) return cached;
  const state = pair.last.state;
  // IPv4 and disk usage exist only in `/state` answers (not in the metrics).
  const detail = pair.last.source === 'metrics' ? (pair.state?.state ?? null) : state;
  let metrics: InstanceMetrics;
  if (isStoppedState(state)) {
    metrics = EMPTY_METRICS;
  } else {
    const rates = networkRates(pair);
    const memory = state.memory ?? null;
    metrics = {
      cpuPercent: cpuPercent(pair),
      memoryBytes: num(memory?.usage),
      memoryPeakBytes: num(memory?.usage_peak),
      memoryTotalBytes: num(memory?.total) || null,
      rxBytesPerSec: rates?.rx ?? null,
      txBytesPerSec: rates?.tx ?? null,
      processes: num(state.processes),
      ipv4: firstGlobalIpv4(detail),
      diskBytes: detail ? diskUsage(detail) : null,
    };
  }
  cache.set(pair, metrics);
  return metrics;
}

/**
 * One instance's `/1.0/metrics` figures as a state sample: CPU seconds as `cpu.usage` (ns),
 * memory, byte counters per interface, processes. No addresses, no disk usage (null: taken from
 * the last `/state` sample), status Running (the metrics list running instances only; the
 * reducer never takes a status from them). A missing figure is NaN, which reads as unknown.
 */
export function figuresState(f: InstanceFigures): InstanceState {
  const network: Record<string, NetworkState> = {};
  for (const [dev, n] of Object.entries(f.network)) network[dev] = { addresses: null, counters: { bytes_received: n.rx, bytes_sent: n.tx } };
  const memory: NonNullable<InstanceState['memory']> = { usage: f.memoryBytes ?? Number.NaN };
  if (f.memoryTotalBytes !== null) memory.total = f.memoryTotalBytes;
  if (f.swapBytes !== null) memory.swap_usage = f.swapBytes;
  return {
    status: 'Running',
    status_code: 103,
    cpu: f.cpuSeconds === null ? null : { usage: Math.round(f.cpuSeconds * 1e9) },
    memory,
    network: Object.keys(network).length ? network : null,
    disk: null,
    pid: 0,
    processes: f.processes ?? Number.NaN,
  };
}
