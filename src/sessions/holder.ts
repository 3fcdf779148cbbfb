// The session holder: one process per user, started on demand (client.ts), detached from any
// terminal. It listens on a unix socket in a private directory (paths.ts), runs the sessions'
// commands in their instances, and exits by itself once no session runs and no client has been
// connected for a while (LXTOP_HOLDER_LINGER_MS, default 30 s: time for `lxtop sessions` to show
// how the last ones ended), removing its socket.
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { ensurePrivateDir, holderPaths, type HolderPaths } from './paths.js';
import { HolderConnection } from './holder-conn.js';
import { SessionRegistry } from './registry.js';
import type { HeldSession } from './session.js';

const LINGER_MS = Number(process.env.LXTOP_HOLDER_LINGER_MS ?? 30_000);
/** Coalescing of list updates that only move "last output". */
const LIST_PUSH_MS = 5000;

export class Holder {
  readonly sessions = new SessionRegistry<HeldSession>();
  readonly connections = new Set<HolderConnection>();
  private server: Server | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  private exiting = false;

  constructor(readonly paths: HolderPaths) {}

  async listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.paths.socket, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    chmodSync(this.paths.socket, 0o600);
    this.checkIdle();
  }

  private accept(socket: Socket): void {
    const conn = new HolderConnection(this, socket);
    this.connections.add(conn);
    this.checkIdle();
    socket.on('close', () => {
      conn.dispose();
      this.connections.delete(conn);
      this.checkIdle();
    });
  }

  /** A session changed: subscribers hear it (at once for a state change, coalesced for output). */
  changed(urgent: boolean): void {
    if (urgent) {
      if (this.pushTimer) clearTimeout(this.pushTimer);
      this.pushTimer = null;
      this.push();
      this.checkIdle();
      return;
    }
    this.pushTimer ??= setTimeout(() => {
      this.pushTimer = null;
      this.push();
    }, LIST_PUSH_MS);
  }

  private push(): void {
    const list = this.sessions.list();
    for (const c of this.connections) c.pushList(list);
  }

  /** Exits after the linger when nothing runs and nobody is connected. */
  checkIdle(): void {
    const idle = this.sessions.runningCount() === 0 && this.connections.size === 0;
    if (!idle) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      return;
    }
    this.idleTimer ??= setTimeout(() => this.exit(0), LINGER_MS);
  }

  exit(code: number): void {
    if (this.exiting) return;
    this.exiting = true;
    this.server?.close();
    removeOwn(this.paths);
    process.exit(code);
  }
}

function removeOwn(paths: HolderPaths): void {
  rmSync(paths.socket, { force: true });
  try {
    if (readFileSync(paths.lock, 'utf8').trim() === String(process.pid)) rmSync(paths.lock, { force: true });
  } catch {
    // gone already
  }
}

/** Takes the lock file, or returns false when a live holder has it. A dead holder's lock is taken over. */
function takeLock(paths: HolderPaths): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(paths.lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number(readFileSync(paths.lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) return false;
    rmSync(paths.lock, { force: true });
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder process's main (the hidden LXTOP_RUN_HOLDER start of the CLI). */
export async function holderMain(): Promise<number> {
  delete process.env.LXTOP_RUN_HOLDER;
  process.umask(0o077);
  const paths = holderPaths();
  ensurePrivateDir(paths.dir);
  // Another holder is starting or running: it serves; this one leaves its socket alone.
  if (!takeLock(paths)) return 0;
  rmSync(paths.socket, { force: true }); // a crashed holder's socket (the lock said it is gone)
  const holder = new Holder(paths);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => holder.exit(0));
  // Not a terminal's process (spawned in a session of its own): a hang-up is no reason to end.
  process.on('SIGHUP', () => {});
  // One session's bug must not end the others: logged, and the holder goes on.
  process.on('uncaughtException', (err) => {
    process.stderr.write(`${new Date().toISOString()} holder: uncaught: ${err.stack ?? String(err)}\n`);
  });
  await holder.listen();
  process.stderr.write(`${new Date().toISOString()} holder ${process.pid} listening on ${paths.socket}\n`);
  return new Promise<number>(() => {}); // runs until exit()
}
