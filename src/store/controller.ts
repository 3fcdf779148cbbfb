// The live controller: keeps the store current from the daemon. Events first (the fast path),
// then a full list; the figures of the rows on screen sampled within the daemon budget
// (sampler.ts: `/1.0/metrics` where the server lets us, `/state` for the selected row and where
// metrics cannot serve); a safety-net re-list; quick retries while the daemon is unreachable.
// Its parts, each a module: the event stream (event-stream.ts), the REST connection and its
// retries (connection.ts), reads into the store (sync.ts), sampling (sampler.ts), cluster members
// (members.ts), the user's actions (actions.ts), and the named timers they share (timers.ts).
import type { LxdApi } from '../lxd/api.js';
import { createActions } from './actions.js';
import { createTransfers } from './transfers.js';
import { instanceLogReader } from './logs.js';
import { createConnection } from './connection.js';
import { mapLimit } from './map-limit.js';
import { createEventStream } from './event-stream.js';
import { createMembers, MEMBERS_EVERY_MS } from './members.js';
import { createHostMeters } from './host-meters.js';
import { createWarnings, WARNINGS_EVERY_MS } from './warnings.js';
import { createResources } from './resources.js';
import { meter } from './meter.js';
import { createSampler } from './sampler.js';
import { openSharedSamples } from './shared-samples.js';
import { createSync } from './sync.js';
import { isDebugLine, isOtherProject } from './event-log.js';
import { parseInstanceKey, type Action, type Controller, type ControllerOptions, type Store } from './state.js';
import { createTimers } from './timers.js';
import { OPERATION_KEEP_MS } from './slices/operations.js';

export { MEMBERS_EVERY_MS } from './members.js';
/** The daemon budget by default: 10 % of one core. */
const DEFAULT_DAEMON_BUDGET = 0.1;

