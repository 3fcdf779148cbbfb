// The client hands the rest of lxtop what types.ts promises, whatever the daemon sent: lists of
// objects, records that are objects, names that are strings (see src/lxd/normalize.ts). Against
// the fake daemon, with nulls and wrong shapes where real daemons put lists and objects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { LxdError } from '../../src/lxd/errors.js';
import { Transport } from '../../src/lxd/transport.js';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';

let fake: FakeLxd;
let client: LxdClient;

beforeAll(async () => {
  fake = await startFakeLxd({ instances: 3, running: 2, prefix: 'sh' });
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
});
afterAll(async () => {
  await client?.close();
  await fake?.close();
});

describe('odd shapes become the declared ones', () => {
  it('instances: entries that are not instances are dropped; lists and records are lists and records', async () => {
    fake.fault('GET', '/1.0/instances?', {
      kind: 'raw',
      times: 1,
      body: JSON.stringify({
        type: 'sync',
        metadata: [
          null,
          7,
          'x',
          { name: null },
          { name: '' },
          { name: 'a', profiles: null, config: null, devices: { eth0: null, root: { path: '/' } }, snapshots: [null, { name: 'a/s1' }, { name: 5 }], type: null, location: null, project: null },
          { name: 'b', profiles: ['default', 3, null], expanded_devices: 'no', state: { network: { eth0: { addresses: [null, 1, { address: '10.0.0.1' }], counters: 'x' }, lo: null }, cpu: 'lots', disk: [] } },
        ],
      }),
    });
    const list = await client.listInstances();
    expect(list.map((i) => i.name)).toEqual(['a', 'b']);
    const [a, b] = list;
    expect(a).toMatchObject({ profiles: [], config: {}, devices: { root: { path: '/' } }, type: 'container', location: 'none', project: 'default' });
    expect(a.snapshots).toEqual([expect.objectContaining({ name: 's1', created_at: '', stateful: false })]);
    expect(b.profiles).toEqual(['default']);
    expect(b.expanded_devices).toBeUndefined();
    expect(b.state?.cpu).toBeNull();
    expect(b.state?.disk).toBeNull();
    expect(Object.keys(b.state?.network ?? {})).toEqual(['eth0']);
    expect(b.state?.network?.eth0.addresses).toEqual([{ address: '10.0.0.1' }]);
    expect(b.state?.network?.eth0.counters).toBeNull();
  });

  it('a state with nulls keeps them; a state that is not an object is a protocol error', async () => {
    fake.stateOverrides.set('sh-1', { network: null, memory: null, cpu: null, disk: null });
    const st = await client.instanceState('sh-1');
    expect(st).toMatchObject({ status: 'Running', network: null, memory: null, cpu: null, disk: null });
    fake.fault('GET', '/1.0/instances/sh-2/state', { kind: 'raw', times: 1, body: '{"type":"sync","metadata":null}' });
    const err = await client.instanceState('sh-2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdError);
    expect((err as LxdError).kind).toBe('protocol');
  });

  it('an instance answer that is not an instance is a protocol error', async () => {
    fake.fault('GET', '/1.0/instances/sh-3', { kind: 'raw', times: 1, body: '{"type":"sync","metadata":[1,2]}' });
    const err = await client.getInstance('sh-3').catch((e: unknown) => e);
    expect((err as LxdError).kind).toBe('protocol');
  });

  it('snapshots, images and operations: only objects, with their lists as lists', async () => {
    fake.snapshots.set('sh-1', [null, 'x', { name: null }, { name: 'snap0', created_at: null }]);
    expect(await client.listSnapshots('sh-1')).toEqual([{ name: 'snap0', created_at: '', stateful: false }]);
    fake.snapshots.set('sh-2', null);
    expect(await client.listSnapshots('sh-2')).toEqual([]);

    fake.images.push(null as never, { aliases: null, properties: 'x', fingerprint: 7 }, { aliases: [null, { name: 'x' }] });
    const images = await client.listImages();
    expect(images).toHaveLength(3);
    expect(images[1]).toMatchObject({ aliases: null, properties: null, fingerprint: '' });
    expect(images[2].aliases).toEqual([{ name: 'x' }]);

    fake.operations.push(
      { id: 'o1', resources: { instances: [null, '/1.0/instances/sh-1', 4], images: 'x' }, metadata: 'y' },
      { id: null } as never,
      7 as never,
    );
    const ops = await client.listOperations();
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ id: 'o1', resources: { instances: ['/1.0/instances/sh-1'] }, metadata: null });
  });
});
