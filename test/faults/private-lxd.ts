// A private, real LXD daemon for one test file: its own LXD_DIR under /tmp, a dir storage pool, the
// sandbox's busybox image; stopped and started again at will (the shared sandbox daemons must
// never be stopped: other tests run against them). Started the way scripts/sandbox starts its
// daemons. `remove()` leaves no process, mount or directory behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { probeSocket } from '../../src/lxd/socket.js';
import { sleep } from './helpers.js';

export const SANDBOX_IMAGE = join(process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox', 'busybox.tar.gz');

/**
 * True when a private LXD can run here: the lxd binary and the sandbox image exist, and we are root.
 * Under CI a missing piece throws instead: these tests must fail there, never skip.
 */
export function canRunPrivateLxd(): boolean {
  const lxd = spawnSync('sh', ['-c', 'command -v lxd && command -v lxc'], { stdio: 'ignore' }).status === 0;
  const ok = lxd && existsSync(SANDBOX_IMAGE) && process.getuid?.() === 0;
  if (!ok && process.env.CI) {
    throw new Error(`CI is set but a private LXD cannot run here (lxd: ${lxd}, image ${SANDBOX_IMAGE}: ${existsSync(SANDBOX_IMAGE)}, root: ${process.getuid?.() === 0})`);
  }
  return ok;
}

export interface PrivateLxd {
  dir: string;
  socket: string;
  /** Runs `lxc …` against this daemon; resolves with stdout. */
  lxc(...args: string[]): string;
  /** Starts the daemon; resolves once `GET /1.0` answers, with the time (performance.now()) it first did. */
  start(): Promise<number>;
  /** Clean shutdown (`lxd shutdown`); resolves when the daemon process is gone. */
  stop(): Promise<void>;
  /** Stops the daemon and removes everything it left. */
  remove(): Promise<void>;
}

export async function createPrivateLxd(prefix = 'lxtop-flt-lxd-'): Promise<PrivateLxd> {
  const dir = mkdtempSync(join('/tmp', prefix));
  const socket = join(dir, 'unix.socket');
  const env: NodeJS.ProcessEnv = { ...process.env, LXD_DIR: dir, LXD_CONF: join(dir, '.conf') };
  delete env.LXD_SOCKET;
  let child: ChildProcess | null = null;

  const lxc = (...args: string[]): string => {
    // stdin must not be a pipe: `lxc init` would read a config from it.
    const r = spawnSync('lxc', args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`lxc ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    return r.stdout;
  };

  const alive = (): boolean => child !== null && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<number> {
    const log = openSync(join(dir, 'daemon.out'), 'a');
    child = spawn('lxd', ['--group', 'root', '--logfile', join(dir, 'lxd.log')], { env, stdio: ['ignore', log, log], detached: true });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if ((await probeSocket(socket, 500)) === null) return performance.now();
      if (!alive()) throw new Error(`private lxd exited: ${readFileSync(join(dir, 'daemon.out'), 'utf8').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error('private lxd did not answer within 30 s');
      await sleep(10);
    }
  }

  async function stop(): Promise<void> {
    if (!alive()) return;
    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    spawnSync('lxd', ['shutdown', '--timeout', '30'], { env, stdio: 'ignore', timeout: 40_000 });
    const t = setTimeout(() => child?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }

  /** Processes started for this daemon (its instances' monitors) still alive: by their environment. */
  function leftovers(): number[] {
    const out: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        if (readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(`LXD_DIR=${dir}`)) out.push(Number(p));
      } catch {
        // gone, or not ours to read
      }
    }
    return out;
  }

  async function remove(): Promise<void> {
    try {
      if (alive()) await stop();
    } finally {
      for (const pid of leftovers()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      const mounts = spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).stdout ?? '';
      for (const m of mounts.split('\n').filter((t) => t.startsWith(`${dir}/`)).sort().reverse()) {
        spawnSync('umount', ['-l', m], { stdio: 'ignore' });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }

  return { dir, socket, lxc, start, stop, remove };
}

/** A fresh daemon with a dir pool, the busybox image, and `instances` created (the first `running` started). */
export async function setUpPrivateLxd(d: PrivateLxd, names: string[], running: string[]): Promise<void> {
  await d.start();
  spawnSync('lxd', ['waitready', '--timeout', '30'], { env: { ...process.env, LXD_DIR: d.dir, LXD_SOCKET: join(d.dir, 'unix.socket') }, stdio: 'ignore' });
  d.lxc('storage', 'create', 'default', 'dir');
  d.lxc('profile', 'device', 'add', 'default', 'root', 'disk', 'path=/', 'pool=default');
  d.lxc('image', 'import', SANDBOX_IMAGE, '--alias', 'busybox');
  for (const name of names) {
    d.lxc('init', 'busybox', name);
    // A clean daemon shutdown waits this long for the instance to stop (busybox ignores SIGPWR).
    d.lxc('config', 'set', name, 'boot.host_shutdown_timeout', '1');
  }
  for (const name of running) d.lxc('start', name);
}
