// The controller's host meters and warnings against an in-memory API answering with the recorded
// figures: which requests each kind of server gets (LXD 5.0: resources and each pool; with
// cluster_member_state: the member state, resources only for the CPU count), an offline member
// never asked, a failing member alone in error, nothing read while the header hides the meters,
// the period; warnings on start, on warning-* events, refused in read-only mode before any request.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseMemberState, parsePoolUse, parseResources, parseWarnings } from '../../../src/lxd/host.js';
import { LxdError } from '../../../src/lxd/errors.js';
import type { ClusterMember } from '../../../src/lxd/types.js';
import { createController } from '../../../src/store/controller.js';
import { meterPeriod, METERS_EVERY_MS } from '../../../src/store/host-meters.js';
import { createStore } from '../../../src/store/index.js';
import { WARNINGS_EVERY_MS } from '../../../src/store/warnings.js';
import { FakeApi } from './fake-api.js';

afterEach(() => vi.useRealTimers());

const meta = (daemon: 'lxd' | 'incus', name: string): unknown =>
  (JSON.parse(readFileSync(new URL(`../../fixtures/${daemon}/${name}`, import.meta.url), 'utf8')) as { metadata: unknown }).metadata;
const members = (meta('lxd', 'cluster-members.json') as ClusterMember[]);

class HostApi extends FakeApi {
  clustered = false;
  members = members;
  failTarget: string | null = null;
  failWith: 'http' | 'timeout' | 'network' = 'http';
  override extensions = ['resources', 'warnings'];
  override async server() {
    return { ...(await super.server()), clustered: this.clustered, serverName: this.clustered ? 'm1' : 'fake' };
  }
  override async listClusterMembers() {
    return this.clustered ? this.members : [];
  }
  async hostResources(target?: string) {
    this.calls.push(`hostResources ${target ?? ''}`.trim());
    if (target && target === this.failTarget) {
      if (this.failWith === 'http') throw new LxdError(`Failed to connect to ${target}`, { kind: 'http', status: 500 });
      throw new LxdError(this.failWith === 'timeout' ? 'timed out after 10000 ms' : 'connect ECONNREFUSED', { kind: this.failWith });
    }
    return parseResources(meta(this.extensions.includes('cluster_member_state') ? 'incus' : 'lxd', 'resources.json'));
  }
  stateFails = false;
  async memberState(name: string) {
    this.calls.push(`memberState ${name}`);
    if (this.stateFails) throw new LxdError('Cluster member not found', { kind: 'http', status: 404 });
    return parseMemberState(meta('incus', 'member-state.json'));
  }
  async storagePools() {
    this.calls.push('storagePools');
    return ['default'];
  }
  async poolUse(pool: string, target?: string) {
    this.calls.push(`poolUse ${pool} ${target ?? ''}`.trim());
    return parsePoolUse(pool, meta('lxd', 'pool-resources.json'));
  }
  async listWarnings() {
    this.calls.push('listWarnings');
    return parseWarnings(meta('lxd', 'warnings.json'));
  }
  async setWarningStatus(uuid: string, status: string) {
    this.calls.push(`setWarningStatus ${uuid} ${status}`);
  }
  async deleteWarning(uuid: string) {
    this.calls.push(`deleteWarning ${uuid}`);
  }
}

async function started(api: HostApi, opts: { readOnly?: boolean; shown?: boolean } = {}) {
  vi.useFakeTimers({ now: 1_000_000 });
  const store = createStore();
  const ctl = createController(api, store, { interval: 60_000, relistInterval: 600_000, readOnly: opts.readOnly });
  if (opts.shown !== false) ctl.setMetersShown?.(true);
  await ctl.start();
  await vi.advanceTimersByTimeAsync(50);
  return { store, ctl };
}

