// The TUI's consoles as sessions, end to end against the sandbox LXD: e opens a shell in the
// holder, Enter ~. detaches back to the panes with the shell still running, the Sessions pane (5)
// lists it; a SIGHUP of lxtop (an ssh link dropping) leaves it running with the same pid, and a new
// lxtop re-attaches to it with its earlier screen. History (l), rename (m), close (c, asks).
import { execFileSync } from 'node:child_process';
import { chownSync, readlinkSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { cliEnd, expectCooked, shellReady } from '../support/exec-suite.js';
import { listedLive, type PtySession } from '../support/pty.js';
import { holderHome, type HolderHome } from '../support/sessions.js';

describeOn(['lxd'], 'TUI sessions against lxd', () => {
  const socket = daemonSocket('lxd') as string;
  let d: DaemonTool;
  const name = uniqueName('sess-tui');
  const homes: HolderHome[] = [];
  const ptys: PtySession[] = [];
  const home = () => {
    const h = holderHome();
    homes.push(h);
    return h;
  };
  const list = async (h: HolderHome) => JSON.parse((await h.lxtop(['sessions', '--format', 'json'])).stdout.toString()) as { id: string; name: string; state: string; exitCode: number | null }[];
  const alive = async (pid: string) => {
    try {
      await d.tool('exec', name, '--', 'kill', '-0', pid);
      return true;
    } catch {
      return false;
    }
  };
  const sessionRow = (screen: string, id: string) => screen.split('\n').find((l) => new RegExp(`^[> ][* ]${id}\\b.*${name}`).test(l)) ?? '';

  /** The TUI filtered down to our instance, selected. */
  async function tui(h: HolderHome, extra: string[] = []): Promise<PtySession> {
    const s = h.pty(['--socket', socket, ...extra], { cols: 140, rows: 30 });
    ptys.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write('/');
    await s.waitFor('Enter keep');
    s.write(name);
    await s.waitFor(`/${name}`);
    s.write('\r');
    await s.waitFor((screen) => screen.split('\n').some((l) => l.startsWith(`>`) && l.includes(name)));
    return s;
  }

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    await launch(d, name);
  });
  afterEach(async () => {
    for (const s of ptys.splice(0)) s.kill('SIGKILL');
    for (const h of homes.splice(0)) await h.dispose();
  });
  afterAll(async () => {
    await remove(d, name);
  });

  it('e is a session: detach returns to the panes with the shell running; SIGHUP of lxtop keeps it (same pid); a new lxtop re-attaches to its screen', async () => {
    const h = home();
    const s = await tui(h);
    s.write('e');
    await s.waitFor(() => !s.inAltScreen(), 10_000);
    await shellReady(s);
    s.write('echo PID=$$; echo tui-marker-$((20+3))\r');
    await s.waitFor('tui-marker-23');
    const pid = /PID=(\d+)/.exec(s.screen())?.[1] as string;
    s.write('\r~.');
    await s.waitFor((screen) => s.inAltScreen() && /detached from session 1/.test(screen), 10_000);
    expect((await list(h)).map((x) => x.state)).toEqual(['detached']);
    s.write('5');
    await s.waitFor((screen) => screen.includes('[5 Sessions 1]') && /detached/.test(sessionRow(screen, '1')));

    // An ssh link dropping: SIGHUP to lxtop.
    const child = execFileSync('ps', ['-o', 'pid=', '--ppid', String(s.pty.pid)]).toString().trim().split('\n')[0].trim();
    process.kill(Number(child), 'SIGHUP');
    const end = await cliEnd(s);
    expectCooked(end.stty);
    expect(await alive(pid)).toBe(true);
    expect((await list(h))[0]).toMatchObject({ id: '1', state: 'detached' });

    const again = h.pty(['--socket', socket], { cols: 140, rows: 30 });
    ptys.push(again);
    await again.waitFor(listedLive, 15_000);
    again.write('5');
    await again.waitFor((screen) => /detached/.test(sessionRow(screen, '1')), 10_000);
    again.write('\r');
    await again.waitFor((screen) => !again.inAltScreen() && screen.includes('tui-marker-23'), 10_000);
    again.write('echo pid-now=$$\r');
    await again.waitFor(`pid-now=${pid}`);
    again.write('exit 3\r');
    await again.waitFor((screen) => again.inAltScreen() && /exited \(3\)/.test(sessionRow(screen, '1')), 10_000);
    again.write('q');
    const done = await cliEnd(again);
    expect(done.status).toBe(0);
    expectCooked(done.stty);
  });

  it("a terminal the holder may not open (another user's, as after su): lxtop relays the keys itself; the shell answers, detach returns to panes that still take keys", async () => {
    const h = home();
    const s = await tui(h);
    // The holder opens only a terminal of its own user's: this one now belongs to nobody.
    chownSync(readlinkSync(`/proc/${s.pty.pid}/fd/0`), 65534, -1);
    s.write('e');
    await s.waitFor(() => !s.inAltScreen(), 10_000);
    await shellReady(s);
    s.write('echo relayed-$((40+2))\r');
    await s.waitFor('relayed-42');
    expect(h.holderTerminals()).toEqual([]);
    s.write('\r~.');
    await s.waitFor((screen) => s.inAltScreen() && /detached from session 1/.test(screen), 10_000);
    s.write('5');
    await s.waitFor((screen) => screen.includes('[5 Sessions 1]') && /detached/.test(sessionRow(screen, '1')));
    s.write('q');
    expect((await cliEnd(s)).status).toBe(0);
  });

  it('the Sessions pane: history without attaching (l), a name (m), close asks while the command runs (c), refused in --read-only', async () => {
    const h = home();
    const started = await h.lxtop(['--socket', socket, 'exec', '-d', name, '--', 'sh', '-c', 'for i in 1 2 3; do echo hist-line-$i; done; exec sleep 600']);
    const id = started.stdout.toString().trim();
    expect(id).toBe('1');
    const ro = h.pty(['--socket', socket, '--read-only'], { cols: 140, rows: 30 });
    ptys.push(ro);
    await ro.waitFor(listedLive, 15_000);
    ro.write('5');
    await ro.waitFor((screen) => /detached/.test(sessionRow(screen, '1')), 10_000);
    ro.write('c');
    await ro.waitFor(/Read-only mode: close the session refused/);
    ro.write('q');
    expect((await cliEnd(ro)).status).toBe(0);

    const s = h.pty(['--socket', socket], { cols: 140, rows: 30 });
    ptys.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write('5');
    await s.waitFor((screen) => /detached/.test(sessionRow(screen, '1')), 10_000);
    s.write('l');
    await s.waitFor((screen) => ['hist-line-1', 'hist-line-2', 'hist-line-3'].every((t) => screen.includes(t)), 10_000);
    s.write('\x1b');
    await s.waitFor((screen) => /detached/.test(sessionRow(screen, '1')));
    s.write('m');
    await s.waitFor('Name session 1');
    s.write('builder\r');
    await s.waitFor((screen) => /^[> ][* ]1 builder\b/m.test(screen), 10_000);
    expect((await list(h))[0].name).toBe('builder');
    s.write('c');
    await s.waitFor(/Close session 1/);
    s.write('y');
    await s.waitFor((screen) => /exited/.test(sessionRow(screen, '1')), 10_000);
    // An ended session is removed without asking.
    s.write('c');
    await s.waitFor((screen) => screen.includes('[5 Sessions 0]'), 10_000);
    s.write('q');
    expect((await cliEnd(s)).status).toBe(0);
  });
});
