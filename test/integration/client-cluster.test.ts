// The client against the sandbox's two-member LXD cluster: members, placement with `target`, and
// calls to an instance on the other member going through the one we are connected to.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import type { Operation } from '../../src/lxd/types.js';
import { daemonSocket, describeOn } from '../support/daemons.js';

const IMAGE = process.env.LXTOP_TEST_IMAGE ?? 'busybox';

describeOn(['cluster'], 'LxdClient against the real two-member cluster', () => {
  const name = `it-cluster-${Math.random().toString(36).slice(2, 8)}`;
  let client: LxdClient;
  const done = async (op: Promise<Operation>) => client.waitOperation((await op).id, 120);

  beforeAll(() => {
    client = new LxdClient(new Transport({ kind: 'unix', socket: daemonSocket('cluster')! }));
  });
  afterAll(async () => {
    const mine = (await client.listInstances().catch(() => [])).find((i) => i.name === name);
    if (mine?.status === 'Running') await done(client.changeState(name, 'stop', { force: true })).catch(() => null);
    if (mine) await done(client.deleteInstance(name)).catch(() => null);
    await client.close();
  });

  it('is clustered and lists both members', async () => {
    const info = await client.server();
    expect(info.clustered).toBe(true);
    const members = await client.listClusterMembers();
    expect(members.length).toBeGreaterThanOrEqual(2);
    for (const m of members) {
      expect(m.status).toBe('Online');
      expect(m.url).toMatch(/^https:\/\//);
    }
  });

  it('places an instance on the other member and drives it through this one', async () => {
    const members = await client.listClusterMembers();
    const self = (await client.server()).serverName;
    const other = members.find((m) => m.server_name !== self)!.server_name;
    expect((await done(client.createInstance({ name, image: { alias: IMAGE }, target: other }))).status).toBe('Success');
    expect((await client.listInstances()).find((i) => i.name === name)?.location).toBe(other);
    expect((await done(client.changeState(name, 'start'))).status).toBe('Success');
    expect((await client.instanceState(name)).status).toBe('Running');
    const session = await client.exec(name, { command: ['sh', '-c', 'exit 5'], interactive: false });
    const sockets = await Promise.all(Object.values(session.fds).map((s) => client.operationWebsocket(session.operation.id, s)));
    expect(await client.waitOperation(session.operation.id, 30)).toMatchObject({ status: 'Success', returnCode: 5 });
    for (const ws of sockets) ws.terminate();
  });
});
