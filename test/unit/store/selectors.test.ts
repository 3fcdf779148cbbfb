import { describe, expect, it } from 'vitest';
import {
  imageLabel,
  selectBanner,
  selectImageRows,
  selectInstanceRows,
  selectOperationRows,
  selectSelectedKey,
  selectStatusCounts,
  selectTargetKeys,
} from '../../../src/store/selectors.js';
import type { Action, State } from '../../../src/store/state.js';
import { apply, image, inst, op, running, withInstances } from './helpers.js';

function fleet(): State {
  let s = withInstances(
    inst('web1', 'Running', { created_at: '2024-01-01T00:00:00Z', location: 'node1' }),
    inst('web2', 'Running', { created_at: '2024-03-01T00:00:00Z', location: 'node2' }),
    inst('db', 'Stopped', { created_at: '2024-02-01T00:00:00Z', location: 'node1' }),
    inst('cache', 'Frozen', { created_at: '2024-04-01T00:00:00Z', location: 'node2' }),
  );
  const sample = (name: string, at: number, cpu: number, mem: number, ip?: string): Action => ({
    type: 'instance/sample',
    key: `default/${name}`,
    state: running({ cpu, mem, ip, rx: cpu, tx: cpu / 2 }),
    at,
  });
  s = apply(s, sample('web1', 1000, 0, 500), sample('web2', 1000, 0, 100, '198.51.100.9'));
  s = apply(s, sample('web1', 2000, 2e8, 500), sample('web2', 2000, 9e8, 100, '198.51.100.9'));
  return s;
}

const names = (s: State) => selectInstanceRows(s).map((r) => r.instance.name);
const sortBy = (column: string, direction?: 'asc' | 'desc'): Action => ({ type: 'ui/sort', pane: 'instances', column, direction });

describe('instance rows', () => {
  it('sorted by name by default, with metrics', () => {
    const s = fleet();
    expect(names(s)).toEqual(['cache', 'db', 'web1', 'web2']);
    const web2 = selectInstanceRows(s).find((r) => r.instance.name === 'web2')!;
    expect(web2.metrics.cpuPercent).toBeCloseTo(90);
    expect(web2.metrics.ipv4).toBe('198.51.100.9');
  });

  it('sorts by every column; unknown figures last in both directions; stable', () => {
    const s = fleet();
    expect(names(apply(s, sortBy('cpu')))).toEqual(['web2', 'web1', 'cache', 'db']); // desc first
    expect(names(apply(s, sortBy('cpu'), sortBy('cpu')))).toEqual(['web1', 'web2', 'cache', 'db']);
    expect(names(apply(s, sortBy('memory')))).toEqual(['web1', 'web2', 'cache', 'db']);
    expect(names(apply(s, sortBy('status')))).toEqual(['cache', 'web1', 'web2', 'db']);
    expect(names(apply(s, sortBy('age')))).toEqual(['cache', 'web2', 'db', 'web1']); // youngest first
    expect(names(apply(s, sortBy('rx')))).toEqual(['web2', 'web1', 'cache', 'db']);
    expect(names(apply(s, sortBy('tx', 'asc')))).toEqual(['web1', 'web2', 'cache', 'db']);
    expect(names(apply(s, sortBy('processes')))).toEqual(['web1', 'web2', 'cache', 'db']);
    expect(names(apply(s, sortBy('bogus')))).toEqual(names(s));
  });

  it('filters by name, status, location, IP; case-insensitive', () => {
    const s = fleet();
    const f = (filter: string) => names(apply(s, { type: 'ui/filter', pane: 'instances', filter }));
    expect(f('WEB')).toEqual(['web1', 'web2']);
    expect(f('stopped')).toEqual(['db']);
    expect(f('node2')).toEqual(['cache', 'web2']);
    expect(f('198.51')).toEqual(['web2']);
    expect(f('')).toEqual(['cache', 'db', 'web1', 'web2']);
  });

  it('memoised: same inputs, same array', () => {
    const s = fleet();
    expect(selectInstanceRows(s)).toBe(selectInstanceRows(s));
    const t = apply(
      s,
      { type: 'status/set', text: 'x', level: 'info', at: 1 },
      { type: 'ui/select', pane: 'instances', key: 'default/db' },
      { type: 'ui/scroll', pane: 'instances', scroll: 1 },
    );
    expect(selectInstanceRows(t)).toBe(selectInstanceRows(s)); // cursor moves do not re-sort
  });

  it('counts by status over all instances', () => {
    const s = apply(fleet(), { type: 'ui/filter', pane: 'instances', filter: 'web' });
    expect(selectStatusCounts(s)).toEqual({ total: 4, Running: 2, Stopped: 1, Frozen: 1 });
  });

  it('selection by key, falls back to the first row; targets are marks else selection', () => {
    let s = fleet();
    expect(selectSelectedKey(s, 'instances')).toBe('default/cache');
    s = apply(s, { type: 'ui/select', pane: 'instances', key: 'default/web1' }, sortBy('cpu'));
    expect(selectSelectedKey(s, 'instances')).toBe('default/web1');
    expect(selectTargetKeys(s, 'instances')).toEqual(['default/web1']);
    s = apply(s, { type: 'ui/mark', pane: 'instances', key: 'default/db' }, { type: 'ui/mark', pane: 'instances', key: 'default/web2' });
    expect(selectTargetKeys(s, 'instances')).toEqual(['default/db', 'default/web2']);
    expect(selectInstanceRows(s).filter((r) => r.marked).map((r) => r.instance.name)).toEqual(['web2', 'db']);
  });
});

