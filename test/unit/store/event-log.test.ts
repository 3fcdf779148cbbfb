// The flight recorder's rows (lifecycle, operation, logging frames as the daemons send them), its
// cap, its filter, the pretty line of `lxtop events`, and that command's arguments.
import { describe, expect, it } from 'vitest';
import { EVENT_LOG_SIZE, eventLine, eventRow, filterEvents, isDebugLine, joinLogs, recordEvent, type EventRow } from '../../../src/store/event-log.js';
import { shownEvents } from '../../../src/views/events.js';
import { parseEventsArgs } from '../../../src/app/events-cli.js';
import type { LxdEvent } from '../../../src/lxd/types.js';

const LIFECYCLE = {
  type: 'lifecycle',
  timestamp: '2026-12-06T18:20:37.137235214Z',
  location: 'm1',
  project: 'web',
  metadata: { action: 'instance-started', source: '/1.0/instances/c1?project=web', requestor: { username: 'root', address: '@', protocol: 'unix' } },
} as LxdEvent;
const OPERATION = {
  type: 'operation',
  timestamp: '2026-12-06T18:20:38Z',
  location: 'none',
  metadata: { id: 'x', description: 'Starting instance', status: 'Failure', err: 'boom', resources: { instances: ['/1.0/instances/c2'] } },
} as unknown as LxdEvent;
const LOGGING = {
  type: 'logging',
  timestamp: '2026-12-06T18:20:39Z',
  location: 'none',
  metadata: { message: 'CreateInstanceFromImage finished', level: 'debug', context: { instance: 'c3', project: 'p3' } },
} as LxdEvent;

describe('eventRow', () => {
  it('lifecycle: member, project, instance, action, requestor', () => {
    expect(eventRow(LIFECYCLE, 1, 0)).toMatchObject({ seq: 1, at: Date.parse('2026-12-06T18:20:37.137Z'), type: 'lifecycle', location: 'm1', project: 'web', instance: 'c1', action: 'instance-started', requestor: 'root@@ (unix)' });
  });
  it('operation: the instance of its resources, description and status, the error', () => {
    expect(eventRow(OPERATION, 2, 0)).toMatchObject({ location: '', project: 'default', instance: 'c2', action: 'Starting instance Failure', detail: 'boom' });
  });
  it('logging: level, message and context', () => {
    expect(eventRow(LOGGING, 3, 0)).toMatchObject({ project: 'p3', instance: 'c3', action: 'debug', detail: 'CreateInstanceFromImage finished  project=p3' });
  });
  it('a frame without a timestamp takes its arrival time', () => {
    expect(eventRow({ ...LIFECYCLE, timestamp: '' }, 4, 1234).at).toBe(1234);
  });
});

