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
import { instanceKey, type Controller, type SamplePair, type State, type Store } from '../../src/store/state.js';
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
          const st = store.getState();
          const seen = JSON.stringify({ sampling: st.sampling, samples: Object.fromEntries(Object.entries(st.samples).map(([k, p]) => [k, { prev: p.prev && { at: p.prev.at, source: p.prev.source }, last: { at: p.last.at, source: p.last.source } }])) });
          reject(new Error(`timed out waiting for ${what}; status line: ${st.status?.text ?? '-'}; ${seen}`));
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
      // A budget that never binds: a computation every 16 s (the shortest worth asking: the daemon caches
      // 8 s). With a tight budget the period follows the learned cost, and on a busy host (latency runs
      // long, so the estimate does) it grew past a minute: the test is about the figures, not the budget.
      ctl = createController(client, store, { interval: 2000, daemonBudget: 100, sampleVia: 'metrics' });
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
      // The instances are idle busybox containers: computations 16 s apart often carry the very same
      // counters, and each is still a new computation (metrics-time.ts), so the pair comes within a
      // few periods. The slow /state reads (IPv4, disk) take turns with the metrics as the row's last
      // sample, so the moment a metrics pair is on screen is caught as it happens, not by polling.
      let pair: SamplePair | null = null;
      let cpu: number | null = null;
      const catchPair = (s: State) => {
        const p = s.samples[key];
        if (pair || p?.last.source !== 'metrics' || p.prev?.source !== 'metrics') return false;
        cpu = selectInstanceMetrics(s, key).cpuPercent;
        pair = p;
        return true;
      };
      const off = store.subscribe(() => void catchPair(store.getState()));
      try {
        await until((s) => catchPair(s) || pair !== null, 'CPU % from two computations', 90_000);
      } finally {
        off();
      }
      const caught = pair as SamplePair | null;
      expect(caught!.last.at - caught!.prev!.at).toBeGreaterThanOrEqual(8000);
      expect(cpu).toBeGreaterThanOrEqual(0);
      expect(store.getState().samples[instanceKey(project, 'stopped')]).toBeUndefined();
      expect(store.getState().sampling!.figuresAt).toBeLessThanOrEqual(Date.now());
    }, 150_000);
  });
}