export function createController(api: LxdApi, store: Store, options: ControllerOptions = {}): Controller {
  const interval = options.interval ?? 2000;
  const concurrency = Math.max(1, options.stateConcurrency ?? 8);
  const relistEvery = options.relistInterval ?? 30_000;
  const now = options.now ?? Date.now;
  const readOnly = options.readOnly ?? false;
  const allProjects = options.allProjects ?? false;

  let running = false; // start() was called
  let stopped = false;
  let paused = false;
  const isStopped = () => stopped;
  const active = () => running && !stopped && !paused;
  const timers = createTimers(active);

  function dispatch(action: Action): void {
    const operations = store.getState().operations;
    try {
      store.dispatch(action);
    } catch {
      // a view's listener threw: the store is updated, the controller carries on
    }
    if (store.getState().operations !== operations) schedulePrune();
  }

  /**
   * A finished operation leaves the pane OPERATION_KEEP_MS after it ended: one timer for the first
   * due, and none while nothing has finished (a wake-up a second for nothing costs an idle lxtop).
   */
  function schedulePrune(): void {
    if (timers.has('prune')) return;
    let first: number | null = null;
    for (const o of Object.values(store.getState().operations)) {
      if (o.finishedAt !== null && (first === null || o.finishedAt < first)) first = o.finishedAt;
    }
    if (first === null) return;
    timers.schedule('prune', first + OPERATION_KEEP_MS - now(), () => {
      dispatch({ type: 'operations/prune', at: now() });
      schedulePrune();
    });
  }

  const connection = createConnection({
    store,
    now,
    dispatch,
    stopped: isStopped,
    active,
    timers,
    relist: () => sync.relist(),
    events: () => events.current(),
  });
  const { onNetworkError } = connection;

  /** Requests besides sampling (lists, counts, members) are charged to the daemon budget too. */
  const metered = meter(api, (kind) => sampler.track(kind));
  const sync = createSync({
    api: metered,
    store,
    now,
    scope: allProjects ? { allProjects: true } : undefined,
    allProjects,
    dispatch,
    stopped: isStopped,
    onNetworkError,
    onRestOk: connection.onRestOk,
    refusalHint: options.refusalHint,
  });

  const members = createMembers({ api: metered, store, dispatch, stopped: isStopped, report: sync.report });
  const hostMeters = createHostMeters({ api: metered, store, dispatch, stopped: isStopped, onNetworkError });
  const warnings = createWarnings({ api: metered, store, now, readOnly, dispatch, stopped: isStopped, onNetworkError });
  /** The header shows the meters: read them only then. */
  let metersShown = false;
  let metersReadAt = Number.NEGATIVE_INFINITY;
  function meterLoop(): void {
    if (!metersShown || !active()) return;
    const wait = metersReadAt + hostMeters.period() - now();
    if (wait > 0) return timers.schedule('meters', wait, meterLoop);
    // Nothing to read yet (no server, no members): startTimers calls again after the members.
    void hostMeters.refresh().then((read) => {
      if (!read) return;
      metersReadAt = now();
      timers.schedule('meters', hostMeters.period(), meterLoop);
    });
  }

  const events = createEventStream({
    api,
    store,
    now,
    allProjects,
    dispatch,
    stopped: isStopped,
    onEvent(e) {
      // The daemon's debug lines (several per API request, lxtop's own included, on a daemon run
      // with --debug) would crowd everything else out of the events view: the rest is recorded.
      if (isDebugLine(e)) return;
      if (!allProjects && isOtherProject(e, api.project)) {
        dispatch({ type: 'event', event: e, at: now(), recordOnly: true });
        return;
      }
      sync.handleEvent(e);
      sampler.onEvent(e);
      members.onEvent(e);
      warnings.onEvent(e);
      resources.onEvent(e);
    },
    relist: () => sync.relist(),
    onNetworkError,
  });

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
    stopped: isStopped,
    active,
    onNetworkError,
    fetchInstance: (key) => sync.fetchInstance(key),
    countSnapshots: (keys) => mapLimit(keys, concurrency, (k) => sync.snapshotsChanged(k)),
  });

  /** After the first list and after a resume (no-op unless running and not paused). */
  function startTimers(): void {
    sampler.start();
    const up = () => store.getState().connection.rest !== 'down';
    timers.repeat('relist', relistEvery, () => {
      if (up()) void sync.relist();
    });
    schedulePrune();
    // The meters follow the member list (a cluster's meters are its members'): nothing before it.
    timers.repeat('members', MEMBERS_EVERY_MS, () => {
      if (up()) void members.refresh().finally(meterLoop);
    }, 0);
    timers.repeat('warnings', WARNINGS_EVERY_MS, () => {
      if (up()) void warnings.refresh();
    }, 0);
  }
  function stopTimers(): void {
    timers.clearAll();
    sampler.halt();
  }

  const resources = createResources({ api, store, now, readOnly, dispatch, onNetworkError, fetchInstance: sync.fetchInstance });

  const actionContext = {
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
  };
  const actions = createActions(actionContext);

  return {
    ...actions,
    transfers: createTransfers(actionContext),

    async start() {
      if (running || stopped) return;
      running = true;
      dispatch({ type: 'session/set', readOnly, paused: false, allProjects });
      events.open(); // events first: nothing that happens during the list is missed
      await sync.relist();
      startTimers();
    },

    stop() {
      stopped = true;
      stopTimers();
      events.close();
    },

    pause() {
      if (paused || stopped) return;
      paused = true;
      stopTimers();
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
    refreshMembers: members.refresh,
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

    setMetersShown(shown) {
      if (shown === metersShown) return;
      metersShown = shown;
      if (shown) meterLoop();
      else timers.clear('meters');
    },
    refreshWarnings: warnings.refresh,
    setWarningStatus: warnings.setStatus,
    deleteWarning: warnings.remove,

    listSnapshots: sync.listSnapshots,
    instanceDetail: sync.instanceDetail,
    instanceLog: (key, kind) => instanceLogReader(api, key, kind),
    resources,
    instanceFiles: (key) => {
      const { project, name } = parseInstanceKey(key);
      return api.instanceFiles?.(name, { project }) ?? null;
    },
  };
}
