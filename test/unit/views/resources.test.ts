// The resources views' pure parts against answers recorded from the sandbox LXD and Incus
// (test/fixtures/*/profiles.json, networks.json, storage-pools.json, volumes.json, pool-resources.json):
// rows, cells and lines, the events that reload a list, the selection kept in range, the names and
// knob values checked before anything is sent, and what each row edits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePoolUse } from '../../../src/lxd/host.js';
import { editTarget, resourceRow, type ResourceRow } from '../../../src/lxd/resources.js';
import type { LxdEvent } from '../../../src/lxd/types.js';
import { kindsOfEvent } from '../../../src/store/resources.js';
import { clampSelection, resourceCells, resourceDetailLines, resourceLines, resourcesTitle } from '../../../src/views/resources.js';
import { validateKnob } from '../../../src/app/knobs-flow.js';
import { parseNewResource, validateResourceName } from '../../../src/app/resources-flow.js';

const recorded = (daemon: string, file: string): unknown => (JSON.parse(readFileSync(new URL(`../../fixtures/${daemon}/${file}.json`, import.meta.url), 'utf8')) as { metadata: unknown }).metadata;
const rows = (daemon: string, file: string): ResourceRow[] => (recorded(daemon, file) as unknown[]).map(resourceRow).filter((r): r is ResourceRow => r !== null);

describe.each(['lxd', 'incus'])('rows from %s', (daemon) => {
  it('profiles: the default profile, its users counted', () => {
    const [p] = rows(daemon, 'profiles');
    expect(p.name).toBe('default');
    expect(p.description).toMatch(/^Default (LXD|Incus) profile$/);
    expect(p.usedBy).toBeGreaterThan(0);
  });

  it('networks: type, managed, and the status only where the daemon gives one', () => {
    const eth0 = rows(daemon, 'networks').find((n) => n.name === 'eth0')!;
    expect(eth0).toMatchObject({ type: 'physical', managed: false });
    expect(resourceCells(eth0)).toMatchObject({ type: 'physical', managed: 'no', status: '-' });
  });

  it('pools: driver and status; the use from /resources as used, total and percent', () => {
    const [pool] = rows(daemon, 'storage-pools');
    expect(pool).toMatchObject({ name: 'default', driver: 'dir', status: 'Created' });
    pool.space = parsePoolUse('default', recorded('lxd', 'pool-resources'));
    const { header, lines } = resourceLines('pools', [pool], 120);
    expect(header).toMatch(/^NAME\s+DRIVER\s+STATUS\s+USED\s+TOTAL\s+USE%\s+USED BY/);
    expect(lines[0]).toMatch(/^default\s+dir\s+Created\s+30\.9GiB\s+252GiB\s+12\.3%\s+\d+/);
  });

  it('volumes: type, name, content type, users; only a custom volume is edited or deleted here', () => {
    const vols = rows(daemon, 'volumes');
    const custom = vols.find((v) => v.type === 'custom')!;
    const container = vols.find((v) => v.type === 'container')!;
    expect(custom).toMatchObject({ name: 'fx-vol', contentType: 'filesystem', usedBy: 0 });
    expect(container.usedBy).toBe(1);
    const { header, lines } = resourceLines('volumes', vols, 100);
    expect(header).toMatch(/^TYPE\s+NAME\s+CONTENT\s+USED BY/);
    expect(header).not.toMatch(/MEMBER/); // a standalone server: location "none"
    expect(lines).toContainEqual(expect.stringMatching(/^custom\s+fx-vol\s+filesystem\s+0/));
    expect(editTarget('volumes', custom, 'default')).toEqual({ kind: 'storage-volume', name: 'fx-vol', pool: 'default' });
    expect(editTarget('volumes', container, 'default')).toBeNull();
  });
});

it('a list entry that is not an object with a name is no row', () => {
  expect([null, 'x', {}, { name: '' }, { name: 3 }].map(resourceRow)).toEqual([null, null, null, null, null]);
});

