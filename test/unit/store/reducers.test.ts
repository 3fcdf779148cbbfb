import { describe, expect, it } from 'vitest';
import { reduce } from '../../../src/store/reducers.js';
import { OPERATION_KEEP_MS } from '../../../src/store/slices/operations.js';
import { createInitialState } from '../../../src/store/state.js';
import { apply, image, inst, op, running, STOPPED_STATE, withInstances } from './helpers.js';

describe('instances', () => {
  it('keys instances by project and name', () => {
    const s = withInstances(inst('web1'), inst('web1', 'Stopped', { project: 'dev' }));
    expect(Object.keys(s.instances).sort()).toEqual(['default/web1', 'dev/web1']);
  });

  it('a project-scoped list replaces only that project', () => {
    let s = withInstances(inst('a'), inst('b', 'Running', { project: 'dev' }));
    s = apply(s, { type: 'instances/loaded', instances: [inst('c')], project: 'default', at: 2 });
    expect(Object.keys(s.instances).sort()).toEqual(['default/c', 'dev/b']);
    expect(s.connection.lastSyncAt).toBe(2);
  });

  it('unknown actions and no-op updates keep the same state object', () => {
    const s = withInstances(inst('a'));
    expect(reduce(s, { type: 'nope' } as never)).toBe(s);
    expect(reduce(s, { type: 'instance/status', key: 'default/a', status: 'Running' })).toBe(s);
    expect(reduce(s, { type: 'instance/status', key: 'default/zz', status: 'Stopped' })).toBe(s);
    expect(reduce(s, { type: 'status/clear' })).toBe(s);
  });

  it('a status change to Stopped drops the samples; Frozen keeps them', () => {
    let s = withInstances(inst('a'), inst('b'));
    s = apply(
      s,
      { type: 'instance/sample', key: 'default/a', state: running(), at: 1000 },
      { type: 'instance/sample', key: 'default/b', state: running(), at: 1000 },
      { type: 'instance/status', key: 'default/a', status: 'Stopped' },
      { type: 'instance/status', key: 'default/b', status: 'Frozen' },
    );
    expect(s.instances['default/a'].status).toBe('Stopped');
    expect(s.instances['default/a'].status_code).toBe(102);
    expect(s.samples['default/a']).toBeUndefined();
    expect(s.samples['default/b']).toBeDefined();
  });

  it('keeps the last two samples; a sample says the truth about the status', () => {
    let s = withInstances(inst('a'));
    s = apply(
      s,
      { type: 'instance/sample', key: 'default/a', state: running({ cpu: 1 }), at: 1000 },
      { type: 'instance/sample', key: 'default/a', state: running({ cpu: 2 }), at: 2000 },
      { type: 'instance/sample', key: 'default/a', state: running({ cpu: 3 }), at: 3000 },
    );
    expect(s.samples['default/a'].prev?.at).toBe(2000);
    expect(s.samples['default/a'].last.at).toBe(3000);
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: STOPPED_STATE, at: 4000 });
    expect(s.instances['default/a'].status).toBe('Stopped');
    expect(s.samples['default/a']).toBeUndefined();
  });

  it('instance/samples: a round in one update, the same rules as one sample each', () => {
    let s = withInstances(inst('a'), inst('b'), inst('c'));
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: running({ cpu: 1 }), at: 1000 });
    const before = s;
    s = apply(s, {
      type: 'instance/samples',
      samples: [
        { key: 'default/a', state: running({ cpu: 2 }), at: 2000 },
        { key: 'default/b', state: running({ cpu: 5 }), at: 2000, snapshots: 3 },
        { key: 'default/c', state: STOPPED_STATE, at: 2000 },
        { key: 'default/x', state: running(), at: 2000 },
      ],
    });
    expect(s.samples['default/a'].prev?.at).toBe(1000);
    expect(s.samples['default/a'].last.at).toBe(2000);
    expect(s.samples['default/b'].prev).toBeNull();
    expect(s.samples['default/c']).toBeUndefined();
    expect(s.instances['default/c'].status).toBe('Stopped');
    expect(s.instances['default/x']).toBeUndefined();
    expect(s.snapshotCounts['default/b']).toBe(3);
    // the state it started from is untouched
    expect(before.samples['default/b']).toBeUndefined();
    expect(before.instances['default/c'].status).toBe('Running');
    // a count already known is the events' to change, not a list's
    s = apply(s, { type: 'instance/samples', samples: [{ key: 'default/b', state: running({ cpu: 6 }), at: 3000, snapshots: 0 }] });
    expect(s.snapshotCounts['default/b']).toBe(3);
    expect(s.samples['default/b'].prev?.at).toBe(2000);
  });

  it('instance/samples with nothing new keeps the same state object', () => {
    let s = withInstances(inst('a'));
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: running(), at: 2000 });
    expect(reduce(s, { type: 'instance/samples', samples: [] })).toBe(s);
    expect(reduce(s, { type: 'instance/samples', samples: [{ key: 'default/a', state: running(), at: 1500 }] })).toBe(s);
    expect(reduce(s, { type: 'instance/samples', samples: [{ key: 'default/zz', state: running(), at: 3000 }] })).toBe(s);
    expect(reduce(s, { type: 'instance/samples', samples: null as never })).toBe(s);
  });

  it('ignores samples for unknown instances, out-of-order samples, and null state', () => {
    let s = withInstances(inst('a'));
    expect(reduce(s, { type: 'instance/sample', key: 'default/x', state: running(), at: 1 })).toBe(s);
    expect(reduce(s, { type: 'instance/sample', key: 'default/a', state: null as never, at: 1 })).toBe(s);
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: running(), at: 5000 });
    expect(reduce(s, { type: 'instance/sample', key: 'default/a', state: running(), at: 4000 })).toBe(s);
  });

  it('rename moves the row, its samples, cursor and marks', () => {
    let s = withInstances(inst('old'), inst('other'));
    s = apply(
      s,
      { type: 'instance/sample', key: 'default/old', state: running(), at: 1 },
      { type: 'ui/select', pane: 'instances', key: 'default/old' },
      { type: 'ui/mark', pane: 'instances', key: 'default/old' },
      { type: 'instance/renamed', key: 'default/old', newName: 'new' },
    );
    expect(s.instances['default/old']).toBeUndefined();
    expect(s.instances['default/new'].name).toBe('new');
    expect(s.samples['default/new']).toBeDefined();
    expect(s.ui.panes.instances.selected).toBe('default/new');
    expect(s.ui.panes.instances.marked).toEqual(['default/new']);
  });

  it('removing the selected row moves the cursor to its neighbour in the view', () => {
    let s = withInstances(inst('a'), inst('b'), inst('c'));
    s = apply(s, { type: 'ui/select', pane: 'instances', key: 'default/b' }, { type: 'instance/removed', key: 'default/b' });
    expect(s.ui.panes.instances.selected).toBe('default/c');
    s = apply(s, { type: 'instance/removed', key: 'default/c' });
    expect(s.ui.panes.instances.selected).toBe('default/a');
  });

  it('a re-list that lacks the selected row moves the cursor; marks of gone rows are dropped', () => {
    let s = withInstances(inst('a'), inst('b'), inst('c'));
    s = apply(
      s,
      { type: 'ui/select', pane: 'instances', key: 'default/c' },
      { type: 'ui/mark', pane: 'instances', key: 'default/c' },
      { type: 'ui/mark', pane: 'instances', key: 'default/a' },
      { type: 'instances/loaded', instances: [inst('a'), inst('b')], project: null, at: 5 },
    );
    expect(s.ui.panes.instances.selected).toBe('default/b');
    expect(s.ui.panes.instances.marked).toEqual(['default/a']);
  });

  it('upsert of a stopped instance drops its samples', () => {
    let s = withInstances(inst('a'));
    s = apply(s, { type: 'instance/sample', key: 'default/a', state: running(), at: 1 }, { type: 'instance/upsert', instance: inst('a', 'Stopped') });
    expect(s.samples['default/a']).toBeUndefined();
  });
});