describe('the log', () => {
  it('keeps the newest first and the last EVENT_LOG_SIZE', () => {
    let log: EventRow[] = [];
    for (let i = 1; i <= EVENT_LOG_SIZE + 5; i++) log = recordEvent(log, eventRow(LIFECYCLE, i, 0));
    expect(log).toHaveLength(EVENT_LOG_SIZE);
    expect(log[0].seq).toBe(EVENT_LOG_SIZE + 5);
    expect(log.at(-1)!.seq).toBe(6);
  });
  it('filters by instance, type or text, smart case', () => {
    const log = [eventRow(LOGGING, 3, 0), eventRow(OPERATION, 2, 0), eventRow(LIFECYCLE, 1, 0)];
    expect(filterEvents(log, 'c2').map((r) => r.seq)).toEqual([2]);
    expect(filterEvents(log, 'lifecycle').map((r) => r.seq)).toEqual([1]);
    expect(filterEvents(log, 'failure').map((r) => r.seq)).toEqual([2]);
    expect(filterEvents(log, 'Failure').map((r) => r.seq)).toEqual([2]);
    expect(filterEvents(log, 'FAILURE')).toEqual([]);
    expect(filterEvents(log, '')).toBe(log);
  });
  it('the view filters as it is typed: each prefix from the rows of the one before, the same rows as filtering the whole log', () => {
    const log: EventRow[] = [];
    for (let i = 0; i < 300; i++) log.push(eventRow(i % 3 === 0 ? LIFECYCLE : i % 3 === 1 ? OPERATION : LOGGING, i, 0));
    const typed = ['c', 'c1', 'c1?', 'c', 'F', 'Fa', 'Fai', 'Failure', 'Fail', 'fail', 'failu', ''];
    let previous: readonly EventRow[] | undefined;
    for (const filter of typed) {
      const rows = shownEvents(log, filter);
      expect(rows).toEqual(filterEvents(log, filter));
      previous = rows;
    }
    expect(shownEvents(log, 'Fai')).toBe(shownEvents(log, 'Fai'));
    expect(previous).toBe(log);
    // A new event: a new log, filtered afresh.
    const next = recordEvent(log, eventRow(OPERATION, 999, 0));
    expect(shownEvents(next, 'Fai').map((r) => r.seq)[0]).toBe(999);
  });
  it('the pretty line', () => {
    expect(eventLine(eventRow(LIFECYCLE, 1, 0))).toMatch(/^\d\d:\d\d:\d\d\.137 {2}lifecycle {2}m1\/web {2}c1 {2}instance-started {2}by root@@ \(unix\) {2}\/1\.0\/instances\/c1\?project=web$/);
  });
});

describe('the fleet\'s log and the debug lines', () => {
  const at = (seq: number, t: number): EventRow => ({ ...eventRow(LIFECYCLE, seq, 0), at: t });
  it('joins every remote\'s log newest first, each row tagged with its remote, the last N', () => {
    const a = [at(3, 30), at(2, 20), at(1, 10)];
    const b = [at(2, 25), at(1, 5)];
    const joined = joinLogs([{ remote: 'a', log: a }, { remote: 'b', log: b }]);
    expect(joined.map((r) => `${r.remote}${r.seq}@${r.at}`)).toEqual(['a3@30', 'b2@25', 'a2@20', 'a1@10', 'b1@5']);
    // The same rows give the same tagged copies (the view's line cache and React keys hold).
    expect(joinLogs([{ remote: 'a', log: a }, { remote: 'b', log: b }])[0]).toBe(joined[0]);
    expect(joinLogs([{ remote: 'a', log: a }, { remote: 'b', log: b }], 2).map((r) => r.seq)).toEqual([3, 2]);
    // The filter finds a remote by name.
    const named = joinLogs([{ remote: 'alpha', log: [at(3, 30)] }, { remote: 'beta', log: [at(2, 25), at(1, 5)] }]);
    expect(filterEvents(named, 'beta').map((r) => r.remote)).toEqual(['beta', 'beta']);
  });
  it('a debug line is one of the daemon\'s logging frames at level debug, nothing else', () => {
    expect(isDebugLine(LOGGING)).toBe(true);
    expect(isDebugLine({ ...LOGGING, metadata: { ...LOGGING.metadata, level: 'info' } } as LxdEvent)).toBe(false);
    expect(isDebugLine(LIFECYCLE)).toBe(false);
  });
});

describe('parseEventsArgs', () => {
  it('types, format, help', () => {
    expect(parseEventsArgs([])).toEqual({ types: ['lifecycle', 'operation', 'logging'], format: 'pretty', help: false });
    expect(parseEventsArgs(['--type', 'lifecycle,logging', '--format=json'])).toEqual({ types: ['lifecycle', 'logging'], format: 'json', help: false });
    expect(() => parseEventsArgs(['--type', 'lifecycle,x'])).toThrow(/unknown event type "x"/);
    expect(() => parseEventsArgs(['--format', 'yaml'])).toThrow(/pretty or json/);
    expect(() => parseEventsArgs(['c1'])).toThrow(/unexpected argument "c1"/);
  });
});
