// The fleet view's state: the UI slice of the fleet's own store, and the data of every remote's
// store with its keys prefixed by the remote's name. Each remote's store stays exactly what it is
// for one server (its own controller, events, polling, connection state); this only joins them.
// Identities are kept: a remote whose slice did not change gives the same merged object, so the
// views' memoised selectors keep working.
import type { Instance } from '../lxd/types.js';
import type { ConnectionState, FleetRemote, State, StatusLine } from '../store/index.js';
import { joinLogs, type EventRow } from '../store/event-log.js';
import { fleetKey } from './keys.js';

export interface FleetSource {
  name: string;
  addr: string;
  state: State;
}

/** Remembers one output per input identity. */
function memoOne<I extends object, O>(fn: (input: I) => O): (input: I) => O {
  let lastIn: I | null = null;
  let lastOut: O;
  return (input) => {
    if (input !== lastIn) {
      lastOut = fn(input);
      lastIn = input;
    }
    return lastOut;
  };
}

/** Joins per-remote records (already prefixed) into one, again only when one of them changed. */
function joiner<T>(): (parts: readonly Readonly<Record<string, T>>[]) => Readonly<Record<string, T>> {
  let last: readonly Readonly<Record<string, T>>[] = [];
  let out: Readonly<Record<string, T>> = {};
  return (parts) => {
    if (parts.length === last.length && parts.every((p, i) => p === last[i])) return out;
    last = parts;
    out = Object.assign({}, ...parts) as Record<string, T>;
    return out;
  };
}

/** The instance as the fleet shows it: the same fields plus its remote (one copy per object). */
const withRemote = new WeakMap<Instance, Instance>();
function tagged(instance: Instance, remote: string): Instance {
  let copy = withRemote.get(instance);
  if (!copy || copy.remote !== remote) {
    copy = { ...instance, remote };
    withRemote.set(instance, copy);
  }
  return copy;
}

function prefixer<T>(remote: string, map?: (v: T) => T): (rec: Readonly<Record<string, T>>) => Readonly<Record<string, T>> {
  return memoOne((rec) => {
    const out: Record<string, T> = {};
    for (const k of Object.keys(rec)) out[fleetKey(remote, k)] = map ? map(rec[k]) : rec[k];
    return out;
  });
}

/** The fleet's connection as one: up while any remote is up; the header shows each remote's own. */
function joinConnections(remotes: readonly FleetRemote[]): ConnectionState {
  const all = remotes.map((r) => r.connection);
  const up = all.filter((c) => c.rest === 'ok');
  const base = up[0] ?? all[0];
  const lastEventAt = Math.max(0, ...all.map((c) => c.lastEventAt ?? 0)) || null;
  return {
    ...base,
    rest: up.length > 0 ? 'ok' : all.every((c) => c.rest === 'down') ? 'down' : 'connecting',
    events: up.some((c) => c.events === 'connected') ? 'connected' : base.events,
    // One remote away is the header's business, not a banner over every other remote's rows.
    eventsLost: up.length > 0 && up.every((c) => c.eventsLost),
    reconnecting: all.every((c) => c.reconnecting),
    lastEventAt,
  };
}

export interface FleetMerger {
  (ui: State, sources: readonly FleetSource[]): State;
}

export function createFleetMerger(names: readonly string[]): FleetMerger {
  // One prefixer per remote and slice, one joiner per slice.
  const prefixers = (name: string) => ({
    instances: prefixer<Instance>(name, (i) => tagged(i, name)),
    samples: prefixer<State['samples'][string]>(name),
    snapshotCounts: prefixer<number>(name),
    images: prefixer<State['images'][string]>(name),
    operations: prefixer<State['operations'][string]>(name),
  });
  const prefix = new Map(names.map((name) => [name, prefixers(name)]));
  const join = {
    instances: joiner<Instance>(),
    samples: joiner<State['samples'][string]>(),
    snapshotCounts: joiner<number>(),
    images: joiner<State['images'][string]>(),
    operations: joiner<State['operations'][string]>(),
  };
  const statusOf = new WeakMap<StatusLine, StatusLine>();
  let logs: { parts: readonly (readonly EventRow[])[]; joined: readonly EventRow[] } | null = null;
  const eventLog = (sources: readonly FleetSource[]): readonly EventRow[] => {
    const parts = sources.map((s) => s.state.eventLog);
    if (!logs || parts.some((p, i) => p !== logs!.parts[i])) logs = { parts, joined: joinLogs(sources.map((s) => ({ remote: s.name, log: s.state.eventLog }))) };
    return logs.joined;
  };
  let last: { ui: State; states: State[]; out: State } | null = null;

  return (ui, sources) => {
    const states = sources.map((s) => s.state);
    if (last && last.ui === ui && states.every((s, i) => s === last!.states[i])) {
      return last.out;
    }
    const remotes: FleetRemote[] = sources.map((s) => ({
      name: s.name,
      addr: s.addr,
      server: s.state.server,
      connection: s.state.connection,
      instances: Object.keys(s.state.instances).length,
      error: s.state.connection.rest === 'ok' ? null : s.state.connection.lastError,
    }));
    // The newest status line wins; a remote's own carries its name.
    let status = ui.status;
    for (const s of sources) {
      const own = s.state.status;
      if (!own || (status && status.at > own.at)) continue;
      let named = statusOf.get(own);
      if (!named) {
        named = { ...own, text: `${s.name}: ${own.text}` };
        statusOf.set(own, named);
      }
      status = named;
    }
    const first = sources.find((s) => s.state.server)?.state.server ?? null;
    const out: State = {
      ...ui,
      // Views read `server` for the LOCATION column and the first frame: any server will do,
      // clustered when any remote is.
      server: first && { ...first, clustered: sources.some((s) => s.state.server?.clustered) },
      connection: joinConnections(remotes),
      members: null,
      fleet: remotes,
      instances: join.instances(sources.map((s) => prefix.get(s.name)!.instances(s.state.instances))),
      samples: join.samples(sources.map((s) => prefix.get(s.name)!.samples(s.state.samples))),
      snapshotCounts: join.snapshotCounts(sources.map((s) => prefix.get(s.name)!.snapshotCounts(s.state.snapshotCounts))),
      images: join.images(sources.map((s) => prefix.get(s.name)!.images(s.state.images))),
      operations: join.operations(sources.map((s) => prefix.get(s.name)!.operations(s.state.operations))),
      eventLog: eventLog(sources),
      status,
    };
    // Same content as last time, new wrapper objects: keep the old ones so identity checks hold.
    if (last) {
      const prev = last.out;
      if (sameRemotes(prev.fleet!, remotes)) out.fleet = prev.fleet;
      if (prev.server && out.server && prev.server.serverName === out.server.serverName && prev.server.clustered === out.server.clustered && prev.server.version === out.server.version) out.server = prev.server;
      if (sameConnection(prev.connection, out.connection)) out.connection = prev.connection;
    }
    last = { ui, states, out };
    return out;
  };
}

function sameConnection(a: ConnectionState, b: ConnectionState): boolean {
  return (Object.keys(a) as (keyof ConnectionState)[]).every((k) => a[k] === b[k]);
}

/** Equal for the header (which redraws at once when this changes): not the event clock. */
function sameRemotes(a: readonly FleetRemote[], b: readonly FleetRemote[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => {
      const o = b[i];
      const [c, d] = [r.connection, o.connection];
      return r.server === o.server && r.instances === o.instances && r.error === o.error && c.rest === d.rest && c.events === d.events && c.eventsLost === d.eventsLost;
    })
  );
}
