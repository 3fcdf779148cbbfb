// The client against a REAL daemon (the sandbox's LXD or Incus): every call of LxdApi, and the
// lifecycle event of every step seen on the events socket within 1 s of its operation finishing.
// Shared by client-lxd.test.ts and client-incus.test.ts; each file uses instance names of its own.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { EventStream } from '../../src/lxd/api.js';
import { LxdClient } from '../../src/lxd/client.js';
import { LxdError } from '../../src/lxd/errors.js';
import { Transport } from '../../src/lxd/transport.js';
import type { LxdEvent, Operation, OperationOutcome } from '../../src/lxd/types.js';
import { type DaemonName, daemonSocket, describeOn } from '../support/daemons.js';

const IMAGE = process.env.LXTOP_TEST_IMAGE ?? 'busybox';
const EVENT_DEADLINE_MS = 1_000;

interface Seen {
  at: number;
  event: LxdEvent;
}

export interface Latency {
  step: string;
  action: string;
  /** Lifecycle event arrival minus the moment `/wait` returned; negative when the event came first. */
  ms: number;
  /** The same against the operation's own `Success` event on the stream (null if none arrived). */
  afterOpEventMs: number | null;
}

/** `/1.0/instances/x/snapshots/s?project=p` → `/1.0/instances/x/snapshots/s`. */
const sourcePath = (e: LxdEvent) => String((e.metadata as { source?: string }).source ?? '').split('?')[0];

