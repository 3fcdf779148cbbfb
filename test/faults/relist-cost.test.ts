// What a re-list costs at scale (the real client and controller, the fake daemon with 5,000
// instances): the store keeps a slim copy of each listed instance (no volatile config, devices,
// expanded config: most of each object), and a re-list that changed nothing leaves the store's
// instances as they were (no re-sort, no redraw), while one that changed something replaces only
// that instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import { createController } from '../../src/store/controller.js';
import { createStore } from '../../src/store/store.js';
import type { Controller, Store } from '../../src/store/state.js';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';

const N = 5000;
let fake: FakeLxd;
let client: LxdClient;
let store: Store;
let ctl: Controller;

beforeAll(async () => {
  fake = await startFakeLxd({ instances: N, running: 0, prefix: 'rl' });
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
  store = createStore();
  ctl = createController(client, store, { relistInterval: 3_600_000 });
  await ctl.start();
});
afterAll(async () => {
  ctl?.stop();
  await client?.close();
  await fake?.close();
});

describe('re-listing 5,000 instances', () => {
  it('keeps a slim copy of each instance', () => {
    const inst = store.getState().instances['default/rl-1'];
    expect(Object.keys(store.getState().instances)).toHaveLength(N);
    expect(inst).toMatchObject({ name: 'rl-1', status: 'Stopped', type: 'container', project: 'default', profiles: ['default'] });
    expect(inst.config).toEqual({ 'image.description': 'BusyBox 1.35.0 (fake)', 'image.os': 'busybox', 'image.release': '1.35.0' });
    expect(inst.devices).toEqual({});
    expect(inst.expanded_config).toBeUndefined();
    expect(inst.expanded_devices).toBeUndefined();
    const bytes = JSON.stringify(Object.values(store.getState().instances)).length;
    expect(bytes / N).toBeLessThan(700); // a listed instance is ~1.7 KB of JSON
  });

  it('a re-list that changed nothing keeps the instances record; a change replaces that instance only', async () => {
    const before = store.getState().instances;
    await ctl.refresh();
    expect(store.getState().instances).toBe(before);

    fake.setStatus('rl-7', 'Running');
    await ctl.refresh();
    const after = store.getState().instances;
    expect(after).not.toBe(before);
    expect(after['default/rl-7'].status).toBe('Running');
    expect(after['default/rl-8']).toBe(before['default/rl-8']);
  });
});
