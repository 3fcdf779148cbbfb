// The remote switcher (O) through the built CLI in a pty: lxtop's own configuration (a temporary
// LXTOP_CONF and HOME) names the LXD and Incus sandbox daemons by their unix sockets; O lists
// them, choosing the other reconnects (the header names the new server), and a remote that
// cannot be reached leaves the current one working with the error in the status line.
import { afterAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { listedLive, openPicker, pickInList, startCli, type PtySession } from '../support/pty.js';
import { remotesHome } from '../support/remotes-home.js';

describeOn(['lxd', 'incus'], 'O: remote switcher', () => {
  const { env, remove: removeHome } = remotesHome('p5-remote-switch', {
    'p5-lxd': { socket: daemonSocket('lxd')!, protocol: 'lxd' },
    'p5-incus': { socket: daemonSocket('incus')!, protocol: 'incus' },
    'p5-gone': { socket: '/nonexistent/lxtop-remote-switch/no.socket', protocol: 'lxd' },
  });
  const sessions: PtySession[] = [];
  afterAll(() => {
    for (const s of sessions) s.kill();
    removeHome();
  });

  async function pick(s: PtySession, label: string): Promise<void> {
    await openPicker(s, 'O', /Switch remote/);
    await pickInList(s, `${label} `);
  }

  it('switches from LXD to Incus, and an unreachable remote leaves Incus in place', async () => {
    const s = startCli([], { cols: 140, rows: 30, env });
    sessions.push(s);
    await s.waitFor((screen) => /^lxtop\s+LXD /.test(screen) && listedLive(screen), 20_000);
    await pick(s, 'p5-incus');
    await s.waitFor((screen) => /^lxtop\s+Incus /.test(screen) && screen.includes(daemonSocket('incus')!) && listedLive(screen), 20_000);
    await pick(s, 'p5-gone');
    const screen = await s.waitFor(/p5-gone: /, 20_000);
    expect(screen).toMatch(/^lxtop\s+Incus /);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 90_000);
});
