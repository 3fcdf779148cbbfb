// The live controller: keeps the store current from the daemon. Events first (the fast path),
// then a full list; state polled only for visible running instances, bounded and never
// overlapping; a safety-net re-list; capped-backoff retries while the daemon is unreachable.
import type { EventStream, InstanceStateEntry, LxdApi } from '../lxd/api.js';
import { createActions } from './actions.js';
import { errorText, httpStatus, isNetworkError, mapLimit } from './errors.js';
import { createSync } from './sync.js';
import {
  instanceKey,
  parseInstanceKey,
  type Action,
  type Controller,
  type ControllerOptions,
  type InstanceKey,
  type SampleEntry,
  type Store,
} from './state.js';

// Retries while the daemon is unreachable cost one `GET /1.0` each (a refused connect on the unix
// socket): cheap enough to keep them close together, so lxtop is back within half a second of
// the daemon answering again, however long it was away.
export const RETRY_MIN_MS = 500;
export const RETRY_MAX_MS = 500;
/** Cluster members change rarely (and events say when): a slow poll is enough. */
export const MEMBERS_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 1000;
/** A slow round's samples wait at most this long (ms) for the rest of the round. */
export const SAMPLE_FLUSH_MS = 500;
/**
 * A poll round asks one list (`recursion=2`) rather than one request per visible running instance
 * when at least `LIST_MIN_VISIBLE` are to be read and the scope holds at most `LIST_MAX_RATIO`
 * times as many instances: the daemon builds the state of every instance in the list (LXD 5.0
 * does so before applying a filter), so a large scope with a few visible rows is read one by one.
 */
export const LIST_MIN_VISIBLE = 2;
export const LIST_MAX_RATIO = 2;

/** Whether a round reads `visibleRunning` states by one list of a scope of `inScope` instances. */
export function usesStateList(visibleRunning: number, inScope: number): boolean {
  return visibleRunning >= LIST_MIN_VISIBLE && inScope <= LIST_MAX_RATIO * visibleRunning;
}

type Timer = ReturnType<typeof setTimeout>;
type TimerName = 'poll' | 'relist' | 'retry' | 'prune' | 'members';