it('what each kind edits and deletes', () => {
  const row = { name: 'n', type: '' };
  expect(editTarget('profiles', row)).toEqual({ kind: 'profile', name: 'n' });
  expect(editTarget('networks', row)).toEqual({ kind: 'network', name: 'n' });
  expect(editTarget('pools', row)).toEqual({ kind: 'storage-pool', name: 'n' });
  // A cluster's local-pool volume is asked on its member; `none` is a standalone server.
  expect(editTarget('volumes', { name: 'v', type: 'custom', location: 'm2' }, 'p')).toEqual({ kind: 'storage-volume', name: 'v', pool: 'p', target: 'm2' });
  expect(editTarget('volumes', { name: 'v', type: 'custom', location: 'none' }, 'p')).toEqual({ kind: 'storage-volume', name: 'v', pool: 'p' });
});

it('the lifecycle events that reload a list; others reload none', () => {
  const life = (action: string): LxdEvent => ({ type: 'lifecycle', timestamp: '', metadata: { action, source: '' } }) as unknown as LxdEvent;
  expect(kindsOfEvent(life('profile-created'))).toEqual(['profiles']);
  expect(kindsOfEvent(life('network-deleted'))).toEqual(['networks']);
  expect(kindsOfEvent(life('storage-pool-updated'))).toEqual(['pools']);
  expect(kindsOfEvent(life('storage-volume-created'))).toEqual(['volumes', 'pools']);
  expect(kindsOfEvent(life('instance-updated'))).toEqual(['profiles']);
  expect(kindsOfEvent(life('instance-started'))).toEqual([]);
  expect(kindsOfEvent({ type: 'operation', timestamp: '', metadata: { action: 'profile-created' } } as unknown as LxdEvent)).toEqual([]);
  expect(kindsOfEvent({ type: 'lifecycle', timestamp: '', metadata: null } as unknown as LxdEvent)).toEqual([]);
});

it('the selection stays in range after a reload and in the window', () => {
  expect(clampSelection(5, 0, 3, 10)).toEqual({ selected: 2, scroll: 0 });
  expect(clampSelection(0, 0, 0, 10)).toEqual({ selected: 0, scroll: 0 });
  expect(clampSelection(12, 0, 20, 5)).toEqual({ selected: 12, scroll: 8 });
  expect(clampSelection(2, 8, 20, 5)).toEqual({ selected: 2, scroll: 2 });
});

it('the title says what, how many and how the read went; the detail is YAML', () => {
  const d = { kind: 'resources', what: 'volumes', pool: 'p1', loading: false, error: null, items: [], selected: 0, scroll: 0 } as const;
  expect(resourcesTitle(d)).toBe('Volumes of pool p1: 0');
  expect(resourcesTitle({ ...d, what: 'profiles', loading: true })).toBe('Profiles: 0  reading…');
  expect(resourcesTitle({ ...d, what: 'networks', error: 'not authorized' })).toBe('Networks: 0  error: not authorized');
  expect(resourceDetailLines({ name: 'x', config: {}, used_by: ['/1.0/instances/a'] })).toEqual(['name: x', 'config: {}', 'used_by:', '  - /1.0/instances/a']);
});

it('names and knob values are checked before anything is sent', () => {
  expect(validateResourceName('')).toBe('A name is needed');
  expect(validateResourceName('a/b')).toMatch(/"\/"/);
  expect(validateResourceName('a b')).toBe('"b" is not key=value');
  expect(validateResourceName('web-2')).toBeNull();
  expect(parseNewResource('  br1 ipv4.address=none  ipv6.address=  ')).toEqual({ name: 'br1', config: { 'ipv4.address': 'none', 'ipv6.address': '' } });
  expect(parseNewResource('v1 =x')).toEqual({ error: '"=x" is not key=value' });
  for (const ok of ['', '2', '0-1,3', '4-7']) expect(validateKnob('limits.cpu', ok), ok).toBeNull();
  for (const bad of ['two', '1,', '-1']) expect(validateKnob('limits.cpu', bad), bad).not.toBeNull();
  for (const ok of ['', '512MiB', '2GiB', '1GB', '50%', '1073741824']) expect(validateKnob('limits.memory', ok), ok).toBeNull();
  for (const bad of ['lots', '2 parsecs', '%']) expect(validateKnob('limits.memory', bad), bad).not.toBeNull();
});
