// Which path and query the client chooses per server, and how it reads the answers, against the
// fake server (it can play an old LXD, an Incus and a clustered server on one test machine).
import { beforeEach, describe, expect, it } from 'vitest';
import { LxdClient } from '../../../src/lxd/client.js';
import { LxdError } from '../../../src/lxd/errors.js';
import { Transport } from '../../../src/lxd/transport.js';
import { envelope, sendJson, serverInfo, startFakeServer, type FakeServer } from '../../support/fake-server.js';

let fake: FakeServer;
const clients: LxdClient[] = [];

beforeEach(async () => {
  fake = await startFakeServer();
  return async () => {
    for (const c of clients.splice(0)) await c.close();
    await fake.close();
  };
});

function serve(info: Parameters<typeof serverInfo>[0]): void {
  fake.route('GET', '/1.0', (_q, res) => sendJson(res, 200, envelope.sync(serverInfo(info))));
}

function client(project?: string): LxdClient {
  const c = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }), { project });
  clients.push(c);
  return c;
}

const paths = () => fake.requests.map((r) => `${r.method} ${r.path}`);
const op = (id: string, extra: Record<string, unknown> = {}) => ({ id, class: 'task', status: 'Running', status_code: 103, err: '', metadata: null, may_cancel: false, ...extra });

