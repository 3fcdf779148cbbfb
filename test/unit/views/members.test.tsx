// The cluster members view (key 4), fed with `GET /1.0/cluster/members?recursion=1` recorded from
// the sandbox's two-member LXD cluster (test/fixtures/lxd/cluster-members.json), and the
// controller's members polling: every 10 s and on cluster-member-* lifecycle events, never on a
// standalone server.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ClusterMember } from '../../../src/lxd/types.js';
import { createController, MEMBERS_EVERY_MS } from '../../../src/store/controller.js';
import { createStore } from '../../../src/store/index.js';
import { memberCells, memberLines } from '../../../src/views/members.js';
import { FakeApi } from '../store/fake-api.js';
import { KEY, SERVER, fixture, makeImage, makeInstance, press, renderApp, settle, storeWith } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const recorded = fixture<{ metadata: ClusterMember[] }>('lxd', 'cluster-members.json')?.metadata ?? [];
const CLUSTER = { ...SERVER, clustered: true, serverName: 'm1' };

function clusterStore(members: ClusterMember[] | null = recorded) {
  const store = storeWith({
    server: CLUSTER,
    instances: [makeInstance('a', { location: 'm1' }), makeInstance('b', { location: 'm2' })],
    images: [makeImage('aaaa1111bbbb2222cccc', 'busybox')],
  });
  if (members) store.dispatch({ type: 'members/loaded', members });
  return store;
}

describe('member cells', () => {
  it('recorded members: name, status, roles, message, URL', () => {
    expect(recorded.length).toBe(2);
    const m1 = memberCells(recorded.find((m) => m.server_name === 'm1')!);
    expect(m1).toMatchObject({ name: 'm1', status: 'Online', message: 'Fully operational', url: 'https://127.0.0.1:18445' });
    expect(m1.roles).toContain('database');
    expect(memberCells({ ...recorded[0], roles: null, message: '' })).toMatchObject({ roles: '-', message: '-' });
  });

  it('lines are sorted by name and drop columns on a narrow screen', () => {
    const wide = memberLines([...recorded].reverse(), 120);
    expect(wide.header).toMatch(/^NAME\s+STATUS\s+ROLES\s+MESSAGE\s+URL/);
    expect(wide.rows.map((r) => r.text.split(/\s+/)[0])).toEqual(['m1', 'm2']);
    expect(memberLines(recorded, 30).header).not.toContain('URL');
  });
});

describe('members view in the app', () => {
  it('4 shows both members Online, and 4 again closes it', async () => {
    const store = clusterStore();
    const r = renderApp(store, { cols: 120 });
    await settle();
    expect(r.lastFrame()).toMatch(/LOCATION/); // the instances table of a cluster
    await press(r.stdin, '4');
    const frame = r.lastFrame() ?? '';
    expect(frame).toContain('Cluster members (2)');
    expect(frame).toMatch(/m1\s+Online\s+database-leader,database\s+Fully operational\s+https:\/\/127\.0\.0\.1:18445/);
    expect(frame).toMatch(/m2\s+Online\s+database-standby\s+Fully operational\s+https:\/\/127\.0\.0\.2:18445/);
    expect(store.getState().ui.dialog?.kind).toBe('members');
    await press(r.stdin, '4');
    expect(store.getState().ui.dialog).toBeNull();
  });

  it('an Offline member reads Offline as soon as the store says so', async () => {
    const store = clusterStore();
    const r = renderApp(store, { cols: 120 });
    await press(r.stdin, '4');
    store.dispatch({ type: 'members/loaded', members: recorded.map((m) => (m.server_name === 'm2' ? { ...m, status: 'Offline', message: 'No heartbeat since 20s' } : m)) });
    await settle();
    expect(r.lastFrame()).toMatch(/m2\s+Offline\s+.*No heartbeat since 20s/);
  });

  it('before the first list: loading', async () => {
    const r = renderApp(clusterStore(null), { cols: 120 });
    await press(r.stdin, '4');
    expect(r.lastFrame()).toContain('Cluster members (loading…)');
  });

  it('a standalone server has no members: 4 says so and opens nothing', async () => {
    const store = storeWith({ instances: [makeInstance('a')] });
    const r = renderApp(store, { cols: 120 });
    await press(r.stdin, '4');
    expect(store.getState().ui.dialog).toBeNull();
    expect(r.lastFrame()).toContain('Not a cluster');
  });
});