describe('image and operation rows', () => {
  it('images: alias, os, filter, sort by size', () => {
    let s = apply(withInstances(), {
      type: 'images/loaded',
      images: [image('aaa111', 'busybox', { size: 10 }), image('bbb222', null, { size: 99, properties: null, aliases: null })],
    });
    expect(selectImageRows(s).map((r) => [r.alias, r.os])).toEqual([['busybox', 'busybox 1.35'], ['', '']]);
    s = apply(s, { type: 'ui/sort', pane: 'images', column: 'size' });
    expect(selectImageRows(s).map((r) => r.key)).toEqual(['bbb222', 'aaa111']);
    s = apply(s, { type: 'ui/filter', pane: 'images', filter: 'BUSY' });
    expect(selectImageRows(s).map((r) => r.key)).toEqual(['aaa111']);
  });

  it('operations: newest first, instance names and progress', () => {
    const s = apply(
      withInstances(),
      { type: 'operation/upsert', operation: op('o1', 'Running', { created_at: '2024-01-01T00:00:00Z' }), at: 1 },
      {
        type: 'operation/upsert',
        operation: op('o2', 'Success', {
          created_at: '2024-01-02T00:00:00Z',
          resources: { instances: ['/1.0/instances/db?project=dev'] },
          metadata: { progress: { stage: 'unpack', percent: '40' } },
        }),
        at: 2,
      },
    );
    const rows = selectOperationRows(s);
    expect(rows.map((r) => r.key)).toEqual(['o2', 'o1']);
    expect(rows[0].instances).toEqual(['db']);
    expect(rows[0].progress).toEqual({ stage: 'unpack', percent: 40, speed: null, done: null });
    expect(rows[0].tracked.outcome).toBe('Success');
  });
});

describe('banner', () => {
  it('REST down wins, with the error verbatim; then events lost; else none', () => {
    let s = withInstances();
    expect(selectBanner(s)).toBeNull();
    s = apply(s, { type: 'events/status', status: 'disconnected', error: 'socket hang up', at: 1 });
    expect(selectBanner(s)).toContain('socket hang up');
    s = apply(s, { type: 'rest/down', error: 'connect ECONNREFUSED', at: 2, nextRetryAt: null });
    expect(selectBanner(s)).toContain('connect ECONNREFUSED');
  });
});

describe('imageLabel', () => {
  it('the first alias, else the short fingerprint (also for an image not in the store)', () => {
    const fp = 'a'.repeat(64);
    expect(imageLabel(image(fp, 'alpine/3.20'), fp)).toBe('alpine/3.20');
    expect(imageLabel(image(fp, null), fp)).toBe('aaaaaaaaaaaa');
    expect(imageLabel(undefined, fp)).toBe('aaaaaaaaaaaa');
  });
});
