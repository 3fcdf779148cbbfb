// One session in the holder: its command (RemotePty), a headless terminal emulator that keeps its
// screen whoever is attached, the raw output for the history (raw-log.ts), and the clients
// attached to it. Output goes to the attached clients at once; the emulator only has to know the
// screen for the next attach, so it is fed lazily (screen-feed.ts): in batches, and during a flood
// only the tail, which redraws the screen. Only a client too far behind holds the command back
// (the websocket paused); nothing is dropped from the raw log or from a client.
import xterm from '@xterm/headless';
import serialize from '@xterm/addon-serialize';
import type { ConsoleResult } from '../console/prepare.js';
import { RawLog } from './raw-log.js';
import { DETACHED_FEED_MS, FEED_MS, ScreenFeed } from './screen-feed.js';
import type { RemotePty } from './remote-pty.js';
import type { SessionInfo, SessionState } from './types.js';

const { Terminal } = xterm;
const { SerializeAddon } = serialize;

/** Lines the emulator keeps above the screen (the issue asks for at least 10,000). */
export const SCROLLBACK_LINES = 10_000;
/** Raw output kept for the history (LXTOP_SESSION_LOG_BYTES overrides). */
const LOG_BYTES = Number(process.env.LXTOP_SESSION_LOG_BYTES) || 8 * 1024 * 1024;
/** Output queued to a client and not yet written out before reading stops. */
const HIGH_WATER = 4 * 1024 * 1024;

export interface Attachment {
  /** Raw output for the client. */
  send(bytes: Buffer): void;
  /** Bytes queued to the client and not yet written out. */
  backlog(): number;
  /** Called once when the backlog drains, to resume reading. */
  onDrain(resume: () => void): void;
  /** The session ended while attached. */
  ended(info: SessionInfo): void;
}

export class HeldSession {
  readonly term: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  readonly log = new RawLog(LOG_BYTES);
  private readonly clients = new Set<Attachment>();
  /** Attaching clients: output that came after their screen was taken, sent once it is. */
  private readonly joining = new Map<Attachment, Buffer[]>();
  private pty: RemotePty | null = null;
  private readonly feed: ScreenFeed;
  private paused = false;
  private disposed = false;
  /** The width the output was written for (the history is replayed at it). */
  cols: number;
  info: SessionInfo;

  constructor(
    info: Omit<SessionInfo, 'state' | 'exitCode' | 'reason' | 'clients' | 'lastOutput'>,
    size: { cols: number; rows: number },
    private readonly changed: (s: HeldSession, urgent: boolean) => void,
  ) {
    this.info = { ...info, lastOutput: 0, state: 'detached', exitCode: null, reason: '', clients: 0 };
    this.cols = size.cols;
    this.term = new Terminal({ cols: size.cols, rows: size.rows, scrollback: SCROLLBACK_LINES, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
    this.feed = new ScreenFeed(this.term, () => (this.clients.size > 0 ? FEED_MS : DETACHED_FEED_MS));
  }

  bind(pty: RemotePty): void {
    this.pty = pty;
    pty.batch(this.clients.size === 0);
  }

  /** Everything the command printed so far is in the raw log (output is read in batches while detached). */
  catchUp(): Promise<void> {
    return this.pty?.readNow() ?? Promise.resolve();
  }

  get running(): boolean {
    return this.info.state === 'attached' || this.info.state === 'detached';
  }

  output(bytes: Buffer): void {
    this.info.lastOutput = Date.now();
    this.log.push(bytes);
    for (const c of this.clients) {
      const queue = this.joining.get(c);
      if (queue) queue.push(bytes);
      else c.send(bytes);
    }
    if (this.disposed) return;
    this.feed.push(bytes);
    for (const c of this.clients) if (c.backlog() > HIGH_WATER) this.pause();
    this.changed(this, false);
  }

  /** Text on the screen and in the history before the command's output; not output of its own. */
  preface(bytes: Buffer): void {
    this.log.push(bytes);
    this.feed.push(bytes);
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.pty?.pause();
    for (const c of this.clients) if (c.backlog() > HIGH_WATER) c.onDrain(() => this.maybeResume());
  }

  private maybeResume(): void {
    if (!this.paused) return;
    for (const c of this.clients) if (c.backlog() > HIGH_WATER) return;
    this.paused = false;
    this.pty?.resume();
  }

  ended(result: ConsoleResult): void {
    const lost = result.reason === 'lost' && result.message !== 'closed';
    this.setState(lost ? 'lost' : 'exited', result.exitCode, result.message);
    this.pty = null;
    for (const c of this.clients) c.ended(this.info);
    this.clients.clear();
    this.joining.clear();
    // Nobody attaches to an ended session: its emulator (up to ~1 KB a line of scrollback) goes;
    // the raw output stays for the history.
    this.dispose();
    this.changed(this, true);
  }

  private setState(state: SessionState, exitCode: number | null, reason: string): void {
    this.info = { ...this.info, state, exitCode, reason, clients: this.clients.size };
  }

  /**
   * Attaches a client at this size: the screen as it is once everything received so far is
   * parsed (a redraw of it: `screen`), then the output after it, live.
   */
  attach(client: Attachment, cols: number, rows: number, screen: (redraw: string) => void): void {
    this.clients.add(client);
    this.joining.set(client, []);
    this.resize(cols, rows);
    this.countClients();
    // Everything received so far goes to the emulator now; the empty write's callback runs once it
    // is parsed, and output after it waits in the joining queue.
    this.feed.flush();
    this.term.write('', () => {
      const queued = this.joining.get(client);
      if (queued === undefined) return;
      screen(this.redraw());
      this.joining.delete(client);
      for (const b of queued) client.send(b);
    });
  }

  detach(client: Attachment): void {
    if (!this.clients.delete(client)) return;
    this.joining.delete(client);
    this.countClients();
    this.maybeResume();
  }

  private countClients(): void {
    if (!this.running) return;
    this.info = { ...this.info, clients: this.clients.size, state: this.clients.size > 0 ? 'attached' : 'detached' };
    this.pty?.batch(this.clients.size === 0);
    this.changed(this, true);
  }

  resize(cols: number, rows: number): void {
    if (this.disposed || (cols === this.term.cols && rows === this.term.rows)) return;
    this.feed.flush(); // what came before was written for the old size
    this.cols = cols;
    this.term.resize(cols, rows);
    this.pty?.resize(cols, rows);
  }

  input(bytes: Buffer): void {
    this.pty?.input(bytes);
  }

  close(): void {
    this.pty?.close();
  }

  /** The screen as escape sequences: contents, colours, cursor, modes (the serialize addon). */
  private redraw(): string {
    return this.serializer.serialize({ scrollback: 0 });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.feed.dispose();
    this.term.dispose();
  }
}
