// Reducers and selectors fed with JSON recorded from the real daemons (test/fixtures/record.sh).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Image, Instance, InstanceState, LxdEvent, Operation } from '../../../src/lxd/types.js';
import { eventFollowUps } from '../../../src/store/events.js';
import { EMPTY_METRICS } from '../../../src/store/metrics.js';
import { reduce } from '../../../src/store/reducers.js';
import { OPERATION_KEEP_MS } from '../../../src/store/slices/operations.js';
import {
  selectImageRows,
  selectInstanceMetrics,
  selectInstanceRows,
  selectOperationRows,
  selectStatusCounts,
} from '../../../src/store/selectors.js';
import { createInitialState, type State } from '../../../src/store/state.js';
import { apply } from './helpers.js';

const root = new URL('../../fixtures/', import.meta.url).pathname;
const daemons = ['lxd', 'incus'].filter((d) => existsSync(`${root}${d}/events.json`));

function fixture<T>(daemon: string, name: string): T {
  return JSON.parse(readFileSync(`${root}${daemon}/${name}`, 'utf8')) as T;
}
const metadata = <T>(daemon: string, name: string) => fixture<{ metadata: T }>(daemon, name).metadata;

it('has recorded fixtures for at least LXD', () => {
  expect(daemons).toContain('lxd');
});

