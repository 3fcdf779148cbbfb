// The host meters' and warnings' client calls against the real sandbox daemons: what LXD 5.0,
// Incus 6 and the two-member LXD cluster answer, each call gated on its extension. Warnings are the
// daemons' own (raised at their start: no AppArmor, no KVM…): a test acknowledges one and sets it
// back to new, so the daemon is left as it was; deleting is tested on a private daemon (the e2e
// warnings test), never on the shared ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { LxdError } from '../../src/lxd/errors.js';
import { Transport } from '../../src/lxd/transport.js';
import { type DaemonName, daemonSocket, describeOn } from '../support/daemons.js';

function client(name: DaemonName): LxdClient {
  return new LxdClient(new Transport({ kind: 'unix', socket: daemonSocket(name)! }));
}

/** Acknowledges one of the daemon's new warnings, sees it so, and sets it back to new. */
async function ackRoundTrip(c: LxdClient): Promise<void> {
  const before = await c.listWarnings();
  const w = before.find((x) => x.status === 'new');
  expect(w, 'the daemon has a new warning (its startup ones)').toBeDefined();
  try {
    await c.setWarningStatus(w!.uuid, 'acknowledged');
    expect((await c.listWarnings()).find((x) => x.uuid === w!.uuid)?.status).toBe('acknowledged');
  } finally {
    await c.setWarningStatus(w!.uuid, 'new');
  }
  expect((await c.listWarnings()).find((x) => x.uuid === w!.uuid)?.status).toBe('new');
}

describeOn(['lxd'], 'host meters and warnings: LXD 5.0', () => {
  let c: LxdClient;
  beforeAll(() => {
    c = client('lxd');
  });
  afterAll(() => c.close());

  it('/1.0/resources: CPUs and memory, no load (no resources_load)', async () => {
    const f = await c.hostResources();
    expect(f.cpus).toBeGreaterThan(0);
    expect(f.memTotal).toBeGreaterThan(0);
    expect(f.memUsed).toBeGreaterThan(0);
    expect(f.memUsed!).toBeLessThanOrEqual(f.memTotal!);
    expect(f.memWithCache).toBe(false);
    expect(f.load).toBeNull();
  });

  it('no cluster_member_state: refused locally, nothing sent', async () => {
    const err = await c.memberState('none').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdError);
    expect((err as LxdError).local).toBe(true);
    expect((err as Error).message).toContain('cluster_member_state');
  });

  it('the default pool’s use', async () => {
    expect(await c.storagePools()).toContain('default');
    const p = await c.poolUse('default');
    expect(p?.total).toBeGreaterThan(0);
    expect(p!.used).toBeLessThanOrEqual(p!.total);
  });

  it('warnings: listed; one acknowledged, then new again', async () => {
    const all = await c.listWarnings();
    expect(all.length).toBeGreaterThan(0);
    for (const w of all) expect(w.uuid).toMatch(/^[0-9a-f-]{36}$/);
    await ackRoundTrip(c);
  });

  it('deleting a warning that does not exist: the server’s error', async () => {
    await expect(c.deleteWarning('00000000-0000-0000-0000-000000000000')).rejects.toThrow(/not found/i);
  });
});

describeOn(['incus'], 'host meters and warnings: Incus 6', () => {
  let c: LxdClient;
  beforeAll(() => {
    c = client('incus');
  });
  afterAll(() => c.close());

  it('member state of the standalone server (member none): load, processes, memory with the cache, pools', async () => {
    const f = await c.memberState('none');
    expect(f.load?.length).toBe(3);
    expect(f.processes).toBeGreaterThan(0);
    expect(f.memWithCache).toBe(true);
    expect(f.memUsed!).toBeLessThanOrEqual(f.memTotal!);
    expect(f.pools.map((p) => p.name)).toContain('default');
  });

  it('/1.0/resources has a CPU count and a load (resources_load)', async () => {
    const f = await c.hostResources();
    expect(f.cpus).toBeGreaterThan(0);
    expect(f.load?.length).toBe(3);
  });

  it('warnings: listed; one acknowledged, then new again; a missing one’s delete is refused', async () => {
    await ackRoundTrip(c);
    await expect(c.deleteWarning('00000000-0000-0000-0000-000000000000')).rejects.toThrow(/not found/i);
  });
});

describeOn(['cluster'], 'host meters and warnings: the two-member LXD cluster', () => {
  let c: LxdClient;
  beforeAll(() => {
    c = client('cluster');
  });
  afterAll(() => c.close());

  it('each member’s resources and pool through the one we talk to', async () => {
    for (const m of await c.listClusterMembers()) {
      const f = await c.hostResources(m.server_name);
      expect(f.cpus, m.server_name).toBeGreaterThan(0);
      expect(f.memTotal, m.server_name).toBeGreaterThan(0);
      const p = await c.poolUse('default', m.server_name);
      expect(p?.total, m.server_name).toBeGreaterThan(0);
    }
  });

  it('LXD 5.0 has no member state: refused locally (the daemon would answer 501)', async () => {
    await expect(c.memberState('m1')).rejects.toMatchObject({ local: true });
  });

  it('warnings carry the member they are about', async () => {
    // Each member raises its own at start-up (no AppArmor, no KVM…); which members have some by
    // the time this runs on a fresh cluster varies, so: every one names a member, and there are some.
    const members = (await c.listClusterMembers()).map((m) => m.server_name);
    const warnings = await c.listWarnings();
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) expect(members, JSON.stringify(w)).toContain(w.location);
  });
});
