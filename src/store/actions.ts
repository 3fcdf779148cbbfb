// The controller's lifecycle actions: refused in read-only mode (before any API call), otherwise
// call the API, show the operation at once, wait for it (bounded), put the server's error text
// verbatim in the status line, and apply the outcome to the store (events may be down).
import type { LxdApi } from '../lxd/api.js';
import { errorText, isNetworkError } from '../lxd/errors.js';
import { instanceNameProblem } from '../lxd/names.js';
import type { Operation, OperationOutcome, ServerKind } from '../lxd/types.js';
import { mapLimit } from './map-limit.js';
import { userDataKey } from '../lxd/launch.js';
import { imageLabel, selectImageRows } from './selectors.js';
import {
  instanceKey,
  parseInstanceKey,
  type Action,
  type ActionResult,
  type Controller,
  type InstanceKey,
  type StatusLevel,
  type Store,
} from './state.js';

export interface ActionContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  readOnly: boolean;
  concurrency: number;
  /** Seconds per `waitOperation`. */
  operationTimeout: number;
  dispatch(action: Action): void;
  onNetworkError(err: unknown): void;
  /** GET the instance and upsert it (or remove it when gone). */
  fetchInstance(key: InstanceKey): Promise<void>;
  /** Snapshots of `key` changed: refresh whatever shows them. */
  snapshotsChanged(key: InstanceKey): Promise<void>;
}

export type ActionMethods = Omit<
  Controller,
  'start' | 'stop' | 'pause' | 'resume' | 'refresh' | 'setVisible' | 'listSnapshots' | 'instanceDetail'
>;

/**
 * `Invalid instance name: …` in the server's words (LXD refuses a leading digit, Incus only an
 * all-digit name), or null. `server` defaults to LXD's stricter rule.
 */
export function validateInstanceName(name: string, server: ServerKind = 'lxd'): string | null {
  const problem = instanceNameProblem(name, server);
  return problem === null ? null : `Invalid instance name: ${problem}`;
}

const CODES: Record<string, number> = { Success: 200, Failure: 400, Cancelled: 401, Running: 103 };

