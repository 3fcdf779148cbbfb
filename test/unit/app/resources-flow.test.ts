// The resources views' keys without a terminal: a store, a recording controller and a resources
// port that answers from memory. The list is read when a view opens and again on an event of its
// kind (events during a read make one more read, not one each); Enter on a pool opens its volumes
// and Esc comes back on that pool; n asks a name (Esc: back to the list), d asks, then deletes;
// read-only refuses both before anything opens.
import { describe, expect, it } from 'vitest';
import { handleKey } from '../../../src/app/handle-key.js';
import type { AppContext } from '../../../src/app/context.js';
import type { EditTarget } from '../../../src/lxd/editable.js';
import type { ResourceKind, ResourceRow } from '../../../src/lxd/resources.js';
import type { ResourcesPort } from '../../../src/store/resources.js';
import { NOW, recordingController, storeWith } from '../views/helpers.js';

const row = (name: string, extra: Partial<ResourceRow> = {}): ResourceRow => ({ name, description: '', type: '', status: '', driver: '', contentType: '', managed: false, usedBy: 0, space: null, location: '', ...extra });

function setup(readOnly = false) {
  const store = storeWith({ readOnly });
  const lists: Record<string, ResourceRow[]> = {
    profiles: [row('default', { usedBy: 2 }), row('web')],
    pools: [row('fast', { driver: 'zfs' }), row('p1', { driver: 'dir' })],
    'volumes/p1': [row('v1', { type: 'custom' }), row('c1', { type: 'container' })],
  };
  const reads: string[] = [];
  const removed: EditTarget[] = [];
  let listener: ((kind: ResourceKind) => void) | null = null;
  let release: (() => void) | null = null;
  let hold = false;
  const port: ResourcesPort = {
    async list(kind, pool) {
      const key = pool ? `${kind}/${pool}` : kind;
      reads.push(key);
      if (hold) await new Promise<void>((r) => (release = r));
      return lists[key] ?? [];
    },
    read: async () => ({}),
    create: async () => ({ ok: true }),
    remove: async (t) => {
      removed.push(t);
      return { ok: true };
    },
    editIo: () => null,
    readInstance: async () => {
      throw new Error('not here');
    },
    patchInstance: async () => ({ ok: true }),
    watch(l) {
      listener = l;
      return () => undefined;
    },
  };
  const controller = Object.assign(recordingController(store), { resources: port });
  const ctx: AppContext = { store, controller, quit: () => undefined, console: () => undefined, pageSize: () => 10, now: () => NOW };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    store,
    reads,
    removed,
    keys: async (...raw: string[]) => {
      for (const r of raw) {
        handleKey(r, ctx);
        await settle();
      }
    },
    event: (kind: ResourceKind) => listener?.(kind),
    hold: (on: boolean) => (hold = on),
    release: () => release?.(),
    settle,
    dialog: () => store.getState().ui.dialog,
  };
}

describe('the resources views', () => {
  it('6 reads the profiles; an event of another kind reads nothing; events during a read make one more read', async () => {
    const t = setup();
    await t.keys('6');
    expect(t.reads).toEqual(['profiles']);
    expect(t.dialog()).toMatchObject({ kind: 'resources', what: 'profiles', loading: false, items: [{ name: 'default' }, { name: 'web' }] });
    t.event('networks');
    await t.settle();
    expect(t.reads).toEqual(['profiles']);
    t.hold(true);
    t.event('profiles');
    t.event('profiles');
    t.event('profiles');
    await t.settle();
    expect(t.reads).toEqual(['profiles', 'profiles']);
    t.release();
    await t.settle();
    await t.settle();
    expect(t.reads).toEqual(['profiles', 'profiles', 'profiles']);
    t.hold(false);
    t.release();
    await t.settle();
    await t.keys('6');
    expect(t.dialog()).toBeNull();
  });

  it('Enter on a pool lists its volumes; Esc is back on the pools, on that pool', async () => {
    const t = setup();
    await t.keys('8', 'j', '\r');
    expect(t.reads).toEqual(['pools', 'volumes/p1']);
    expect(t.dialog()).toMatchObject({ what: 'volumes', pool: 'p1', items: [{ name: 'v1' }, { name: 'c1' }] });
    await t.keys('\x1b');
    expect(t.dialog()).toMatchObject({ what: 'pools', selected: 1 });
  });

  it('n asks a name and Esc comes back to the list; d asks, n keeps, y deletes the custom volume', async () => {
    const t = setup();
    await t.keys('8', 'j', '\r', 'n');
    expect(t.dialog()).toMatchObject({ kind: 'prompt', title: 'New volume in pool p1' });
    await t.keys('\x1b');
    expect(t.dialog()).toMatchObject({ kind: 'resources', what: 'volumes' });
    await t.keys('d');
    expect(t.dialog()).toMatchObject({ kind: 'confirm', message: expect.stringContaining('Delete volume p1/v1?') });
    await t.keys('n');
    expect(t.dialog()).toMatchObject({ kind: 'resources' });
    await t.keys('d', 'y');
    expect(t.removed).toEqual([{ kind: 'storage-volume', name: 'v1', pool: 'p1' }]);
    // A container's volume is not deleted from here.
    await t.keys('j', 'd');
    expect(t.dialog()).toMatchObject({ kind: 'resources' });
    expect(t.store.getState().status?.text).toMatch(/c1 is a container volume/);
  });

  it('read-only: n and d refused before anything opens', async () => {
    const t = setup(true);
    await t.keys('6', 'n');
    expect(t.dialog()).toMatchObject({ kind: 'resources' });
    expect(t.store.getState().status?.text).toMatch(/^Read-only mode: new.* refused$/);
    await t.keys('d');
    expect(t.dialog()).toMatchObject({ kind: 'resources' });
    expect(t.removed).toEqual([]);
  });
});