describe('operations', () => {
  it('upserts, records the outcome, never un-finishes, prunes after a few seconds', () => {
    let s = apply(createInitialState(), { type: 'operation/upsert', operation: op('1'), at: 100 });
    expect(s.operations['1'].finishedAt).toBeNull();
    s = apply(s, { type: 'operation/upsert', operation: op('1', 'Failure', { err: 'boom' }), at: 200 });
    expect(s.operations['1'].outcome).toBe('Failure');
    expect(s.operations['1'].finishedAt).toBe(200);
    expect(s.operations['1'].firstSeenAt).toBe(100);
    expect(reduce(s, { type: 'operation/upsert', operation: op('1'), at: 300 })).toBe(s);
    expect(reduce(s, { type: 'operations/prune', at: 200 + OPERATION_KEEP_MS - 1 })).toBe(s);
    s = apply(s, { type: 'operations/prune', at: 200 + OPERATION_KEEP_MS });
    expect(s.operations['1']).toBeUndefined();
  });

  it('a list replaces running ones it lacks, keeps finished ones and those seen after the request', () => {
    let s = apply(
      createInitialState(),
      { type: 'operation/upsert', operation: op('gone'), at: 100 },
      { type: 'operation/upsert', operation: op('done', 'Success'), at: 100 },
      { type: 'operation/upsert', operation: op('new'), at: 600 },
      { type: 'operations/loaded', operations: [op('listed')], at: 500 },
    );
    expect(Object.keys(s.operations).sort()).toEqual(['done', 'listed', 'new']);
    s = apply(s, { type: 'operations/loaded', operations: [], at: 700 });
    expect(Object.keys(s.operations).sort()).toEqual(['done']);
  });
});

