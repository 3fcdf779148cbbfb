// How soon lxtop is back once the daemon answers again, whatever how long it was away: the real
// client and controller against the fake daemon, which goes away (socket gone) for a few seconds
// and comes back on the same socket. Back = REST ok, events connected, no banner, re-listed.
// The events backoff jitter is fixed (the rest is the defaults the CLI uses), so the timeline is
// the same on every run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import { Transport } from '../../src/lxd/transport.js';
import { createController } from '../../src/store/controller.js';
import { selectBanner } from '../../src/store/selectors.js';
import { createStore } from '../../src/store/store.js';
import type { Controller, State, Store } from '../../src/store/state.js';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { sleep } from './helpers.js';

const BACK_WITHIN_MS = 2000;

let fake: FakeLxd | null = null;
let client: LxdClient | null = null;
let ctl: Controller | null = null;
const dirs: string[] = [];

afterEach(async () => {
  ctl?.stop();
  await client?.close();
  await fake?.close();
  fake = client = ctl = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function until(store: Store, cond: (s: State) => boolean, ms: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const tick = setInterval(() => {
      if (cond(store.getState())) {
        clearInterval(tick);
        resolve(performance.now() - t0);
      } else if (performance.now() - t0 > ms) {
        clearInterval(tick);
        reject(new Error(`not back within ${ms} ms: ${JSON.stringify(store.getState().connection)}`));
      }
    }, 10);
  });
}

describe('reconnecting after the daemon was away', () => {
  for (const awayMs of [1500, 4000]) {
    it(`is back within 2 s of the daemon answering after ${awayMs / 1000} s away`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lxtop-rc-'));
      dirs.push(dir);
      const socket = join(dir, 'unix.socket');
      fake = await startFakeLxd({ socket, instances: 3, running: 1, prefix: 'rc' });
      client = new LxdClient(new Transport({ kind: 'unix', socket }), { events: { random: () => 0.99 } });
      const store = createStore();
      ctl = createController(client, store);
      await ctl.start();
      await until(store, (s) => s.connection.rest === 'ok' && s.connection.events === 'connected', 5000);

      await fake.close(); // the socket goes away, every connection drops
      fake = null;
      await until(store, (s) => s.connection.eventsLost, 5000);
      await ctl.refresh();
      expect(store.getState().connection.rest).toBe('down');
      await sleep(awayMs);

      // Back, with one more instance than before: the re-list must bring it.
      fake = await startFakeLxd({ socket, instances: 4, running: 1, prefix: 'rc' });
      const ms = await until(
        store,
        (s) => s.connection.rest === 'ok' && s.connection.events === 'connected' && selectBanner(s) === null && s.instances['default/rc-4'] !== undefined,
        15_000,
      );
      console.log(`[reconnect] away ${awayMs} ms: back ${ms.toFixed(0)} ms after the daemon answered (target ≤ ${BACK_WITHIN_MS} ms)`);
      expect(ms).toBeLessThanOrEqual(BACK_WITHIN_MS);
    }, 30_000);
  }
});
