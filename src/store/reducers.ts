// The pure reducer: reduce(state, action) → state. Data actions here; UI actions in ui-reducers.ts;
// event frames become data actions in events.ts. Never throws on odd server data.
import type { Instance, Operation } from '../lxd/types.js';
import { eventActions, withStatus } from './events.js';
import { selectRowKeys } from './selectors.js';
import { reduceUi, renameKeyInUi, dropKeysFromUi } from './ui-reducers.js';
import {
  createInitialState,
  instanceKey,
  parseInstanceKey,
  type Action,
  type ConnectionState,
  type InstanceKey,
  type OperationOutcomeStatus,
  type PaneId,
  type SamplePair,
  type SampleSource,
  type State,
  type StateSample,
  type TrackedOperation,
} from './state.js';

/** Finished operations stay this long (ms) before `operations/prune` drops them. */
export const OPERATION_KEEP_MS = 8000;

const FINISHED: Record<string, OperationOutcomeStatus> = {
  Success: 'Success',
  Failure: 'Failure',
  Cancelled: 'Cancelled',
};

export function operationOutcome(op: Operation): OperationOutcomeStatus | null {
  const byName = FINISHED[op.status];
  if (byName) return byName;
  if (op.status_code === 200) return 'Success';
  if (op.status_code === 400) return 'Failure';
  if (op.status_code === 401) return 'Cancelled';
  return null;
}

function withoutKeys<T>(record: Readonly<Record<string, T>>, drop: (key: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(record)) if (!drop(k)) out[k] = v;
  return out;
}

function keyOf(instance: Instance, fallbackProject = 'default'): InstanceKey {
  return instanceKey(instance.project || fallbackProject, instance.name);
}

function setConnection(state: State, patch: Partial<ConnectionState>): State {
  const connection = { ...state.connection, ...patch };
  connection.reconnecting = connection.rest === 'down' || connection.eventsLost;
  return { ...state, connection };
}

function trackOperation(prev: TrackedOperation | undefined, operation: Operation, at: number): TrackedOperation {
  const outcome = operationOutcome(operation);
  return {
    operation,
    firstSeenAt: prev?.firstSeenAt ?? at,
    finishedAt: outcome ? (prev?.finishedAt ?? at) : null,
    outcome,
  };
}

/** Rows left: their marks go, and a cursor on one of them moves to its neighbour in the view. */
function dropRows(prev: State, next: State, pane: PaneId, gone: readonly string[]): State {
  let ui = dropKeysFromUi(next.ui, pane, gone);
  const selected = prev.ui.panes[pane].selected;
  if (selected !== null && gone.includes(selected)) {
    const keys = selectRowKeys(prev, pane);
    const i = keys.indexOf(selected);
    const alive = (k: string) => !gone.includes(k);
    const neighbour = i < 0 ? null : (keys.slice(i + 1).find(alive) ?? keys.slice(0, i).reverse().find(alive) ?? null);
    ui = reduceUi(ui, { type: 'ui/select', pane, key: neighbour });
  }
  return ui === next.ui ? next : { ...next, ui };
}

const sourceOf = (s: StateSample): SampleSource => s.source ?? 'state';

/** A metrics sample this close after a `/state` one is not taken in its place: the row is being
 *  sampled by `/state` (selected), which is fresher; it is kept as the baseline for later. */
export const METRICS_YIELD_MS = 10_000;
/** A `/state` sample older than this is no baseline for a rate (the rate would be a long average). */
export const STATE_BASELINE_MS = 30_000;

/**
 * The pair after a new sample, or undefined when it changes nothing (older than what is there).
 * `prev` and `last` stay of one source; the other source's latest sample rides along (SamplePair).
 */
