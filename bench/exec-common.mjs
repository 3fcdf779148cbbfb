// Shared by the exec benchmarks: which daemon, a throw-away instance, how to run lxtop and the
// daemon's own client (lxc / incus) against the same socket.
import { execFileSync } from 'node:child_process';
import pty from 'node-pty';
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

/**
 * Keystroke echo in a pty: `file args` must print SESSION-UP once the remote side is up, then copy
 * nothing back (`cat > /dev/null`): every byte read is the remote PTY's echo. p50 / p99 / max in ms.
 */
export async function echoTimes(keys, file, args, env) {
  const p = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, env });
  let out = '';
  let waiter = null;
  p.onData((d) => {
    out += d;
    if (waiter && out.includes(waiter.want)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  const expect = (want, ms = 10_000) =>
    new Promise((resolve, reject) => {
      if (out.includes(want)) return resolve();
      const t = setTimeout(() => reject(new Error(`no "${want}" in ${ms} ms; got ${JSON.stringify(out.slice(-300))}`)), ms);
      waiter = { want, resolve: () => (clearTimeout(t), resolve()) };
    });
  // The remote `cat > /dev/null` copies nothing back: every byte read is the remote PTY's echo.
  await expect('SESSION-UP');
  out = '';
  p.write('warm');
  await expect('warm');
  const times = [];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const warmup = 30; // untimed, for both tools: JIT and first-use costs are not what is measured
  for (let i = -warmup; i < keys; i++) {
    out = '';
    const ch = alphabet[(i + warmup) % alphabet.length];
    const t0 = process.hrtime.bigint();
    const got = expect(ch);
    p.write(ch);
    await got;
    if (i >= 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (i % 60 === 59 || i === -1) {
      out = '';
      const nl = expect('\n');
      p.write('\r');
      await nl;
    }
  }
  p.write('\x04');
  await new Promise((r) => {
    p.onExit(r);
    setTimeout(() => {
      p.kill();
      r();
    }, 3000);
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] };
}

