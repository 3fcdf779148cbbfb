// Shared by the exec benchmarks: which daemon, a throw-away instance, how to run lxtop and the
// daemon's own client (lxc / incus) against the same socket.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cli = process.env.LXTOP_EXEC_CLI || join(root, 'dist/cli.js');

export function options(argv = process.argv.slice(2)) {
  const get = (flag, fallback) => {
    const i = argv.indexOf(flag);
    return i === -1 ? fallback : argv[i + 1];
  };
  const daemon = get('--daemon', 'lxd');
  if (daemon !== 'lxd' && daemon !== 'incus') throw new Error('--daemon lxd|incus');
  const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
  const socket =
    get('--socket') ??
    (daemon === 'lxd' ? process.env.LXD_SOCKET : process.env.INCUS_SOCKET) ??
    join(sandbox, daemon, 'unix.socket');
  if (!existsSync(socket)) throw new Error(`no ${daemon} socket at ${socket} (scripts/sandbox up ${daemon})`);
  if (!existsSync(cli)) throw new Error(`${cli} missing: npm run build first`);
  return { daemon, socket, get };
}

export function daemonClient(daemon, socket) {
  const bin = daemon === 'lxd' ? 'lxc' : 'incus';
  const env =
    daemon === 'lxd'
      ? { ...process.env, LXD_DIR: dirname(socket), LXD_SOCKET: socket }
      : { ...process.env, INCUS_DIR: dirname(socket), INCUS_SOCKET: socket };
  return { bin, env, run: (...args) => execFileSync(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString() };
}

/** lxtop's arguments for a daemon socket (the global option goes before the subcommand). */
export const lxtopArgs = (socket, ...rest) => [cli, '--socket', socket, ...rest];

export function withInstance(client, prefix, fn) {
  const name = `${prefix}-${process.pid.toString(36)}`;
  client.run('init', 'busybox', name);
  client.run('start', name);
  const cleanup = () => {
    try {
      client.run('delete', '--force', name);
    } catch {
      // gone
    }
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  return Promise.resolve()
    .then(() => fn(name))
    .finally(cleanup);
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
