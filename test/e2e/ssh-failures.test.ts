// ssh:// failures against a real sshd on 127.0.0.1, each said plainly and never hanging: a changed
// or unknown host key (ssh's own words, known_hosts untouched), authentication refused, no sshd,
// no daemon socket at the path; and every way out of lxtop (q, SIGTERM, SIGHUP, a crash, even a
// SIGKILL followed by the next lxtop) leaves no ssh process and no private directory behind.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { runCli } from '../support/exec-instances.js';
import { startCli } from '../support/pty.js';
import { sshHome, type SshHome } from '../support/ssh-home.js';
import { requireSshd, sshChildren, startSshd, type Sshd } from '../support/sshd.js';

requireSshd();

describeOn(['lxd'], 'ssh:// failures and cleanup', () => {
  const socket = daemonSocket('lxd')!;
  let sshd: Sshd;
  let home: SshHome;

  beforeAll(async () => {
    sshd = await startSshd('lxtop-sshd-fail');
    home = sshHome('lxtop-ssh-fail', sshd);
  }, 60_000);
  afterAll(async () => {
    home?.remove();
    await sshd?.remove();
  });

  const once = (url: string, env: Record<string, string | undefined> = {}) => runCli([url, '--once'], undefined, 30_000, { ...home.env, ...env });
  const noLeftovers = () => expect(home.leftovers()).toEqual({ dirs: [], ssh: [] });

  it('no daemon socket at the path: said, exit 1', async () => {
    const run = await once(sshd.url('/nonexistent/lxtop/unix.socket'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`lxtop: ${sshd.url('/nonexistent/lxtop/unix.socket')}: no LXD or Incus socket on the far side at /nonexistent/lxtop/unix.socket`);
    noLeftovers();
  });

  it('no path and no daemon socket in any place looked at: the places said, exit 1', async () => {
    const run = await once(sshd.url(), { LXTOP_SSH_SOCKETS: '/nonexistent/a/unix.socket:/nonexistent/b/unix.socket' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`lxtop: ${sshd.url()}: no LXD or Incus socket on the far side (tried /nonexistent/a/unix.socket, /nonexistent/b/unix.socket;`);
    noLeftovers();
  });

  it('nothing listening on the ssh port: ssh\'s words, exit 1, well within the connect timeout', async () => {
    const closed = await startSshd('lxtop-sshd-gone');
    const url = closed.url(socket);
    await closed.remove();
    const run = await once(url, { LXTOP_SSH_CONFIG: sshd.clientConfig });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the ssh server\n {2}ssh: .*Connection refused/);
    expect(run.ms).toBeLessThan(10_000);
    noLeftovers();
  });

  it('a server that accepts but never answers: given up after the connect timeout, not hanging', async () => {
    const silent = createServer(() => undefined); // accepts, never sends ssh's banner
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const run = await once(`ssh://root@127.0.0.1:${port}${socket}`, { LXTOP_SSH_TIMEOUT: '2' });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/cannot reach the ssh server\n {2}ssh: .*timed out/);
      expect(run.ms).toBeLessThan(8_000);
    } finally {
      silent.close();
    }
    noLeftovers();
  });

  it('authentication refused (a key the server does not know): no password prompt, ssh\'s words', async () => {
    const otherKey = join(home.home, 'other_ed25519');
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]).status).toBe(0);
    const config = join(home.home, 'ssh_config_other');
    writeFileSync(config, readFileSync(sshd.clientConfig, 'utf8').replace(/IdentityFile .*/, `IdentityFile ${otherKey}`));
    const run = await once(sshd.url(socket), { LXTOP_SSH_CONFIG: config });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('authentication refused');
    expect(run.stderr).toMatch(/ssh: .*Permission denied \(publickey\)/);
    noLeftovers();
  });

  it.runIf(process.getuid?.() === 0)('a socket the ssh user may not open: "permission denied" on it, said, exit 1', async () => {
    // A user of this test's own (the sshd takes the same authorized key for every user): the
    // daemon's socket is root's, mode 0660, so not this user's to open.
    const user = `lxtopssh${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    const made = spawnSync('useradd', ['-M', '-N', '-s', '/bin/sh', '-d', '/', '-p', '*', user], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    try {
      const url = `ssh://${user}@127.0.0.1:${sshd.port}${socket}`;
      const run = await once(url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`lxtop: ${url}: permission denied on ${socket} (the ssh user needs to be in the daemon's group`);
      // Without a path, found by looking: the same words.
      const bare = `ssh://${user}@127.0.0.1:${sshd.port}`;
      const found = await once(bare, { LXTOP_SSH_SOCKETS: `/nonexistent/unix.socket:${socket}` });
      expect(found.code).toBe(1);
      expect(found.stderr).toContain(`lxtop: ${bare}: permission denied on ${socket} (the ssh user needs to be in the daemon's group`);
    } finally {
      spawnSync('userdel', [user]);
    }
    noLeftovers();
  });

  it('an unknown host key is refused, not accepted: known_hosts stays as it was', async () => {
    const before = readFileSync(sshd.knownHosts, 'utf8');
    writeFileSync(sshd.knownHosts, '');
    try {
      const run = await once(sshd.url(socket));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ssh refused the host key: it is not known');
      expect(run.stderr).toMatch(/ssh: .*Host key verification failed/);
      expect(readFileSync(sshd.knownHosts, 'utf8')).toBe('');
    } finally {
      writeFileSync(sshd.knownHosts, before);
    }
    noLeftovers();
  });

  it('a changed host key is refused with ssh\'s message; known_hosts untouched', async () => {
    const changed = await startSshd('lxtop-sshd-changed');
    try {
      await changed.changeHostKey();
      const before = readFileSync(changed.knownHosts, 'utf8');
      const run = await once(changed.url(socket), changed.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ssh refused the host key: it has changed since it was recorded in known_hosts');
      expect(run.stderr).toContain('ssh: WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
      expect(run.stderr).toMatch(/ssh: .*Host key verification failed/);
      expect(readFileSync(changed.knownHosts, 'utf8')).toBe(before);
    } finally {
      await changed.remove();
    }
    noLeftovers();
  });

  const endings = [
    { how: 'q', end: (s: ReturnType<typeof startCli>) => s.write('q') },
    { how: 'SIGTERM', end: (s: ReturnType<typeof startCli>) => s.kill('SIGTERM') },
    { how: 'SIGHUP', end: (s: ReturnType<typeof startCli>) => s.kill('SIGHUP') },
    { how: 'a crash', end: (s: ReturnType<typeof startCli>) => s.kill('SIGUSR2') },
  ];
  for (const { how, end } of endings) {
    it(`${how}: the ssh process ends and the private directory is removed`, async () => {
      const s = startCli([sshd.url(socket)], { cols: 120, rows: 30, env: { ...home.env, LXTOP_TEST_CRASH: '1' } });
      try {
        await s.waitFor(/\blive\b/, 30_000);
        const ssh = sshChildren(s.pty.pid);
        expect(ssh).toHaveLength(1);
        expect(home.leftovers()).toEqual({ dirs: [expect.stringMatching(/^lxtop-ssh-/)], ssh });
        end(s);
        await s.exited;
        noLeftovers();
      } finally {
        s.kill('SIGKILL');
      }
    });
  }

  it('SIGKILL: what it left (ssh, directory) is ended and removed by the next lxtop', async () => {
    const s = startCli([sshd.url(socket)], { cols: 120, rows: 30, env: home.env });
    await s.waitFor(/\blive\b/, 30_000);
    const ssh = sshChildren(s.pty.pid);
    s.kill('SIGKILL');
    await s.exited;
    expect(home.leftovers()).toEqual({ dirs: [expect.stringMatching(/^lxtop-ssh-/)], ssh });
    const run = await once(sshd.url(socket));
    expect(run.code, run.stderr).toBe(0);
    // The old ssh is signalled, not waited for: it may take a moment to go on a loaded machine.
    for (let waited = 0; waited < 5000; waited += 100) {
      const left = home.leftovers();
      if (left.dirs.length === 0 && left.ssh.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    noLeftovers();
  });
});