export function createController(api: LxdApi, store: Store, options: ControllerOptions = {}): Controller {
  const interval = options.interval ?? 2000;
  const concurrency = Math.max(1, options.stateConcurrency ?? 8);
  const relistEvery = options.relistInterval ?? 30_000;
  const now = options.now ?? Date.now;
  const readOnly = options.readOnly ?? false;
  const allProjects = options.allProjects ?? false;

  let events: EventStream | null = null;
  let unsubscribe: (() => void)[] = [];
  let running = false; // start() was called
  let stopped = false;
  let paused = false;
  let visible: ReadonlySet<InstanceKey> = new Set();
  let polling = false;
  const counted = new Set<InstanceKey>();
  let retryDelay = 0;
  const timers: Record<TimerName, Timer | null> = { poll: null, relist: null, retry: null, prune: null, members: null };

  function dispatch(action: Action): void {
    try {
      store.dispatch(action);
    } catch {
      // a view's listener threw: the store is updated, the controller carries on
    }
  }
  const active = () => running && !stopped && !paused;

  function clear(name: TimerName): void {
    const t = timers[name];
    if (t !== null) clearTimeout(t);
    timers[name] = null;
  }
  function clearAll(): void {
    for (const name of Object.keys(timers) as TimerName[]) clear(name);
  }
  /** One timer per name; nothing is scheduled while paused or stopped. */
  function schedule(name: TimerName, delay: number, fn: () => void): void {
    clear(name);
    if (!active()) return;
    timers[name] = setTimeout(() => {
      timers[name] = null;
      if (active()) fn();
    }, Math.max(0, delay));
  }

  // ---- connection loss: banner, capped backoff, recovery by re-list ------------------------

  function onNetworkError(err: unknown): void {
    if (stopped) return;
    if (timers.retry !== null && store.getState().connection.rest === 'down') return;
    retryDelay = retryDelay === 0 ? RETRY_MIN_MS : Math.min(RETRY_MAX_MS, retryDelay * 2);
    dispatch({ type: 'rest/down', error: errorText(err), at: now(), nextRetryAt: active() ? now() + retryDelay : null });
    schedule('retry', retryDelay, () => void sync.relist());
  }

  function onRestOk(): void {
    retryDelay = 0;
    clear('retry');
    dispatch({ type: 'rest/ok', at: now() });
    // The daemon answers: an event stream waiting out its backoff may connect now.
    if (events && events.status === 'disconnected') {
      try {
        events.reconnectNow?.();
      } catch {
        // the stream's own retries carry on
      }
    }
  }

  const sync = createSync({
    api,
    store,
    now,
    scope: allProjects ? { allProjects: true } : undefined,
    allProjects,
    dispatch,
    stopped: () => stopped,
    onNetworkError,
    onRestOk,
  });

  /** Members of a clustered server; nothing is asked of a standalone one. */
  let membersInFlight: Promise<void> | null = null;
  function refreshMembers(): Promise<void> {
    if (stopped || !store.getState().server?.clustered) return Promise.resolve();
    membersInFlight ??= api
      .listClusterMembers()
      .then((members) => {
        if (!stopped) dispatch({ type: 'members/loaded', members: members ?? [] });
      })
      .catch((err) => sync.report(err, 'cluster members'))
      .finally(() => {
        membersInFlight = null;
      });
    return membersInFlight;
  }

  function openEvents(): void {
    try {
      events = api.events({ types: ['lifecycle', 'operation'], ...(allProjects ? { allProjects: true } : {}) });
    } catch (err) {
      dispatch({ type: 'events/status', status: 'disconnected', error: errorText(err), at: now() });
      return;
    }
    const stream = events;
    let wasConnected = stream.status === 'connected';
    unsubscribe = [
      stream.onEvent((e) => {
        sync.handleEvent(e);
        // cluster-member-added/-removed/-updated/-renamed: the members pane follows at once.
        const action = e.type === 'lifecycle' ? (e.metadata as { action?: unknown } | undefined)?.action : undefined;
        if (typeof action === 'string' && action.startsWith('cluster-member-')) void refreshMembers();
      }),
      stream.onReconnect(() => void sync.relist()),
      stream.onStatus((status, error) => {
        if (stopped) return;
        dispatch({ type: 'events/status', status, error: error ? errorText(error) : null, at: now() });
        // The stream dropped: ask the REST API (`GET /1.0`) whether the daemon is still there.
        // If not, the connection reads down (banner, the fleet's "offline") and the quick retries
        // begin, instead of waiting on the stream's slower backoff with nothing polled to notice.
        if (status === 'disconnected' && wasConnected && store.getState().connection.rest !== 'down') {
          api.server(true).catch((err: unknown) => {
            if (isNetworkError(err)) onNetworkError(err);
          });
        }
        wasConnected = status === 'connected';
      }),
    ];
    dispatch({ type: 'events/status', status: stream.status, at: now() });
  }

  // ---- polling: visible running instances, bounded, one round at a time ------------------

  /** Set when the server cannot give states in a list (or refused it): single requests from then on. */
  let listUnusable = false;

  /**
   * A round's samples go to the store together (one update, so one frame), at the end of the round
   * or, if the round is slow, `SAMPLE_FLUSH_MS` after the first one waiting.
   */
  function sampleBatch() {
    let pending: SampleEntry[] = [];
    let timer: Timer | null = null;
    const flush = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (!pending.length || stopped) return;
      const samples = pending;
      pending = [];
      dispatch({ type: 'instance/samples', samples });
    };
    return {
      add(entry: SampleEntry) {
        pending.push(entry);
        timer ??= setTimeout(flush, Math.min(SAMPLE_FLUSH_MS, interval / 2));
      },
      flush,
    };
  }

  type Batch = ReturnType<typeof sampleBatch>;

  /**
   * One `GET /1.0/instances?recursion=2` for the round. Returns the keys it gave no state for
   * (not running any more, gone, or a list that carries no states): the caller asks them one by
   * one, as before; null when the connection is lost.
   */
  async function pollByList(keys: InstanceKey[], batch: Batch): Promise<InstanceKey[] | null> {
    let entries: InstanceStateEntry[] | null;
    try {
      entries = (await api.listInstanceStates?.({ ...(allProjects ? { allProjects: true } : {}), runningOnly: true })) ?? null;
    } catch (err) {
      if (isNetworkError(err)) {
        onNetworkError(err);
        return null;
      }
      listUnusable = true; // e.g. a server refusing the filter: the single requests still work
      return keys;
    }
    if (stopped) return [];
    if (entries === null) {
      listUnusable = true;
      return keys;
    }
    const at = now();
    const byKey = new Map<InstanceKey, InstanceStateEntry>();
    for (const e of entries) byKey.set(instanceKey(e.project, e.name), e);
    const rest: InstanceKey[] = [];
    let stateless = 0;
    for (const key of keys) {
      const e = byKey.get(key);
      if (e?.state) batch.add({ key, state: e.state, at, snapshots: e.snapshots });
      else {
        // Missing: stopped or deleted behind our back (the list holds running ones only); its own
        // state request says which, as in a round of single requests.
        rest.push(key);
        if (e) stateless++;
      }
    }
    // Entries without states (a server or proxy that ignores recursion=2): single requests from now on.
    if (stateless > 0) listUnusable = true;
    return rest;
  }

  async function pollEach(keys: InstanceKey[], batch: Batch): Promise<boolean> {
    let lost = false;
    await mapLimit(keys, concurrency, async (key) => {
      if (lost || stopped) return;
      const { project, name } = parseInstanceKey(key);
      try {
        const state = await api.instanceState(name, { project });
        batch.add({ key, state, at: now() });
      } catch (err) {
        if (isNetworkError(err)) {
          lost = true;
          onNetworkError(err);
        } else if (httpStatus(err) === 404) void sync.fetchInstance(key);
      }
    });
    return !lost;
  }

  async function pollRound(): Promise<void> {
    if (polling || !active()) return;
    if (store.getState().connection.rest === 'down') {
      schedule('poll', interval, () => void pollRound());
      return;
    }
    polling = true;
    const began = now();
    const batch = sampleBatch();
    try {
      const st = store.getState();
      const keys = [...visible].filter((k) => st.instances[k]?.status === 'Running');
      let rest: InstanceKey[] | null = keys;
      if (!listUnusable && api.listInstanceStates && usesStateList(keys.length, Object.keys(st.instances).length)) {
        rest = await pollByList(keys, batch);
      }
      let ok = rest !== null;
      if (rest !== null && rest.length) ok = await pollEach(rest, batch);
      batch.flush();
      // Snapshot counts of visible rows not known yet (a list may have brought them), once per instance.
      const after = store.getState();
      const uncounted = [...visible].filter((k) => after.instances[k] && after.snapshotCounts[k] === undefined && !counted.has(k));
      for (const k of uncounted) counted.add(k);
      if (ok) await mapLimit(uncounted, concurrency, (k) => sync.snapshotsChanged(k));
    } finally {
      batch.flush();
      polling = false;
      // A round slower than the interval is followed by a breather, not by back-to-back rounds.
      schedule('poll', Math.max(interval / 2, interval - (now() - began)), () => void pollRound());
    }
  }

  function startTimers(): void {
    schedule('poll', 0, () => void pollRound());
    const relistLoop = () => {
      if (store.getState().connection.rest !== 'down') void sync.relist();
      schedule('relist', relistEvery, relistLoop);
    };
    schedule('relist', relistEvery, relistLoop);
    const pruneLoop = () => {
      dispatch({ type: 'operations/prune', at: now() });
      schedule('prune', PRUNE_EVERY_MS, pruneLoop);
    };
    schedule('prune', PRUNE_EVERY_MS, pruneLoop);
    const membersLoop = () => {
      if (store.getState().connection.rest !== 'down') void refreshMembers();
      schedule('members', MEMBERS_EVERY_MS, membersLoop);
    };
    schedule('members', 0, membersLoop);
  }

  const actions = createActions({
    api,
    store,
    now,
    readOnly,
    concurrency,
    operationTimeout: options.operationTimeout ?? 60,
    dispatch,
    onNetworkError,
    fetchInstance: sync.fetchInstance,
    snapshotsChanged: sync.snapshotsChanged,
  });

  return {
    ...actions,

    async start() {
      if (running || stopped) return;
      running = true;
      dispatch({ type: 'session/set', readOnly, paused: false, allProjects });
      openEvents(); // events first: nothing that happens during the list is missed
      await sync.relist();
      startTimers(); // no-op unless still running, not paused

    },

    stop() {
      stopped = true;
      clearAll();
      for (const off of unsubscribe) {
        try {
          off();
        } catch {
          // ignore
        }
      }
      unsubscribe = [];
      try {
        events?.close();
      } catch {
        // ignore
      }
      events = null;
    },

    pause() {
      if (paused || stopped) return;
      paused = true;
      clearAll();
      dispatch({ type: 'session/set', paused: true });
    },

    resume() {
      if (!paused || stopped) return;
      paused = false;
      dispatch({ type: 'session/set', paused: false });
      if (!running) return;
      // Re-list once, then poll what the list says is running.
      void sync.relist().finally(() => {
        if (active()) startTimers();
      });
    },

    refresh: () => sync.relist(),
    refreshMembers,
    listProjects: () =>
      api.listProjects().then(
        (projects) => (projects ?? []).map((p) => p.name).filter((n): n is string => typeof n === 'string'),
        (err) => {
          sync.report(err, 'projects');
          return null;
        },
      ),

    setVisible(keys) {
      const next = new Set(keys);
      const st = store.getState();
      const fresh = [...next].some((k) => !visible.has(k) && !st.samples[k] && st.instances[k]?.status === 'Running');
      visible = next;
      // Newly shown running rows get their first sample soon rather than a full interval later.
      if (fresh && active() && !polling) schedule('poll', 50, () => void pollRound());
    },

    listSnapshots: sync.listSnapshots,
    instanceDetail: sync.instanceDetail,
  };
}
