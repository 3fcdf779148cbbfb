// The server's own figures for the header's meters, and its warnings. Pure parsers of what the
// daemons answer (recorded in test/fixtures/*/resources.json, member-state.json, warnings.json):
//   GET /1.0/resources (extension `resources`): CPU count, memory used/total; the load average
//     only with `resources_load`. LXD 5.0 reads them afresh (~0.025 s of its CPU); Incus 6 answers
//     from a cache made when it started (the same memory and load for hours: measured), so with
//     Incus only its CPU count is taken from there.
//   GET /1.0/cluster/members/NAME/state (`cluster_member_state`): load, RAM, processes and every
//     pool's use in one answer, read afresh (Incus 6, also standalone as member `none`; LXD 5.0
//     answers 501).
//   GET /1.0/storage-pools/NAME/resources: a pool's space used/total.
// No daemon reports the host's CPU use (no counter to take two readings of), so there is no CPU
// figure: a field the answer does not carry is null, never a guess.
import { isObject } from './normalize.js';

export interface PoolUse {
  name: string;
  used: number;
  total: number;
}

/** One server's (or cluster member's) figures; null where its daemon gives no source. */
export interface HostFigures {
  cpus: number | null;
  memUsed: number | null;
  memTotal: number | null;
  /** `memUsed` counts the page cache too (the kernel's sysinfo of a member state: total - free - buffers). */
  memWithCache: boolean;
  /** 1, 5 and 10/15 minute averages. */
  load: readonly [number, number, number] | null;
  processes: number | null;
  pools: readonly PoolUse[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** Memory used/total, or both null when either is missing or used > total. */
function memory(used: number | null, total: number | null): { memUsed: number | null; memTotal: number | null } {
  return used !== null && total !== null && total > 0 && used <= total ? { memUsed: used, memTotal: total } : { memUsed: null, memTotal: null };
}

/** `GET /1.0/resources` metadata. */
export function parseResources(meta: unknown): HostFigures {
  const m = isObject(meta) ? meta : {};
  const cpu = isObject(m.cpu) ? m.cpu : {};
  const mem = isObject(m.memory) ? m.memory : {};
  const load = isObject(m.load) ? m.load : null;
  const l = load ? [num(load.Average1Min), num(load.Average5Min), num(load.Average10Min)] : [];
  return {
    cpus: num(cpu.total),
    ...memory(num(mem.used), num(mem.total)),
    memWithCache: false,
    load: l.length === 3 && l.every((x) => x !== null) ? (l as [number, number, number]) : null,
    processes: load ? num(load.Processes) : null,
    pools: [],
  };
}

/** A pool's `{space: {used, total}}` (from its /resources or a member state's `storage_pools`). */
export function parsePoolUse(name: string, meta: unknown): PoolUse | null {
  const space = isObject(meta) && isObject(meta.space) ? meta.space : null;
  const used = num(space?.used);
  const total = num(space?.total);
  return used !== null && total !== null && total > 0 ? { name, used, total } : null;
}

/**
 * `GET /1.0/cluster/members/NAME/state` metadata: load, processes, memory and the pools. Its RAM is
 * the kernel's sysinfo, which does not give the page cache: used here is total - free - buffers
 * (the whole of htop's memory bar), flagged `memWithCache` so the meter says so.
 */
export function parseMemberState(meta: unknown): HostFigures {
  const m = isObject(meta) ? meta : {};
  const s = isObject(m.sysinfo) ? m.sysinfo : {};
  const la = Array.isArray(s.load_averages) ? s.load_averages.map(num) : [];
  const pools = isObject(m.storage_pools)
    ? Object.entries(m.storage_pools)
        .map(([name, p]) => parsePoolUse(name, p))
        .filter((p): p is PoolUse => p !== null)
        .sort((a, b) => a.name.localeCompare(b.name))
    : [];
  const total = num(s.total_ram);
  const free = num(s.free_ram);
  const buffered = num(s.buffered_ram) ?? 0;
  return {
    cpus: null,
    ...memory(total !== null && free !== null && total - free - buffered >= 0 ? total - free - buffered : null, total),
    memWithCache: true,
    load: la.length === 3 && la.every((x) => x !== null) ? (la as [number, number, number]) : null,
    processes: num(s.processes),
    pools,
  };
}

/** One `/1.0/warnings` entry, as lxtop uses it. */
export interface Warning {
  uuid: string;
  /** new, acknowledged, resolved. */
  status: string;
  severity: string;
  type: string;
  message: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** The cluster member (`none` on a standalone server becomes ''). */
  location: string;
  project: string;
  entity: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `GET /1.0/warnings?recursion=1` metadata: entries without a uuid are dropped (they cannot be acted on). */
export function parseWarnings(meta: unknown): Warning[] {
  if (!Array.isArray(meta)) return [];
  const out: Warning[] = [];
  for (const w of meta) {
    if (!isObject(w) || typeof w.uuid !== 'string' || w.uuid === '') continue;
    const location = text(w.location);
    out.push({
      uuid: w.uuid,
      status: text(w.status) || 'new',
      severity: text(w.severity),
      type: text(w.type),
      message: text(w.last_message),
      count: num(w.count) ?? 0,
      firstSeen: text(w.first_seen_at),
      lastSeen: text(w.last_seen_at),
      location: location === 'none' ? '' : location,
      project: text(w.project),
      entity: text(w.entity_url),
    });
  }
  return out;
}
