// A real OpenSSH server for the ssh:// tests: Debian's /usr/sbin/sshd on 127.0.0.1, a free
// unprivileged port, its own sshd_config, host key and authorized key, no systemd. The client side
// gets its own ssh config file (`-F`, given to lxtop as LXTOP_SSH_CONFIG) and known_hosts, so the
// caller's ~/.ssh is never read or written. Under CI a missing sshd fails the suite, never skips.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** True when sshd and ssh are installed; under CI, throws instead of returning false. */
/** Throws, with what to install, where sshd or ssh is missing: the ssh:// suites fail, never skip. */
export function requireSshd(): void {
  if (existsSync(SSHD) && spawnSync('ssh', ['-V']).status === 0) return;
  throw new Error(`${SSHD} or ssh is missing: apt-get install openssh-server openssh-client (scripts/test does)`);
}

export interface Sshd {
  port: number;
  dir: string;
  /** The client's ssh config file (for `ssh -F` and LXTOP_SSH_CONFIG). */
  clientConfig: string;
  knownHosts: string;
  /** `ssh://root@127.0.0.1:PORT` (+ path). */
  url(path?: string): string;
  /** Environment for lxtop: its ssh config file. */
  env: Record<string, string>;
  /**
   * Stops the server and every session it holds (a dropped link); with keepSessions, the listener
   * only (links up stay up, new ones are refused). start() brings it back on the same port.
   */
  stop(opts?: { keepSessions?: boolean }): Promise<void>;
  start(): Promise<void>;
  /** Another host key for the same address: what a changed host looks like. */
  changeHostKey(): Promise<void>;
  remove(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(file: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lxtop-test', '-f', file]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

/** Resolves once the port answers with an SSH banner. */
async function waitBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('SSH-'))));
      s.once('error', () => resolve(false));
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd on port ${port} did not answer: ${log()}`);
}

export async function startSshd(prefix = 'lxtop-sshd'): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'id_ed25519');
  keygen(hostKey);
  keygen(userKey);
  // sshd reads authorized_keys as the user logging in: other users than root must reach it.
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`), { mode: 0o644 });
  chmodSync(dir, 0o711);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowStreamLocalForwarding yes',
      'PrintMotd no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const knownHosts = join(dir, 'known_hosts');
  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(
    clientConfig,
    [
      'Host *',
      `  IdentityFile ${userKey}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      '',
    ].join('\n'),
  );
  let port = 0;
  let child: ChildProcess | null = null;
  let log = '';

  const launch = async () => {
    log = '';
    const c = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    child = c;
    await waitBanner(port, c, () => log);
  };
  const start = async () => {
    for (let attempt = 0; ; attempt++) {
      if (port === 0) port = await freePort();
      try {
        await launch();
        return;
      } catch (err) {
        // Someone took the port between freePort() and sshd's bind: another one (first start only).
        if (attempt >= 4 || !/Address already in use/.test(log) || existsSync(knownHosts)) throw err;
        port = 0;
      }
    }
  };
  const stop = async (opts: { keepSessions?: boolean } = {}) => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    // Each connection's sshd is a child of the listener: ending it ends that session.
    const sessions = opts.keepSessions ? [] : childrenOf(c.pid!);
    c.kill('SIGTERM');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    await exited;
  };
  const writeKnownHosts = () =>
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);

  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  writeKnownHosts();
  return {
    get port() {
      return port;
    },
    dir,
    clientConfig,
    knownHosts,
    url: (path = '') => `ssh://root@127.0.0.1:${port}${path}`,
    env: { LXTOP_SSH_CONFIG: clientConfig },
    stop,
    start,
    async changeHostKey() {
      await stop();
      rmSync(hostKey, { force: true });
      rmSync(`${hostKey}.pub`, { force: true });
      keygen(hostKey);
      await start();
    },
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The processes whose parent is `pid` (from /proc), with their command names. */
function children(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (m && Number(m[2]) === pid) out.push({ pid: Number(entry), comm: m[1] });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function childrenOf(pid: number): number[] {
  return children(pid).map((c) => c.pid);
}

/** The ssh processes whose parent is `pid`: what lxtop started and has not ended. */
export function sshChildren(pid: number): number[] {
  return children(pid).filter((c) => c.comm === 'ssh').map((c) => c.pid);
}

/** ssh processes whose command line names `needle` (any parent: lxtop may be gone). */
export function sshProcessesWith(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd[0] === 'ssh' && cmd.some((a) => a.includes(needle))) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
