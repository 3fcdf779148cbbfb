// A private sshd on 127.0.0.1 for bench/ssh.mjs, as test/support/sshd.ts makes one for the tests:
// Debian's /usr/sbin/sshd, its own config, host key and authorized key, a free port, and a client
// ssh config file (given to lxtop as LXTOP_SSH_CONFIG and to the reference `ssh -F`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const banner = (port) =>
  new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('SSH-'))));
    s.once('error', () => resolve(false));
  });

export async function startSshd() {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-bench-sshd-'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const key of ['host', 'id']) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
  const port = await freePort();
  const conf = [
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'AllowStreamLocalForwarding yes',
    'LogLevel ERROR',
  ];
  writeFileSync(join(dir, 'sshd_config'), conf.join('\n') + '\n');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const client = [
    'Host *',
    `  IdentityFile ${join(dir, 'id')}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
  ];
  const config = join(dir, 'ssh_config');
  writeFileSync(config, client.join('\n') + '\n');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config'), '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await banner(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    port,
    /** The listener's pid: each connection's sshd is its child, reaped into its cutime/cstime. */
    pid: child.pid,
    config,
    url: (path = '') => `ssh://root@127.0.0.1:${port}${path}`,
    sshArgs: ['-F', config, '-p', String(port), 'root@127.0.0.1'],
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
