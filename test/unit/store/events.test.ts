import { describe, expect, it } from 'vitest';
import { eventActions, eventFollowUps, eventProject, parseSource } from '../../../src/store/events.js';
import { reduce } from '../../../src/store/reducers.js';
import type { LxdEvent } from '../../../src/lxd/types.js';
import { apply, inst, lifecycle, op, opEvent, image, running, withInstances } from './helpers.js';

const ev = (event: LxdEvent, at = 10) => ({ type: 'event' as const, event, at });

describe('parseSource', () => {
  it('reads instances, snapshots, images, aliases, with ?project=', () => {
    expect(parseSource('/1.0/instances/web1')).toEqual({ kind: 'instance', name: 'web1', project: null });
    expect(parseSource('/1.0/instances/web1?project=dev')).toEqual({ kind: 'instance', name: 'web1', project: 'dev' });
    expect(parseSource('/1.0/instances/web1/snapshots/snap0?project=dev')).toEqual({
      kind: 'snapshot',
      name: 'web1',
      snapshot: 'snap0',
      project: 'dev',
    });
    expect(parseSource('/1.0/images/abc')).toEqual({ kind: 'image', fingerprint: 'abc', project: null });
    expect(parseSource('/1.0/images/aliases/busybox')).toEqual({ kind: 'image-alias', alias: 'busybox', project: null });
    expect(parseSource('/1.0/storage-pools/default').kind).toBe('other');
    expect(parseSource(undefined).kind).toBe('other');
    expect(parseSource(42).kind).toBe('other');
  });

  it('project: the frame, else the source query, else metadata, else default', () => {
    expect(eventProject({ project: 'p1', metadata: {} }, parseSource('/1.0/instances/a?project=p2'))).toBe('p1');
    expect(eventProject({ metadata: {} }, parseSource('/1.0/instances/a?project=p2'))).toBe('p2');
    expect(eventProject({ metadata: { project: 'p3' } })).toBe('p3');
    expect(eventProject({ metadata: null })).toBe('default');
  });
});

describe('lifecycle events', () => {
  it.each([
    ['instance-started', 'Stopped', 'Running'],
    ['instance-restarted', 'Running', 'Running'],
    ['instance-stopped', 'Running', 'Stopped'],
    ['instance-shutdown', 'Running', 'Stopped'],
    ['instance-paused', 'Running', 'Frozen'],
    ['instance-resumed', 'Frozen', 'Running'],
  ])('%s: %s → %s', (action, from, to) => {
    const s = apply(withInstances(inst('web1', from)), ev(lifecycle(action, '/1.0/instances/web1')));
    expect(s.instances['default/web1'].status).toBe(to);
    expect(s.connection.lastEventAt).toBe(10);
  });

  it('uses the event project', () => {
    const s = apply(
      withInstances(inst('web1'), inst('web1', 'Running', { project: 'dev' })),
      ev(lifecycle('instance-stopped', '/1.0/instances/web1?project=dev', {}, 'dev')),
    );
    expect(s.instances['dev/web1'].status).toBe('Stopped');
    expect(s.instances['default/web1'].status).toBe('Running');
  });

  it('deleted removes; renamed moves from context.old_name', () => {
    let s = withInstances(inst('a'), inst('b'));
    s = apply(s, ev(lifecycle('instance-deleted', '/1.0/instances/a')));
    expect(Object.keys(s.instances)).toEqual(['default/b']);
    s = apply(s, ev(lifecycle('instance-renamed', '/1.0/instances/c', { context: { old_name: 'b' } })));
    expect(Object.keys(s.instances)).toEqual(['default/c']);
    expect(s.instances['default/c'].name).toBe('c');
  });

  it('image-deleted removes the image', () => {
    let s = apply(withInstances(), { type: 'images/loaded', images: [image('fp1', 'x')] });
    s = apply(s, ev(lifecycle('image-deleted', '/1.0/images/fp1')));
    expect(s.images).toEqual({});
  });

  it('operation events upsert the whole operation', () => {
    const s = apply(withInstances(), ev(opEvent(op('abc', 'Running', { description: 'Stopping instance' }))));
    expect(s.operations.abc.operation.description).toBe('Stopping instance');
  });

  it('ignores unknown types, unknown actions, and malformed frames without throwing', () => {
    const s = withInstances(inst('a'));
    const junk: unknown[] = [
      { type: 'logging', metadata: { message: 'x', level: 'info' } },
      { type: 'weird', metadata: 42 },
      { type: 'lifecycle', metadata: null },
      { type: 'lifecycle', metadata: { action: 5, source: '/1.0/instances/a' } },
      { type: 'lifecycle', metadata: { action: 'instance-renamed', source: '/1.0/instances/b', context: null } },
      { type: 'lifecycle', metadata: { action: 'network-created', source: '/1.0/networks/x' } },
      { type: 'operation', metadata: null },
      { type: 'operation', metadata: { status: 'Running' } },
      null,
    ];
    for (const e of junk) {
      const next = reduce(s, ev(e as LxdEvent));
      expect(next.instances).toBe(s.instances);
      expect(next.operations).toBe(s.operations);
      expect(() => eventFollowUps(s, e as LxdEvent)).not.toThrow();
    }
  });

  it('an event for an unknown instance changes nothing but asks for a fetch', () => {
    const s = withInstances(inst('a'));
    const created = lifecycle('instance-created', '/1.0/instances/new');
    expect(eventActions(s, created, 1)).toEqual([]);
    expect(eventFollowUps(s, created).fetchInstances).toEqual(['default/new']);
    expect(eventFollowUps(s, lifecycle('instance-started', '/1.0/instances/ghost')).fetchInstances).toEqual(['default/ghost']);
    expect(eventFollowUps(s, lifecycle('instance-started', '/1.0/instances/a')).fetchInstances).toEqual([]);
    expect(eventFollowUps(s, lifecycle('instance-updated', '/1.0/instances/a')).fetchInstances).toEqual(['default/a']);
    expect(eventFollowUps(s, lifecycle('instance-restored', '/1.0/instances/a')).fetchInstances).toEqual(['default/a']);
    expect(
      eventFollowUps(s, lifecycle('instance-renamed', '/1.0/instances/z', { context: { old_name: 'unknown' } })).fetchInstances,
    ).toEqual(['default/z']);
  });

  it('snapshot and image events ask for the right refreshes', () => {
    const s = withInstances(inst('a'));
    expect(eventFollowUps(s, lifecycle('instance-snapshot-created', '/1.0/instances/a/snapshots/s0')).snapshotsChanged).toEqual([
      'default/a',
    ]);
    expect(eventFollowUps(s, lifecycle('image-created', '/1.0/images/fp')).refreshImages).toBe(true);
    expect(eventFollowUps(s, lifecycle('image-alias-created', '/1.0/images/aliases/x')).refreshImages).toBe(true);
    expect(eventFollowUps(s, lifecycle('image-deleted', '/1.0/images/fp')).refreshImages).toBe(false);
  });

  it('a stop event clears the samples so rates restart from scratch', () => {
    let s = withInstances(inst('a'));
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: running(), at: 1 });
    s = apply(s, ev(lifecycle('instance-shutdown', '/1.0/instances/a')));
    expect(s.samples['default/a']).toBeUndefined();
  });
});
