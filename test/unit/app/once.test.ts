// `--once`'s loading (src/app/once.ts, src/app/snapshot-counts.ts) through the real client against a
// scripted server: the snapshot counts from the storage pools' volume lists give the same table as
// one snapshots request per instance, an instance those lists do not show is asked for on its own,
// and a server that refuses the pools (or a client without raw requests) falls back to per-instance
// requests. The real daemons' lists are checked in test/integration/once-real.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOnce, runOnce } from '../../../src/app/once.js';
import { parseVolumeUrl } from '../../../src/app/snapshot-counts.js';
import type { LxdApi } from '../../../src/lxd/api.js';
import { LxdClient } from '../../../src/lxd/client.js';
import { Transport } from '../../../src/lxd/transport.js';
import { plainInstancesTable } from '../../../src/views/plain.js';
import { envelope, sendJson, serverInfo, startFakeServer, type FakeServer } from '../../support/fake-server.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const now = () => NOW;
const EXT = ['instances', 'projects', 'storage', 'container_full', 'instance_all_projects', 'storage_volumes_all_projects'];

let fake: FakeServer;
let client: LxdClient;

function instance(name: string, status: string, project = 'web'): Record<string, unknown> {
  return {
    name,
    status,
    status_code: status === 'Running' ? 103 : 102,
    type: 'container',
    architecture: 'x86_64',
    created_at: '2026-11-30T12:00:00Z',
    location: 'none',
    project,
    profiles: ['default'],
    config: {},
    devices: {},
  };
}

const state = (mem: number) => ({
  status: 'Running',
  status_code: 103,
  cpu: { usage: 123456789 },
  memory: { usage: mem, usage_peak: mem },
  network: { eth0: { addresses: [{ family: 'inet', address: '10.1.2.3', netmask: '24', scope: 'global' }], counters: { bytes_received: 10, bytes_sent: 20 } } },
  processes: 7,
  pid: 100,
});

/** Instances a..d in project web: a, b running; snapshots a: 2, b: 0, c: 1, d: 0. */
const SNAPS: Record<string, string[]> = { a: ['s1', 'nightly 2'], b: [], c: ['only'], d: [] };

function routeDaemon(): void {
  fake.route('GET', '/1.0', (_q, res) => sendJson(res, 200, envelope.sync(serverInfo({ extensions: EXT }))));
  fake.route('GET', '/1.0/instances', (_q, res) =>
    sendJson(res, 200, envelope.sync([instance('a', 'Running'), instance('b', 'Running'), instance('c', 'Stopped'), instance('d', 'Stopped')])),
  );
  for (const [name, mem] of [['a', 1 << 20], ['b', 3 << 20]] as const) {
    fake.route('GET', `/1.0/instances/${name}/state`, (_q, res) => sendJson(res, 200, envelope.sync(state(mem))));
  }
  for (const [name, snaps] of Object.entries(SNAPS)) {
    fake.route('GET', `/1.0/instances/${name}/snapshots`, (_q, res) =>
      sendJson(res, 200, envelope.sync(snaps.map((s) => ({ name: s, created_at: '2026-11-30T13:00:00Z', stateful: false })))),
    );
  }
  fake.route('GET', '/1.0/storage-pools', (_q, res) => sendJson(res, 200, envelope.sync(['/1.0/storage-pools/default', '/1.0/storage-pools/fast%20one'])));
  const volumes = (pool: string, names: string[]) =>
    names.flatMap((n) => [
      `/1.0/storage-pools/${pool}/volumes/container/${n}?project=web`,
      ...SNAPS[n].map((s) => `/1.0/storage-pools/${pool}/volumes/container/${n}/snapshots/${encodeURIComponent(s)}?project=web`),
    ]);
  fake.route('GET', '/1.0/storage-pools/default/volumes', (_q, res) =>
    sendJson(res, 200, envelope.sync([...volumes('default', ['a', 'b']), '/1.0/storage-pools/default/volumes/custom/data?project=web', '/1.0/storage-pools/default/volumes/image/abc'])),
  );
  fake.route('GET', '/1.0/storage-pools/fast%20one/volumes', (_q, res) => sendJson(res, 200, envelope.sync(volumes('fast%20one', ['c']))));
}

beforeAll(async () => {
  fake = await startFakeServer();
});
afterAll(async () => {
  await client?.close();
  await fake.close();
});
beforeEach(async () => {
  await client?.close();
  routeDaemon();
  fake.requests.length = 0;
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }, { http: 'node' }), { project: 'web' });
});

const snapshotRequests = () => fake.requests.filter((r) => /\/snapshots(\?|$)/.test(r.path)).map((r) => r.path.split('?')[0]);

/** The table with one snapshots request per instance: the client seen through LxdApi alone (no `request`). */
async function perInstanceTable(): Promise<string> {
  const api = {
    project: client.project,
    server: () => client.server(),
    listInstances: (o?: { allProjects?: boolean }) => client.listInstances(o),
    instanceState: (name: string, o?: { project?: string }) => client.instanceState(name, o),
    listSnapshots: (name: string, o?: { project?: string }) => client.listSnapshots(name, o),
  } as unknown as LxdApi;
  const store = await loadOnce(api, {}, now);
  return plainInstancesTable(store.getState(), NOW);
}

