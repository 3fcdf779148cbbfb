// The warnings view (W) through the built CLI on a real daemon of the test's own: a private LXD
// (test/faults/private-lxd.ts), whose start raises the host's warnings (no AppArmor, no KVM, cgroup
// controllers missing), so deleting one touches nothing another test or person uses. The header
// counts them; in --read-only the view lists them but a and d are refused and not hinted; otherwise
// a acknowledges the selected warning and d deletes it once confirmed (n keeps it), each checked
// against the daemon's own list.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LxdClient } from '../../src/lxd/client.js';
import type { Warning } from '../../src/lxd/host.js';
import { Transport } from '../../src/lxd/transport.js';
import { shownWarnings } from '../../src/views/warnings.js';
import { createPrivateLxd, type PrivateLxd } from '../faults/private-lxd.js';
import { describeOn } from '../support/daemons.js';
import { startCli, type PtySession } from '../support/pty.js';

describeOn(['private-lxd'], 'the warnings view on a real daemon (a private LXD and its startup warnings)', () => {
  let d: PrivateLxd;
  let api: LxdClient;
  const sessions: PtySession[] = [];
  const list = () => api.listWarnings();
  const header = (n: number, fresh: number) => new RegExp(`${n} warnings? \\(${fresh} new\\)`);

  beforeAll(async () => {
    d = await createPrivateLxd('lxtop-e2e-warn-');
    await d.start();
    spawnSync('lxd', ['waitready', '--timeout', '30'], { env: { ...process.env, LXD_DIR: d.dir, LXD_SOCKET: join(d.dir, 'unix.socket') }, stdio: 'ignore' });
    api = new LxdClient(new Transport({ kind: 'unix', socket: d.socket }));
    const deadline = Date.now() + 20_000;
    while ((await list()).filter((w) => w.status === 'new').length < 2) {
      if (Date.now() > deadline) throw new Error(`the private LXD raised fewer than 2 warnings: ${JSON.stringify(await list())}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of sessions) s.kill('SIGKILL');
    await api?.close();
    await d?.remove();
  }, 60_000);

  function start(readOnly: boolean): PtySession {
    const s = startCli(['--socket', d.socket, ...(readOnly ? ['--read-only'] : [])], { cols: 120, rows: 30 });
    sessions.push(s);
    return s;
  }

  it('--read-only: the count and the list, but a and d refused and not hinted; nothing changed', async () => {
    const before = await list();
    const s = start(true);
    await s.waitFor(header(before.length, before.length), 20_000);
    s.write('W');
    const view = await s.waitFor(`Warnings ${before.length}, ${before.length} new`, 5000);
    expect(view).toContain(shownWarnings(before)[0].type);
    expect(view).not.toMatch(/a acknowledge|d delete/);
    s.write('a');
    await s.waitFor('Read-only mode: acknowledge the warning', 5000);
    s.write('d');
    await s.waitFor('Read-only mode: delete the warning refused', 5000);
    expect(s.screen()).not.toContain('Delete warning');
    expect((await list()).map((w) => [w.uuid, w.status])).toEqual(before.map((w) => [w.uuid, w.status]));
    s.write('q');
    await s.waitFor((x) => !x.includes('Warnings '), 5000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 60_000);

  it('a acknowledges the selected warning; d asks, n keeps it, y deletes it', async () => {
    const before = await list();
    const n = before.length;
    const [first, second] = shownWarnings(before) as Warning[];
    const s = start(false);
    await s.waitFor(header(n, n), 20_000);
    s.write('W');
    await s.waitFor(`Warnings ${n}, ${n} new`, 5000);
    s.write('a');
    await s.waitFor(`Warnings ${n}, ${n - 1} new`, 10_000);
    expect((await list()).find((w) => w.uuid === first.uuid)?.status).toBe('acknowledged');
    await s.waitFor(header(n, n - 1), 5000);

    // The acknowledged one went to the end: the selection (row 0) is now `second`.
    s.write('d');
    await s.waitFor('Delete warning', 5000);
    expect(s.screen()).toContain(second.type.slice(0, 20));
    s.write('n');
    await s.waitFor((x) => !x.includes('Delete warning') && x.includes(`Warnings ${n}, ${n - 1} new`), 5000);
    expect((await list()).some((w) => w.uuid === second.uuid)).toBe(true);

    s.write('d');
    await s.waitFor('Delete warning', 5000);
    s.write('y');
    await s.waitFor(`Warnings ${n - 1}, ${n - 2} new`, 10_000);
    expect((await list()).some((w) => w.uuid === second.uuid)).toBe(false);
    // Esc, then q only once the view has closed: an Esc with a q straight after it reads as Alt-q.
    s.write('\x1b');
    await s.waitFor((x) => !x.includes('Warnings ') && header(n - 1, n - 2).test(x), 5000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 60_000);
});
