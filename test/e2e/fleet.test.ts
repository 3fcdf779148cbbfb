// The fleet view against the real LXD and Incus sandboxes (and a remote that is not there): lxtop's
// own configuration (a temporary LXTOP_CONF and HOME) names the three by their unix sockets.
// `--once` joins both servers' instances with a REMOTE column; the TUI shows each remote's own
// connection state, lists both, keeps working while one is offline, and acts on the right server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { startCli, waitForOutput, type PtySession } from '../support/pty.js';
import { remotesHome } from '../support/remotes-home.js';

describeOn(['lxd', 'incus'], 'the fleet view (LXD + Incus + an unreachable remote)', () => {
  const { env, remove: removeHome } = remotesHome('fleet', {
    'f-lxd': { socket: daemonSocket('lxd')!, protocol: 'lxd' },
    'f-incus': { socket: daemonSocket('incus')!, protocol: 'incus' },
    'f-gone': { socket: '/nonexistent/lxtop-fleet/unix.socket', protocol: 'lxd' },
    'f-noproj': { socket: daemonSocket('incus')!, protocol: 'incus', project: 'no-such-project-here' },
  });
  const lxd = daemonTool('lxd', daemonSocket('lxd')!);
  const incus = daemonTool('incus', daemonSocket('incus')!);
  const onLxd = uniqueName('fl');
  const onIncus = uniqueName('fi');
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    await Promise.all([launch(lxd, onLxd, { start: false }), launch(incus, onIncus, { start: false })]);
  }, 120_000);
  afterAll(async () => {
    for (const s of sessions) s.kill();
    await Promise.all([remove(lxd, onLxd), remove(incus, onIncus)]);
    removeHome();
  }, 120_000);

  const row = (text: string, remote: string, name: string) => new RegExp(`^${remote}\\s+${name}\\s+Stopped\\s`, 'm').test(text);

  it('--once lists both servers\' instances with a REMOTE column', async () => {
    const run = await runCli(['f-lxd:', 'f-incus:', '--once'], undefined, 30_000, env);
    const out = run.stdout.toString();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(out).toMatch(/^REMOTE\s+NAME\s+STATUS/);
    expect(row(out, 'f-lxd', onLxd), out).toBe(true);
    expect(row(out, 'f-incus', onIncus), out).toBe(true);
  });

  it('--once with an unreachable remote: the others are listed, the failure named on stderr, exit 1', async () => {
    const run = await runCli(['f-lxd:', 'f-gone:', 'f-incus:', '--once'], undefined, 30_000, env);
    const out = run.stdout.toString();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^lxtop: f-gone: /m);
    expect(row(out, 'f-lxd', onLxd), out).toBe(true);
    expect(row(out, 'f-incus', onIncus), out).toBe(true);
  });

  it('--once with a remote whose project the server lacks: named on stderr with the projects there are, exit 1', async () => {
    const run = await runCli(['f-lxd:', 'f-noproj:', '--once'], undefined, 30_000, env);
    expect(run.code).toBe(1);
    // Every project, in the server's order: others' (benchmarks, other tests) may come before default.
    const has = /^lxtop: f-noproj: project "no-such-project-here" not found; the server has: (.*)$/m.exec(run.stderr);
    expect(has, run.stderr).not.toBeNull();
    expect(has![1].split(', ')).toContain('default');
    expect(row(run.stdout.toString(), 'f-lxd', onLxd)).toBe(true);
  });

  it('the TUI shows each remote\'s state, lists both while one is offline, and starts an instance on its own server', async () => {
    const s = startCli(['f-lxd:', 'f-incus:', 'f-gone:'], { cols: 160, rows: 30, env });
    sessions.push(s);
    await s.waitFor((screen) => /f-lxd LXD \S+ live/.test(screen) && /f-incus Incus \S+ live/.test(screen) && /f-gone offline/.test(screen), 20_000);
    // Why it is offline, once, in the status line.
    await s.waitFor(/f-gone: offline, trying again every 2 s: No LXD or Incus daemon found/, 5000);
    // Both servers' rows in one table; narrow it down to the Incus one and start it by key.
    s.write(`/${onIncus}`);
    await s.waitFor((screen) => row(screen.replace(/^> /gm, '  ').replace(/^ {2}/gm, ''), 'f-incus', onIncus), 10_000);
    s.write('\r');
    s.write('s');
    await s.waitFor(new RegExp(`f-incus\\s+${onIncus}\\s+Running`), 15_000);
    expect((await incus.tool('list', onIncus, '-c', 's', '-f', 'csv')).trim()).toBe('RUNNING');
    expect(s.screen()).toMatch(/2\/3 remotes up/);
    // The console opens through the row's own remote (Incus here), and the fleet comes back.
    s.write(':');
    await s.waitFor(`Run in ${onIncus}`, 5000);
    s.write('sh -c "echo fleet-$((6*7)); exit 4"');
    s.write('\r');
    await waitForOutput(s, ['fleet-42', 'lxtop: exit code 4'], 15_000);
    await s.waitFor((screen) => /f-incus Incus \S+ live/.test(screen) && screen.includes(`${onIncus}: exit code 4`), 15_000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 90_000);

  it('the events view joins both servers\' events with a REMOTE column, and Enter goes to the row on its remote', async () => {
    const evL = uniqueName('fel');
    const evI = uniqueName('fei');
    await Promise.all([launch(lxd, evL, { start: false }), launch(incus, evI, { start: false })]);
    try {
      const s = startCli(['f-lxd:', 'f-incus:'], { cols: 200, rows: 30, env });
      sessions.push(s);
      await s.waitFor((screen) => /f-lxd LXD \S+ live/.test(screen) && /f-incus Incus \S+ live/.test(screen), 20_000);
      s.write('E');
      await s.waitFor(/Events \d+, newest first/);
      s.write('/instance-started\r');
      await s.waitFor('/instance-started');
      await Promise.all([lxd.tool('start', evL), incus.tool('start', evI)]);
      const started = (remote: string, name: string) => new RegExp(`^[> ]\\S+\\s+${remote}\\s+\\S+\\s+${name}\\s+lifecycle\\s+instance-started`, 'm');
      await s.waitFor((screen) => started('f-lxd', evL).test(screen) && started('f-incus', evI).test(screen), 5000);
      expect(s.screen()).toMatch(/^ TIME\s+REMOTE\s+PROJECT\s+INSTANCE/m);
      // The newest first: select the Incus start wherever it is, then Enter goes to its row.
      const lines = s.screen().split('\n');
      const header = lines.findIndex((l) => /^ TIME\s+REMOTE/.test(l));
      const target = lines.findIndex((l) => started('f-incus', evI).test(l));
      for (let i = header + 1; i < target; i++) s.write('j');
      await s.waitFor((screen) => new RegExp(`^>\\S+\\s+f-incus\\s+\\S+\\s+${evI}`, 'm').test(screen), 5000);
      s.write('\r');
      await s.waitFor((screen) => !/Events \d+/.test(screen) && new RegExp(`^>[* ]f-incus\\s+${evI}\\s+Running`, 'm').test(screen), 5000);
      s.write('q');
      expect((await s.exited).exitCode).toBe(0);
    } finally {
      await Promise.all([remove(lxd, evL), remove(incus, evI)]);
    }
  }, 90_000);
});