export function addSample(cur: SamplePair | undefined, s: StateSample): SamplePair | undefined {
  if (!cur) return { prev: null, last: s };
  const src = sourceOf(s);
  const curSrc = sourceOf(cur.last);
  if (src === curSrc) {
    if (s.at <= cur.last.at) return undefined;
    const pair: SamplePair = { prev: cur.last, last: s };
    if (src === 'metrics' && cur.state) pair.state = cur.state;
    if (src === 'state' && cur.metrics) pair.metrics = cur.metrics;
    return pair;
  }
  if (src === 'metrics') {
    // The row is read by `/state` now: keep the metrics sample aside, unless `/state` stopped.
    if (s.at - cur.last.at < METRICS_YIELD_MS) {
      if (cur.metrics && s.at <= cur.metrics.at) return undefined;
      return { ...cur, metrics: s };
    }
    const base = cur.metrics && cur.metrics.at < s.at ? cur.metrics : null;
    return { prev: base, last: s, state: cur.last };
  }
  // A `/state` sample for a row read from the metrics.
  if (s.at <= cur.last.at) {
    if (cur.state && s.at <= cur.state.at) return undefined;
    return { ...cur, state: s };
  }
  const base = cur.state && cur.state.at < s.at && s.at - cur.state.at <= STATE_BASELINE_MS ? cur.state : null;
  return { prev: base, last: s, metrics: cur.last };
}

function isRunningStatus(status: string): boolean {
  return status === 'Running' || status === 'Frozen';
}

