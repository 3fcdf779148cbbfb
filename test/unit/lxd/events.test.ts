// The events stream against the fake server: typed frames, unknown types, silence towards the
// server, and what happens when the socket drops (a real daemon cannot be made to drop on demand).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStream, EventStreamStatus } from '../../../src/lxd/api.js';
import { LxdClient } from '../../../src/lxd/client.js';
import { backoffDelay, parseEventFrame } from '../../../src/lxd/events.js';
import { Transport } from '../../../src/lxd/transport.js';
import type { LxdEvent } from '../../../src/lxd/types.js';
import { startFakeServer, type FakeServer } from '../../support/fake-server.js';

let fake: FakeServer;
let client: LxdClient;
let stream: EventStream | null = null;
const fast = { initialDelayMs: 20, maxDelayMs: 200, random: () => 0.5 };

beforeEach(async () => {
  fake = await startFakeServer();
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }), { events: fast });
});
afterEach(async () => {
  stream?.close();
  await client.close();
  await fake.close();
});

/** Resolves when `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const lifecycle = (action: string, name: string) =>
  JSON.stringify({ type: 'lifecycle', timestamp: '2024-01-01T00:00:00Z', project: 'default', metadata: { action, source: `/1.0/instances/${name}` } });

describe('backoff', () => {
  it('doubles from 250 ms, capped at 5 s, jittered within [d/2, d)', () => {
    const at = (n: number, r: number) => backoffDelay(n, { random: () => r });
    expect(at(0, 0)).toBe(125);
    expect(at(0, 0.999)).toBeCloseTo(250, 0);
    expect(at(1, 0)).toBe(250);
    expect(at(4, 0)).toBe(2_000);
    expect(at(5, 0)).toBe(2_500);
    expect(at(50, 0.999)).toBeLessThan(5_000);
    expect(at(50, 0)).toBe(2_500);
  });
});

describe('frames', () => {
  it('parses events; unknown types pass; non-events are null', () => {
    expect(parseEventFrame(lifecycle('instance-started', 'a'))?.type).toBe('lifecycle');
    expect(parseEventFrame('{"type":"brand-new","metadata":{}}')?.type).toBe('brand-new');
    expect(parseEventFrame('not json')).toBeNull();
    expect(parseEventFrame('[1]')).toBeNull();
    expect(parseEventFrame('{"metadata":{}}')).toBeNull();
  });
});

describe('event stream', () => {
  it('asks for the types and project, delivers typed frames and unknown types, ignores junk, sends nothing', async () => {
    let url = '';
    fake.websocket('/1.0/events', (ws, req) => {
      url = req.url ?? '';
      ws.send(lifecycle('instance-started', 'a'));
      ws.send('garbage');
      ws.send(Buffer.from([1, 2, 3]));
      ws.send(JSON.stringify({ type: 'something-new', metadata: { x: 1 } }));
      ws.ping();
    });
    const events: LxdEvent[] = [];
    stream = client.events({ types: ['lifecycle', 'operation'], project: 'p1' });
    stream.onEvent((e) => events.push(e));
    await until(() => events.length === 2);
    expect(url).toBe('/1.0/events?type=lifecycle%2Coperation&project=p1');
    expect(events[0]).toMatchObject({ type: 'lifecycle', metadata: { action: 'instance-started', source: '/1.0/instances/a' } });
    expect(events[1]?.type).toBe('something-new');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.clientFrames).toEqual([]);
    stream.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.clientFrames).toEqual([]);
  });

  it('all-projects', async () => {
    let url = '';
    fake.websocket('/1.0/events', (_ws, req) => (url = req.url ?? ''));
    stream = client.events({ allProjects: true });
    await until(() => url !== '');
    expect(url).toBe('/1.0/events?type=lifecycle%2Coperation&all-projects=true');
  });

  it('a dropped socket: status goes disconnected with the error, it reconnects, subscribers are told, events flow again', async () => {
    let connections = 0;
    fake.websocket('/1.0/events', (ws) => {
      connections++;
      ws.send(lifecycle('instance-started', `c${connections}`));
    });
    const statuses: [EventStreamStatus, string | undefined][] = [];
    const names: string[] = [];
    let reconnects = 0;
    stream = client.events();
    stream.onStatus((s, e) => statuses.push([s, e?.message]));
    stream.onReconnect(() => reconnects++);
    stream.onEvent((e) => names.push((e as { metadata: { source: string } }).metadata.source.split('/').pop()!));
    await until(() => names.length === 1);
    expect(stream.status).toBe('connected');
    expect(reconnects).toBe(0);

    for (const ws of fake.sockets) ws.terminate();
    await until(() => names.length === 2);
    expect(reconnects).toBe(1);
    expect(names).toEqual(['c1', 'c2']);
    const disconnected = statuses.find(([s]) => s === 'disconnected');
    expect(disconnected?.[1]).toMatch(/closed by the server/);
    expect(statuses.map(([s]) => s)).toEqual(['connected', 'disconnected', 'connecting', 'connected']);

    for (const ws of fake.sockets) ws.close(1001);
    await until(() => names.length === 3);
    expect(reconnects).toBe(2);
    expect(fake.clientFrames).toEqual([]);
  });

  it('keeps retrying while the server refuses, with the server text, and recovers', async () => {
    const statuses: [EventStreamStatus, string | undefined][] = [];
    let reconnects = 0;
    stream = client.events();
    stream.onStatus((s, e) => statuses.push([s, e?.message]));
    stream.onReconnect(() => reconnects++);
    await until(() => statuses.filter(([s]) => s === 'disconnected').length >= 2);
    expect(statuses.find(([s]) => s === 'disconnected')?.[1]).toBe('not found');
    fake.websocket('/1.0/events', () => {});
    await until(() => stream!.status === 'connected');
    // The first successful connection is not a re-connection.
    expect(reconnects).toBe(0);
  });

  it('a silent connection (no frame, no ping) is dropped and replaced', async () => {
    await client.close();
    client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }), { events: { ...fast, idleTimeoutMs: 100 } });
    let connections = 0;
    fake.websocket('/1.0/events', () => connections++);
    let reconnects = 0;
    stream = client.events();
    stream.onReconnect(() => reconnects++);
    await until(() => reconnects >= 1);
    expect(connections).toBeGreaterThanOrEqual(2);
  });

  it('a throwing subscriber does not stop the others', async () => {
    fake.websocket('/1.0/events', (ws) => ws.send(lifecycle('instance-stopped', 'a')));
    const seen: string[] = [];
    stream = client.events();
    stream.onEvent(() => {
      throw new Error('subscriber bug');
    });
    stream.onEvent((e) => seen.push(e.type));
    await until(() => seen.length === 1);
  });

  it('close() stops reconnecting and reports disconnected', async () => {
    let connections = 0;
    fake.websocket('/1.0/events', () => connections++);
    stream = client.events();
    await until(() => stream!.status === 'connected');
    stream.close();
    expect(stream.status).toBe('disconnected');
    await new Promise((r) => setTimeout(r, 150));
    expect(connections).toBe(1);
  });
});
