import { describe, expect, it, vi } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { ClusterMember, ServerInfo } from '../../../src/lxd/types.js';
import { createMembers } from '../../../src/store/members.js';
import { createStore } from '../../../src/store/store.js';
import { lifecycle } from './helpers.js';

const server = (clustered: boolean) => ({ kind: 'lxd', clustered }) as ServerInfo;
const member = (name: string) => ({ server_name: name, status: 'Online' }) as ClusterMember;

function setup(clustered: boolean, list: () => Promise<ClusterMember[]> = async () => [member('m1'), member('m2')]) {
  const store = createStore();
  store.dispatch({ type: 'server/loaded', server: server(clustered) });
  const listClusterMembers = vi.fn(list);
  const report = vi.fn();
  let stopped = false;
  const members = createMembers({
    api: { listClusterMembers } as unknown as LxdApi,
    store,
    dispatch: (a) => store.dispatch(a),
    stopped: () => stopped,
    report,
  });
  return { store, members, listClusterMembers, report, stop: () => void (stopped = true) };
}

describe('cluster members', () => {
  it('a standalone server is never asked', async () => {
    const { store, members, listClusterMembers } = setup(false);
    await members.refresh();
    members.onEvent(lifecycle('cluster-member-added', '/1.0/cluster/members/m3'));
    expect(listClusterMembers).not.toHaveBeenCalled();
    expect(store.getState().members).toBeNull();
  });

  it('a cluster: listed into the store; calls while one is in flight share it', async () => {
    const { store, members, listClusterMembers } = setup(true);
    await Promise.all([members.refresh(), members.refresh()]);
    expect(listClusterMembers).toHaveBeenCalledTimes(1);
    expect(store.getState().members?.map((m) => m.server_name)).toEqual(['m1', 'm2']);
    await members.refresh();
    expect(listClusterMembers).toHaveBeenCalledTimes(2);
  });

  it('cluster-member-* events refresh at once; other events do not', async () => {
    const { members, listClusterMembers } = setup(true);
    members.onEvent(lifecycle('instance-started', '/1.0/instances/a'));
    expect(listClusterMembers).not.toHaveBeenCalled();
    for (const action of ['cluster-member-added', 'cluster-member-removed', 'cluster-member-updated', 'cluster-member-renamed']) {
      members.onEvent(lifecycle(action, '/1.0/cluster/members/m3'));
      await Promise.resolve();
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(listClusterMembers).toHaveBeenCalledTimes(4);
  });

  it('an error is reported as "cluster members"; an answer after stop is dropped', async () => {
    const err = new Error('not authorized');
    const failing = setup(true, async () => {
      throw err;
    });
    await failing.members.refresh();
    expect(failing.report).toHaveBeenCalledWith(err, 'cluster members');

    let answer!: (m: ClusterMember[]) => void;
    const late = setup(true, () => new Promise((r) => (answer = r)));
    const p = late.members.refresh();
    late.stop();
    answer([member('m1')]);
    await p;
    expect(late.store.getState().members).toBeNull();
  });
});