function reduceData(state: State, action: Action): State {
  switch (action.type) {
    case 'server/loaded':
      return { ...state, server: action.server };
    case 'rest/ok':
      if (state.connection.rest === 'ok' && state.connection.nextRetryAt === null) return state;
      return setConnection(state, { rest: 'ok', nextRetryAt: null });
    case 'rest/down':
      return setConnection(state, {
        rest: 'down',
        lastError: action.error,
        lastErrorAt: action.at,
        nextRetryAt: action.nextRetryAt,
      });
    case 'events/status':
      return setConnection(state, {
        events: action.status,
        eventsError: action.error ?? (action.status === 'connected' ? null : state.connection.eventsError),
        eventsLost:
          action.status === 'connected' ? false : action.status === 'disconnected' ? true : state.connection.eventsLost,
      });
    case 'event': {
      let next = setConnection(state, { lastEventAt: action.at });
      for (const a of eventActions(state, action.event, action.at)) next = reduceData(next, a);
      return next;
    }
    case 'instances/loaded': {
      const inScope = (key: string) => action.project === null || parseInstanceKey(key).project === action.project;
      const instances: Record<string, Instance> = withoutKeys(state.instances, inScope);
      for (const inst of action.instances) {
        if (inst && typeof inst.name === 'string') instances[keyOf(inst, action.project ?? 'default')] = inst;
      }
      const samples = withoutKeys(state.samples, (k) => !instances[k] || !isRunningStatus(instances[k].status));
      const snapshotCounts = withoutKeys(state.snapshotCounts, (k) => !instances[k]);
      for (const [k, i] of Object.entries(instances)) if (Array.isArray(i.snapshots)) snapshotCounts[k] = i.snapshots.length;
      const gone = Object.keys(state.instances).filter((k) => !instances[k]);
      const connection = { ...state.connection, lastSyncAt: action.at };
      // Nothing changed (same keys, same objects): keep the record, so nothing re-sorts or redraws.
      const unchanged =
        gone.length === 0 &&
        Object.keys(instances).length === Object.keys(state.instances).length &&
        Object.keys(instances).every((k) => instances[k] === state.instances[k]);
      if (unchanged) return { ...state, connection };
      const next: State = { ...state, instances, samples, snapshotCounts, connection };
      return gone.length ? dropRows(state, next, 'instances', gone) : next;
    }
    case 'instance/upsert': {
      const inst = action.instance;
      if (!inst || typeof inst.name !== 'string') return state;
      const key = keyOf(inst);
      const samples = isRunningStatus(inst.status) ? state.samples : withoutKeys(state.samples, (k) => k === key);
      const snapshotCounts = Array.isArray(inst.snapshots)
        ? { ...state.snapshotCounts, [key]: inst.snapshots.length }
        : state.snapshotCounts;
      return { ...state, instances: { ...state.instances, [key]: inst }, samples, snapshotCounts };
    }
    case 'instance/removed': {
      if (!state.instances[action.key] && !state.samples[action.key]) return state;
      const next: State = {
        ...state,
        instances: withoutKeys(state.instances, (k) => k === action.key),
        samples: withoutKeys(state.samples, (k) => k === action.key),
        snapshotCounts: withoutKeys(state.snapshotCounts, (k) => k === action.key),
      };
      return dropRows(state, next, 'instances', [action.key]);
    }
    case 'instance/renamed': {
      const inst = state.instances[action.key];
      if (!inst) return state;
      const { project } = parseInstanceKey(action.key);
      const newKey = instanceKey(project, action.newName);
      if (newKey === action.key) return state;
      const instances = withoutKeys(state.instances, (k) => k === action.key);
      instances[newKey] = { ...inst, name: action.newName };
      const samples = withoutKeys(state.samples, (k) => k === action.key);
      const pair = state.samples[action.key];
      if (pair) samples[newKey] = pair;
      const snapshotCounts = withoutKeys(state.snapshotCounts, (k) => k === action.key);
      const count = state.snapshotCounts[action.key];
      if (count !== undefined) snapshotCounts[newKey] = count;
      const ui = renameKeyInUi(state.ui, 'instances', action.key, newKey);
      return { ...state, instances, samples, snapshotCounts, ui };
    }
    case 'instance/status': {
      const inst = state.instances[action.key];
      if (!inst) return state;
      const updated = withStatus(inst, action.status);
      if (updated === inst) return state;
      const samples = isRunningStatus(action.status)
        ? state.samples
        : withoutKeys(state.samples, (k) => k === action.key);
      return { ...state, instances: { ...state.instances, [action.key]: updated }, samples };
    }
    case 'instance/sample': {
      const inst = state.instances[action.key];
      const sampleState = action.state;
      if (!inst || !sampleState || typeof sampleState !== 'object') return state;
      const prev = state.samples[action.key];
      const status = typeof sampleState.status === 'string' ? sampleState.status : inst.status;
      const instances =
        status !== inst.status ? { ...state.instances, [action.key]: withStatus(inst, status) } : state.instances;
      if (!isRunningStatus(status)) {
        return { ...state, instances, samples: withoutKeys(state.samples, (k) => k === action.key) };
      }
      const pair = addSample(prev, { at: action.at, state: sampleState });
      if (!pair) return instances === state.instances ? state : { ...state, instances };
      return { ...state, instances, samples: { ...state.samples, [action.key]: pair } };
    }
    case 'instance/samples': {
      // The same rules as `instance/sample`, with one copy of each record for the whole round.
      let instances: Record<InstanceKey, Instance> | null = null;
      let samples: Record<InstanceKey, SamplePair> | null = null;
      let counts: Record<InstanceKey, number> | null = null;
      for (const entry of Array.isArray(action.samples) ? action.samples : []) {
        if (!entry || typeof entry !== 'object') continue;
        const { key, state: sampleState, at } = entry;
        const inst = (instances ?? state.instances)[key];
        if (!inst || !sampleState || typeof sampleState !== 'object') continue;
        const count = entry.snapshots;
        if (typeof count === 'number' && count >= 0 && (counts ?? state.snapshotCounts)[key] === undefined) {
          counts ??= { ...state.snapshotCounts };
          counts[key] = count;
        }
        const current = samples ?? state.samples;
        if (entry.source === 'metrics') {
          // Figures the daemon may have cached: they never change a status, and count only for
          // an instance running now.
          if (!isRunningStatus(inst.status) || typeof at !== 'number') continue;
        } else {
          const status = typeof sampleState.status === 'string' ? sampleState.status : inst.status;
          if (status !== inst.status) {
            instances ??= { ...state.instances };
            instances[key] = withStatus(inst, status);
          }
          if (!isRunningStatus(status)) {
            if (current[key]) {
              samples ??= { ...state.samples };
              delete samples[key];
            }
            continue;
          }
        }
        const sample: StateSample = { at, state: sampleState };
        if (entry.source === 'metrics') sample.source = 'metrics';
        if (typeof entry.earliest === 'number' && entry.earliest < at) sample.earliest = entry.earliest;
        const pair = addSample(current[key], sample);
        if (!pair) continue;
        samples ??= { ...state.samples };
        samples[key] = pair;
      }
      if (!instances && !samples && !counts) return state;
      return {
        ...state,
        instances: instances ?? state.instances,
        samples: samples ?? state.samples,
        snapshotCounts: counts ?? state.snapshotCounts,
      };
    }
    case 'sampling/status':
      return state.sampling === action.status ? state : { ...state, sampling: action.status };
    case 'instance/snapshots': {
      if (!state.instances[action.key] || state.snapshotCounts[action.key] === action.count) return state;
      if (typeof action.count !== 'number' || action.count < 0) return state;
      return { ...state, snapshotCounts: { ...state.snapshotCounts, [action.key]: action.count } };
    }
    case 'images/loaded': {
      const images: State['images'] = {};
      for (const img of action.images ?? []) {
        if (img && typeof img.fingerprint === 'string') (images as Record<string, typeof img>)[img.fingerprint] = img;
      }
      const gone = Object.keys(state.images).filter((k) => !images[k]);
      const next: State = { ...state, images };
      return gone.length ? dropRows(state, next, 'images', gone) : next;
    }
    case 'image/removed': {
      if (!state.images[action.fingerprint]) return state;
      const next: State = { ...state, images: withoutKeys(state.images, (k) => k === action.fingerprint) };
      return dropRows(state, next, 'images', [action.fingerprint]);
    }
    case 'operations/loaded': {
      // The list is the truth for what it holds. Operations we track that it lacks: keep the
      // finished ones (pruned later) and any first seen after the list was requested.
      const operations: Record<string, TrackedOperation> = {};
      for (const [id, tracked] of Object.entries(state.operations)) {
        if (tracked.finishedAt !== null || tracked.firstSeenAt >= action.at) operations[id] = tracked;
      }
      for (const op of action.operations ?? []) {
        if (op && typeof op.id === 'string') operations[op.id] = trackOperation(state.operations[op.id], op, action.at);
      }
      return { ...state, operations };
    }
    case 'operation/upsert': {
      const op = action.operation;
      if (!op || typeof op.id !== 'string') return state;
      const prev = state.operations[op.id];
      // A late "Running" frame never un-finishes an operation.
      if (prev?.finishedAt != null && !operationOutcome(op)) return state;
      return { ...state, operations: { ...state.operations, [op.id]: trackOperation(prev, op, action.at) } };
    }
    case 'operations/prune': {
      const keep = action.olderThanMs ?? OPERATION_KEEP_MS;
      const stale = (id: string) => {
        const f = state.operations[id].finishedAt;
        return f !== null && action.at - f >= keep;
      };
      const ids = Object.keys(state.operations).filter(stale);
      if (!ids.length) return state;
      return dropRows(state, { ...state, operations: withoutKeys(state.operations, stale) }, 'operations', ids);
    }
    case 'status/set':
      return { ...state, status: { text: action.text, level: action.level, at: action.at } };
    case 'status/clear':
      return state.status === null ? state : { ...state, status: null };
    case 'scope/reset': {
      // The session (read-only), the server and the connection carry over; the rest was the old scope's.
      const fresh = createInitialState({ readOnly: state.readOnly });
      if (action.server) return { ...fresh, paused: state.paused, allProjects: action.allProjects };
      return { ...fresh, server: state.server, connection: state.connection, paused: state.paused, allProjects: action.allProjects, members: state.members };
    }
    case 'members/loaded':
      return { ...state, members: action.members };
    case 'session/set':
      return {
        ...state,
        readOnly: action.readOnly ?? state.readOnly,
        paused: action.paused ?? state.paused,
        allProjects: action.allProjects ?? state.allProjects,
      };
    default:
      return state;
  }
}

/** The store's reducer. Unknown actions return the same state object. */
export function reduce(state: State, action: Action): State {
  if (!action || typeof action !== 'object') return state;
  if (action.type.startsWith('ui/') || action.type.startsWith('dialog/')) {
    return withUi(state, reduceUi(state.ui, action));
  }
  return reduceData(state, action);
}

function withUi(state: State, ui: State['ui']): State {
  return ui === state.ui ? state : { ...state, ui };
}
