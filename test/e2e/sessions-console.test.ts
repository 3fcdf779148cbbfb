// The instance console as a session kind (`lxtop console NAME`) against the sandbox LXD: the
// console log first, then live what the instance writes to /dev/console, keys reach the console's
// tty (its echo comes back), Enter ~. detaches and leaves it in the holder; the instance stopping
// ends it with a reason.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { cliEnd, expectCooked } from '../support/exec-suite.js';
import { listedLive, type PtySession } from '../support/pty.js';
import { eventually, holderHome, type HolderHome } from '../support/sessions.js';

describeOn(['lxd'], 'the instance console as a session (lxd)', () => {
  const socket = daemonSocket('lxd') as string;
  let d: DaemonTool;
  const name = uniqueName('sess-cons');
  let h: HolderHome;
  const ptys: PtySession[] = [];

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    await launch(d, name);
  });
  afterEach(async () => {
    for (const s of ptys.splice(0)) s.kill('SIGKILL');
    await h?.dispose();
  });
  afterAll(async () => {
    await remove(d, name);
  });

  it('shows the console log, then live output; keys reach its tty; detach keeps it; the instance stopping ends it', async () => {
    h = holderHome();
    await d.tool('exec', name, '--', 'sh', '-c', 'echo console-before-$((40+2)) > /dev/console');
    const s = h.pty(['--socket', socket, 'console', name], { cols: 100, rows: 30 });
    ptys.push(s);
    await s.waitFor('console-before-42', 10_000);
    await d.tool('exec', name, '--', 'sh', '-c', 'echo console-live-$((50+5)) > /dev/console');
    await s.waitFor('console-live-55', 10_000);
    // The console's tty echoes what is typed (nothing reads it in a busybox container).
    s.write('typed-into-console');
    await s.waitFor('typed-into-console', 5000);
    s.write('\r~.');
    const end = await cliEnd(s);
    expect(end.status).toBe(0);
    expectCooked(end.stty);
    const listed = () => h.lxtop(['sessions', '--format', 'json']).then((r) => JSON.parse(r.stdout.toString()) as { id: string; command: string; kind: string; state: string; reason: string }[]);
    expect((await listed())[0]).toMatchObject({ kind: 'console', command: 'console', state: 'detached' });
    // Re-attached: the earlier screen.
    const again = h.pty(['attach', '1'], { cols: 100, rows: 30 });
    ptys.push(again);
    await again.waitFor((screen) => screen.includes('console-live-55') && screen.includes('typed-into-console'), 10_000);
    again.write('\r~.');
    expect((await cliEnd(again)).status).toBe(0);
    await d.tool('stop', '--force', name);
    const ended = await eventually('the console session ended', async () => {
      const one = (await listed())[0];
      return one.state === 'exited' || one.state === 'lost' ? one : null;
    }, 30_000);
    expect(ended.reason).not.toBe('');
  });

  it('C in the TUI opens the console as a session; detach returns to the panes', async () => {
    h = holderHome();
    await d.tool('start', name).catch(() => undefined);
    await d.tool('exec', name, '--', 'sh', '-c', 'echo tui-console-$((30+3)) > /dev/console');
    const s = h.pty(['--socket', socket], { cols: 140, rows: 30 });
    ptys.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write('/');
    await s.waitFor('Enter keep');
    s.write(`${name}\r`);
    await s.waitFor((screen) => screen.split('\n').some((l) => l.startsWith('>') && l.includes(name) && l.includes('Running')), 10_000);
    s.write('C');
    await s.waitFor((screen) => !s.inAltScreen() && screen.includes('tui-console-33'), 10_000);
    s.write('\r~.');
    await s.waitFor((screen) => s.inAltScreen() && /detached from session 1/.test(screen), 10_000);
    s.write('q');
    expect((await cliEnd(s)).status).toBe(0);
  });

  it('says what is wrong: an instance that is not there', async () => {
    h = holderHome();
    const s = h.pty(['--socket', socket, 'console', 'no-such-instance-here']);
    ptys.push(s);
    const end = await cliEnd(s);
    expect(end.status).toBe(1);
    expect(s.output).toMatch(/instance no-such-instance-here not found/);
  });
});
