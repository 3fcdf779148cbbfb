// The client against a REAL daemon (the sandbox's LXD or Incus): every call of LxdApi, and the
// lifecycle event of every step seen on the events socket within 1 s of its operation finishing.
// Shared by client-lxd.test.ts and client-incus.test.ts; each file uses instance names of its own.
// No test relies on another having passed: each makes (or brings back) the instance it needs, the
// lifecycle and rename/delete tests have instances of their own, and afterAll removes everything
// with the file's prefix, whatever failed. Nothing else on the daemon (other instances, other
// projects, other tests' operations) is looked at.
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
/** A graceful stop's (or restart's) own timeout, as `lxc stop --timeout`: busybox halts in ~2 s. */
const GRACE_S = 10;
/** How long a freeze is waited for before the test says so and waits on (usually 1-6 s here). */
const FREEZE_S = 30;
/** How much longer a freeze still under way is waited for: the server's own limit is about 2 min. */
const FREEZE_LINGER_S = 150;

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
    /** Made by 'creates, starts…'; the running instance of the tests after it (made again if that failed). */
    const name = `${prefix}-a`;
    /** The lifecycle test's own: a stop that fails there cannot stop another test's instance. */
    const life = `${prefix}-life`;
    /** The rename / delete test's own, and its new name. */
    const doomed = `${prefix}-r`;
    const renamed = `${prefix}-b`;
    let client: LxdClient;
    let stream: EventStream;
    const seen: Seen[] = [];
    const latencies: Latency[] = [];
    /** Images this file published (deleted by their test; by afterAll if that failed first). */
    const images: string[] = [];

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
      const left = new Set((await client.listImages().catch(() => [])).map((i) => i.fingerprint));
      for (const fp of images.filter((f) => left.has(f))) await settle(client.deleteImage(fp));
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

    /** An operation, started and waited for (at most `waitS`): its outcome and when it ran. */
    interface Run {
      op: Operation;
      outcome: OperationOutcome;
      from: number;
      done: number;
    }

    async function operate(start: () => Promise<Operation>, waitS = 60): Promise<Run> {
      const from = performance.now();
      const op = await start();
      const outcome = await client.waitOperation(op.id, waitS);
      return { op, outcome, from, done: performance.now() };
    }

    /**
     * Expects a lifecycle event among `actions` for `source`, seen since the run started and no
     * later than 1 s after its `/wait` returned; records the latency.
     */
    async function expectEvent(label: string, run: Run, actions: string[], source: string): Promise<void> {
      const { op, from, done } = run;
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
    }

    /**
     * Runs one step: start the operation, wait for it (must succeed), then expect the lifecycle
     * `action` for `source` no later than 1 s after `/wait` returned; records the latency.
     */
    async function step(label: string, start: () => Promise<Operation>, action: string | string[], source: string): Promise<OperationOutcome> {
      const r = await operate(start);
      expect(r.outcome, `${label}: ${r.outcome.err}`).toMatchObject({ status: 'Success' });
      await expectEvent(label, r, [action].flat(), source);
      return r.outcome;
    }

    /** Set-up, not under test: the operation must succeed, no event looked for. */
    async function must(what: string, start: () => Promise<Operation>): Promise<void> {
      const { outcome } = await operate(start);
      if (outcome.status !== 'Success') throw new Error(`${what}: ${outcome.status} ${outcome.err}`);
    }

    /**
     * Until init runs its inittab (the respawned sleep): a graceful stop sent in the first
     * milliseconds after a (re)start reaches an init without its signal handlers and is lost.
     */
    async function booted(n: string): Promise<void> {
      const end = Date.now() + 10_000;
      while ((await client.instanceState(n)).processes < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }

    /** `n` exists and is Running, its init up: made, started or unfrozen as needed. */
    async function running(n: string): Promise<void> {
      const current = await client.getInstance(n).then(
        ({ instance }) => instance,
        (err: unknown) => {
          if (err instanceof LxdError && err.status === 404) return null;
          throw err;
        },
      );
      if (!current) await must(`create ${n}`, () => client.createInstance({ name: n, image: { alias: IMAGE } }));
      const status = current?.status ?? 'Stopped';
      if (status === 'Frozen') await must(`unfreeze ${n}`, () => client.changeState(n, 'unfreeze'));
      else if (status !== 'Running') await must(`start ${n}`, () => client.changeState(n, 'start'));
      await booted(n);
    }

    /**
     * A graceful stop or restart the way someone at `lxc stop` gets one done: bounded by a short
     * timeout (the server answers Failure when init did not halt in time), asked once more, then
     * forced. Graceful is what is tested and what normally happens; a signal lost by an init that
     * had just started costs ~2 × GRACE_S instead of hanging the test until its own timeout (and
     * leaving its operation running into the next tests). The event of whichever ended it is
     * checked: instance-shutdown / -stopped (stop), instance-restarted (restart).
     */
    async function gracefully(label: string, n: string, action: 'stop' | 'restart'): Promise<void> {
      const actions = action === 'stop' ? ['instance-shutdown', 'instance-stopped'] : ['instance-restarted'];
      for (let attempt = 1; attempt <= 2; attempt++) {
        await booted(n);
        const r = await operate(() => client.changeState(n, action, { timeout: GRACE_S }), GRACE_S + 20);
        if (r.outcome.status === 'Success') return expectEvent(label, r, actions, inst(n));
        console.log(`[${daemon}] ${label} of ${n}, attempt ${attempt} (timeout ${GRACE_S} s): ${r.outcome.status} ${r.outcome.err}`);
        // Halted late, after the server gave up waiting: stopped all the same.
        if (action === 'stop' && (await client.instanceState(n)).status === 'Stopped') return expectEvent(label, { ...r, done: performance.now() }, actions, inst(n));
        if (r.outcome.status === 'Running') break; // still waiting on init: force it now
      }
      if (action === 'restart' && (await client.instanceState(n)).status === 'Stopped') {
        await step(`${label} (start)`, () => client.changeState(n, 'start'), 'instance-started', inst(n));
        return;
      }
      await step(`${label} (forced)`, () => client.changeState(n, action, { force: true }), actions, inst(n));
    }

    /**
     * Freeze, bounded and tried again. LXD 5.0 freezes through the cgroup v1 freezer, asking again
     * about once a second until every task is frozen: 1-6 s on these machines, but on a fresh CI
     * machine one freeze was still under way after 60 s (the test's timeout) and failed after
     * ~2 min ("freezing the container failed"), and exec operations into that instance hung
     * meanwhile. A freeze cannot be cancelled: past FREEZE_S the test says so and waits for the
     * server to finish or give up, and a failure is tried once more, as `lxc pause` would be.
     */
    async function freeze(label: string, n: string): Promise<void> {
      for (let attempt = 1; attempt <= 2; attempt++) {
        await booted(n);
        let r = await operate(() => client.changeState(n, 'freeze'), FREEZE_S);
        if (r.outcome.status === 'Running') {
          console.log(`[${daemon}] ${label} of ${n}, attempt ${attempt}: still freezing after ${FREEZE_S} s; waiting for the server`);
          const outcome = await client.waitOperation(r.op.id, attempt === 1 ? FREEZE_LINGER_S : FREEZE_S);
          r = { ...r, outcome, done: performance.now() };
        }
        if (r.outcome.status === 'Success') return expectEvent(label, r, ['instance-paused'], inst(n));
        console.log(`[${daemon}] ${label} of ${n}, attempt ${attempt}: ${r.outcome.status} ${r.outcome.err}`);
        if (r.outcome.status === 'Running') break;
        // A failed freeze thaws what it froze; make sure of it before the next try.
        if ((await client.instanceState(n)).status === 'Frozen') await settle(client.changeState(n, 'unfreeze'));
      }
      throw new Error(`${label}: ${n} could not be frozen (see the log above)`);
    }

    /** Non-interactive exec: open every websocket, let the command run, read the outcome. */
    async function run(n: string, command: string[]): Promise<{ outcome: OperationOutcome; stdout: string }> {
      const session = await client.exec(n, { command, interactive: false });
      const sockets: WebSocket[] = [];
      let stdout = '';
      let stdoutDone: Promise<void> = Promise.resolve();
      try {
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
        return { outcome, stdout };
      } finally {
        for (const ws of sockets) ws.terminate();
      }
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
      await running(name);
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
      await running(name);
      const outcome = await client.waitOperation((await client.changeState(name, 'start')).id, 30);
      expect(outcome.status).toBe('Failure');
      expect(outcome.err).toMatch(/already running/);
    });

    it('snapshots: create, list, restore', async () => {
      await running(name);
      await step('snapshot', () => client.createSnapshot(name, 'snap0'), 'instance-snapshot-created', `${inst(name)}/snapshots/snap0`);
      const snaps = await client.listSnapshots(name);
      expect(snaps.map((s) => s.name)).toEqual(['snap0']);
      expect(snaps[0]?.stateful).toBe(false);
      await step('restore', () => client.restoreSnapshot(name, 'snap0'), 'instance-restored', inst(name));
    });

    it('stop (graceful), start, stop --force, start, freeze, unfreeze, restart', async () => {
      await running(life);
      // Graceful stop emits instance-shutdown, forced stop instance-stopped: both mean stopped.
      await gracefully('stop (graceful)', life, 'stop');
      expect((await client.instanceState(life)).status).toBe('Stopped');
      await step('start again', () => client.changeState(life, 'start'), 'instance-started', inst(life));
      await step('stop --force', () => client.changeState(life, 'stop', { force: true }), 'instance-stopped', inst(life));
      await step('start (to freeze)', () => client.changeState(life, 'start'), 'instance-started', inst(life));
      await freeze('freeze', life);
      expect((await client.instanceState(life)).status).toBe('Frozen');
      await step('unfreeze', () => client.changeState(life, 'unfreeze'), 'instance-resumed', inst(life));
      expect((await client.instanceState(life)).status).toBe('Running');
      await gracefully('restart', life, 'restart');
      expect((await client.instanceState(life)).status).toBe('Running');
      // Every step bounded: graceful ones 2 × (GRACE_S + 20) then forced, the freeze as above.
    }, 420_000);

    it('exec (non-interactive) returns the exit code; a missing command is 127', async () => {
      await running(name);
      const echo = await run(name, ['sh', '-c', 'echo hello; exit 3']);
      expect(echo.outcome).toMatchObject({ status: 'Success', returnCode: 3 });
      expect(echo.stdout).toBe('hello\n');
      // On Incus the failure arrives as an error body from /wait; the outcome comes from the operation.
      const missing = await run(name, ['no-such-command-here']);
      expect(missing.outcome.status).toBe('Failure');
      expect(missing.outcome.returnCode).toBe(127);
      expect(missing.outcome.err).not.toBe('');
    });

    it('operations: list, get, wait (timeout → Running), cancel refused verbatim', async () => {
      await running(name);
      // An exec operation waits for its websockets: it stays Running and cannot be cancelled.
      // Only this operation is looked at (by its id): other tests' may be in the list too.
      const session = await client.exec(name, { command: ['true'], interactive: false });
      const id = session.operation.id;
      const sockets: WebSocket[] = [];
      try {
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
        sockets.push(...(await Promise.all(Object.values(session.fds).map((s) => client.operationWebsocket(id, s)))));
        expect((await client.waitOperation(id, 30)).status).toBe('Success');
      } finally {
        // Failed before that: connect them now, so the operation ends instead of staying Running.
        if (sockets.length === 0) sockets.push(...(await Promise.all(Object.values(session.fds).map((s) => client.operationWebsocket(id, s).catch(() => null)))).filter((ws) => ws !== null));
        for (const ws of sockets) ws.terminate();
      }
      await expect(client.getOperation('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ kind: 'http', status: 404 });
      expect(Array.isArray(await client.listOperations({ allProjects: true }))).toBe(true);
    });

    it('rename (stopped), delete snapshot, delete an image, delete', async () => {
      // An instance of its own, stopped, with a snapshot: this test removes it.
      await must(`create ${doomed}`, () => client.createInstance({ name: doomed, image: { alias: IMAGE } }));
      await must(`snapshot ${doomed}`, () => client.createSnapshot(doomed, 'snap0'));
      // An image of our own to delete (the sandbox image is shared): published from the stopped instance.
      const publish = await client.transport.request('POST', '/1.0/images', { body: { source: { type: 'instance', name: doomed } } });
      const published = await client.waitOperation((JSON.parse(publish.text) as { metadata: Operation }).metadata.id, 120);
      expect(published, published.err).toMatchObject({ status: 'Success' });
      const fingerprint = String((published.operation?.metadata as { fingerprint?: string } | null)?.fingerprint ?? '');
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      images.push(fingerprint);
      await step('delete image', () => client.deleteImage(fingerprint), 'image-deleted', `/1.0/images/${fingerprint}`);
      expect((await client.listImages()).some((i) => i.fingerprint === fingerprint)).toBe(false);
      await step('rename', () => client.renameInstance(doomed, renamed), 'instance-renamed', inst(renamed));
      const names = (await client.listInstances()).map((i) => i.name);
      expect(names).toContain(renamed);
      expect(names).not.toContain(doomed);
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
