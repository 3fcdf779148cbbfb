// The live controller: keeps the store current from the daemon. Events first (the fast path),
// then a full list; the figures of the rows on screen sampled within the daemon budget
// (sampler.ts: `/1.0/metrics` where the server lets us, `/state` for the selected row and where
// metrics cannot serve); a safety-net re-list; capped-backoff retries while the daemon is unreachable.
import type { EventStream, LxdApi } from '../lxd/api.js';
import { createActions } from './actions.js';
import type { RequestKind } from './cost.js';
import { errorText, isNetworkError, mapLimit } from './errors.js';
import { createSampler } from './sampler.js';
import { openSharedSamples } from './shared-samples.js';
import { createSync } from './sync.js';
import { type Action, type Controller, type ControllerOptions, type Store } from './state.js';

export { LIST_MAX_RATIO, LIST_MIN_VISIBLE, SAMPLE_FLUSH_MS, usesStateList } from './sampler.js';
/** The daemon budget by default: 10 % of one core. */
export const DEFAULT_DAEMON_BUDGET = 0.1;

// Retries while the daemon is unreachable cost one `GET /1.0` each (a refused connect on the unix
// socket): cheap enough to keep them close together, so lxtop is back within half a second of
// the daemon answering again, however long it was away.
export const RETRY_MIN_MS = 500;
export const RETRY_MAX_MS = 500;
/** Cluster members change rarely (and events say when): a slow poll is enough. */
export const MEMBERS_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 1000;
type Timer = ReturnType<typeof setTimeout>;
type TimerName = 'relist' | 'retry' | 'prune' | 'members';

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
  let retryDelay = 0;
  const timers: Record<TimerName, Timer | null> = { relist: null, retry: null, prune: null, members: null };

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
    sampler?.halt();
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

  /** Requests besides sampling (lists, counts, members) are charged to the daemon budget too. */
  const metered = meter(api, (kind) => sampler.track(kind));
  const sync = createSync({
    api: metered,
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
    membersInFlight ??= metered
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
        sampler.onEvent(e);
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

  // ---- sampling: within the daemon budget (sampler.ts) --------------------------------------

  const sampler = createSampler({
    api,
    store,
    now,
    intervalMs: interval,
    budget: Math.max(0, options.daemonBudget ?? DEFAULT_DAEMON_BUDGET),
    ...(options.sampleVia ? { via: options.sampleVia } : {}),
    allProjects,
    concurrency,
    cores: options.serverCores ?? 2,
    shared: options.shareKey ? openSharedSamples(options.shareKey) : null,
    dispatch,
    stopped: () => stopped,
    active,
    onNetworkError,
    fetchInstance: (key) => sync.fetchInstance(key),
    countSnapshots: (keys) => mapLimit(keys, concurrency, (k) => sync.snapshotsChanged(k)),
  });

  function startTimers(): void {
    sampler.start();
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
      sampler.halt();
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
      sampler.setVisible(keys);
    },

    listSnapshots: sync.listSnapshots,
    instanceDetail: sync.instanceDetail,
  };
}

const METERED: Partial<Record<keyof LxdApi, RequestKind>> = {
  server: 'other',
  listInstances: 'list',
  listImages: 'list',
  listOperations: 'list',
  listProjects: 'other',
  listClusterMembers: 'other',
  getInstance: 'other',
  listSnapshots: 'other',
};

/** The API with each read the controller makes outside sampling timed by `track` (called at its start, its result at its end). */
function meter(api: LxdApi, track: (kind: RequestKind) => () => void): LxdApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      const kind = typeof prop === 'string' ? METERED[prop as keyof LxdApi] : undefined;
      if (!kind || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const done = track(kind);
        const p = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        // `server()` is cached by the client: an answer at once cost nothing.
        void Promise.resolve(p).then(done, done);
        return p;
      };
    },
  });
}
