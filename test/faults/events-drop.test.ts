// The events websocket drops while the REST API stays up: the real sandbox LXD behind a unix-socket
// proxy that passes REST through and cuts (and, for a while, refuses) websocket upgrades only.
// The built CLI in a real pty: the banner says the event stream is lost, keys and polling carry
// on, and once the stream is back what happened meanwhile (an instance created, one started)
// is on screen — missed events are gone, so that takes the re-list after the reconnect.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';
import { rowOf, sleep } from './helpers.js';

interface EventsProxy {
  socket: string;
  /** Cuts every open websocket connection and refuses new upgrades until `restore()`. */
  drop(): void;
  restore(): void;
  /** Websocket connections passed through so far. */
  upgrades: number;
  close(): Promise<void>;
}

async function startEventsProxy(target: string): Promise<EventsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-evproxy-'));
  const path = join(dir, 'unix.socket');
  const websockets = new Set<Socket>();
  const all = new Set<Socket>();
  let refusing = false;
  const state = { upgrades: 0 };
  const server: Server = createServer((client) => {
    all.add(client);
    client.on('close', () => all.delete(client));
    client.once('data', (first: Buffer) => {
      const isUpgrade = /\r\nupgrade:\s*websocket/i.test(first.toString('latin1'));
      if (isUpgrade && refusing) {
        client.destroy();
        return;
      }
      const upstream = createConnection(target);
      all.add(upstream);
      upstream.on('close', () => all.delete(upstream));
      if (isUpgrade) {
        state.upgrades++;
        websockets.add(client);
        client.on('close', () => websockets.delete(client));
      }
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    socket: path,
    drop() {
      refusing = true;
      for (const s of websockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
    get upgrades() {
      return state.upgrades;
    },
    async close() {
      for (const s of all) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeOn(['lxd'], 'the events socket drops while REST stays up (real LXD behind a proxy)', () => {
  const socket = daemonSocket('lxd')!;
  const prefix = uniqueName('flt-ev');
  const names = { run: `${prefix}-run`, later: `${prefix}-later`, made: `${prefix}-made` };
  let d: DaemonTool;
  let proxy: EventsProxy;
  let s: PtySession;

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    await Promise.all([launch(d, names.run), launch(d, names.later, { start: false })]);
    proxy = await startEventsProxy(socket);
    s = startCli(['--socket', proxy.socket, '--interval', '500ms'], { cols: 130, rows: 30 });
    await s.waitFor(listedLive, 15_000);
    s.write('/');
    await s.waitFor('Enter keep');
    s.write(`${prefix}\r`);
    await s.waitFor((x) => /Running/.test(rowOf(x, names.run)) && /Stopped/.test(rowOf(x, names.later)) && !x.includes('Enter keep'), 10_000);
  }, 90_000);

  afterAll(async () => {
    s?.kill('SIGKILL');
    await proxy?.close();
    if (d) await Promise.all(Object.values(names).map((n) => remove(d, n)));
  }, 90_000);

  it('banner while the stream is down; keys and polling carry on; what was missed shows after the reconnect', async () => {
    expect(proxy.upgrades).toBe(1);
    proxy.drop();
    await s.waitFor(/Event stream lost/, 5000);
    expect(s.screen()).not.toContain('Connection lost'); // REST is fine

    // Keys work, and the running instance's figures keep coming through REST.
    s.write('?');
    await s.waitFor('Everywhere', 3000);
    s.write('q');
    await s.waitFor((x) => !x.includes('Everywhere'), 3000);
    const before = rowOf(s.screen(), names.run);
    await s.waitFor((x) => /\d\.\d%/.test(rowOf(x, names.run)) && rowOf(x, names.run) !== before, 10_000);

    // Meanwhile, changes whose events go nowhere.
    await d.tool('start', names.later);
    await launch(d, names.made, { start: false });
    await sleep(300);
    expect(rowOf(s.screen(), names.later)).toMatch(/Stopped/);
    expect(rowOf(s.screen(), names.made)).toBe('');

    proxy.restore();
    await s.waitFor(
      (x) => !x.includes('Event stream lost') && /Running/.test(rowOf(x, names.later)) && /Stopped/.test(rowOf(x, names.made)),
      10_000,
    );
    expect(proxy.upgrades).toBeGreaterThanOrEqual(2);
    // And the stream is live again: an outside stop shows by its event.
    await d.tool('stop', '--force', names.later);
    await s.waitFor((x) => /Stopped/.test(rowOf(x, names.later)), 3000);
    expect(s.output).not.toContain('unexpected error');
  }, 60_000);
});