describe.each(daemons)('%s fixtures', (daemon) => {
  const instances = metadata<Instance[]>(daemon, 'instances.json');
  const loaded = () => apply(createInitialState(), { type: 'instances/loaded', instances, project: null, at: 1 });

  it('instances list → rows keyed by project/name, counts by status', () => {
    const s = loaded();
    expect(Object.keys(s.instances).sort()).toEqual(['default/fx-stopped', 'default/fx-web']);
    expect(selectInstanceRows(s).map((r) => [r.instance.name, r.instance.status])).toEqual([
      ['fx-stopped', 'Stopped'],
      ['fx-web', 'Running'],
    ]);
    expect(selectStatusCounts(s)).toEqual({ total: 2, Running: 1, Stopped: 1 });
    const filtered = apply(s, { type: 'ui/filter', pane: 'instances', filter: 'RUNNING' });
    expect(selectInstanceRows(filtered).map((r) => r.instance.name)).toEqual(['fx-web']);
  });

  it('recursion=2 list: snapshot counts from arrays; null snapshots stay unknown', () => {
    const r2 = metadata<Instance[]>(daemon, 'instances-recursion2.json');
    const s = apply(createInitialState(), { type: 'instances/loaded', instances: r2, project: null, at: 1 });
    expect(s.snapshotCounts['default/fx-stopped']).toBe(1);
    expect(r2.find((i) => i.name === 'fx-web')?.snapshots ?? null).toBeNull();
    expect(s.snapshotCounts['default/fx-web']).toBeUndefined();
  });

  it('two real state samples → CPU %, memory, processes; only lo → no rates, no IP', () => {
    const { samples } = fixture<{ samples: { at: number; response: { metadata: InstanceState } }[] }>(daemon, 'state-running.json');
    const s = apply(
      loaded(),
      ...samples.map((x) => ({ type: 'instance/sample' as const, key: 'default/fx-web', state: x.response.metadata, at: x.at })),
    );
    const [a, b] = samples;
    const expected = ((b.response.metadata.cpu!.usage - a.response.metadata.cpu!.usage) / ((b.at - a.at) * 1e6)) * 100;
    const m = selectInstanceMetrics(s, 'default/fx-web');
    expect(m.cpuPercent).toBeCloseTo(expected, 6);
    expect(m.cpuPercent!).toBeGreaterThan(20); // a busy loop ran during the recording
    expect(m.memoryBytes).toBe(b.response.metadata.memory!.usage);
    expect(m.processes).toBe(b.response.metadata.processes);
    expect(m.rxBytesPerSec).toBeNull();
    expect(m.ipv4).toBeNull();
  });

  it('a stopped instance’s state (network null, zeros) → empty metrics, never throws', () => {
    const stopped = metadata<InstanceState>(daemon, 'state-stopped.json');
    expect(stopped.network).toBeNull();
    const s = apply(loaded(), { type: 'instance/sample', key: 'default/fx-web', state: stopped, at: 5 });
    expect(s.instances['default/fx-web'].status).toBe('Stopped');
    expect(selectInstanceMetrics(s, 'default/fx-web')).toBe(EMPTY_METRICS);
  });

  it('images list → rows with alias and os', () => {
    const images = metadata<Image[]>(daemon, 'images.json');
    const s = apply(createInitialState(), { type: 'images/loaded', images });
    const row = selectImageRows(s).find((r) => r.alias === 'lxtop-fx-busybox');
    expect(row?.os).toBe('busybox 1.35.0');
    expect(row?.image.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('operations map (running/success/failure) → rows with instance names', () => {
    const byStatus = metadata<Record<string, Operation[]>>(daemon, 'operations.json');
    const ops = Object.values(byStatus).flat();
    const s = apply(createInitialState(), { type: 'operations/loaded', operations: ops, at: 1 });
    const stopping = selectOperationRows(s).find((r) => r.tracked.operation.description === 'Stopping instance');
    expect(stopping?.instances).toEqual(['fx-web']);
    expect(stopping?.tracked.finishedAt).toBeNull();
  });

  describe('replaying the recorded event stream', () => {
    const events = fixture<LxdEvent[]>(daemon, 'events.json');
    const template = instances.find((i) => i.name === 'fx-stopped')!;

    /** Reduce every frame; emulate the controller's follow-up fetches; snapshot the state after each lifecycle frame. */
    function replay(): { final: State; after: { action: string; name: string; state: State }[]; fetched: string[] } {
      let s = createInitialState();
      const after: { action: string; name: string; state: State }[] = [];
      const fetched: string[] = [];
      events.forEach((e, i) => {
        const follow = eventFollowUps(s, e);
        s = reduce(s, { type: 'event', event: e, at: 1000 + i });
        for (const key of follow.fetchInstances) {
          fetched.push(key);
          const name = key.split('/')[1];
          s = reduce(s, { type: 'instance/upsert', instance: { ...template, name, status: 'Stopped', status_code: 102 } });
        }
        if (e.type === 'lifecycle') {
          after.push({ action: e.metadata.action, name: e.metadata.source.split('/').pop()!, state: s });
        }
      });
      return { final: s, after, fetched };
    }

    it('never throws, and ends with nothing of ours left', () => {
      const { final } = replay();
      expect(Object.keys(final.instances).filter((k) => k.includes('/fx-'))).toEqual([]);
      expect(final.connection.lastEventAt).toBe(1000 + events.length - 1);
    });

    it('created instances are fetched; statuses follow each lifecycle action', () => {
      const { after, fetched } = replay();
      expect(fetched).toEqual(expect.arrayContaining(['default/fx-web', 'default/fx-db', 'default/fx-stopped']));
      const status = (i: number, key: string) => after[i].state.instances[key]?.status;
      const find = (action: string, name: string, from = 0) => after.findIndex((a, i) => i >= from && a.action === action && a.name === name);
      const expectations: [string, string, string | undefined][] = [
        ['instance-started', 'fx-web', 'Running'],
        ['instance-started', 'fx-db', 'Running'],
        ['instance-paused', 'fx-web', 'Frozen'],
        ['instance-resumed', 'fx-web', 'Running'],
        ['instance-shutdown', 'fx-db', 'Stopped'],
        ['instance-stopped', 'fx-db', 'Stopped'],
        ['instance-restarted', 'fx-web', 'Running'],
      ];
      let from = 0;
      for (const [action, name, want] of expectations) {
        const i = find(action, name, from);
        expect(i, `${action} ${name}`).toBeGreaterThanOrEqual(0);
        expect(status(i, `default/${name}`), `${action} ${name}`).toBe(want);
        from = i + 1;
      }
      const renamed = find('instance-renamed', 'fx-db2');
      expect(after[renamed].state.instances['default/fx-db']).toBeUndefined();
      expect(status(renamed, 'default/fx-db2')).toBe('Stopped');
      expect(after[find('instance-deleted', 'fx-db2')].state.instances['default/fx-db2']).toBeUndefined();
    });

    it('operation frames: every operation tracked with its outcome, the failure text verbatim, pruned later', () => {
      const { final } = replay();
      const failed = Object.values(final.operations).filter((t) => t.outcome === 'Failure');
      expect(failed.map((t) => t.operation.err)).toContain('The instance is already running');
      expect(Object.values(final.operations).every((t) => t.outcome !== null)).toBe(true);
      const pruned = reduce(final, { type: 'operations/prune', at: 1000 + events.length + OPERATION_KEEP_MS });
      expect(pruned.operations).toEqual({});
    });

    it('snapshot and image frames ask for the right follow-ups', () => {
      let s = createInitialState();
      const wanted = { snapshots: 0, images: 0 };
      for (const e of events) {
        const f = eventFollowUps(s, e);
        wanted.snapshots += f.snapshotsChanged.length;
        if (f.refreshImages) wanted.images++;
        s = reduce(s, { type: 'event', event: e, at: 1 });
      }
      expect(wanted.snapshots).toBeGreaterThanOrEqual(4); // created/deleted on fx-web and fx-stopped
      expect(wanted.images).toBeGreaterThanOrEqual(2); // image-created, image-alias-created
    });
  });
});
