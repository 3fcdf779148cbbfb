// The controller's part for profiles, networks and storage (the views 6, 7, 8) and for the quick
// knobs of an instance (K). Nothing is polled: a view reads its list when it opens and again when a
// lifecycle event of its kind arrives on the one event stream (`watch`). Every change is refused in
// read-only mode before any request; the server's refusal reaches the status line in its words.
import type { LxdApi } from '../lxd/api.js';
import type { EditClient, EditTarget } from '../lxd/editable.js';
import { describeTarget } from '../lxd/editable.js';
import { errorText, isLxdError, isNetworkError } from '../lxd/errors.js';
import { createResource, deleteResource, listResources, readResource, type ResourceKind, type ResourceRow } from '../lxd/resources.js';
import type { Instance, LxdEvent } from '../lxd/types.js';
import { parseInstanceKey, type Action, type ActionResult, type InstanceKey, type Store } from './state.js';

export type { ResourceKind, ResourceRow } from '../lxd/resources.js';

/** The editable object's read and write, for the edit loop (src/edit/loop.ts). */
export interface EditIoPart {
  read(): Promise<{ body: Record<string, unknown>; etag: string | null }>;
  write(body: Record<string, unknown>, etag: string | null): Promise<void>;
}

/** What an instance's PATCH may change from the knobs. */
export type InstancePatch = { config?: Record<string, string>; profiles?: string[] };

export interface ResourcesPort {
  /** A list (rejects with the server's error). */
  list(kind: ResourceKind, pool?: string): Promise<ResourceRow[]>;
  /** One object whole (rejects with the server's error). */
  read(target: EditTarget): Promise<Record<string, unknown>>;
  create(kind: ResourceKind, name: string, pool?: string, config?: Record<string, string>): Promise<ActionResult>;
  remove(target: EditTarget): Promise<ActionResult>;
  /** The edit loop's io for `target` (an instance too); null in read-only mode or without a way to edit. */
  editIo(target: EditTarget): EditIoPart | null;
  /** An instance as it is now, with its ETag (the knobs read it when they open). */
  readInstance(key: InstanceKey): Promise<{ instance: Instance; etag: string | null }>;
  /** PATCH with If-Match `etag`: a change made meanwhile is refused (412), never overwritten. */
  patchInstance(key: InstanceKey, patch: InstancePatch, etag: string | null, what: string): Promise<ActionResult>;
  /** `listener(kind)` on every lifecycle event of that kind; returns the unsubscribe. */
  watch(listener: (kind: ResourceKind) => void): () => void;
}

export interface ResourcesContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  readOnly: boolean;
  dispatch(action: Action): void;
  onNetworkError(err: unknown): void;
  fetchInstance(key: InstanceKey): Promise<void>;
}

/**
 * The lists a lifecycle event changes: `storage-volume-created` changes the volumes and the pool's
 * use; an instance created, changed or deleted the profiles' and volumes' "used by".
 */
export function kindsOfEvent(e: LxdEvent): ResourceKind[] {
  if (e.type !== 'lifecycle') return [];
  const action = (e.metadata as { action?: unknown } | null | undefined)?.action;
  if (typeof action !== 'string') return [];
  if (action.startsWith('profile-')) return ['profiles'];
  if (action.startsWith('network-')) return ['networks'];
  if (action.startsWith('storage-pool-')) return ['pools'];
  if (action.startsWith('storage-volume-')) return ['volumes', 'pools'];
  // An instance's profiles and volumes are the lists' "used by".
  if (action === 'instance-updated') return ['profiles'];
  if (action === 'instance-created' || action === 'instance-deleted' || action === 'instance-renamed') return ['profiles', 'volumes', 'pools'];
  return [];
}

export function createResources(ctx: ResourcesContext): ResourcesPort & { onEvent(e: LxdEvent): void } {
  const { api } = ctx;
  const listeners = new Set<(kind: ResourceKind) => void>();
  const status = (text: string, level: 'info' | 'error') => ctx.dispatch({ type: 'status/set', text, level, at: ctx.now() });

  function client(): EditClient {
    if (!api.request) throw new Error('this connection cannot read profiles, networks or storage');
    return api as EditClient;
  }

  async function change(what: string, done: string, run: () => Promise<void>): Promise<ActionResult> {
    if (ctx.readOnly) {
      status(`Read-only mode: ${what} refused`, 'error');
      return { ok: false, error: `Read-only mode: ${what} refused` };
    }
    try {
      await run();
      status(done, 'info');
      return { ok: true };
    } catch (err) {
      if (isNetworkError(err)) ctx.onNetworkError(err);
      status(`${what}: ${errorText(err)}`, 'error');
      return { ok: false, error: errorText(err) };
    }
  }

  return {
    list: (kind, pool) => listResources(client(), kind, pool),
    read: (target) => readResource(client(), target),
    create: (kind, name, pool, config) => change(`create ${name}`, `Created ${name}`, () => createResource(client(), kind, name, pool, config)),
    remove: (target) => change(`delete ${describeTarget(target)}`, `Deleted ${describeTarget(target)}`, () => deleteResource(client(), target)),
    editIo(target) {
      if (ctx.readOnly || !api.readEditable || !api.writeEditable) return null;
      const read = api.readEditable.bind(api);
      const write = api.writeEditable.bind(api);
      return { read: () => read(target), write: (body, etag) => write(target, body, etag) };
    },
    readInstance(key) {
      const { name, project } = parseInstanceKey(key);
      return api.getInstance(name, { project });
    },
    async patchInstance(key, patch, etag, what) {
      const { name, project } = parseInstanceKey(key);
      if (!api.patchInstance) return { ok: false, error: 'this connection cannot change config' };
      const patchOf = api.patchInstance.bind(api);
      const result = await change(`${what} of ${name}`, `${name}: ${what}`, async () => {
        try {
          await patchOf(name, patch, { project, etag });
        } catch (err) {
          if (isLxdError(err) && err.is(412)) throw new Error(`${name} was changed meanwhile (the server answered 412): nothing saved; read it again and retry`, { cause: err });
          throw err;
        }
      });
      void ctx.fetchInstance(key);
      return result;
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvent(e) {
      for (const kind of kindsOfEvent(e)) for (const l of [...listeners]) l(kind);
    },
  };
}