describe('capability gating', () => {
  it('lists /1.0/instances?recursion=1 with the project on a current server', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([{ name: 'a', type: 'container', project: 'p', location: 'none' }])));
    const items = await client('p').listInstances();
    expect(items.map((i) => i.name)).toEqual(['a']);
    expect(paths()).toContain('GET /1.0/instances?recursion=1&project=p');
  });

  it('uses /1.0/containers without the `instances` extension, and fills the fields it lacks', async () => {
    serve({ extensions: ['projects'] });
    fake.route('GET', '/1.0/containers', (_q, res) => sendJson(res, 200, envelope.sync([{ name: 'old', status: 'Running' }])));
    const [item] = await client().listInstances();
    expect(item).toMatchObject({ name: 'old', type: 'container', project: 'default', location: 'none', profiles: [], config: {} });
    expect(paths()).toContain('GET /1.0/containers?recursion=1&project=default');
  });

  it('no ?project= on a server without projects; another project is refused before any request', async () => {
    serve({ extensions: ['instances'] });
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([])));
    await client().listInstances();
    expect(paths()).toContain('GET /1.0/instances?recursion=1');
    const err = await client('other').listInstances().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdError);
    expect((err as Error).message).toMatch(/no projects/);
    expect(await client().listProjects()).toEqual([{ name: 'default', description: '', config: {} }]);
  });

  it('states in one list: recursion=2, filtered to running ones with api_filtering', async () => {
    serve({ extensions: ['instances', 'projects', 'container_full', 'api_filtering'] });
    const state = { status: 'Running', status_code: 103, cpu: { usage: 5 }, memory: null, network: null, disk: null, processes: 3 };
    fake.route('GET', '/1.0/instances', (_q, res) =>
      sendJson(res, 200, envelope.sync([
        { name: 'a', project: 'p', status: 'Running', state, snapshots: [{ name: 's1' }, { name: 's2' }] },
        { name: 'b', status: 'Running', state, snapshots: null },
        { name: 'c', status: 'Running', state: null },
        { name: 42 },
        null,
      ])),
    );
    const entries = await client('p').listInstanceStates({ runningOnly: true });
    expect(paths()).toContain(`GET /1.0/instances?recursion=2&filter=${encodeURIComponent('status eq Running')}&project=p`);
    expect(entries).toHaveLength(3);
    expect(entries![0]).toMatchObject({ name: 'a', project: 'p', status: 'Running', snapshots: 2 });
    expect(entries![0].state?.cpu?.usage).toBe(5);
    expect(entries![1]).toMatchObject({ name: 'b', project: 'p', snapshots: 0 });
    expect(entries![2]).toMatchObject({ name: 'c', state: null, snapshots: null });
  });

  it('states in one list: no filter without api_filtering, all projects, null without container_full', async () => {
    serve({ extensions: ['instances', 'projects', 'container_full', 'instance_all_projects'] });
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([])));
    expect(await client('p').listInstanceStates({ runningOnly: true })).toEqual([]);
    expect(await client('p').listInstanceStates({ allProjects: true, runningOnly: true })).toEqual([]);
    expect(paths()).toContain('GET /1.0/instances?recursion=2&project=p');
    expect(paths()).toContain('GET /1.0/instances?recursion=2&all-projects=true');
    fake.requests.length = 0;
    serve({ extensions: ['instances', 'projects'] });
    expect(await client('p').listInstanceStates({ runningOnly: true })).toBeNull();
    expect(paths().filter((p) => p.startsWith('GET /1.0/instances'))).toEqual([]);
  });

  it('all-projects uses the query where the extension exists', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([])));
    await client().listInstances({ allProjects: true });
    expect(paths()).toContain('GET /1.0/instances?recursion=1&all-projects=true');
  });

  it('all-projects without the extension asks project by project', async () => {
    // LXD 5.0 has no operations_get_query_all_projects.
    fake.route('GET', '/1.0/projects', (_q, res) => sendJson(res, 200, envelope.sync([{ name: 'default' }, { name: 'p2' }])));
    fake.route('GET', '/1.0/operations?recursion=1&project=default', (_q, res) => sendJson(res, 200, envelope.sync({ running: [op('a')] })));
    fake.route('GET', '/1.0/operations?recursion=1&project=p2', (_q, res) => sendJson(res, 200, envelope.sync({ success: [op('b')] })));
    const ops = await client().listOperations({ allProjects: true });
    expect(ops.map((o) => o.id).sort()).toEqual(['a', 'b']);
  });

  it('null lists and an empty operations map are empty lists', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync(null)));
    fake.route('GET', '/1.0/operations', (_q, res) => sendJson(res, 200, envelope.sync({})));
    fake.route('GET', '/1.0/images', (_q, res) => sendJson(res, 200, envelope.sync(null)));
    fake.route('GET', '/1.0/instances/a/snapshots', (_q, res) => sendJson(res, 200, envelope.sync(null)));
    const c = client();
    expect(await c.listInstances()).toEqual([]);
    expect(await c.listOperations()).toEqual([]);
    expect(await c.listImages()).toEqual([]);
    expect(await c.listSnapshots('a')).toEqual([]);
  });

  it('old servers name snapshots instance/snapshot: the client gives the snapshot name', async () => {
    fake.route('GET', '/1.0/instances/a/snapshots', (_q, res) => sendJson(res, 200, envelope.sync([{ name: 'a/snap0', stateful: false }])));
    expect((await client().listSnapshots('a'))[0]?.name).toBe('snap0');
  });

  it('cluster members: none asked for on a standalone server, listed on a clustered one', async () => {
    expect(await client().listClusterMembers()).toEqual([]);
    expect(paths().some((p) => p.includes('/cluster'))).toBe(false);
    serve({ clustered: true });
    fake.route('GET', '/1.0/cluster/members', (_q, res) => sendJson(res, 200, envelope.sync([{ server_name: 'm1', status: 'Online' }])));
    expect((await client().listClusterMembers()).map((m) => m.server_name)).toEqual(['m1']);
  });

  it('exec as another user is refused locally without container_exec_user_group_cwd', async () => {
    serve({ extensions: ['instances', 'projects'] });
    await expect(client().exec('a', { command: ['id'], interactive: false, user: 1000 })).rejects.toThrow(/container_exec_user_group_cwd/);
    expect(paths().some((p) => p.includes('/exec'))).toBe(false);
  });

  it('exec posts wait-for-websocket and returns the fds secrets', async () => {
    fake.route('POST', '/1.0/instances/a/exec', (_q, res) =>
      sendJson(res, 202, envelope.async(op('e1', { class: 'websocket', metadata: { fds: { '0': 's0', control: 'sc' } } }))),
    );
    const session = await client().exec('a', { command: ['sh'], interactive: true, width: 100, height: 30, cwd: '/root' });
    expect(session.fds).toEqual({ '0': 's0', control: 'sc' });
    expect(session.operation.id).toBe('e1');
    const body = JSON.parse(fake.requests.find((r) => r.path.startsWith('/1.0/instances/a/exec'))!.body);
    expect(body).toMatchObject({ command: ['sh'], interactive: true, 'wait-for-websocket': true, width: 100, height: 30, cwd: '/root' });
  });

  it('sends If-Match with the ETag and surfaces the refusal', async () => {
    fake.route('GET', '/1.0/instances/a', (_q, res) => sendJson(res, 200, envelope.sync({ name: 'a' }), { etag: '"v1"' }));
    fake.route('PATCH', '/1.0/instances/a', (req, res) =>
      req.headers['if-match'] === '"v1"' ? sendJson(res, 200, envelope.sync({})) : sendJson(res, 412, envelope.error(412, 'ETag doesn\'t match: "v0" vs "v1"')),
    );
    const c = client();
    const { etag } = await c.getInstance('a');
    expect(etag).toBe('"v1"');
    await c.patchInstance('a', { description: 'x' }, { etag });
    await expect(c.patchInstance('a', { description: 'x' }, { etag: '"v0"' })).rejects.toMatchObject({ kind: 'http', status: 412 });
  });

  it('server info is read once and cached; a failed read is retried', async () => {
    let fail = true;
    fake.route('GET', '/1.0', (_q, res) => (fail ? sendJson(res, 500, envelope.error(500, 'boom')) : sendJson(res, 200, envelope.sync(serverInfo()))));
    const c = client();
    await expect(c.server()).rejects.toThrow('boom');
    fail = false;
    await c.server();
    await c.server();
    expect(paths().filter((p) => p === 'GET /1.0')).toHaveLength(2);
  });

  it('an invalid name never reaches the server (only GET /1.0, for the server kind)', async () => {
    const c = client();
    await expect(c.createInstance({ name: '1abc', image: { alias: 'busybox' } })).rejects.toMatchObject({ kind: 'http', status: 400, local: true });
    await expect(c.renameInstance('a', 'b_c')).rejects.toThrow('Invalid instance name: Name can only contain alphanumeric and hyphen characters');
    expect(paths()).toEqual(['GET /1.0']);
  });

  it('the name rule follows the server: Incus accepts a leading digit', async () => {
    serve({ server: 'incus' });
    fake.route('POST', '/1.0/instances', (_q, res) => sendJson(res, 202, envelope.async(op('c1'))));
    expect((await client().createInstance({ name: '1abc', image: { alias: 'busybox' } })).id).toBe('c1');
    await expect(client().createInstance({ name: '123', image: { alias: 'busybox' } })).rejects.toThrow('Invalid instance name: Name cannot be a number');
  });
});

