// The store's controller against a REAL daemon (the sandbox's LXD or Incus): it lists, follows
// events, polls the visible running rows, and its actions reach the daemon, with the outcome in
// the store (events and the operations slice) and server errors verbatim in the status line.
// Shared by controller-lxd.test.ts and controller-incus.test.ts; instance names are unique per run.
// The tests follow one instance (a, renamed b) through the controller, but none relies on the one
// before it having passed: each first brings the instance to the state it needs (made, started,
// stopped), so one failure fails one test. afterAll removes everything with the prefix.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { LxdError } from '../../src/lxd/errors.js';
import { Transport } from '../../src/lxd/transport.js';
import type { Operation } from '../../src/lxd/types.js';
import { createController } from '../../src/store/controller.js';
import { selectInstanceMetrics, selectSnapshotCount } from '../../src/store/selectors.js';
import { createStore } from '../../src/store/store.js';
import { instanceKey, type Controller, type State, type Store } from '../../src/store/state.js';
import { type DaemonName, daemonSocket, describeOn } from '../support/daemons.js';

const IMAGE = process.env.LXTOP_TEST_IMAGE ?? 'busybox';

export function controllerSuite(daemon: Extract<DaemonName, 'lxd' | 'incus'>): void {
  describeOn([daemon], `store controller against the real ${daemon}`, () => {
    const prefix = `ctl-${daemon}-${Math.random().toString(36).slice(2, 7)}`;
    const a = `${prefix}-a`;
    const b = `${prefix}-b`;
    let client: LxdClient;
    let store: Store;
    let ctl: Controller;
    const key = (name: string) => instanceKey('default', name);

    /** Waits until `cond(state)` holds (checked on every store change and every 50 ms). */
    function until(cond: (s: State) => boolean, what: string, ms = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (cond(store.getState())) {
            clearInterval(tick);
            clearTimeout(timer);
            off();
            resolve();
          }
        };
        const off = store.subscribe(check);
        const tick = setInterval(check, 50);
        const timer = setTimeout(() => {
          clearInterval(tick);
          off();
          reject(new Error(`timed out waiting for ${what}; status line: ${store.getState().status?.text ?? '-'}`));
        }, ms);
        check();
      });
    }

    async function settle(op: Promise<Operation>): Promise<void> {
      try {
        await client.waitOperation((await op).id, 60);
      } catch {
        // cleanup: best effort
      }
    }

    /** Set-up, not under test (straight through the client): the operation must succeed. */
    async function must(what: string, op: Promise<Operation>): Promise<void> {
      const outcome = await client.waitOperation((await op).id, 60);
      if (outcome.status !== 'Success') throw new Error(`${what}: ${outcome.status} ${outcome.err}`);
    }

    /**
     * Brings instance `n` to `want` (made if missing), then waits until the store agrees. Running
     * also waits for init to be up (the respawned sleep): a graceful stop sent while init has no
     * signal handlers yet is lost.
     */
    async function ensure(n: string, want: 'Running' | 'Stopped'): Promise<void> {
      const current = await client.getInstance(n).then(
        ({ instance }) => instance.status,
        (err: unknown) => {
          if (err instanceof LxdError && err.status === 404) return null;
          throw err;
        },
      );
      if (current === null) await must(`create ${n}`, client.createInstance({ name: n, image: { alias: IMAGE } }));
      const status = current ?? 'Stopped';
      if (status === 'Frozen') await must(`unfreeze ${n}`, client.changeState(n, 'unfreeze'));
      if (want === 'Running' && status === 'Stopped') await must(`start ${n}`, client.changeState(n, 'start'));
      if (want === 'Stopped' && status !== 'Stopped') await must(`stop ${n}`, client.changeState(n, 'stop', { force: true }));
      if (want === 'Running') {
        const end = Date.now() + 10_000;
        while ((await client.instanceState(n)).processes < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      }
      await until((s) => s.instances[key(n)]?.status === want, `${n} ${want} in the store`);
    }

    beforeAll(async () => {
      client = new LxdClient(new Transport({ kind: 'unix', socket: daemonSocket(daemon)! }));
      store = createStore();
      ctl = createController(client, store, { interval: 500 });
      await ctl.start();
    });

    afterAll(async () => {
      ctl?.stop();
      if (!client) return;
      const mine = (await client.listInstances().catch(() => [])).filter((i) => i.name.startsWith(prefix));
      for (const i of mine) {
        if (i.status !== 'Stopped') await settle(client.changeState(i.name, 'stop', { force: true }));
        await settle(client.deleteInstance(i.name));
      }
      await client.close();
    });

    it('lists the server, instances and images, and follows events', async () => {
      const s = store.getState();
      expect(s.server?.kind).toBe(daemon);
      expect(s.connection.rest).toBe('ok');
      const names = (await client.listInstances()).map((i) => key(i.name)).sort();
      expect(Object.keys(s.instances).filter((k) => names.includes(k)).sort()).toEqual(names);
      expect(Object.values(s.images).some((i) => i.aliases?.some((al) => al.name === IMAGE))).toBe(true);
      await until((st) => st.connection.events === 'connected', 'the event stream');
    });

    it('creates and starts an instance, showing its operations', async () => {
      const seenOps = new Set<string>();
      const off = store.subscribe(() => {
        for (const t of Object.values(store.getState().operations)) {
          if (t.operation.resources?.instances?.some((u) => u.includes(`/${a}`))) seenOps.add(t.operation.description);
        }
      });
      const r = await ctl.createInstance(a, IMAGE);
      off();
      expect(r, store.getState().status?.text).toEqual({ ok: true });
      expect(store.getState().instances[key(a)]?.status).toBe('Running');
      expect(store.getState().status).toMatchObject({ level: 'info', text: `Created and started ${a}` });
      expect([...seenOps]).toEqual(expect.arrayContaining(['Creating instance', 'Starting instance']));
    });

    it('polls the visible running instance: memory, processes, then CPU %', async () => {
      await ensure(a, 'Running');
      ctl.setVisible([key(a)]);
      await until((s) => selectInstanceMetrics(s, key(a)).cpuPercent !== null, 'two state samples');
      const m = selectInstanceMetrics(store.getState(), key(a));
      expect(m.memoryBytes).toBeGreaterThan(0);
      expect(m.processes).toBeGreaterThan(0);
      expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
      await until((s) => selectSnapshotCount(s, key(a)) === 0, 'the snapshot count');
    });

    it('learns a change made by someone else from the events', async () => {
      await ensure(a, 'Running');
      // A freeze takes 1-6 s here (the cgroup v1 freezer, polled by the daemon), rarely far more:
      // the store must follow the event once the daemon says Frozen, whenever that is.
      try {
        await must(`freeze ${a}`, client.changeState(a, 'freeze'));
        await until((s) => s.instances[key(a)]?.status === 'Frozen', 'Frozen from instance-paused', 5_000);
        await must(`unfreeze ${a}`, client.changeState(a, 'unfreeze'));
        await until((s) => s.instances[key(a)]?.status === 'Running', 'Running from instance-resumed', 5_000);
      } finally {
        // Never leave it frozen for the next test.
        if ((await client.instanceState(a).catch(() => null))?.status === 'Frozen') await settle(client.changeState(a, 'unfreeze'));
      }
    }, 150_000);

    it('puts a Failure verbatim in the status line', async () => {
      await ensure(a, 'Running');
      const r = await ctl.startInstances([key(a)]);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/already running/i);
      expect(store.getState().status).toMatchObject({ level: 'error', text: `${a}: ${r.error}` });
    });

    it('snapshots, stops, renames; the row, its count and cursor follow', async () => {
      await ensure(a, 'Running');
      expect(await ctl.snapshot(key(a), 'snap0')).toEqual({ ok: true });
      await until((s) => selectSnapshotCount(s, key(a)) === 1, 'the snapshot count after a snapshot');
      expect(await ctl.stopInstances([key(a)])).toEqual({ ok: true });
      expect(store.getState().instances[key(a)].status).toBe('Stopped');
      store.dispatch({ type: 'ui/select', pane: 'instances', key: key(a) });
      expect(await ctl.rename(key(a), b)).toEqual({ ok: true });
      const s = store.getState();
      expect(s.instances[key(a)]).toBeUndefined();
      expect(s.instances[key(b)]?.name).toBe(b);
      expect(s.ui.panes.instances.selected).toBe(key(b));
      expect(selectSnapshotCount(s, key(b))).toBe(1);
    });

    it('refuses everything in read-only mode, without a request', async () => {
      await ensure(b, 'Stopped');
      const roStore = createStore({ readOnly: true });
      const ro = createController(client, roStore, { readOnly: true });
      const r = await ro.startInstances([key(b)]);
      expect(r.ok).toBe(false);
      expect(roStore.getState().status?.text).toMatch(/^Read-only mode/);
      ro.stop();
      expect((await client.getInstance(b)).instance.status).toBe('Stopped');
    });

    it('pause stops polling; resume re-lists and polls again', async () => {
      await ensure(b, 'Stopped');
      expect(await ctl.startInstances([key(b)])).toEqual({ ok: true });
      ctl.setVisible([key(b)]);
      await until((s) => s.samples[key(b)] !== undefined, 'a sample of the visible instance');
      ctl.pause();
      const sampledAt = store.getState().samples[key(b)]?.last.at;
      const syncedAt = store.getState().connection.lastSyncAt;
      try {
        await new Promise((r) => setTimeout(r, 1_600)); // three poll intervals
        expect(store.getState().samples[key(b)]?.last.at).toBe(sampledAt);
      } finally {
        ctl.resume(); // even when the check failed: a paused controller would fail the next test
      }
      await until((s) => s.connection.lastSyncAt !== syncedAt && !s.paused, 'a re-list after resume');
      await until((s) => (s.samples[key(b)]?.last.at ?? 0) > (sampledAt ?? 0), 'polling again after resume');
    });

    it('force-deletes a running instance', async () => {
      await ensure(b, 'Running');
      expect(store.getState().instances[key(b)]?.status).toBe('Running');
      expect(await ctl.deleteInstances([key(b)], { force: true })).toEqual({ ok: true });
      expect(store.getState().instances[key(b)]).toBeUndefined();
      await expect(client.getInstance(b)).rejects.toMatchObject({ status: 404 });
    });
  });
}
