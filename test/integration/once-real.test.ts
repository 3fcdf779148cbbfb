// `--once`'s snapshot counts from the storage pools' volume lists (src/app/snapshot-counts.ts) on the
// real daemons: LXD 5, Incus 6 and the two-member LXD cluster (instances on both members) give the
// same table as one snapshots request per instance, without any such request. Everything is made in
// a project of its own (`once-…`), removed in afterAll.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadOnce } from '../../src/app/once.js';
import type { LxdApi } from '../../src/lxd/api.js';
import { connect } from '../../src/lxd/connect.js';
import type { LxdClient } from '../../src/lxd/client.js';
import { plainInstancesTable } from '../../src/views/plain.js';
import { daemonSocket, describeOn, type DaemonName } from '../support/daemons.js';

const suffix = Math.random().toString(36).slice(2, 8);
const NOW = Date.now();

/** The instances: [name, member (cluster only), running, snapshots]. */
const PLAN: [string, 'm1' | 'm2', boolean, number][] = [
  ['once-a', 'm1', true, 2],
  ['once-b', 'm2', false, 1],
  ['once-c', 'm2', true, 0],
  ['once-d', 'm1', false, 0],
];

function suite(daemon: DaemonName, label: string): void {
  describeOn([daemon], `--once snapshot counts (${label})`, () => {
    const project = `once-${suffix}`;
    let client: LxdClient;
    const clustered = daemon === 'cluster';

    beforeAll(async () => {
      client = await connect({ socket: daemonSocket(daemon)!, project, http: 'node' });
      await client.request('POST', '/1.0/projects', {
        body: { name: project, config: { 'features.images': 'false', 'features.profiles': 'false' } },
      });
      // allSettled: afterAll must not run while a branch is still creating or starting.
      const made = await Promise.allSettled(
        PLAN.map(async ([name, member, running, snaps]) => {
          const op = await client.createInstance({ name, image: { alias: 'busybox' }, target: clustered ? member : undefined });
          expect((await client.waitOperation(op.id, 120)).status).toBe('Success');
          for (let i = 0; i < snaps; i++) {
            expect((await client.waitOperation((await client.createSnapshot(name, `s${i}`)).id, 60)).status).toBe('Success');
          }
          if (running) expect((await client.waitOperation((await client.changeState(name, 'start')).id, 60)).status).toBe('Success');
        }),
      );
      for (const r of made) if (r.status === 'rejected') throw r.reason;
    }, 240_000);

    afterAll(async () => {
      if (!client) return;
      const settle = async (op: Promise<{ id: string }>) => client.waitOperation((await op).id, 60).catch(() => undefined);
      for (const [name] of PLAN) {
        await settle(client.changeState(name, 'stop', { force: true })).catch(() => undefined);
        await settle(client.deleteInstance(name)).catch(() => undefined);
      }
      await client.request('DELETE', `/1.0/projects/${project}`).catch(() => undefined);
      await client.close();
    }, 240_000);

    it('the volume lists give every count, the same table as one request per instance, no snapshots request', async () => {
      const perInstance = vi.spyOn(client, 'listSnapshots');
      const table = plainInstancesTable((await loadOnce(client, {}, () => NOW)).getState(), NOW);
      expect(perInstance).not.toHaveBeenCalled();
      perInstance.mockRestore();

      const bare = {
        project,
        server: () => client.server(),
        listInstances: (o?: { allProjects?: boolean }) => client.listInstances(o),
        instanceState: (name: string, o?: { project?: string }) => client.instanceState(name, o),
        listSnapshots: (name: string, o?: { project?: string }) => client.listSnapshots(name, o),
      } as unknown as LxdApi;
      const reference = plainInstancesTable((await loadOnce(bare, {}, () => NOW)).getState(), NOW);
      // Memory and process counts move between the two reads (MEM is cell 4, PROCS cell 7): the rest must match.
      const stable = (t: string) => t.split('\n').map((l) => l.split(/\s+/).filter((_, i) => i !== 4 && i !== 7));
      expect(stable(table)).toEqual(stable(reference));

      const rows = table.split('\n');
      for (const [name, member, running, snaps] of PLAN) {
        const cells = rows.find((r) => r.startsWith(`${name} `))?.split(/\s+/) ?? [];
        expect(cells[1]).toBe(running ? 'Running' : 'Stopped');
        if (clustered) expect(cells).toContain(member);
        expect(cells.at(-2)).toBe(String(snaps));
      }
    }, 120_000);

    it('--all-projects: the counts of this project from one list per pool, all projects at once', async () => {
      const perInstance = vi.spyOn(client, 'listSnapshots');
      const rows = plainInstancesTable((await loadOnce(client, { allProjects: true }, () => NOW)).getState(), NOW).split('\n');
      const mine = rows.filter((r) => r.startsWith(`${project} `)).map((r) => r.split(/\s+/));
      expect(mine.map((c) => [c[1], c.at(-2)])).toEqual(PLAN.map(([name, , , snaps]) => [name, String(snaps)]));
      expect(perInstance.mock.calls.filter(([, o]) => o?.project === project)).toEqual([]);
      perInstance.mockRestore();
    }, 120_000);
  });
}

suite('lxd', 'LXD');
suite('incus', 'Incus');
suite('cluster', 'LXD cluster');