describe('waitOperation: one outcome on LXD and Incus', () => {
  it('LXD: the operation from /wait, with the exec return code', async () => {
    fake.route('GET', '/1.0/operations/o1/wait?timeout=5', (_q, res) =>
      sendJson(res, 200, envelope.sync(op('o1', { status: 'Success', metadata: { return: 3 } }))),
    );
    expect(await client().waitOperation('o1', 5)).toMatchObject({ status: 'Success', returnCode: 3, err: '' });
  });

  it('always passes ?timeout=N (default 30)', async () => {
    fake.route('GET', '/1.0/operations/o1/wait', (_q, res) => sendJson(res, 200, envelope.sync(op('o1'))));
    expect((await client().waitOperation('o1')).status).toBe('Running');
    expect(paths()).toContain('GET /1.0/operations/o1/wait?timeout=30');
  });

  it('Incus failure: HTTP 200 with an error body → outcome read from the operation', async () => {
    fake.route('GET', '/1.0/operations/o2/wait', (_q, res) => sendJson(res, 200, envelope.error(400, 'Command not found')));
    fake.route('GET', '/1.0/operations/o2', (_q, res) =>
      sendJson(res, 200, envelope.sync(op('o2', { status: 'Failure', err: 'Command not found', metadata: { return: 127 } }))),
    );
    expect(await client().waitOperation('o2', 5)).toMatchObject({ status: 'Failure', err: 'Command not found', returnCode: 127 });
  });

  it('Incus timeout: error body "context deadline exceeded" → Running', async () => {
    fake.route('GET', '/1.0/operations/o3/wait', (_q, res) => sendJson(res, 200, envelope.error(400, 'context deadline exceeded')));
    fake.route('GET', '/1.0/operations/o3', (_q, res) => sendJson(res, 200, envelope.sync(op('o3'))));
    expect(await client().waitOperation('o3', 1)).toMatchObject({ status: 'Running', returnCode: null });
  });

  it('a failure whose operation already vanished is still a Failure with the server text', async () => {
    fake.route('GET', '/1.0/operations/o4/wait', (_q, res) => sendJson(res, 200, envelope.error(400, 'The instance is already running')));
    expect(await client().waitOperation('o4', 1)).toEqual({ status: 'Failure', err: 'The instance is already running', returnCode: null, operation: null });
  });

  it('an unknown operation is an error, not an outcome', async () => {
    await expect(client().waitOperation('nope', 1)).rejects.toMatchObject({ kind: 'http', status: 404 });
  });

  it('cancel: the refusal text verbatim', async () => {
    fake.route('DELETE', '/1.0/operations/o5', (_q, res) => sendJson(res, 400, envelope.error(400, "This operation can't be cancelled")));
    await expect(client().cancelOperation('o5')).rejects.toMatchObject({ kind: 'http', status: 400, message: "This operation can't be cancelled" });
  });

  it('a call that must start an operation but answers sync is a protocol error', async () => {
    fake.route('PUT', '/1.0/instances/a/state', (_q, res) => sendJson(res, 200, envelope.sync({})));
    await expect(client().changeState('a', 'start')).rejects.toMatchObject({ kind: 'protocol' });
  });
});
