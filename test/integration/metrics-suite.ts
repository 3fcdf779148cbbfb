// `/1.0/metrics` against a REAL daemon (the sandbox's LXD or Incus): the client's parsed figures,
// and the controller reading the rows from the metrics (memory, processes, then CPU % over two
// computations), in a project of its own with three running instances and a stopped one.
// Shared by metrics-lxd.test.ts and metrics-incus.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import type { Operation } from '../../src/lxd/types.js';
import { createController } from '../../src/store/controller.js';
import { selectInstanceMetrics } from '../../src/store/selectors.js';
import { createStore } from '../../src/store/store.js';
import { instanceKey, type Controller, type State, type Store } from '../../src/store/state.js';
import { type DaemonName, daemonSocket, describeOn } from '../support/daemons.js';

const IMAGE = process.env.LXTOP_TEST_IMAGE ?? 'busybox';

export function metricsSuite(daemon: Extract<DaemonName, 'lxd' | 'incus'>): void {
  describeOn([daemon], `metrics from the real ${daemon}`, () => {
    const project = `lxtop-met-${Math.random().toString(36).slice(2, 7)}`;
    const names = ['m1', 'm2', 'm3'];
    let base: LxdClient;
    let client: LxdClient;
    let store: Store;
    let ctl: Controller | null = null;

    async function settle(op: Promise<Operation>): Promise<void> {
      try {
        await client.waitOperation((await op).id, 60);
      } catch {
        // best effort
      }
    }

    function until(cond: (s: State) => boolean, what: string, ms: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!cond(store.getState())) return;
          clearInterval(tick);
          clearTimeout(timer);
          resolve();
        };
        const tick = setInterval(check, 100);
        const timer = setTimeout(() => {
          clearInterval(tick);
          reject(new Error(`timed out waiting for ${what}; status line: ${store.getState().status?.text ?? '-'}`));
        }, ms);
        check();
      });
    }

    beforeAll(async () => {
      const transport = new Transport({ kind: 'unix', socket: daemonSocket(daemon)! });
      base = new LxdClient(transport);
      // The project uses the default project's images and profiles.
      await base.request('POST', '/1.0/projects', { body: { name: project, config: { 'features.images': 'false', 'features.profiles': 'false' } } });
      client = new LxdClient(transport, { project });
      for (const n of [...names, 'stopped']) await settle(client.createInstance({ name: n, image: { alias: IMAGE } }));
      for (const n of names) await settle(client.changeState(n, 'start'));
    }, 180_000);

    afterAll(async () => {
      ctl?.stop();
      if (!client) return;
      for (const i of await client.listInstances().catch(() => [])) {
        if (i.status !== 'Stopped') await settle(client.changeState(i.name, 'stop', { force: true }));
        await settle(client.deleteInstance(i.name));
      }
      await base.request('DELETE', `/1.0/projects/${project}`).catch(() => undefined);
      await base.close();
    }, 180_000);

    it("api.metrics: the project's running instances with CPU seconds, memory and processes", async () => {
      const answer = await client.metrics();
      expect(answer.receivedAt).toBeGreaterThanOrEqual(answer.sentAt);
      expect(answer.instances.map((f) => f.name).sort()).toEqual(names);
      for (const f of answer.instances) {
        expect(f.project).toBe(project);
        expect(f.cpuSeconds).toBeGreaterThanOrEqual(0);
        expect(f.memoryBytes).toBeGreaterThan(0);
        expect(f.processes).toBeGreaterThanOrEqual(1);
      }
      // Asked again at once: the daemon's cache, the same counters.
      const again = await client.metrics();
      expect(again.instances.find((f) => f.name === 'm1')?.cpuSeconds).toBe(answer.instances.find((f) => f.name === 'm1')?.cpuSeconds);
    });

    it('the controller reads the rows from the metrics: memory and processes, then CPU % over two computations', async () => {
      store = createStore();
      // A budget that allows a computation every 16 s (the shortest worth asking: the daemon caches 8 s).
      ctl = createController(client, store, { interval: 2000, daemonBudget: 2, sampleVia: 'metrics' });
      await ctl.start();
      ctl.setVisible([...names, 'stopped'].map((n) => instanceKey(project, n)));
      const key = instanceKey(project, 'm2');
      const fromMetrics = (s: State) => {
        const p = s.samples[key];
        return p?.last.source === 'metrics' ? p : p?.metrics ? { prev: null, last: p.metrics } : null;
      };
      await until((s) => fromMetrics(s) !== null, 'figures from the metrics', 30_000);
      expect(store.getState().sampling).toMatchObject({ via: 'metrics', refreshMs: 16_000 });
      const m = fromMetrics(store.getState())!.last.state;
      expect(m.memory?.usage).toBeGreaterThan(0);
      expect(m.processes).toBeGreaterThanOrEqual(1);
      await until((s) => s.samples[key]?.last.source === 'metrics' && selectInstanceMetrics(s, key).cpuPercent !== null, 'CPU % from two computations', 60_000);
      const pair = store.getState().samples[key];
      expect(pair.last.at - pair.prev!.at).toBeGreaterThanOrEqual(8000);
      expect(selectInstanceMetrics(store.getState(), key).cpuPercent).toBeGreaterThanOrEqual(0);
      expect(store.getState().samples[instanceKey(project, 'stopped')]).toBeUndefined();
      expect(store.getState().sampling!.figuresAt).toBeLessThanOrEqual(Date.now());
    }, 120_000);
  });
}
