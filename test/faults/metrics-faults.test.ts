// `/1.0/metrics` refused, malformed or slow must not break the panes: the controller (with the real
// client and transport) against the fake daemon, which answers metrics like LXD 5.0 until told
// otherwise. Refused or malformed: the status line says so, `/state` serves the rows; slow: the
// selected row keeps its 2 s `/state`, no second metrics request piles up, and the figures arrive
// (older) once the answer does.
import { afterEach, describe, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import { createController } from '../../src/store/controller.js';
import { createStore } from '../../src/store/store.js';
import type { Controller, State, Store } from '../../src/store/state.js';
import { serverInfo } from '../support/fake-server.js';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { sleep } from './helpers.js';

let fake: FakeLxd | null = null;
let client: LxdClient | null = null;
let ctl: Controller | null = null;

afterEach(async () => {
  ctl?.stop();
  await client?.close();
  await fake?.close();
  fake = null;
  client = null;
  ctl = null;
});

const EXTENSIONS = [...(serverInfo().api_extensions as string[]), 'metrics'];

async function run(): Promise<{ store: Store; fake: FakeLxd }> {
  fake = await startFakeLxd({ instances: 30, running: 20, prefix: 'met', extensions: EXTENSIONS });
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
  const store = createStore();
  ctl = createController(client, store, { interval: 2000 });
  await ctl.start();
  ctl.setVisible(Object.keys(store.getState().instances).sort());
  return { store, fake };
}

async function until(store: Store, cond: (s: State) => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond(store.getState())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; status: ${store.getState().status?.text ?? '-'}`);
    await sleep(50);
  }
}

const metricsRequests = (f: FakeLxd) => f.requests.filter((r) => r.startsWith('GET /1.0/metrics')).length;
const stateRequests = (f: FakeLxd) => f.requests.filter((r) => /^GET \/1\.0\/instances\/[^/]+\/state/.test(r)).length;
const fromMetrics = (s: State) => Object.values(s.samples).filter((p) => p.last.source === 'metrics' || p.metrics).length;

describe('metrics as the fake daemon answers them', () => {
  it('well-formed: the rows read from one metrics request, the selected one by /state', async () => {
    const { store, fake } = await run();
    await until(store, (s) => fromMetrics(s) >= 19, 'figures from the metrics');
    expect(metricsRequests(fake)).toBe(1);
    expect(store.getState().sampling?.via).toBe('metrics');
    expect(store.getState().status?.level ?? 'info').not.toBe('error');
  });
});

describe.each([
  ['refused (403)', { kind: 'raw' as const, status: 403, body: JSON.stringify({ type: 'error', error_code: 403, error: 'not authorized', metadata: null }) }, /not authorized/],
  ['malformed (not OpenMetrics)', { kind: 'raw' as const, status: 200, contentType: 'text/plain', body: 'lxd_procs_total{name="met-1" 3\n' }, /not OpenMetrics/],
  ['an HTML error page', 'html-500' as const, /Internal Server Error|not JSON/],
  ['cut short', 'truncated' as const, /metrics/],
])('metrics %s', (_what, fault, words) => {
  it('/state serves the rows, the status line says why; metrics are not asked again at once', async () => {
    fake = await startFakeLxd({ instances: 30, running: 20, prefix: 'met', extensions: EXTENSIONS });
    fake.fault('GET', '/1.0/metrics', fault);
    client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
    const store = createStore();
    ctl = createController(client, store, { interval: 2000 });
    await ctl.start();
    ctl.setVisible(Object.keys(store.getState().instances).sort());
    await until(store, (s) => s.sampling?.via === 'state', 'the fall back to /state');
    expect(store.getState().status?.text).toMatch(words);
    await until(store, (s) => Object.keys(s.samples).length >= 5, 'figures from /state');
    expect(store.getState().connection.rest).toBe('ok');
    await sleep(3000);
    expect(metricsRequests(fake)).toBe(1);
  });
});

describe('metrics slow to answer', () => {
  it('the selected row keeps its 2 s; one metrics request at a time; the figures come when it answers', async () => {
    fake = await startFakeLxd({ instances: 30, running: 20, prefix: 'met', extensions: EXTENSIONS });
    const release = fake.hang((m, p) => m === 'GET' && p.startsWith('/1.0/metrics'));
    client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
    const store = createStore();
    ctl = createController(client, store, { interval: 2000 });
    await ctl.start();
    ctl.setVisible(Object.keys(store.getState().instances).sort());
    await sleep(6500);
    expect(metricsRequests(fake)).toBe(1);
    expect(fromMetrics(store.getState())).toBe(0);
    // the selected (first) row: by /state every 2 s meanwhile
    expect(stateRequests(fake)).toBeGreaterThanOrEqual(3);
    const sel = store.getState().samples['default/met-1'];
    expect(Date.now() - sel.last.at).toBeLessThanOrEqual(2500);
    release();
    await until(store, (s) => fromMetrics(s) >= 19, 'figures once the answer came');
  });
});