describe('images, connection, status', () => {
  it('loads and removes images by fingerprint', () => {
    let s = apply(createInitialState(), { type: 'images/loaded', images: [image('aaa', 'busybox'), image('bbb', null)] });
    s = apply(s, { type: 'image/removed', fingerprint: 'aaa' });
    expect(Object.keys(s.images)).toEqual(['bbb']);
  });

  it('REST down shows the banner with the error verbatim; recovers', () => {
    let s = apply(createInitialState(), { type: 'rest/down', error: 'connect ENOENT /x/unix.socket', at: 5, nextRetryAt: 1005 });
    expect(s.connection).toMatchObject({ rest: 'down', lastError: 'connect ENOENT /x/unix.socket', reconnecting: true, nextRetryAt: 1005 });
    s = apply(s, { type: 'rest/ok', at: 6 });
    expect(s.connection).toMatchObject({ rest: 'ok', reconnecting: false, nextRetryAt: null });
    expect(s.connection.lastError).toBe('connect ENOENT /x/unix.socket');
  });

  it('events lost → banner until connected again, through the connecting phase', () => {
    let s = apply(createInitialState(), { type: 'events/status', status: 'connected', at: 1 });
    expect(s.connection.reconnecting).toBe(false);
    s = apply(s, { type: 'events/status', status: 'disconnected', error: 'socket hang up', at: 2 });
    expect(s.connection).toMatchObject({ reconnecting: true, eventsLost: true, eventsError: 'socket hang up' });
    s = apply(s, { type: 'events/status', status: 'connecting', at: 3 });
    expect(s.connection.reconnecting).toBe(true);
    s = apply(s, { type: 'events/status', status: 'connected', at: 4 });
    expect(s.connection).toMatchObject({ reconnecting: false, eventsLost: false, eventsError: null });
  });

  it('status line and session flags', () => {
    let s = apply(createInitialState(), { type: 'status/set', text: 'The instance is already running', level: 'error', at: 9 });
    expect(s.status).toEqual({ text: 'The instance is already running', level: 'error', at: 9 });
    s = apply(s, { type: 'session/set', readOnly: true }, { type: 'status/clear' });
    expect(s.readOnly).toBe(true);
    expect(s.paused).toBe(false);
    expect(s.status).toBeNull();
  });
});

describe('snapshot counts', () => {
  it('from lists that carry snapshots, from instance/snapshots; follow renames; dropped with the row', () => {
    let s = withInstances(inst('a', 'Running', { snapshots: [{ name: 's0', created_at: '', stateful: false }] }), inst('b', 'Running', { snapshots: null }));
    expect(s.snapshotCounts).toEqual({ 'default/a': 1 });
    s = apply(s, { type: 'instance/snapshots', key: 'default/b', count: 3 }, { type: 'instance/snapshots', key: 'default/zz', count: 1 });
    expect(s.snapshotCounts).toEqual({ 'default/a': 1, 'default/b': 3 });
    s = apply(s, { type: 'instance/renamed', key: 'default/b', newName: 'c' }, { type: 'instance/removed', key: 'default/a' });
    expect(s.snapshotCounts).toEqual({ 'default/c': 3 });
    // a later recursion=1 list (no snapshots field) keeps the known count
    s = apply(s, { type: 'instances/loaded', instances: [inst('c')], project: null, at: 9 });
    expect(s.snapshotCounts).toEqual({ 'default/c': 3 });
  });
});