describe('host meters', () => {
  it('LXD 5.0 standalone: /1.0/resources and each pool, every 10 s', async () => {
    const api = new HostApi(['a', 'Stopped']);
    const { store, ctl } = await started(api);
    expect(store.getState().meters).toEqual([{ name: '', status: 'ok', detail: '', figures: { ...parseResources(meta('lxd', 'resources.json')), pools: [{ name: 'default', used: 33209753600, total: 270553174016 }] } }]);
    expect(api.calls.filter((c) => /hostResources|poolUse|storagePools|memberState/.test(c))).toEqual(['hostResources', 'storagePools', 'poolUse default']);
    await vi.advanceTimersByTimeAsync(METERS_EVERY_MS);
    expect(api.count('hostResources')).toBe(2);
    ctl.stop();
  });

  it('with cluster_member_state (Incus): the state of member none, the CPU count from /1.0/resources', async () => {
    const api = new HostApi();
    api.extensions = ['resources', 'cluster_member_state'];
    const { store, ctl } = await started(api);
    expect(api.calls.filter((c) => /hostResources|poolUse|memberState/.test(c))).toEqual(['hostResources', 'memberState none']);
    expect(store.getState().meters?.[0].figures).toMatchObject({ cpus: 2, memWithCache: true, load: [2.03, 1.48, 1.24], processes: 176 });
    ctl.stop();
  });

  it('a member state refused: the pools one by one, and on Incus no memory or load from its cached /1.0/resources', async () => {
    const api = new HostApi();
    api.extensions = ['resources', 'cluster_member_state'];
    api.stateFails = true;
    api.server = async () => ({ ...(await HostApi.prototype.server.call(api)), kind: 'incus' as const });
    const { store, ctl } = await started(api);
    expect(store.getState().meters?.[0]).toMatchObject({ status: 'ok', figures: { cpus: 2, memUsed: null, memTotal: null, load: null, pools: [{ name: 'default' }] } });
    ctl.stop();
  });

  it('a cluster: one meter per member; an Offline member is not asked and says offline', async () => {
    const api = new HostApi();
    api.clustered = true;
    api.members = members.map((m) => (m.server_name === 'm2' ? { ...m, status: 'Offline' } : m));
    const { store, ctl } = await started(api);
    expect(store.getState().meters?.map((m) => [m.name, m.status, m.detail])).toEqual([['m1', 'ok', ''], ['m2', 'offline', 'Offline']]);
    expect(api.calls.filter((c) => c.includes('m2'))).toEqual([]);
    expect(api.calls).toContain('hostResources m1');
    ctl.stop();
  });

  it('a member whose reads fail: its meter says why, the other is read', async () => {
    const api = new HostApi();
    api.clustered = true;
    api.failTarget = 'm2';
    const { store, ctl } = await started(api);
    const [m1, m2] = store.getState().meters ?? [];
    expect(m1).toMatchObject({ name: 'm1', status: 'ok' });
    expect(m1.figures?.memTotal).toBe(25769803776);
    expect(m2).toMatchObject({ name: 'm2', status: 'error', detail: 'Failed to connect to m2', figures: null });
    expect(store.getState().connection.rest).toBe('ok');
    ctl.stop();
  });

  it('a member that times out is that meter’s error; our daemon not answering is the connection’s (the banner)', async () => {
    const api = new HostApi();
    api.clustered = true;
    api.failTarget = 'm2';
    api.failWith = 'timeout';
    const { store, ctl } = await started(api);
    expect(store.getState().meters?.[1]).toMatchObject({ name: 'm2', status: 'error', detail: 'timed out after 10000 ms' });
    expect(store.getState().connection.rest).toBe('ok');
    api.failTarget = 'm1';
    api.failWith = 'network';
    await vi.advanceTimersByTimeAsync(METERS_EVERY_MS);
    expect(store.getState().connection.rest).toBe('down');
    expect(store.getState().meters?.[0]).toMatchObject({ name: 'm1', status: 'ok' });
    expect(store.getState().meters?.[0].figures?.memTotal).toBe(25769803776);
    ctl.stop();
  });

  it('nothing is read while the header does not show them; hidden again, the reads stop', async () => {
    const api = new HostApi();
    const { ctl } = await started(api, { shown: false });
    await vi.advanceTimersByTimeAsync(METERS_EVERY_MS * 3);
    expect(api.count('hostResources')).toBe(0);
    ctl.setMetersShown?.(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(api.count('hostResources')).toBe(1);
    ctl.setMetersShown?.(false);
    await vi.advanceTimersByTimeAsync(METERS_EVERY_MS * 3);
    expect(api.count('hostResources')).toBe(1);
    ctl.stop();
  });

  it('the period grows by 2 s a member past five (the member asked forwards the others’ reads)', () => {
    expect(meterPeriod(1)).toBe(10_000);
    expect(meterPeriod(5)).toBe(10_000);
    expect(meterPeriod(20)).toBe(40_000);
  });
});

describe('warnings', () => {
  it('listed on start, every minute, and at once on a warning-* lifecycle event', async () => {
    const api = new HostApi();
    const { store, ctl } = await started(api);
    expect(store.getState().warnings).toHaveLength(4);
    expect(api.count('listWarnings')).toBe(1);
    api.streams[0].emit({ type: 'lifecycle', timestamp: '', metadata: { action: 'warning-acknowledged', source: '/1.0/warnings/x' } } as never);
    await vi.advanceTimersByTimeAsync(10);
    expect(api.count('listWarnings')).toBe(2);
    await vi.advanceTimersByTimeAsync(WARNINGS_EVERY_MS);
    expect(api.count('listWarnings')).toBe(3);
    ctl.stop();
  });

  it('acknowledge and delete call the API then list again; read-only refuses both before any request', async () => {
    const api = new HostApi();
    const { ctl } = await started(api);
    expect(await ctl.setWarningStatus?.('u1', 'acknowledged')).toEqual({ ok: true });
    expect(await ctl.deleteWarning?.('u1')).toEqual({ ok: true });
    expect(api.calls.filter((c) => /^(set|delete)Warning/.test(c))).toEqual(['setWarningStatus u1 acknowledged', 'deleteWarning u1']);
    expect(api.count('listWarnings')).toBe(3);
    ctl.stop();

    const ro = new HostApi();
    const r = await started(ro, { readOnly: true });
    expect(await r.ctl.deleteWarning?.('u1')).toEqual({ ok: false, error: 'Read-only mode: delete warning refused' });
    expect(await r.ctl.setWarningStatus?.('u1', 'acknowledged')).toMatchObject({ ok: false });
    expect(ro.calls.filter((c) => /^(set|delete)Warning/.test(c))).toEqual([]);
    expect(r.store.getState().status?.text).toContain('Read-only mode');
    r.ctl.stop();
  });
});
