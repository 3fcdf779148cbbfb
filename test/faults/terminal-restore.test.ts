// The terminal comes back (cooked mode, primary screen, cursor shown) however lxtop ends: SIGTERM,
// SIGHUP (the SSH connection dropped), SIGINT (a kill, not Ctrl-C: that is a byte in raw mode) and
// an uncaught exception, both in the panes and inside an exec console. The built CLI runs in a
// real pty under a shell that prints `stty -a` once the CLI has ended; the real sandbox LXD.
// The uncaught exception comes from the documented test hook LXTOP_TEST_CRASH (src/cli.tsx):
// with it set, SIGUSR2 makes the program throw from a timer.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { listedLive, startCliThenStty, type PtySession } from '../support/pty.js';
import { holderHome, type HolderHome } from '../support/sessions.js';
import { childOf, cliEnd, isCooked, rowOf, sleep } from './helpers.js';

type Ending = 'SIGTERM' | 'SIGHUP' | 'SIGINT' | 'uncaught exception';
const ENDINGS: { ending: Ending; signal: NodeJS.Signals; status: number }[] = [
  { ending: 'SIGTERM', signal: 'SIGTERM', status: 143 },
  { ending: 'SIGHUP', signal: 'SIGHUP', status: 129 },
  { ending: 'SIGINT', signal: 'SIGINT', status: 130 },
  { ending: 'uncaught exception', signal: 'SIGUSR2', status: 1 },
];

describeOn(['lxd'], 'the terminal is restored on every way out (real LXD, real pty)', () => {
  const socket = daemonSocket('lxd')!;
  const name = uniqueName('flt-term');
  let d: DaemonTool;
  const sessions: PtySession[] = [];
  // The console is a session in a holder: this file's own.
  let holder: HolderHome;

  beforeAll(async () => {
    holder = holderHome();
    d = daemonTool('lxd', socket);
    await launch(d, name);
  });
  afterEach(() => {
    for (const s of sessions.splice(0)) s.kill('SIGKILL');
  });
  afterAll(async () => {
    if (d) await remove(d, name);
    await holder?.dispose();
  });

  /** lxtop in the panes, filtered to our instance, under a shell that runs `stty -a` afterwards. */
  async function panes(): Promise<{ s: PtySession; pid: number }> {
    const s = startCliThenStty(['--socket', socket], { cols: 120, rows: 30, env: { ...holder.env, LXTOP_TEST_CRASH: '1' } });
    sessions.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write('/');
    await s.waitFor('Enter keep');
    s.write(`${name}\r`);
    await s.waitFor((x) => rowOf(x, name).startsWith('>') && !x.includes('Enter keep'), 5000);
    expect(s.inAltScreen()).toBe(true);
    expect(s.cursorVisible()).toBe(false);
    const pid = childOf(s.pty.pid);
    expect(pid).not.toBeNull();
    return { s, pid: pid! };
  }

  /** The same, then a shell in the instance through the exec console (`:` sh). */
  async function console_(): Promise<{ s: PtySession; pid: number }> {
    const p = await panes();
    p.s.write(':');
    await p.s.waitFor(`Run in ${name}`);
    p.s.write('sh\r');
    await p.s.waitFor((x) => !p.s.inAltScreen() && x.includes('detach'), 10_000);
    const n = 1000 + Math.floor(Math.random() * 1000);
    p.s.write(`echo in-console-$((${n}+1))\r`);
    await p.s.waitFor(`in-console-${n + 1}`, 10_000);
    // The holder's redraw on attach starts with a clear; the detach hint is part of the held screen.
    expect(p.s.screen()).toContain('to detach');
    return p;
  }

  for (const where of ['panes', 'console'] as const) {
    for (const { ending, signal, status } of ENDINGS) {
      it(`${ending} in the ${where}`, async () => {
        const { s, pid } = where === 'panes' ? await panes() : await console_();
        process.kill(pid, signal);
        const end = await cliEnd(s);
        expect(end.status).toBe(status);
        expect(isCooked(end.stty), end.stty).toBe(true);
        expect(s.inAltScreen()).toBe(false);
        expect(s.cursorVisible()).toBe(true);
        if (ending === 'uncaught exception') expect(s.output).toContain('LXTOP_TEST_CRASH');
        await sleep(0);
      });
    }
  }
});