export function clientSuite(daemon: Extract<DaemonName, 'lxd' | 'incus'>): void {
  describeOn([daemon], `LxdClient against the real ${daemon}`, () => {
    const prefix = `it-${daemon}-${Math.random().toString(36).slice(2, 8)}`;
    const name = `${prefix}-a`;
    const renamed = `${prefix}-b`;
    let client: LxdClient;
    let stream: EventStream;
    const seen: Seen[] = [];
    const latencies: Latency[] = [];

    beforeAll(async () => {
      client = new LxdClient(new Transport({ kind: 'unix', socket: daemonSocket(daemon)! }));
      // Subscribe before acting: finished operations and their events are not replayed.
      stream = client.events({ types: ['lifecycle', 'operation'] });
      stream.onEvent((event) => seen.push({ at: performance.now(), event }));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('events socket did not connect')), 10_000);
        stream.onStatus((s) => s === 'connected' && (clearTimeout(timer), resolve()));
      });
    });

    afterAll(async () => {
      if (!client) return;
      const mine = (await client.listInstances().catch(() => [])).filter((i) => i.name.startsWith(prefix));
      for (const i of mine) {
        if (i.status !== 'Stopped') await settle(client.changeState(i.name, 'stop', { force: true }));
        await settle(client.deleteInstance(i.name));
      }
      stream?.close();
      await client.close();
      if (latencies.length > 0) {
        const fmt = (v: number | null) => (v === null ? '     -' : v.toFixed(1).padStart(7));
        const lines = latencies.map((l) => `  ${l.step.padEnd(18)} ${l.action.padEnd(26)} ${fmt(l.ms)} ms  ${fmt(l.afterOpEventMs)} ms`);
        const head = `  ${'step'.padEnd(18)} ${'lifecycle event'.padEnd(26)} after /wait  after op Success event (negative: before)`;
        console.log(`[${daemon}] lifecycle event latency:\n${head}\n${lines.join('\n')}`);
        writeFileSync(join(tmpdir(), `lxtop-event-latency-${daemon}.json`), JSON.stringify(latencies, null, 2));
      }
    });

    async function settle(op: Promise<Operation>): Promise<OperationOutcome | null> {
      try {
        return await client.waitOperation((await op).id, 60);
      } catch {
        return null;
      }
    }

    /**
     * Runs one step: start the operation, wait for it (must succeed), then expect the lifecycle
     * `action` for `source` no later than 1 s after `/wait` returned; records the latency.
     */
    async function step(label: string, start: () => Promise<Operation>, action: string | string[], source: string): Promise<OperationOutcome> {
      const actions = [action].flat();
      const from = performance.now();
      const op = await start();
      const outcome = await client.waitOperation(op.id, 60);
      const done = performance.now();
      expect(outcome, `${label}: ${outcome.err}`).toMatchObject({ status: 'Success' });
      const match = (s: Seen) =>
        s.at >= from && s.event.type === 'lifecycle' && actions.includes((s.event.metadata as { action: string }).action) && sourcePath(s.event) === source;
      while (!seen.some(match) && performance.now() - done < EVENT_DEADLINE_MS + 200) await new Promise((r) => setTimeout(r, 5));
      const hit = seen.find(match);
      expect(hit, `${label}: no ${actions.join('/')} event for ${source}`).toBeDefined();
      const ms = hit!.at - done;
      const opDone = seen.find((s) => s.event.type === 'operation' && (s.event.metadata as Operation).id === op.id && (s.event.metadata as Operation).status === 'Success');
      const afterOpEventMs = opDone ? hit!.at - opDone.at : null;
      latencies.push({ step: label, action: (hit!.event.metadata as { action: string }).action, ms, afterOpEventMs });
      expect(ms, `${label}: event ${ms.toFixed(0)} ms after the operation finished`).toBeLessThanOrEqual(EVENT_DEADLINE_MS);
      return outcome;
    }

    /** Non-interactive exec: open every websocket, let the command run, read the outcome. */
    async function run(command: string[]): Promise<{ outcome: OperationOutcome; stdout: string }> {
      const session = await client.exec(name, { command, interactive: false });
      const sockets: WebSocket[] = [];
      let stdout = '';
      let stdoutDone: Promise<void> = Promise.resolve();
      await Promise.all(
        Object.entries(session.fds).map(async ([fd, secret]) => {
          // Listeners go on in the 'open' event: a short command's output can come with the 101.
          const ws = await client.operationWebsocket(session.operation.id, secret, (open) => {
            if (fd !== '1') return;
            open.on('message', (data: Buffer) => (stdout += data.toString()));
            // The outcome (over HTTP) can overtake the last output frames: read until the server ends fd 1.
            stdoutDone = new Promise((resolve) => {
              open.once('close', () => resolve());
              setTimeout(resolve, 5_000);
            });
          });
          sockets.push(ws);
        }),
      );
      const outcome = await client.waitOperation(session.operation.id, 30);
      await stdoutDone;
      for (const ws of sockets) ws.terminate();
      return { outcome, stdout };
    }

    const inst = (n: string) => `/1.0/instances/${n}`;

    it('reads the server', async () => {
      const info = await client.server();
      expect(info.kind).toBe(daemon);
      expect(info.version).toMatch(/^\d+\.\d+/);
      expect(info.apiExtensions).toContain('instances');
      expect(info.auth).toBe('trusted');
      expect(info.clustered).toBe(false);
      expect(stream.status).toBe('connected');
    });

    it('refuses invalid names with the server\'s own words, before any request', async () => {
      // LXD refuses a leading digit, Incus only an all-digit name (see src/lxd/names.ts).
      const bad = ['bad_name', '-lead', 'trail-', '12345', 'x'.repeat(64), ...(daemon === 'lxd' ? ['1abc'] : [])];
      for (const n of bad) {
        const local = await client.createInstance({ name: n, image: { alias: IMAGE } }).catch((e: unknown) => e as LxdError);
        expect(local).toMatchObject({ kind: 'http', status: 400, local: true });
        const server = await client
          .request<Operation>('POST', '/1.0/instances', { body: { name: n, source: { type: 'image', alias: IMAGE } } })
          .catch((e: unknown) => e as LxdError);
        if (!(server instanceof LxdError)) {
          // The server took it: remove what it made, then fail.
          await client.waitOperation(server.metadata.id, 60);
          await settle(client.deleteInstance(n));
        }
        expect(server, `the server accepted ${JSON.stringify(n)}`).toBeInstanceOf(LxdError);
        expect((server as LxdError).status).toBe(400);
        expect((local as LxdError).message, `server said: ${(server as LxdError).message}`).toBe((server as LxdError).message);
      }
    });

    it('creates, starts, and reads live state', async () => {
      await step('create', () => client.createInstance({ name, image: { alias: IMAGE } }), 'instance-created', inst(name));
      await step('start', () => client.changeState(name, 'start'), 'instance-started', inst(name));
      // The cgroup's memory counter can read 0 for a moment after start (seen once under CI):
      // read the state again until it has numbers, for at most 5 s.
      let state = await client.instanceState(name);
      for (const until = Date.now() + 5_000; !(state.memory?.usage && state.cpu?.usage && state.processes) && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 100));
        state = await client.instanceState(name);
      }
      expect(state.status).toBe('Running');
      expect(state.cpu?.usage).toBeGreaterThan(0);
      expect(state.memory?.usage).toBeGreaterThan(0);
      expect(state.processes).toBeGreaterThan(0);
      expect(state.pid).toBeGreaterThan(0);
      const listed = (await client.listInstances()).find((i) => i.name === name);
      expect(listed).toMatchObject({ status: 'Running', project: 'default', location: 'none' });
      const { instance, etag } = await client.getInstance(name);
      expect(instance.name).toBe(name);
      expect(etag).toBeTruthy();
    });

    it('ETag / If-Match: a change with the current ETag is taken, one with a stale ETag refused (412)', async () => {
      // The ETag covers the instance's config, devices and profiles (not its description).
      const { etag } = await client.getInstance(name);
      await client.patchInstance(name, { config: { 'user.lxtop-test': 'first' } }, { etag });
      expect((await client.getInstance(name)).instance.config['user.lxtop-test']).toBe('first');
      // The instance changed since `etag` was read: the server refuses, in its own words.
      const stale = await client.patchInstance(name, { config: { 'user.lxtop-test': 'second' } }, { etag }).catch((e: unknown) => e as LxdError);
      expect(stale).toBeInstanceOf(LxdError);
      expect(stale).toMatchObject({ kind: 'http', status: 412 });
      expect((stale as LxdError).message).toMatch(/etag/i);
      expect((await client.getInstance(name)).instance.config['user.lxtop-test']).toBe('first');
    });

    it('a failed operation is an outcome with the server text (starting a running instance)', async () => {
      const outcome = await client.waitOperation((await client.changeState(name, 'start')).id, 30);
      expect(outcome.status).toBe('Failure');
      expect(outcome.err).toMatch(/already running/);
    });

    it('snapshots: create, list, restore', async () => {
      await step('snapshot', () => client.createSnapshot(name, 'snap0'), 'instance-snapshot-created', `${inst(name)}/snapshots/snap0`);
      const snaps = await client.listSnapshots(name);
      expect(snaps.map((s) => s.name)).toEqual(['snap0']);
      expect(snaps[0]?.stateful).toBe(false);
      await step('restore', () => client.restoreSnapshot(name, 'snap0'), 'instance-restored', inst(name));
    });

    /**
     * Until init runs its inittab (the respawned sleep): a graceful stop sent in the first
     * milliseconds after a (re)start reaches an init without its signal handlers and is lost.
     */
    async function booted(n: string): Promise<void> {
      const end = Date.now() + 10_000;
      while ((await client.instanceState(n)).processes < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }

    it('stop (graceful), start, stop --force, start, freeze, unfreeze, restart', async () => {
      await booted(name);
      // Graceful stop emits instance-shutdown, forced stop instance-stopped: both mean stopped.
      await step('stop (graceful)', () => client.changeState(name, 'stop', { timeout: 30 }), ['instance-shutdown', 'instance-stopped'], inst(name));
      expect((await client.instanceState(name)).status).toBe('Stopped');
      await step('start again', () => client.changeState(name, 'start'), 'instance-started', inst(name));
      await step('stop --force', () => client.changeState(name, 'stop', { force: true }), 'instance-stopped', inst(name));
      await step('start (to freeze)', () => client.changeState(name, 'start'), 'instance-started', inst(name));
      await step('freeze', () => client.changeState(name, 'freeze'), 'instance-paused', inst(name));
      expect((await client.instanceState(name)).status).toBe('Frozen');
      await step('unfreeze', () => client.changeState(name, 'unfreeze'), 'instance-resumed', inst(name));
      expect((await client.instanceState(name)).status).toBe('Running');
      await booted(name);
      await step('restart', () => client.changeState(name, 'restart', { timeout: 30 }), 'instance-restarted', inst(name));
      expect((await client.instanceState(name)).status).toBe('Running');
    });

    it('exec (non-interactive) returns the exit code; a missing command is 127', async () => {
      const echo = await run(['sh', '-c', 'echo hello; exit 3']);
      expect(echo.outcome).toMatchObject({ status: 'Success', returnCode: 3 });
      expect(echo.stdout).toBe('hello\n');
      // On Incus the failure arrives as an error body from /wait; the outcome comes from the operation.
      const missing = await run(['no-such-command-here']);
      expect(missing.outcome.status).toBe('Failure');
      expect(missing.outcome.returnCode).toBe(127);
      expect(missing.outcome.err).not.toBe('');
    });

    it('operations: list, get, wait (timeout → Running), cancel refused verbatim', async () => {
      // An exec operation waits for its websockets: it stays Running and cannot be cancelled.
      const session = await client.exec(name, { command: ['true'], interactive: false });
      const id = session.operation.id;
      const listed = (await client.listOperations()).find((o) => o.id === id);
      expect(listed).toMatchObject({ status: 'Running', class: 'websocket' });
      expect((await client.getOperation(id)).id).toBe(id);
      // On Incus this /wait answers HTTP 200 with the error body "context deadline exceeded".
      const t0 = performance.now();
      const waited = await client.waitOperation(id, 1);
      expect(waited.status).toBe('Running');
      expect(performance.now() - t0).toBeLessThan(5_000);
      const raw = await client.transport.request('DELETE', `/1.0/operations/${id}`);
      const serverText = (JSON.parse(raw.text) as { error: string }).error;
      const refusal = await client.cancelOperation(id).catch((e: unknown) => e as LxdError);
      expect(refusal).toBeInstanceOf(LxdError);
      expect(refusal).toMatchObject({ kind: 'http', status: 400, message: serverText });
      // Let it finish: connect its websockets.
      const sockets = await Promise.all(Object.values(session.fds).map((s) => client.operationWebsocket(id, s)));
      expect((await client.waitOperation(id, 30)).status).toBe('Success');
      for (const ws of sockets) ws.terminate();
      await expect(client.getOperation('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ kind: 'http', status: 404 });
      expect(Array.isArray(await client.listOperations({ allProjects: true }))).toBe(true);
    });

    it('rename (stopped), delete snapshot, delete an image, delete', async () => {
      await step('stop --force', () => client.changeState(name, 'stop', { force: true }), 'instance-stopped', inst(name));
      // An image of our own to delete (the sandbox image is shared): published from the stopped instance.
      const publish = await client.transport.request('POST', '/1.0/images', { body: { source: { type: 'instance', name } } });
      const published = await client.waitOperation((JSON.parse(publish.text) as { metadata: Operation }).metadata.id, 120);
      expect(published, published.err).toMatchObject({ status: 'Success' });
      const fingerprint = String((published.operation?.metadata as { fingerprint?: string } | null)?.fingerprint ?? '');
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      await step('delete image', () => client.deleteImage(fingerprint), 'image-deleted', `/1.0/images/${fingerprint}`);
      expect((await client.listImages()).some((i) => i.fingerprint === fingerprint)).toBe(false);
      await step('rename', () => client.renameInstance(name, renamed), 'instance-renamed', inst(renamed));
      const names = (await client.listInstances()).map((i) => i.name);
      expect(names).toContain(renamed);
      expect(names).not.toContain(name);
      await step('delete snapshot', () => client.deleteSnapshot(renamed, 'snap0'), 'instance-snapshot-deleted', `${inst(renamed)}/snapshots/snap0`);
      expect(await client.listSnapshots(renamed)).toEqual([]);
      await step('delete', () => client.deleteInstance(renamed), 'instance-deleted', inst(renamed));
      await expect(client.getInstance(renamed)).rejects.toMatchObject({ kind: 'http', status: 404 });
    });

    it('images and aliases', async () => {
      const images = await client.listImages();
      const image = images.find((i) => (i.aliases ?? []).some((a) => a.name === IMAGE));
      expect(image, `an image with alias ${IMAGE}`).toBeDefined();
      expect(image!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(image!.size).toBeGreaterThan(0);
      const aliases = await client.listImageAliases();
      expect(aliases.find((a) => a.name === IMAGE)?.target).toBe(image!.fingerprint);
      // Deleting is checked on an image that does not exist: the sandbox image is shared.
      await expect(client.deleteImage('0'.repeat(64))).rejects.toMatchObject({ kind: 'http', status: 404 });
    });

    it('projects and cluster members', async () => {
      const projects = await client.listProjects();
      expect(projects.map((p) => p.name)).toContain('default');
      expect(await client.listClusterMembers()).toEqual([]);
    });

    it('the events socket stayed up the whole time', () => {
      expect(stream.status).toBe('connected');
      expect(seen.some((s) => s.event.type === 'operation')).toBe(true);
    });
  });
}
