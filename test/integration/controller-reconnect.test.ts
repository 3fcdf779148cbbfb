// Losing the daemon and getting it back, with the real client and the real LXD behind a proxy that
// can cut every connection and refuse new ones (the shared sandbox daemon itself is not touched).
// What happens meanwhile (an instance created by someone else) must show up after the recovery.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import { createController } from '../../src/store/controller.js';
import { selectBanner } from '../../src/store/selectors.js';
import { createStore } from '../../src/store/store.js';
import { instanceKey, type Controller, type State, type Store } from '../../src/store/state.js';
import { daemonSocket, describeOn } from '../support/daemons.js';

const IMAGE = process.env.LXTOP_TEST_IMAGE ?? 'busybox';

interface CutProxy {
  socket: string;
  /** Cut every open connection and refuse new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function startCutProxy(target: string): Promise<CutProxy> {
  const path = join(tmpdir(), `lxtop-cut-proxy-${process.pid}.sock`);
  rmSync(path, { force: true });
  const live = new Set<Socket>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      live.add(s);
      s.on('close', () => live.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    socket: path,
    cut() {
      refusing = true;
      for (const s of live) s.destroy();
    },
    restore() {
      refusing = false;
    },
    async close() {
      for (const s of live) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}

describeOn(['lxd'], 'controller recovery after losing the daemon (real LXD behind a proxy)', () => {
  const name = `ctl-cut-${Math.random().toString(36).slice(2, 7)}`;
  let proxy: CutProxy;
  let direct: LxdClient;
  let proxied: LxdClient;
  let store: Store;
  let ctl: Controller;

  function until(cond: (s: State) => boolean, what: string, ms = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const tick = setInterval(() => {
        if (cond(store.getState())) {
          clearInterval(tick);
          clearTimeout(timer);
          resolve();
        }
      }, 25);
      const timer = setTimeout(() => {
        clearInterval(tick);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
    });
  }

  beforeAll(async () => {
    const socket = daemonSocket('lxd')!;
    proxy = await startCutProxy(socket);
    direct = new LxdClient(new Transport({ kind: 'unix', socket }));
    proxied = new LxdClient(new Transport({ kind: 'unix', socket: proxy.socket }), {
      events: { initialDelayMs: 100, maxDelayMs: 400 },
    });
    store = createStore();
    ctl = createController(proxied, store, { interval: 300 });
    await ctl.start();
  });

  afterAll(async () => {
    ctl?.stop();
    await proxied?.close().catch(() => undefined);
    await proxy?.close();
    if (direct) {
      try {
        await direct.waitOperation((await direct.deleteInstance(name)).id, 60);
      } catch {
        // not created, or already gone
      }
      await direct.close();
    }
  });

  it('shows the banner with the error, keeps retrying, recovers and re-lists what it missed', async () => {
    await until((s) => s.connection.events === 'connected' && s.connection.rest === 'ok', 'connected');
    expect(selectBanner(store.getState())).toBeNull();

    proxy.cut();
    await until((s) => s.connection.eventsLost, 'the event stream lost');
    await ctl.refresh(); // a REST call while the daemon is unreachable
    let s = store.getState();
    expect(s.connection.rest).toBe('down');
    expect(s.connection.reconnecting).toBe(true);
    expect(s.connection.lastError).toBeTruthy();
    expect(selectBanner(s)).toContain(s.connection.lastError!);

    // Meanwhile someone else creates an instance: its events go to nobody.
    const op = await direct.createInstance({ name, image: { alias: IMAGE } });
    expect((await direct.waitOperation(op.id, 60)).status).toBe('Success');
    expect(store.getState().instances[instanceKey('default', name)]).toBeUndefined();

    proxy.restore();
    await until((st) => st.connection.rest === 'ok' && !st.connection.reconnecting, 'recovery', 40_000);
    await until((st) => st.instances[instanceKey('default', name)] !== undefined, 'the instance created while cut');
    s = store.getState();
    expect(selectBanner(s)).toBeNull();
    expect(s.connection.events).toBe('connected');
    expect(s.instances[instanceKey('default', name)].status).toBe('Stopped');
  });
});