export function createActions(ctx: ActionContext): ActionMethods {
  const { api, store } = ctx;

  const status = (text: string, level: StatusLevel) => ctx.dispatch({ type: 'status/set', text, level, at: ctx.now() });

  function refuse(what: string): ActionResult {
    const error = `Read-only mode: ${what} refused`;
    status(error, 'error');
    return { ok: false, error };
  }

  function track(op: Operation | null | undefined): void {
    if (op && typeof op.id === 'string') ctx.dispatch({ type: 'operation/upsert', operation: op, at: ctx.now() });
  }

  /** Call, track, wait (bounded). Never rejects. */
  async function runOp(call: () => Promise<Operation>): Promise<ActionResult> {
    try {
      const op = await call();
      track(op);
      if (!op || typeof op.id !== 'string') return { ok: true };
      const outcome: OperationOutcome = await api.waitOperation(op.id, ctx.operationTimeout);
      track(
        outcome.operation ?? {
          ...op,
          status: outcome.status,
          status_code: CODES[outcome.status] ?? op.status_code,
          err: outcome.err,
        },
      );
      if (outcome.status === 'Success') return { ok: true };
      if (outcome.status === 'Running') return { ok: false, error: `still running after ${ctx.operationTimeout}s` };
      return { ok: false, error: outcome.err || outcome.status };
    } catch (err) {
      if (isNetworkError(err)) ctx.onNetworkError(err);
      return { ok: false, error: errorText(err) };
    }
  }

  type Done = string | ((names: string) => string);

  function summarize(done: Done, names: string[], failures: { name: string; error: string }[]): ActionResult {
    if (failures.length === 0) {
      const list = names.length <= 3 ? names.join(', ') : `${names.length} instances`;
      status(typeof done === 'function' ? done(list) : `${done} ${list}`, 'info');
      return { ok: true };
    }
    const first = failures[0];
    const prefix = names.length > 1 ? `${failures.length} of ${names.length} failed; ` : '';
    status(`${prefix}${first.name}: ${first.error}`, 'error');
    return { ok: false, error: first.error };
  }

  /** One operation per instance, `concurrency` at a time, one status line for the lot. */
  async function perInstance(
    what: string,
    done: Done,
    keys: readonly InstanceKey[],
    one: (key: InstanceKey, name: string, project: string) => Promise<ActionResult>,
  ): Promise<ActionResult> {
    if (ctx.readOnly) return refuse(what);
    const unique = [...new Set(keys)];
    if (unique.length === 0) {
      status(`${what}: no instance selected`, 'info');
      return { ok: false, error: 'no instance selected' };
    }
    const failures: { name: string; error: string }[] = [];
    await mapLimit(unique, ctx.concurrency, async (key) => {
      const { project, name } = parseInstanceKey(key);
      let result: ActionResult;
      try {
        result = await one(key, name, project);
      } catch (err) {
        result = { ok: false, error: errorText(err) };
      }
      if (!result.ok) {
        failures.push({ name, error: result.error ?? 'failed' });
        void ctx.fetchInstance(key); // resync whatever the failure left
      }
    });
    return summarize(done, unique.map((k) => parseInstanceKey(k).name), failures);
  }

  function stateAction(
    what: string,
    done: string,
    action: 'start' | 'stop' | 'restart' | 'freeze' | 'unfreeze',
    after: string,
    force = false,
  ) {
    return (keys: readonly InstanceKey[]) =>
      perInstance(what, done, keys, async (key, name, project) => {
        const r = await runOp(() => api.changeState(name, action, force ? { project, force } : { project }));
        if (r.ok) ctx.dispatch({ type: 'instance/status', key, status: after });
        return r;
      });
  }

  return {
    startInstances: stateAction('start', 'Started', 'start', 'Running'),
    stopInstances: stateAction('stop', 'Stopped', 'stop', 'Stopped'),
    forceStopInstances: stateAction('force stop', 'Force-stopped', 'stop', 'Stopped', true),
    restartInstances: stateAction('restart', 'Restarted', 'restart', 'Running'),
    freezeInstances: stateAction('freeze', 'Froze', 'freeze', 'Frozen'),
    unfreezeInstances: stateAction('unfreeze', 'Unfroze', 'unfreeze', 'Running'),

    deleteInstances(keys, opts = {}) {
      return perInstance('delete', 'Deleted', keys, async (key, name, project) => {
        const current = store.getState().instances[key];
        if (opts.force && current && current.status !== 'Stopped') {
          const stopped = await runOp(() => api.changeState(name, 'stop', { project, force: true }));
          if (!stopped.ok) return stopped;
          ctx.dispatch({ type: 'instance/status', key, status: 'Stopped' });
        }
        const r = await runOp(() => api.deleteInstance(name, { project }));
        if (r.ok) ctx.dispatch({ type: 'instance/removed', key });
        return r;
      });
    },

    snapshot(key, snapshotName) {
      return perInstance('snapshot', `Snapshot ${snapshotName} of`, [key], async (k, name, project) => {
        const r = await runOp(() => api.createSnapshot(name, snapshotName, { project }));
        if (r.ok) void ctx.snapshotsChanged(k);
        return r;
      });
    },

    restore(key, snapshotName) {
      return perInstance('restore', `Restored ${snapshotName} on`, [key], async (k, name, project) => {
        const r = await runOp(() => api.restoreSnapshot(name, snapshotName, { project }));
        if (r.ok) void ctx.fetchInstance(k);
        return r;
      });
    },

    deleteSnapshot(key, snapshotName) {
      return perInstance('delete snapshot', `Deleted snapshot ${snapshotName} of`, [key], async (k, name, project) => {
        const r = await runOp(() => api.deleteSnapshot(name, snapshotName, { project }));
        if (r.ok) void ctx.snapshotsChanged(k);
        return r;
      });
    },

    renameSnapshot(key, snapshot, newName) {
      return perInstance('rename snapshot', `Renamed snapshot ${snapshot} to ${newName} of`, [key], async (k, name, project) => {
        if (!api.renameSnapshot) return { ok: false, error: 'this connection cannot rename snapshots' };
        const renameSnapshot = api.renameSnapshot.bind(api);
        const r = await runOp(() => renameSnapshot(name, snapshot, newName, { project }));
        if (r.ok) void ctx.snapshotsChanged(k);
        return r;
      });
    },

    setConfig(key, config) {
      return perInstance('set config', `Set ${Object.keys(config).join(', ')} of`, [key], async (k, name, project) => {
        if (!api.patchInstance) return { ok: false, error: 'this connection cannot change config' };
        await api.patchInstance(name, { config }, { project });
        void ctx.fetchInstance(k);
        return { ok: true };
      });
    },

    rename(key, newName) {
      if (ctx.readOnly) return Promise.resolve(refuse('rename'));
      const invalid = validateInstanceName(newName, store.getState().server?.kind);
      if (invalid) {
        status(invalid, 'error');
        return Promise.resolve({ ok: false, error: invalid });
      }
      return perInstance('rename', (old) => `Renamed ${old} to ${newName}`, [key], async (k, name, project) => {
        const r = await runOp(() => api.renameInstance(name, newName, { project }));
        if (r.ok) {
          ctx.dispatch({ type: 'instance/renamed', key: k, newName });
          void ctx.fetchInstance(instanceKey(project, newName));
        }
        return r;
      });
    },

    async createInstance(name, image, opts = {}) {
      if (ctx.readOnly) return refuse('create');
      const invalid = validateInstanceName(name, store.getState().server?.kind);
      if (invalid) {
        status(invalid, 'error');
        return { ok: false, error: invalid };
      }
      const project = opts.project ?? api.project;
      const key = instanceKey(project, name);
      const known = selectImageRows(store.getState()).find(
        (r) => r.image.fingerprint === image || (image.length >= 12 && r.image.fingerprint.startsWith(image)),
      );
      const source = opts.remote ? { remote: opts.remote } : known ? { fingerprint: known.image.fingerprint } : { alias: image };
      // The new-instance line's choices (src/app/new-line.ts); user-data under the key the server knows.
      const config = { ...opts.config, ...(opts.userData !== undefined ? { [userDataKey(store.getState().server ?? { apiExtensions: [] })]: opts.userData } : {}) };
      const created = await runOp(() =>
        api.createInstance({
          name,
          image: source,
          project,
          ...(opts.target ? { target: opts.target } : {}),
          ...(opts.vm ? { type: 'virtual-machine' as const } : {}),
          ...(opts.profiles ? { profiles: opts.profiles } : {}),
          ...(Object.keys(config).length > 0 ? { config } : {}),
        }),
      );
      if (!created.ok) {
        status(`${name}: ${created.error}`, 'error');
        return created;
      }
      await ctx.fetchInstance(key);
      if (opts.start === false) {
        status(`Created ${name}`, 'info');
        return created;
      }
      const started = await runOp(() => api.changeState(name, 'start', { project }));
      if (!started.ok) {
        status(`${name}: created, but start failed: ${started.error}`, 'error');
        void ctx.fetchInstance(key);
        return started;
      }
      ctx.dispatch({ type: 'instance/status', key, status: 'Running' });
      status(`Created and started ${name}`, 'info');
      return started;
    },

    async deleteImage(fingerprint) {
      if (ctx.readOnly) return refuse('delete image');
      const image = store.getState().images[fingerprint];
      const label = imageLabel(image, fingerprint);
      const r = await runOp(() => api.deleteImage(fingerprint));
      if (r.ok) {
        ctx.dispatch({ type: 'image/removed', fingerprint });
        status(`Deleted image ${label}`, 'info');
      } else status(`image ${label}: ${r.error}`, 'error');
      return r;
    },

    async cancelOperation(id) {
      if (ctx.readOnly) return refuse('cancel operation');
      try {
        await api.cancelOperation(id);
        status(`Cancelled operation ${id.slice(0, 8)}`, 'info');
        try {
          track(await api.getOperation(id));
        } catch {
          // gone already: the event (or prune) settles it
        }
        return { ok: true };
      } catch (err) {
        if (isNetworkError(err)) ctx.onNetworkError(err);
        const error = errorText(err);
        status(`operation ${id.slice(0, 8)}: ${error}`, 'error');
        return { ok: false, error };
      }
    },
  };
}
