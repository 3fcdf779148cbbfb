// The TUI's way to its sessions (run-tui.tsx holds one of these): the consoles (e, :) start in
// the holder and attach, the Sessions pane's list comes from a subscription (the holder pushes
// changes; nothing is polled but the socket file's presence while no holder runs), and the pane's
// keys (attach, rename, close, history) are requests. Loaded after the first frame.
import { existsSync } from 'node:fs';
import { attachSession } from './attach.js';
import { HolderClient } from './client.js';
import { holderPaths } from './paths.js';
import type { SessionInfo, SessionTarget } from './types.js';
import type { BroadcastResult, BroadcastStart } from './broadcast.js';

export interface SessionOutcome {
  exitCode: number | null;
  reason: string;
  message: string;
  /** The session's id, once it started. */
  id?: string;
}

export interface SessionStart {
  instance: string;
  project?: string;
  command?: string[];
  options?: { user?: number; group?: number; cwd?: string; env?: Record<string, string> };
  kind?: 'console';
  banner?: string;
}

/** How often the socket file is looked for while no holder runs (a local stat, not the daemon). */
const LOOK_FOR_HOLDER_MS = 3000;

export class TuiSessions {
  private watcher: HolderClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private onList: ((list: SessionInfo[]) => void) | null = null;

  /** `target`: how the holder reaches the daemon the TUI shows now (it changes with O). */
  constructor(private readonly target: () => SessionTarget) {}

  /** The list now and on every change, until stop(). */
  subscribe(onList: (list: SessionInfo[]) => void): void {
    this.onList = onList;
    void this.watch();
  }

  private async watch(): Promise<void> {
    if (this.watcher || !this.onList) return;
    const client = existsSync(holderPaths().socket) ? await HolderClient.connect({ start: false }).catch(() => null) : null;
    if (!client) {
      this.timer = setTimeout(() => void this.watch(), LOOK_FOR_HOLDER_MS);
      this.timer.unref();
      return;
    }
    this.watcher = client;
    client.onMessage = (m) => {
      if (m.op === 'list') this.onList?.(m.sessions as SessionInfo[]);
    };
    client.onClose = () => {
      // The holder exited (its last session ended): the list is empty until one starts again.
      this.watcher = null;
      this.onList?.([]);
      void this.watch();
    };
    try {
      const reply = await client.request({ op: 'subscribe' });
      this.onList?.(reply.sessions as SessionInfo[]);
    } catch {
      // closed meanwhile: onClose looks again
    }
  }

  /** A console (e, :): a new session in the holder, attached to this terminal. */
  async run(start: SessionStart, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream }, detach?: string): Promise<SessionOutcome> {
    const client = await HolderClient.connect({ start: true });
    if (!client) return { exitCode: null, reason: 'lost', message: 'the session holder did not start' };
    try {
      const term = process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm-256color';
      const target = { ...this.target(), project: start.project };
      const reply = await client.request({
        op: 'start',
        kind: start.kind ?? 'exec',
        banner: start.banner,
        target,
        instance: start.instance,
        command: start.command,
        ...start.options,
        cols: io.stdout.columns || 80,
        rows: io.stdout.rows || 24,
        term,
      });
      const id = String(reply.id);
      void this.watch(); // a holder started just now: the pane hears of it
      return { ...(await this.attachWith(client, id, io, detach)), id };
    } catch (err) {
      return { exitCode: null, reason: 'refused', message: err instanceof Error ? err.message : String(err) };
    } finally {
      client.close();
    }
  }

  async attach(id: string, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream }, detach?: string): Promise<SessionOutcome> {
    const client = await HolderClient.connect({ start: false });
    if (!client) return { exitCode: null, reason: 'refused', message: 'the session holder is not running' };
    try {
      return { ...(await this.attachWith(client, id, io, detach)), id };
    } finally {
      client.close();
    }
  }

  private async attachWith(client: HolderClient, id: string, io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream }, detach?: string): Promise<SessionOutcome> {
    const r = await attachSession(client, id, io, detach);
    const message = r.reason === 'detached' ? `${r.message} from session ${id}; it goes on (Sessions pane)` : r.message;
    return { exitCode: r.exitCode, reason: r.reason, message };
  }

  /** Type into many (B): a session in each instance, the keystrokes to all (broadcast.ts). */
  async broadcast(starts: BroadcastStart[], io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream }, detach?: string): Promise<BroadcastResult> {
    const { runBroadcast } = await import('./broadcast.js');
    try {
      return await runBroadcast(this.target(), starts, io, detach);
    } finally {
      void this.watch(); // a holder started just now: the pane hears of it
    }
  }

  /** One request on a connection of its own; throws the holder's message. */
  private async once(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const client = await HolderClient.connect({ start: false });
    if (!client) throw new Error('the session holder is not running');
    try {
      return await client.request(message);
    } finally {
      client.close();
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.once({ op: 'rename', id, name });
  }

  /** Ends a running session (SIGHUP, then SIGKILL), or removes an ended one from the list. */
  async close(id: string): Promise<string> {
    return String((await this.once({ op: 'close', id })).op);
  }

  /** The session's output so far as plain lines (see history.ts). */
  async history(id: string): Promise<string[]> {
    const client = await HolderClient.connect({ start: false });
    if (!client) throw new Error('the session holder is not running');
    try {
      const { raw, cols } = await client.history(id);
      const { historyLines } = await import('./history.js');
      return await historyLines(raw, cols);
    } finally {
      client.close();
    }
  }

  stop(): void {
    this.onList = null;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = null;
  }
}
