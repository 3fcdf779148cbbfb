// The header's meters: memory, load and storage pools of the server, or of each cluster member,
// read every `meterPeriod` while the header shows them (nothing is read while it does not).
// Per member: `/1.0/resources?target=` (CPUs, memory; load with `resources_load`), and its pools
// from each pool's `/storage-pools/NAME/resources?target=`; where the server has
// `cluster_member_state`, memory, load and pools come from `/cluster/members/NAME/state` instead
// (Incus answers /1.0/resources from a cache made at its start: see lxd/host.ts), only the CPU
// count from /1.0/resources. A standalone Incus answers that state as member `none`. A member the
// member list calls Offline is not asked (its meter says offline); one whose reads fail says why;
// the others go on. Each member's meter is shown as soon as its reads are done.
//
// COST (measured 2026-12-06, bench/host-meters.mjs; daemon CPU from /proc/PID/stat, 2 cores, a
// loaded host): LXD 5.0 `/1.0/resources` 0.022-0.032 s (it walks sysfs: CPUs, PCI, USB, disks);
// Incus 6 0.0005 s (cached); a pool's resources 0.001-0.003 s; `/cluster/members/X/state` (Incus)
// 0.0015-0.0025 s; on the LXD cluster a read forwarded to m2 costs m1 ~0.008 s and m2 what it would
// cost locally. One round: a private LXD 0.034 s (+0.33 % of a core end to end, meters on vs off);
// the two-member cluster ~0.074 s over both daemons, ~0.044 s of it on the member lxtop talks to
// (it forwards the others' reads): 0.44 % at 10 s. Every further member adds ~0.018 s to that
// member, hence 2 s more per member past five.
import { EXT, hasExtension } from '../lxd/capabilities.js';
import { errorText, isNetworkError } from '../lxd/errors.js';
import type { HostFigures } from '../lxd/host.js';
import type { LxdApi } from '../lxd/api.js';
import type { ClusterMember } from '../lxd/types.js';
import { mapLimit } from './map-limit.js';
import type { Action, HostMeter, Store } from './state.js';

export const METERS_EVERY_MS = 10_000;
const PER_MEMBER_MS = 2_000;
/** The member name a standalone Incus answers `/cluster/members/NAME/state` for. */
const STANDALONE_MEMBER = 'none';
/** Pool names change rarely: listed again every this many rounds. */
const POOLS_EVERY_ROUNDS = 6;

/** The period of a round for a server with `members` members (≤ 1 % of a core on the one asked). */
export function meterPeriod(members: number): number {
  return Math.max(METERS_EVERY_MS, PER_MEMBER_MS * members);
}

export interface HostMetersContext {
  api: LxdApi;
  store: Store;
  dispatch(action: Action): void;
  stopped(): boolean;
  onNetworkError(err: unknown): void;
}

export interface HostMeters {
  /** One round now (shared with one in flight); false when there was nothing to read yet (no server or members listed). */
  refresh(): Promise<boolean>;
  /** The period for the server as it is now. */
  period(): number;
}

/** Offline, or (for the meters) as good as: the member list's word. */
function offline(m: ClusterMember): boolean {
  return m.status === 'Offline';
}

export function createHostMeters(ctx: HostMetersContext): HostMeters {
  const { api, store } = ctx;
  let inFlight: Promise<boolean> | null = null;
  let pools: string[] | null = null;
  let round = 0;

  async function poolNames(): Promise<string[]> {
    if (pools === null || round % POOLS_EVERY_ROUNDS === 0) pools = (await api.storagePools?.()) ?? [];
    return pools;
  }

  async function figuresOf(target: string | undefined, name: string, withState: boolean, incus: boolean): Promise<HostFigures> {
    let res = await api.hostResources!(target);
    if (withState) {
      try {
        return { ...(await api.memberState!(name)), cpus: res.cpus };
      } catch (err) {
        // A member state refused (a standalone server that does not know itself as `none`):
        // the pools one by one; Incus's cached memory and load are not shown (see lxd/host.ts).
        if (lostDaemon(err) || (err as { kind?: unknown }).kind === 'timeout') throw err;
      }
    }
    if (incus) res = { ...res, memUsed: null, memTotal: null, load: null, processes: null };
    const names = await poolNames();
    const used = await Promise.all(names.map((p) => api.poolUse!(p, target)));
    return { ...res, pools: used.filter((p) => p !== null) };
  }

  async function once(): Promise<boolean> {
    const server = store.getState().server;
    if (!server || !api.hostResources || !hasExtension(server, EXT.resources)) return false;
    // While the daemon does not answer, the connection retries; the meters wait for the next round.
    if (store.getState().connection.rest === 'down') return true;
    const withState = hasExtension(server, EXT.memberState) && api.memberState !== undefined;
    round++;
    if (!server.clustered) {
      try {
        const figures = await figuresOf(undefined, STANDALONE_MEMBER, withState, server.kind === 'incus');
        if (!ctx.stopped()) ctx.dispatch({ type: 'meters/loaded', meters: [{ name: '', status: 'ok', detail: '', figures }] });
      } catch (err) {
        fail(err, [{ name: '', status: 'error', detail: errorText(err), figures: null }]);
      }
      return true;
    }
    const members = [...(store.getState().members ?? [])].sort((a, b) => a.server_name.localeCompare(b.server_name));
    if (members.length === 0) return false;
    const previous = new Map((store.getState().meters ?? []).map((m) => [m.name, m]));
    const meters = new Map<string, HostMeter>();
    for (const m of members) {
      const was = previous.get(m.server_name);
      meters.set(m.server_name, offline(m) ? { name: m.server_name, status: 'offline', detail: m.status, figures: null } : was ?? { name: m.server_name, status: 'ok', detail: '', figures: null });
    }
    const show = () => {
      if (!ctx.stopped()) ctx.dispatch({ type: 'meters/loaded', meters: [...meters.values()] });
    };
    show();
    await mapLimit(members.filter((m) => !offline(m)), 4, async (m) => {
      try {
        meters.set(m.server_name, { name: m.server_name, status: 'ok', detail: '', figures: await figuresOf(m.server_name, m.server_name, withState, server.kind === 'incus') });
      } catch (err) {
        // Our daemon unreachable: the connection's business (the banner), the meter keeps its figures.
        // An error answer (a member m1 cannot reach) or a timeout (one that hangs): that meter says so.
        if (lostDaemon(err)) ctx.onNetworkError(err);
        else meters.set(m.server_name, { name: m.server_name, status: 'error', detail: errorText(err), figures: null });
      }
      show();
    });
    return true;
  }

  function fail(err: unknown, meters: HostMeter[]): void {
    if (lostDaemon(err)) ctx.onNetworkError(err);
    else if (!ctx.stopped()) ctx.dispatch({ type: 'meters/loaded', meters });
  }

  return {
    refresh() {
      if (ctx.stopped()) return Promise.resolve(false);
      inFlight ??= once()
        .catch(() => true)
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
    period: () => meterPeriod(store.getState().members?.length ?? 1),
  };
}

/** The daemon we talk to did not answer at all (a timeout may be one slow member: not that). */
function lostDaemon(err: unknown): boolean {
  return isNetworkError(err) && (err as { kind?: unknown }).kind !== 'timeout';
}