describe('--once loading', () => {
  it('snapshot counts from the volume lists: one request per pool, snapshots requests only for the instance not listed', async () => {
    const store = await loadOnce(client, {}, now);
    const table = plainInstancesTable(store.getState(), NOW);
    expect(table.split('\n')).toEqual([
      'NAME     STATUS  TYPE    CPU%      MEM         RX         TX  PROCS IPV4      SNAPS  AGE',
      'a        Running CT         -   1.0MiB          -          -      7 10.1.2.3      2  24h',
      'b        Running CT         -   3.0MiB          -          -      7 10.1.2.3      0  24h',
      'c        Stopped CT         -        -          -          -      - -             1  24h',
      'd        Stopped CT         -        -          -          -      - -             0  24h',
    ]);
    // d's volume is in no list: asked for on its own. Nobody else.
    expect(snapshotRequests()).toEqual(['/1.0/instances/d/snapshots']);
    const paths = fake.requests.map((r) => r.path);
    expect(paths).toContain('/1.0/storage-pools/default/volumes?project=web');
    expect(paths).toContain('/1.0/storage-pools/fast%20one/volumes?project=web');
    expect(paths.filter((p) => p.includes('/state'))).toHaveLength(2);
  });

  it('the same table as one snapshots request per instance', async () => {
    const fast = await runOnce(client, {}, now);
    fake.requests.length = 0;
    expect(await perInstanceTable()).toBe(fast);
    expect(snapshotRequests().sort()).toEqual(['a', 'b', 'c', 'd'].map((n) => `/1.0/instances/${n}/snapshots`));
  });

  it('pools refused (a restricted certificate): one snapshots request per instance, same table', async () => {
    const fast = await runOnce(client, {}, now);
    fake.route('GET', '/1.0/storage-pools', (_q, res) => sendJson(res, 403, envelope.error(403, 'not authorized')));
    fake.requests.length = 0;
    expect(await runOnce(client, {}, now)).toBe(fast);
    expect(snapshotRequests()).toHaveLength(4);
  });

  it('a pool whose volumes are refused: its instances are asked for on their own', async () => {
    fake.route('GET', '/1.0/storage-pools/fast%20one/volumes', (_q, res) => sendJson(res, 500, envelope.error(500, 'boom')));
    await runOnce(client, {}, now);
    expect(snapshotRequests().sort()).toEqual(['/1.0/instances/c/snapshots', '/1.0/instances/d/snapshots']);
  });

  it('a server without the storage API: per instance', async () => {
    fake.route('GET', '/1.0', (_q, res) => sendJson(res, 200, envelope.sync(serverInfo({ extensions: EXT.filter((e) => e !== 'storage') }))));
    await runOnce(client, {}, now);
    expect(snapshotRequests()).toHaveLength(4);
    expect(fake.requests.some((r) => r.path.startsWith('/1.0/storage-pools'))).toBe(false);
  });

  it('a failed snapshots request leaves SNAPS at -, a failed state leaves the figures at -', async () => {
    fake.route('GET', '/1.0/storage-pools', (_q, res) => sendJson(res, 403, envelope.error(403, 'not authorized')));
    fake.route('GET', '/1.0/instances/c/snapshots', (_q, res) => sendJson(res, 500, envelope.error(500, 'boom')));
    fake.route('GET', '/1.0/instances/b/state', (_q, res) => sendJson(res, 500, envelope.error(500, 'boom')));
    const rows = (await runOnce(client, {}, now)).split('\n').map((l) => l.split(/\s+/));
    expect(rows[2]).toEqual(['b', 'Running', 'CT', '-', '-', '-', '-', '-', '-', '0', '24h']);
    expect(rows[3]).toEqual(['c', 'Stopped', 'CT', '-', '-', '-', '-', '-', '-', '-', '24h']);
  });

  it('all projects: the volume lists of every project in one request per pool', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) =>
      sendJson(res, 200, envelope.sync([instance('a', 'Running'), instance('c', 'Stopped'), instance('a', 'Stopped', 'default')])),
    );
    fake.route('GET', '/1.0/storage-pools/default/volumes', (_q, res) =>
      sendJson(res, 200, envelope.sync([
        '/1.0/storage-pools/default/volumes/container/a?project=web',
        '/1.0/storage-pools/default/volumes/container/a/snapshots/s1?project=web',
        '/1.0/storage-pools/default/volumes/container/a',
        '/1.0/storage-pools/default/volumes/container/a/snapshots/x',
        '/1.0/storage-pools/default/volumes/container/a/snapshots/y',
        '/1.0/storage-pools/default/volumes/container/a/snapshots/z',
      ])),
    );
    const lines = (await runOnce(client, { allProjects: true }, now)).split('\n');
    expect(lines.map((l) => l.split(/\s+/).filter((_, i) => i < 2).join(' ') + ' ' + l.trim().split(/\s+/).at(-2))).toEqual([
      'PROJECT NAME SNAPS',
      'default a 3',
      'web a 1',
      'web c 1',
    ]);
    expect(fake.requests.map((r) => r.path)).toContain('/1.0/storage-pools/default/volumes?all-projects=true');
    expect(snapshotRequests()).toEqual([]);
  });
});

describe('parseVolumeUrl', () => {
  it('instance volumes and their snapshots, with project and cluster member in the query', () => {
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/container/c1?project=p&target=m1')).toEqual({ project: 'p', name: 'c1', snapshot: null });
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/virtual-machine/v1/snapshots/snap%200?target=m2&project=x%2Dy')).toEqual({
      project: 'x-y',
      name: 'v1',
      snapshot: 'snap 0',
    });
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/container/c1/snapshots/s')).toEqual({ project: 'default', name: 'c1', snapshot: 's' });
  });

  it('other volumes are not instances', () => {
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/custom/data?project=p')).toBeNull();
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/custom/data/snapshots/s')).toBeNull();
    expect(parseVolumeUrl('/1.0/storage-pools/default/volumes/image/0123abcd')).toBeNull();
    expect(parseVolumeUrl('/1.0/instances/c1')).toBeNull();
  });
});
