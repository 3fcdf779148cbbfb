// The far daemon's unix socket forwarded to a local one by the system ssh (OpenSSH stream-local
// forwarding), in a private directory (mode 0700); lxtop's unix transport does the rest. Without
// a path in the address, the same ssh forwards every place a daemon's socket may be (the order
// lxtop looks in locally) and the first that answers is the daemon: one ssh connection either way.
// A probe (one more ssh, a few lines of sh) runs only to explain a failure. When the
// link drops, status() says why and ssh is started again (after 1 s, doubling up to 10 s); the
// local socket keeps its path, so the controller's usual retries find the daemon back.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshAddress } from './address.js';
import { DIR_PREFIX, sweepStaleDirs, track } from './cleanup.js';
import { firstAnswering } from './answer.js';
import { sshSettings, type ForwardPair, type SshSettings } from './command.js';
import { SshError } from './errors.js';
import { forward, probe, probeError } from './process.js';

export interface TunnelOptions {
  settings?: SshSettings;
  /** First restart delay after the link dropped, ms (doubles up to RESTART_MAX_MS). */
  restartMs?: number;
}

const RESTART_MAX_MS = 10_000;
/** An ssh line this recent is added to a failed request's message. */
const RECENT_MS = 5_000;

export class SshTunnel {
  /** The local socket the unix transport connects to. */
  socket: string;
  /** The daemon's socket on the far side. */
  remoteSocket = '';
  readonly dir: string;
  private child: ChildProcess | null = null;
  private down: string | null = null;
  private lastLine: { text: string; at: number } | null = null;
  /** Until then, ssh's "open failed" lines are the places looked at in vain (discover()). */
  private lookedUntil = 0;
  private closed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartDelay: number;
  private readonly untrack: () => void;

  private constructor(
    readonly address: SshAddress,
    private readonly settings: SshSettings,
    private readonly restartMs: number,
  ) {
    this.restartDelay = restartMs;
    sweepStaleDirs();
    this.dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`)); // mode 0700
    this.socket = join(this.dir, 'daemon.sock'); // discover() picks another
    this.untrack = track({ disposeSync: () => this.disposeSync() });
  }

  /** Starts the forward and finds the socket (unless the address names it); rejects with an SshError. */
  static async open(address: SshAddress, opts: TunnelOptions = {}): Promise<SshTunnel> {
    const tunnel = new SshTunnel(address, opts.settings ?? sshSettings(), opts.restartMs ?? 1000);
    try {
      if (address.socket) {
        tunnel.remoteSocket = address.socket;
        await tunnel.startForward([[tunnel.socket, address.socket]]);
      } else {
        await tunnel.discover();
      }
      return tunnel;
    } catch (err) {
      tunnel.disposeSync();
      throw err;
    }
  }

  /** One ssh forwarding every candidate path, each to a local socket of its own; keeps the one that answers. */
  private async discover(): Promise<void> {
    const paths = this.settings.sockets;
    const locals = paths.map((_, i) => join(this.dir, `far-${i}.sock`));
    await this.startForward(locals.map((local, i) => [local, paths[i]]));
    let found = await firstAnswering(locals, this.settings.connectTimeout * 1000);
    if (found === null) {
      // Nothing answered: ask the far side why (no socket, or not this user's to open). A socket
      // that is there and open to the user, but silent, is used: the connection then says so.
      const why = await probe(this.address, this.settings, paths);
      const err = probeError(this.address, why, paths);
      if (err) throw err;
      found = Math.max(0, paths.indexOf(why.path!));
    }
    this.socket = locals[found];
    this.remoteSocket = paths[found];
    for (const local of locals) if (local !== this.socket) rmSync(local, { force: true });
    // ssh's "open failed" lines for the places that were not it are no news (some may come later).
    this.lastLine = null;
    this.lookedUntil = Date.now() + 2000;
  }

  /** `ssh://user@host:port/path/unix.socket`: the address with the socket in use. */
  get label(): string {
    return this.address.socket ? this.address.url : `${this.address.url}${this.remoteSocket}`;
  }

  /** True when the socket was found by looking (the address has no path). */
  get discovered(): boolean {
    return this.address.socket === undefined;
  }

  /** The ssh process, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Null while the link is up and quiet; else why it is down, or ssh's latest complaint. */
  status(): string | null {
    if (this.down) return this.down;
    if (this.lastLine && Date.now() - this.lastLine.at < RECENT_MS) return `ssh: ${this.lastLine.text}`;
    return null;
  }

  /**
   * Why the daemon did not answer through a forward that is up: ssh only says "open failed", so a
   * probe asks the far side (no socket there, or not this user's to open). Null: the socket is
   * there and may be opened (the daemon itself did not answer).
   */
  async diagnose(): Promise<SshError | null> {
    try {
      return probeError(this.address, await probe(this.address, this.settings, [this.remoteSocket]), [this.remoteSocket]);
    } catch (err) {
      return err instanceof SshError ? err : null;
    }
  }

  async close(): Promise<void> {
    this.disposeSync();
  }

  /** Kills ssh and removes the private directory; synchronous for the 'exit' handler. */
  disposeSync(): void {
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.untrack();
  }

  private async startForward(pairs: readonly ForwardPair[] = [[this.socket, this.remoteSocket]]): Promise<void> {
    // A socket file left by the ssh before would pass for the new one's.
    for (const [local] of pairs) rmSync(local, { force: true });
    const onLine = (text: string) => {
      if (Date.now() < this.lookedUntil && /open failed/.test(text)) return;
      this.lastLine = { text, at: Date.now() };
    };
    const { child } = await forward(this.address, this.settings, pairs, onLine);
    if (this.closed) {
      child.kill('SIGTERM');
      return;
    }
    this.child = child;
    this.down = null;
    this.restartDelay = this.restartMs;
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onExit(child: ChildProcess, code: number | null, signal: string | null): void {
    if (this.closed || child !== this.child) return;
    this.child = null;
    const last = this.lastLine ? `: ${this.lastLine.text}` : '';
    this.down = `ssh link to ${this.address.url} lost (${signal ? `ssh killed by ${signal}` : `ssh exit ${code ?? '?'}`}${last}); restarting ssh`;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    const delay = this.restartDelay;
    this.restartDelay = Math.min(RESTART_MAX_MS, this.restartDelay * 2);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.startForward().catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        this.down = `ssh link to ${this.address.url} down: ${text.split('\n').slice(0, 2).join(' ')}; trying again`;
        this.scheduleRestart();
      });
    }, delay);
    this.restartTimer.unref();
  }
}
