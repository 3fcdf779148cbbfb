// Reading the daemon into the store: full re-lists (coalesced), single-instance fetches, the image
// list, event frames and their follow-ups, and the detail view's reads. Used by the controller.
import type { LxdApi, ScopeOptions } from '../lxd/api.js';
import { errorText, httpStatus, isNetworkError, isRefusal } from '../lxd/errors.js';
import type { LxdEvent, Snapshot } from '../lxd/types.js';
import { eventFollowUps, NO_FOLLOW_UPS, type FollowUps } from './events.js';
import { slimInstance } from './slim.js';
import { instanceKey, parseInstanceKey, type Action, type InstanceDetail, type InstanceKey, type Store } from './state.js';

export interface SyncContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  scope: ScopeOptions | undefined;
  /** Replace every project's instances on a list (else only the client's project). */
  allProjects: boolean;
  dispatch(action: Action): void;
  stopped(): boolean;
  onNetworkError(err: unknown): void;
  onRestOk(): void;
  /** Added to a refusal (401/403) in the status line: the certificate and what to do (controller options). */
  refusalHint?: string | null;
}

export interface Sync {
  relist(): Promise<void>;
  fetchInstance(key: InstanceKey): Promise<void>;
  refreshImages(): void;
  snapshotsChanged(key: InstanceKey): Promise<void>;
  handleEvent(event: LxdEvent): void;
  /** Network → connection down; anything else → the server's text in the status line. */
  report(err: unknown, what: string): void;
  listSnapshots(key: InstanceKey): Promise<Snapshot[] | null>;
  instanceDetail(key: InstanceKey): Promise<InstanceDetail | null>;
}

