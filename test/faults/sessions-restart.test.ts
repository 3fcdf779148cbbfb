// A session's daemon goes away and comes back (a private, real LXD of this test's own: the shared
// daemons are never restarted). The session shows how it ended, with the reason; nothing hangs:
// the list answers while the daemon is down, attaching says the session ended, and a new session
// starts once the daemon is back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOn } from '../support/daemons.js';
import { eventually, holderHome, type HolderHome } from '../support/sessions.js';
import { createPrivateLxd, setUpPrivateLxd, type PrivateLxd } from './private-lxd.js';

interface Listed {
  id: string;
  state: string;
  reason: string;
}

describeOn(['private-lxd'], 'sessions across a daemon restart (private real LXD)', () => {
  let d: PrivateLxd;
  let h: HolderHome;
  const list = async (): Promise<Listed[]> => {
    const r = await h.lxtop(['sessions', '--format', 'json']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout.toString()) as Listed[];
  };

  beforeAll(async () => {
    d = await createPrivateLxd('lxtop-sess-lxd-');
    await setUpPrivateLxd(d, ['web'], ['web']);
    h = holderHome({ LXTOP_HEARTBEAT_MS: '500' });
  }, 120_000);

  afterAll(async () => {
    await h?.dispose();
    await d?.remove();
  }, 60_000);

  it('a session whose daemon stops shows exited or lost with the reason; the holder keeps answering; a new one starts after', async () => {
    const started = await h.lxtop(['--socket', d.socket, 'exec', '-d', 'web', '--', 'sh', '-c', 'echo up; exec sleep 600']);
    expect(started.stderr).toBe('');
    const id = started.stdout.toString().trim();
    await eventually('detached', async () => (await list()).find((s) => s.id === id)?.state === 'detached');

    await d.stop();
    const ended = await eventually('the session ended', async () => {
      const s = (await list()).find((x) => x.id === id);
      return s && (s.state === 'lost' || s.state === 'exited') ? s : null;
    }, 20_000);
    expect(ended.reason).not.toBe('');
    const t0 = Date.now();
    const attach = await h.lxtop(['attach', id]);
    expect(attach.code).toBe(1);
    expect(attach.stderr).toMatch(new RegExp(`session ${id} has ended`));
    expect(Date.now() - t0).toBeLessThan(5000);

    await d.start();
    await eventually('web running again', async () => /RUNNING/.test(d.lxc('list', '-c', 'ns', '--format', 'csv')) || (d.lxc('start', 'web'), false), 60_000);
    const again = await h.lxtop(['--socket', d.socket, 'exec', '-d', 'web', '--', 'sleep', '600']);
    expect(again.stderr).toBe('');
    expect(again.stdout.toString().trim()).toMatch(/^\d+$/);
    console.log(`[sessions-restart] the session ended as: ${ended.state}: ${ended.reason}`);
  }, 120_000);
});