describe('new instance on a chosen member', () => {
  const createCalls = (app: ReturnType<typeof renderApp>) => app.controller.calls.filter((c) => c.method === 'createInstance');

  it('after the name, a member picker: m2 chosen → created with target m2', async () => {
    const app = renderApp(clusterStore(), { cols: 120 });
    await settle();
    await press(app.stdin, '2', 'n');
    expect(app.frame()).toContain('New instance from busybox');
    await press(app.stdin, KEY.enter);
    expect(app.frame()).toContain('New instance busybox-1: pick a cluster member');
    expect(app.frame()).toContain('any member');
    expect(createCalls(app)).toEqual([]);
    await press(app.stdin, KEY.down, KEY.down, KEY.enter);
    expect(createCalls(app)[0].args).toEqual(['busybox-1', 'aaaa1111bbbb2222cccc', { target: 'm2' }]);
  });

  it('"any member" leaves the placement to the cluster', async () => {
    const app = renderApp(clusterStore(), { cols: 120 });
    await settle();
    await press(app.stdin, '2', 'n', KEY.enter);
    await press(app.stdin, KEY.enter);
    expect(createCalls(app)[0].args).toEqual(['busybox-1', 'aaaa1111bbbb2222cccc']);
  });

  it('a standalone server creates at once, no picker', async () => {
    const app = renderApp(storeWith({ images: [makeImage('aaaa1111bbbb2222cccc', 'busybox')] }), { cols: 120 });
    await settle();
    await press(app.stdin, '2', 'n', KEY.enter);
    expect(createCalls(app)[0].args).toEqual(['busybox-1', 'aaaa1111bbbb2222cccc']);
  });

  it('the controller passes the target to the API', async () => {
    const api = new ClusterApi();
    const seen: unknown[] = [];
    api.createInstance = async function (this: FakeApi, o: { name: string; image: unknown; target?: string }) {
      seen.push(o.target);
      return FakeApi.prototype.createInstance.call(this, o);
    } as never;
    const store = createStore();
    const ctl = createController(api, store, { interval: 60_000 });
    await ctl.start();
    const r = await ctl.createInstance('p5-x', 'busybox', { target: 'm2', start: false });
    ctl.stop();
    expect(r.ok).toBe(true);
    expect(seen).toEqual(['m2']);
  });
});

class ClusterApi extends FakeApi {
  members: ClusterMember[] = recorded;
  override async server() {
    return { ...(await super.server()), clustered: true };
  }
  override async listClusterMembers() {
    this.calls.push('members');
    return this.members;
  }
}

describe('controller: members', () => {
  it('lists them on start, every 10 s, and on a cluster-member-* event', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const api = new ClusterApi(['a', 'Running']);
    const store = createStore();
    const ctl = createController(api, store, { interval: 60_000, relistInterval: 600_000 });
    await ctl.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(api.count('members')).toBe(1);
    expect(store.getState().members?.map((m) => m.server_name)).toEqual(['m1', 'm2']);
    await vi.advanceTimersByTimeAsync(MEMBERS_EVERY_MS);
    expect(api.count('members')).toBe(2);
    api.members = recorded.slice(0, 1);
    api.streams[0].emit({ type: 'lifecycle', timestamp: '', metadata: { action: 'cluster-member-removed', source: '/1.0/cluster/members/m2' } } as never);
    await vi.advanceTimersByTimeAsync(10);
    expect(api.count('members')).toBe(3);
    expect(store.getState().members?.length).toBe(1);
    ctl.stop();
  });

  it('never asks a standalone server', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const api = new FakeApi(['a', 'Running']);
    const spy = vi.spyOn(api, 'listClusterMembers');
    const ctl = createController(api, createStore(), { interval: 60_000 });
    await ctl.start();
    await vi.advanceTimersByTimeAsync(MEMBERS_EVERY_MS * 2);
    expect(spy).not.toHaveBeenCalled();
    expect(await ctl.refreshMembers?.()).toBeUndefined();
    ctl.stop();
  });
});