export function createSync(ctx: SyncContext): Sync {
  const { api, store, dispatch } = ctx;
  let relisting: Promise<void> | null = null;
  let relistAgain = false;
  const fetching = new Map<InstanceKey, Promise<void>>();
  let imagesRefresh: Promise<void> | null = null;

  function report(err: unknown, what: string): void {
    if (isNetworkError(err)) ctx.onNetworkError(err);
    else {
      const hint = ctx.refusalHint && isRefusal(err) ? ` (${ctx.refusalHint})` : '';
      dispatch({ type: 'status/set', text: `${what}: ${errorText(err)}${hint}`, level: 'error', at: ctx.now() });
    }
  }

  async function listOnce(): Promise<void> {
    const startedAt = ctx.now();
    const down = store.getState().connection.rest === 'down';
    try {
      dispatch({ type: 'server/loaded', server: await api.server(down) });
    } catch (err) {
      report(err, 'server');
      return;
    }
    const [instances, images, operations] = await Promise.allSettled([
      api.listInstances(ctx.scope),
      api.listImages(ctx.scope),
      api.listOperations(ctx.scope),
    ]);
    if (ctx.stopped()) return;
    const failed = [instances, images, operations].find((r) => r.status === 'rejected');
    if (failed && isNetworkError(failed.reason)) {
      ctx.onNetworkError(failed.reason);
      return;
    }
    ctx.onRestOk();
    if (instances.status === 'fulfilled') {
      const project = ctx.allProjects ? null : api.project;
      const known = store.getState().instances;
      const slim = (instances.value ?? []).map((i) =>
        i && typeof i === 'object' ? slimInstance(i, known[instanceKey(i.project || project || 'default', i.name)]) : i,
      );
      dispatch({ type: 'instances/loaded', instances: slim, project, at: startedAt });
    } else report(instances.reason, 'instances');
    if (images.status === 'fulfilled') dispatch({ type: 'images/loaded', images: images.value ?? [] });
    else report(images.reason, 'images');
    if (operations.status === 'fulfilled') {
      dispatch({ type: 'operations/loaded', operations: operations.value ?? [], at: startedAt });
    } else report(operations.reason, 'operations');
  }

  /** Concurrent calls share one list; a call during a list runs one more after it. */
  function relist(): Promise<void> {
    if (ctx.stopped()) return Promise.resolve();
    if (relisting) {
      relistAgain = true;
      return relisting;
    }
    relisting = (async () => {
      do {
        relistAgain = false;
        try {
          await listOnce();
        } catch (err) {
          report(err, 'list');
        }
      } while (relistAgain && !ctx.stopped());
    })().finally(() => {
      relisting = null;
    });
    return relisting;
  }

  function fetchInstance(key: InstanceKey): Promise<void> {
    const pending = fetching.get(key);
    if (pending) return pending;
    const { project, name } = parseInstanceKey(key);
    const p = (async () => {
      try {
        const { instance } = await api.getInstance(name, { project });
        if (ctx.stopped()) return;
        dispatch({ type: 'instance/upsert', instance: { ...instance, project: instance.project || project } });
      } catch (err) {
        if (httpStatus(err) === 404) dispatch({ type: 'instance/removed', key });
        else if (isNetworkError(err)) ctx.onNetworkError(err);
      }
    })().finally(() => fetching.delete(key));
    fetching.set(key, p);
    return p;
  }

  function refreshImages(): void {
    if (imagesRefresh) return;
    imagesRefresh = api
      .listImages(ctx.scope)
      .then((images) => dispatch({ type: 'images/loaded', images: images ?? [] }))
      .catch((err) => (isNetworkError(err) ? ctx.onNetworkError(err) : undefined))
      .finally(() => {
        imagesRefresh = null;
      });
  }

  /** The detail dialog of `key`, if open with data. */
  function openDetail(key: InstanceKey) {
    const dialog = store.getState().ui.dialog;
    return dialog && dialog.kind === 'detail' && dialog.key === key && dialog.detail ? { dialog, detail: dialog.detail } : null;
  }

  const countsInFlight = new Map<InstanceKey, Promise<void>>();
  const countsAgain = new Set<InstanceKey>();

  /** Re-read the snapshot list of `key`: its count, and the detail dialog if it shows them.
   *  A change during a read triggers one more read after it. */
  function snapshotsChanged(key: InstanceKey): Promise<void> {
    const pending = countsInFlight.get(key);
    if (pending) {
      countsAgain.add(key);
      return pending;
    }
    const { project, name } = parseInstanceKey(key);
    const read = async () => {
      do {
        countsAgain.delete(key);
        try {
          const list = await api.listSnapshots(name, { project });
          const snapshots = Array.isArray(list) ? list : [];
          dispatch({ type: 'instance/snapshots', key, count: snapshots.length });
          const open = openDetail(key);
          if (open) dispatch({ type: 'dialog/open', dialog: { ...open.dialog, detail: { ...open.detail, snapshots } } });
        } catch (err) {
          if (isNetworkError(err)) ctx.onNetworkError(err);
          return;
        }
      } while (countsAgain.has(key) && !ctx.stopped());
    };
    const p = read().finally(() => countsInFlight.delete(key));
    countsInFlight.set(key, p);
    return p;
  }

  function handleEvent(event: LxdEvent): void {
    if (ctx.stopped()) return;
    let follow: FollowUps;
    try {
      follow = eventFollowUps(store.getState(), event);
    } catch {
      follow = NO_FOLLOW_UPS;
    }
    dispatch({ type: 'event', event, at: ctx.now() });
    for (const key of follow.fetchInstances) void fetchInstance(key);
    if (follow.refreshImages) refreshImages();
    for (const key of follow.snapshotsChanged) void snapshotsChanged(key);
  }

  async function listSnapshots(key: InstanceKey): Promise<Snapshot[] | null> {
    const { project, name } = parseInstanceKey(key);
    try {
      return (await api.listSnapshots(name, { project })) ?? [];
    } catch (err) {
      report(err, `${name} snapshots`);
      return null;
    }
  }

  async function instanceDetail(key: InstanceKey): Promise<InstanceDetail | null> {
    const { project, name } = parseInstanceKey(key);
    try {
      const [got, state, snapshots] = await Promise.all([
        api.getInstance(name, { project }),
        api.instanceState(name, { project }).catch(() => null),
        api.listSnapshots(name, { project }).catch(() => null),
      ]);
      const instance = { ...got.instance, project: got.instance.project || project };
      dispatch({ type: 'instance/upsert', instance });
      if (Array.isArray(snapshots)) dispatch({ type: 'instance/snapshots', key, count: snapshots.length });
      return { instance, etag: got.etag ?? null, state, snapshots: snapshots ?? instance.snapshots ?? [] };
    } catch (err) {
      report(err, name);
      if (httpStatus(err) === 404) dispatch({ type: 'instance/removed', key });
      return null;
    }
  }

  return { relist, fetchInstance, refreshImages, snapshotsChanged, handleEvent, report, listSnapshots, instanceDetail };
}
