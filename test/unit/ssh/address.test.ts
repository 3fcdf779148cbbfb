// ssh:// addresses, the command line parts that take them, and the far side's probe script run by
// a real sh on sockets made for the test (as root and as an unprivileged user).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTargetArgs, resolveTarget, describeTarget } from '../../../src/config/resolve.js';
import type { LoadedConfig } from '../../../src/config/types.js';
import { parseRemoteArgs } from '../../../src/remote/args.js';
import { parseSshUrl } from '../../../src/ssh/address.js';
import { forwardArgs, REMOTE_SOCKETS, remoteScript, sshSettings } from '../../../src/ssh/command.js';
import { sshFailure, sshLines } from '../../../src/ssh/errors.js';

describe('parseSshUrl', () => {
  it('user, host, port and socket path', () => {
    expect(parseSshUrl('ssh://admin@host.example:2222/var/lib/lxd/unix.socket')).toEqual({
      destination: 'admin@host.example',
      port: 2222,
      socket: '/var/lib/lxd/unix.socket',
      url: 'ssh://admin@host.example:2222/var/lib/lxd/unix.socket',
    });
  });
  it('a bare host (an ~/.ssh/config alias): no user, port or path', () => {
    expect(parseSshUrl('ssh://prod')).toEqual({ destination: 'prod', port: undefined, socket: undefined, url: 'ssh://prod' });
    expect(parseSshUrl('ssh://prod/').socket).toBeUndefined();
  });
  it('IPv6 literal', () => {
    expect(parseSshUrl('ssh://root@[::1]:22').destination).toBe('root@::1');
  });
  it('refuses a password, a query, no host, and an option in disguise', () => {
    expect(() => parseSshUrl('ssh://a:secret@h')).toThrow(/no password/);
    expect(() => parseSshUrl('ssh://h/x?y=1')).toThrow(/query/);
    expect(() => parseSshUrl('ssh://')).toThrow();
    expect(() => parseSshUrl('ssh://-oProxyCommand=x@h')).toThrow(/invalid host or user/);
  });
});

describe('the command line', () => {
  const config: LoadedConfig = { sources: [], remotes: [], defaultRemote: 'local', defaultFrom: 'builtin', warnings: [] };
  it('a one-off lxtop ssh://… is the remote, without a configuration entry', () => {
    const { options, rest } = parseTargetArgs(['ssh://admin@h', '--once']);
    expect(options.remote).toBe('ssh://admin@h');
    expect(rest).toEqual(['--once']);
    const t = resolveTarget(config, { ...options, project: 'p1' });
    expect(t).toEqual({ kind: 'ssh', url: 'ssh://admin@h', project: 'p1', allProjects: false, remote: 'ssh://admin@h' });
    expect(describeTarget(t)).toBe('ssh://admin@h (project p1)');
  });
  it('remote add takes ssh:// (no token), and refuses a token with it', () => {
    expect(parseRemoteArgs(['add', 'r', 'ssh://admin@h:2/run/incus/unix.socket'])).toMatchObject({ cmd: 'add', name: 'r', url: 'ssh://admin@h:2/run/incus/unix.socket', ssh: true });
    expect(() => parseRemoteArgs(['add', 'r', 'ssh://h', '--token', 'x'])).toThrow(/no --token/);
  });
  it('ssh runs in batch mode with the given config file first, forwarding into the private directory', () => {
    const settings = sshSettings({ LXTOP_SSH_CONFIG: '/c/ssh_config', LXTOP_SSH_OPTIONS: '-o Compression=yes' });
    const args = forwardArgs(parseSshUrl('ssh://u@h:2200/s'), settings, [['/d/daemon.sock', '/s']]);
    expect(args.slice(0, 4)).toEqual(['-F', '/c/ssh_config', '-o', 'Compression=yes']);
    expect(args).toEqual(expect.arrayContaining(['BatchMode=yes', 'ExitOnForwardFailure=yes', '-N', '-L', '/d/daemon.sock:/s', '-p', '2200']));
    expect(args.slice(-2)).toEqual(['--', 'u@h']);
  });
  it('one ssh forwards every candidate path, each to a local socket of its own, in order', () => {
    const settings = sshSettings({ LXTOP_SSH_SOCKETS: '/a/unix.socket::/b/unix.socket' });
    expect(settings.sockets).toEqual(['/a/unix.socket', '/b/unix.socket']);
    const args = forwardArgs(parseSshUrl('ssh://h'), settings, settings.sockets.map((p, i) => [`/d/far-${i}.sock`, p] as const));
    expect(args.filter((_, i) => args[i - 1] === '-L')).toEqual(['/d/far-0.sock:/a/unix.socket', '/d/far-1.sock:/b/unix.socket']);
    expect(args.filter((a) => a === '-N')).toHaveLength(1);
    expect(sshSettings({}).sockets).toEqual(REMOTE_SOCKETS);
  });
  it('ssh\'s banners are dropped from its words, the classification follows them', () => {
    expect(sshLines('@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n\nHost key verification failed.\r\n')).toEqual([
      'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!',
      'Host key verification failed.',
    ]);
    expect(sshFailure('ssh://h', 'root@h: Permission denied (publickey).\n', 255, null).reason).toBe('auth');
    expect(sshFailure('ssh://h', 'weird\n', 255, null).message).toBe('ssh://h: ssh ended before the link was up (exit 255)\n  ssh: weird');
  });
});

describe('the far side\'s probe script, run by sh', () => {
  let dir: string;
  const servers: Server[] = [];
  const listen = (path: string) =>
    new Promise<void>((resolve) => {
      const s = createServer();
      servers.push(s);
      s.listen(path, resolve);
    });
  const run = (paths: string[], asNobody = false) => {
    // As sshd runs it: the login shell's -c with the command line ssh sent.
    const argv = ['sh', '-c', remoteScript(paths)];
    const cmd = asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
    return spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' }).stdout.trim();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lxtop-probe-'));
    chmodSync(dir, 0o755);
    await listen(join(dir, 'b.sock'));
    await listen(join(dir, 'c.sock'));
    chmodSync(join(dir, 'c.sock'), 0o600);
  });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the first socket that exists, in order; none when there is none', () => {
    expect(run([join(dir, 'a.sock'), join(dir, 'b.sock'), join(dir, 'c.sock')])).toBe(`lxtop-socket ok ${join(dir, 'b.sock')}`);
    expect(run([join(dir, 'a.sock'), join(dir, 'x.sock')])).toBe('lxtop-socket none');
  });
  it.runIf(process.getuid?.() === 0)('a socket the user may not open is "denied" (run as nobody)', () => {
    expect(run([join(dir, 'c.sock'), join(dir, 'b.sock')], true)).toBe(`lxtop-socket denied ${join(dir, 'c.sock')}`);
  });
});
