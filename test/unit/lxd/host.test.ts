// The host meters' and warnings' parsers, fed with what the sandbox daemons answered
// (test/fixtures/record-host.sh): LXD 5.0 and Incus 6 `/1.0/resources`, Incus's member state,
// a pool's resources, `/1.0/warnings?recursion=1`; and odd answers, which give nulls, never guesses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMemberState, parsePoolUse, parseResources, parseWarnings } from '../../../src/lxd/host.js';

function meta(daemon: 'lxd' | 'incus', name: string): unknown {
  return (JSON.parse(readFileSync(new URL(`../../fixtures/${daemon}/${name}`, import.meta.url), 'utf8')) as { metadata: unknown }).metadata;
}

describe('/1.0/resources', () => {
  it('LXD 5.0: CPUs and memory, no load (no resources_load)', () => {
    expect(parseResources(meta('lxd', 'resources.json'))).toEqual({
      cpus: 2,
      memUsed: 1779535872,
      memTotal: 25769803776,
      memWithCache: false,
      load: null,
      processes: null,
      pools: [],
    });
  });

  it('Incus 6: the load too (resources_load)', () => {
    const f = parseResources(meta('incus', 'resources.json'));
    expect(f).toMatchObject({ cpus: 2, memUsed: 1824944128, memTotal: 25769803776, load: [0.89, 0.98, 1.06], processes: 102 });
  });

  it('an LXD cluster member through ?target= answers the same shape', () => {
    expect(parseResources(meta('lxd', 'cluster-resources-m2.json'))).toMatchObject({ cpus: 2, load: null });
  });

  it('odd answers: nulls, never a made-up figure', () => {
    expect(parseResources(null)).toEqual({ cpus: null, memUsed: null, memTotal: null, memWithCache: false, load: null, processes: null, pools: [] });
    expect(parseResources({ memory: { used: 10, total: 5 } })).toMatchObject({ memUsed: null, memTotal: null });
    expect(parseResources({ memory: { used: -1, total: 5 } })).toMatchObject({ memUsed: null });
    expect(parseResources({ memory: { used: 1, total: 0 } })).toMatchObject({ memTotal: null });
    expect(parseResources({ load: { Average1Min: 1, Average5Min: 'x', Average10Min: 1 } })).toMatchObject({ load: null });
  });
});

describe('member state and pools', () => {
  it('Incus member state: load, processes, memory with the cache, pools', () => {
    const f = parseMemberState(meta('incus', 'member-state.json'));
    expect(f).toEqual({
      cpus: null,
      memUsed: 25276157952 - 23102218240 - 34119680,
      memTotal: 25276157952,
      memWithCache: true,
      load: [2.03, 1.48, 1.24],
      processes: 176,
      pools: [{ name: 'default', used: 33209778176, total: 270553174016 }],
    });
  });

  it('a pool’s resources', () => {
    expect(parsePoolUse('default', meta('lxd', 'pool-resources.json'))).toEqual({ name: 'default', used: 33209753600, total: 270553174016 });
    expect(parsePoolUse('x', { space: { used: 1 } })).toBeNull();
    expect(parsePoolUse('x', null)).toBeNull();
  });

  it('a member state without sysinfo has nothing to show', () => {
    expect(parseMemberState({})).toMatchObject({ memUsed: null, load: null, processes: null, pools: [] });
    expect(parseMemberState({ sysinfo: { load_averages: [1, 2] } })).toMatchObject({ load: null });
  });
});

describe('/1.0/warnings', () => {
  it('LXD: the startup warnings of a server without AppArmor, KVM or some cgroup controllers', () => {
    const w = parseWarnings(meta('lxd', 'warnings.json'));
    expect(w).toHaveLength(4);
    expect(w.map((x) => x.type)).toContain('AppArmor support has been disabled');
    const kvm = w.find((x) => x.type === 'Instance type not operational')!;
    expect(kvm).toMatchObject({ status: 'new', severity: 'low', message: 'KVM support is missing (no /dev/kvm)', location: '', project: '' });
    expect(kvm.count).toBeGreaterThan(0);
    expect(kvm.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Incus: the same shape', () => {
    expect(parseWarnings(meta('incus', 'warnings.json')).map((x) => x.status)).toEqual(['new', 'new', 'new']);
  });

  it('entries without a uuid cannot be acted on: dropped', () => {
    expect(parseWarnings([{ type: 'x' }, null, { uuid: 'u1', location: 'm2' }])).toEqual([
      { uuid: 'u1', status: 'new', severity: '', type: '', message: '', count: 0, firstSeen: '', lastSeen: '', location: 'm2', project: '', entity: '' },
    ]);
    expect(parseWarnings(null)).toEqual([]);
  });
});
