// Presentation functions against JSON recorded from the real daemons (test/fixtures/<daemon>/).
import { describe, expect, it } from 'vitest';
import { selectImageRows, selectInstanceRows, selectOperationRows } from '../../../src/store/index.js';
import { imageCells, instanceCells, instanceColumns, operationCells } from '../../../src/views/cells.js';
import { plainInstancesTable } from '../../../src/views/plain.js';
import { loadFixtures, makeInstance, storeFromFixtures, storeWith, NOW, makeState } from './helpers.js';

for (const daemon of ['lxd', 'incus'] as const) {
  const f = loadFixtures(daemon);
  // The fixtures are committed: a missing one fails these tests, it does not skip them.
  describe(`cells from recorded ${daemon} JSON`, () => {
    it('instance rows: name, status, type, metrics only while running', () => {
      const state = storeFromFixtures(f!).getState();
      const rows = selectInstanceRows(state);
      expect(rows.length).toBe(f!.instances.length);
      for (const row of rows) {
        const cells = instanceCells(row, NOW);
        expect(cells.name).toBe(row.instance.name);
        expect(cells.status).toBe(row.instance.status);
        expect(['CT', 'VM']).toContain(cells.type);
        if (row.instance.status === 'Stopped') {
          expect(cells.cpu).toBe('-');
          expect(cells.memory).toBe('-');
          expect(cells.processes).toBe('-');
        }
        expect(cells.age).toMatch(/^(\d+[smhdy]|-)$/);
      }
    });

    it('the running instance shows CPU % from its two recorded samples, memory and processes', () => {
      if (!f!.runningName || f!.samples.length < 2) return;
      const state = storeFromFixtures(f!).getState();
      const row = selectInstanceRows(state).find((r) => r.instance.name === f!.runningName)!;
      const cells = instanceCells(row, NOW);
      const [a, b] = f!.samples;
      const expected = ((b.state.cpu!.usage - a.state.cpu!.usage) / 1e6 / (b.at - a.at)) * 100;
      expect(cells.cpu).toMatch(/%$/);
      expect(Number.parseFloat(cells.cpu)).toBeCloseTo(expected, 0);
      expect(cells.memory).toMatch(/(B|KiB|MiB|GiB)$/);
      expect(cells.processes).toBe(String(b.state.processes));
      // No NIC in the sandbox: only `lo`, which does not count.
      expect(cells.ipv4).toBe('-');
    });

    it('image rows: alias, short fingerprint, os and release, size, upload date', () => {
      const state = storeFromFixtures(f!).getState();
      for (const row of selectImageRows(state)) {
        const cells = imageCells(row);
        expect(cells.fingerprint).toBe(row.image.fingerprint.slice(0, 12));
        const alias = row.image.aliases?.[0]?.name;
        if (alias) expect(cells.alias.startsWith(alias)).toBe(true);
        else expect(cells.alias).toBe('-');
        const p = row.image.properties ?? {};
        if (p.os) expect(cells.os).toContain(p.os);
        if (p.release) expect(cells.os).toContain(p.release);
        expect(cells.size).toMatch(/(B|KiB|MiB|GiB)$/);
        expect(cells.uploaded).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      }
    });

    it('operation rows: description, status, instance names from resource URLs, error text verbatim', () => {
      const state = storeFromFixtures(f!).getState();
      const rows = selectOperationRows(state);
      expect(rows.length).toBe(f!.operations.length);
      for (const row of rows) {
        const op = row.tracked.operation;
        const cells = operationCells(row, NOW);
        expect(cells.description).toBe(op.description);
        expect(cells.status).toBe(op.status);
        expect(cells.error).toBe(op.err);
        for (const url of op.resources?.instances ?? []) expect(cells.resources).toContain(url.split('/')[3]);
        expect(cells.resources).not.toContain('/1.0/');
      }
    });

    it('prints the plain --once table with a header and one line per instance', () => {
      const text = plainInstancesTable(storeFromFixtures(f!).getState(), NOW);
      const lines = text.split('\n');
      expect(lines[0]).toMatch(/^NAME\s+STATUS\s+TYPE\s+CPU%\s+MEM\s+RX\s+TX\s+PROCS\s+IPV4\s+SNAPS\s+AGE$/);
      expect(lines.length).toBe(f!.instances.length + 1);
      for (const i of f!.instances) expect(text).toMatch(new RegExp(`^${i.name}\\s+${i.status}\\s`, 'm'));
      expect(text).not.toMatch(/ $/m);
    });
  });
}

describe('cells without fixtures', () => {
  it('shows VM type, location on clusters, snapshot counts and an IPv4 address', () => {
    const store = storeWith({
      instances: [makeInstance('vm1', { status: 'Running', type: 'virtual-machine', location: 'node2', snapshots: [] })],
      samples: { vm1: [makeState(0, 1024), makeState(2e9, 4096)] },
    });
    const row = selectInstanceRows(store.getState())[0];
    const cells = instanceCells(row, NOW, 3);
    expect(cells.type).toBe('VM');
    expect(cells.location).toBe('node2');
    expect(cells.snapshots).toBe('3');
    expect(cells.ipv4).toBe('10.1.2.3');
    expect(cells.cpu).toBe('40.0%');
    expect(instanceColumns(false).map((c) => c.id)).not.toContain('location');
    expect(instanceColumns(true).map((c) => c.id)).toContain('location');
  });

  it('plain table keeps whole long names', () => {
    const long = 'a'.repeat(60);
    const store = storeWith({ instances: [makeInstance(long)] });
    expect(plainInstancesTable(store.getState(), NOW)).toContain(long);
  });
});

describe('operation resources', () => {
  it('names instances and snapshots, images by short fingerprint', async () => {
    const { operationResources } = await import('../../../src/views/cells.js');
    expect(
      operationResources({
        resources: {
          instances: ['/1.0/instances/web', '/1.0/instances/web/snapshots/s1?project=p', '/1.0/instances/db/s2'],
          images: ['/1.0/images/0123456789abcdef0123'],
        },
      }),
    ).toEqual(['web', 'web/s1', 'db/s2', 'image 0123456789ab']);
    expect(operationResources({ resources: { containers: ['/1.0/containers/old'] } })).toEqual(['old']);
    expect(operationResources({ resources: null })).toEqual([]);
  });
});
