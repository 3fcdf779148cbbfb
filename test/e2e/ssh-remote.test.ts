// ssh:// remotes against a real OpenSSH server on 127.0.0.1 (test/support/sshd.ts) in front of the
// sandbox LXD: `remote add`, `--once` (the same table as through the unix socket), `lxtop exec`
// (exit status, stdout and stderr apart), an interactive console in a pty, and the link dropped
// mid-session (the TUI shows it disconnected and comes back once ssh can connect again). Every
// instance is made in a project of this file's own, removed in afterAll; nothing is left in TMPDIR.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fingerprintPem } from '../../src/remote/tls.js';
import { daemonSocket, describeOn, LXD_URL } from '../support/daemons.js';
import { unixApi } from '../support/unix-api.js';
import { daemonTool, runCli, startExecThenStty, uniqueName } from '../support/exec-instances.js';
import { startCli, type PtySession } from '../support/pty.js';
import { sshHome, type SshHome } from '../support/ssh-home.js';
import { requireSshd, sshChildren, startSshd, type Sshd } from '../support/sshd.js';

requireSshd();

describeOn(['lxd'], 'ssh:// remote to the sandbox LXD through a real sshd', () => {
  const socket = daemonSocket('lxd')!;
  const lxd = daemonTool('lxd', socket);
  const project = uniqueName('sshp');
  const names = [uniqueName('ssha'), uniqueName('sshb')];
  let sshd: Sshd;
  let home: SshHome;
  const sessions: PtySession[] = [];
  /** The client certificate the HTTPS remote made the daemon trust: untrusted in afterAll. */
  let untrust: string | null = null;

  beforeAll(async () => {
    sshd = await startSshd('lxtop-sshd-e2e');
    home = sshHome('lxtop-ssh-e2e', sshd);
    // `sr`, as remote add writes it (the remote add test adds one of its own): each test stands alone.
    const conf = [
      'remotes:',
      ...[['sr', sshd.url(socket)], ['lx', `unix://${socket}`]].flatMap(([name, addr]) => [`  ${name}:`, `    addr: ${addr}`, '    protocol: lxd', `    project: ${project}`]),
      '',
    ].join('\n');
    writeFileSync(join(home.env.LXTOP_CONF!, 'config.yml'), conf);
    await lxd.tool('project', 'create', project, '-c', 'features.images=false', '-c', 'features.profiles=false');
    for (const n of names) await lxd.tool('init', process.env.LXTOP_TEST_IMAGE || 'busybox', n, '--project', project);
    await lxd.tool('start', names[0], '--project', project);
  }, 120_000);

  afterAll(async () => {
    for (const s of sessions) s.kill();
    if (untrust) await unixApi(socket, 'DELETE', `/1.0/certificates/${untrust}`).catch(() => undefined);
    for (const n of names) await lxd.tool('delete', '--force', n, '--project', project).catch(() => undefined);
    await lxd.tool('project', 'delete', project).catch(() => undefined);
    home?.remove();
    await sshd?.remove();
  }, 120_000);

  const noLeftovers = () => expect(home.leftovers()).toEqual({ dirs: [], ssh: [] });

  it('remote add records it, saying which daemon answered through ssh', async () => {
    const run = await runCli(['remote', 'add', 'sr2', sshd.url(socket), '--project', project], undefined, 30_000, home.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(new RegExp(`Remote sr2 added: ssh://root@127.0.0.1:${sshd.port}/\\S+ \\(LXD \\S+ at ssh://`));
    const list = await runCli(['remote', 'list'], undefined, 30_000, home.env);
    expect(list.stdout.toString()).toMatch(new RegExp(`^sr2\\s+ssh://root@127\\.0\\.0\\.1:${sshd.port}\\S+\\s+lxd\\s+${project}`, 'm'));
    noLeftovers();
  });

  it('--once through ssh:// lists the same instances as through the unix socket', async () => {
    const [viaSsh, viaUnix, oneOff] = [
      await runCli(['sr:', '--once'], undefined, 30_000, home.env),
      await runCli(['--socket', socket, '--project', project, '--once'], undefined, 30_000, home.env),
      await runCli([sshd.url(socket), '--project', project, '--once'], undefined, 30_000, home.env),
    ];
    for (const r of [viaSsh, viaUnix, oneOff]) expect(r.code, r.stderr).toBe(0);
    // Name, status and type: memory and process counts move between two reads.
    const rows = (t: Buffer) => t.toString().trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(rows(viaSsh.stdout)).toEqual(rows(viaUnix.stdout));
    expect(rows(oneOff.stdout)).toEqual(rows(viaUnix.stdout));
    expect(rows(viaSsh.stdout)).toEqual(expect.arrayContaining([`${names[0]} Running CT`, `${names[1]} Stopped CT`]));
    noLeftovers();
  });

  it('without a path, one ssh finds the socket (the first place that answers, in order) and names it', async () => {
    // The ssh program counts its runs; the daemon's socket is the last place to look, after three
    // that are not there on this machine.
    const calls = join(home.home, 'ssh-calls');
    const wrapper = join(home.home, 'ssh-counting');
    writeFileSync(wrapper, `#!/bin/sh\necho run >> ${calls}\nexec ssh "$@"\n`, { mode: 0o755 });
    const places = ['/nonexistent/lxd/unix.socket', '/nonexistent/incus/unix.socket', join(home.home, 'no.socket'), socket];
    const run = await runCli([sshd.url(), '--project', project, '--once'], undefined, 30_000, { ...home.env, LXTOP_SSH: wrapper, LXTOP_SSH_SOCKETS: places.join(':') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`lxtop: note: ${sshd.url()}: the daemon's socket there is ${socket}\n`);
    expect(run.stdout.toString()).toMatch(new RegExp(`^${names[0]}\\s+Running`, 'm'));
    expect(readFileSync(calls, 'utf8')).toBe('run\n');
    noLeftovers();
  });

  it('the fleet view mixes it with unix socket and HTTPS remotes: the same instances under each REMOTE', async () => {
    const add = await runCli(['remote', 'add', 'hx', LXD_URL, '--password', 'lxtop-sandbox', '--accept-certificate', '--project', project], undefined, 30_000, home.env);
    const crt = join(home.env.LXTOP_CONF!, 'client.crt');
    if (existsSync(crt)) untrust = fingerprintPem(readFileSync(crt, 'utf8'));
    expect(add.code, add.stderr).toBe(0);
    const run = await runCli(['sr:', 'lx:', 'hx:', '--once'], undefined, 30_000, home.env);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.toString().trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    const expected = ['sr', 'lx', 'hx'].flatMap((r) => [`${r} ${names[0]} Running`, `${r} ${names[1]} Stopped`]);
    expect(rows.sort()).toEqual(expected.sort());
    noLeftovers();
  });

  it('lxtop exec sr:NAME: exit status 7, stdout and stderr apart', async () => {
    const run = await runCli(['exec', `sr:${names[0]}`, '--', 'sh', '-c', 'echo out; echo err >&2; sleep 0.2; exit 7'], undefined, 30_000, home.env);
    expect(run.stdout.toString()).toBe('out\n');
    expect(run.stderr).toBe('err\n');
    expect(run.code).toBe(7);
    noLeftovers();
  });

  it('an interactive console through ssh works in a pty, and says lost when the ssh process is killed', async () => {
    const s = startExecThenStty(['exec', `sr:${names[0]}`], { env: home.env });
    sessions.push(s);
    s.write('echo "sum=$((6*7))"\r');
    await s.waitFor(/sum=42/, 20_000);
    s.write('exit 3\r');
    await s.waitFor(/CLI-EXIT=3/, 20_000);
    noLeftovers();

    const t = startExecThenStty(['exec', `sr:${names[0]}`], { env: home.env });
    sessions.push(t);
    t.write('echo "ready=$((5*5))"\r');
    await t.waitFor(/ready=25/, 20_000);
    const lxtopPid = (await waitFor(() => lxtopOf(t.pty.pid)))!;
    for (const pid of sshChildren(lxtopPid)) process.kill(pid, 'SIGKILL');
    await t.waitFor(/connection lost/, 20_000);
    await t.waitFor(/CLI-EXIT=255/, 20_000);
    noLeftovers();
  });

  it('the TUI shows the remote disconnected when ssh dies and the server is gone, and live again once ssh connects', async () => {
    const s = startCli(['sr:'], { cols: 140, rows: 30, env: home.env });
    sessions.push(s);
    await s.waitFor((screen) => screen.includes(names[0]) && screen.includes(names[1]) && /\blive\b/.test(screen), 30_000);
    expect(s.screen()).toContain(`ssh://root@127.0.0.1:${sshd.port}`);
    const [ssh] = sshChildren(s.pty.pid);
    expect(ssh).toBeGreaterThan(0);
    await sshd.stop({ keepSessions: true }); // no new links from here on
    process.kill(ssh, 'SIGKILL');
    const down = await s.waitFor(/disconnected/, 30_000);
    expect(down).toMatch(new RegExp(`Connection lost: .* on ssh://root@127\\.0\\.0\\.1:${sshd.port}/`));
    await sshd.start();
    await s.waitFor((screen) => !screen.includes('disconnected') && /\blive\b/.test(screen) && screen.includes(names[0]), 40_000);
    const again = sshChildren(s.pty.pid);
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(ssh);
    // While it runs: one private directory (mode 0700) and the one ssh forwarding into it.
    expect(home.leftovers()).toEqual({ dirs: [expect.stringMatching(/^lxtop-ssh-/)], ssh: again });
    expect(statSync(join(home.tmp, home.leftovers().dirs[0])).mode & 0o777).toBe(0o700);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
    noLeftovers();
  });

  it('in the fleet view, the ssh remote shows offline when its link drops and live again, the unix one unaffected', async () => {
    const s = startCli(['sr:', 'lx:'], { cols: 160, rows: 30, env: home.env });
    sessions.push(s);
    await s.waitFor((screen) => /sr LXD \S+ live/.test(screen) && /lx LXD \S+ live/.test(screen), 30_000);
    const [ssh] = sshChildren(s.pty.pid);
    await sshd.stop({ keepSessions: true });
    process.kill(ssh, 'SIGKILL');
    const down = await s.waitFor(/sr offline/, 30_000);
    expect(down).toMatch(/lx LXD \S+ live/);
    await sshd.start();
    await s.waitFor((screen) => /sr LXD \S+ live/.test(screen) && /lx LXD \S+ live/.test(screen), 40_000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
    noLeftovers();
  });
});

/** The lxtop (node) under the pty's shell. */
function lxtopOf(shellPid: number): number | null {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(readFileSync(`/proc/${e}/stat`, 'utf8'));
      if (m && Number(m[2]) === shellPid && m[1].startsWith('node')) return Number(e);
    } catch {
      // gone
    }
  }
  return null;
}

async function waitFor<T>(get: () => T | null, ms = 10_000): Promise<T | null> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== null || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
