// Takes the local terminal for an interactive session and gives it back exactly as found, on
// every path: normal end, detach, dropped websocket, exceptions, process exit, and SIGTERM /
// SIGHUP / SIGINT (an external kill; Ctrl-C itself is a byte in raw mode).
//
// While the session runs it owns stdin alone: listeners someone else left ('data' / 'readable',
// e.g. a half-unmounted Ink) are set aside and put back afterwards, and a text decoder set on
// stdin (Ink sets utf8) is removed so that keystrokes reach the remote side as the exact bytes.

export type GuardSignal = 'SIGTERM' | 'SIGHUP' | 'SIGINT';
const GUARDED: readonly GuardSignal[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

type Listener = (...args: unknown[]) => void;

interface DecoderState {
  decoder?: unknown;
  encoding?: unknown;
}

export class TerminalGuard {
  private wasRaw: boolean | null = null;
  private wasFlowing: boolean | null = null;
  private savedEncoding: BufferEncoding | null = null;
  private readonly saved: { event: 'data' | 'readable'; listeners: Listener[] }[] = [];
  private readonly signalHandlers = new Map<GuardSignal, () => void>();
  private restored = true;
  private readonly onExit = (): void => this.restore();
  /** Set by the session: sequences undoing what the remote program left changed. */
  resetSequence: () => string = () => '';
  /** The signal that ended the session, if one did, and whether we are its only handler. */
  caught: { signal: GuardSignal; alone: boolean } | null = null;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  /** Raw mode on (when stdin is a terminal), stdin to ourselves, handlers for signals and exit. */
  take(onSignal: (signal: GuardSignal) => void): void {
    const { stdin } = this;
    this.restored = false;
    for (const event of ['data', 'readable'] as const) {
      const listeners = stdin.listeners(event) as Listener[];
      if (listeners.length > 0) {
        this.saved.push({ event, listeners });
        for (const l of listeners) stdin.removeListener(event, l);
      }
    }
    this.wasFlowing = stdin.readableFlowing;
    const encoding = stdin.readableEncoding;
    if (encoding !== null) {
      this.savedEncoding = encoding;
      const state = (stdin as unknown as { _readableState?: DecoderState })._readableState;
      if (state) {
        state.decoder = null;
        state.encoding = null;
      }
    }
    if (stdin.isTTY) {
      this.wasRaw = stdin.isRaw;
      stdin.setRawMode(true);
    }
    process.on('exit', this.onExit);
    for (const signal of GUARDED) {
      const handler = (): void => {
        // Were we the only listener? Then, once the terminal is back, the signal is raised again
        // with its default action, so the process still ends the way the sender wanted.
        if (this.caught === null) this.caught = { signal, alone: process.listenerCount(signal) === 1 };
        this.restore();
        onSignal(signal);
      };
      this.signalHandlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /** Back to the mode found; idempotent and synchronous (safe in an 'exit' handler). */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    const { stdin, stdout } = this;
    try {
      const reset = this.resetSequence();
      if (reset !== '' && stdout.writable) stdout.write(reset);
    } catch {
      // the terminal may be gone (SIGHUP)
    }
    try {
      if (this.wasRaw !== null && stdin.isTTY) stdin.setRawMode(this.wasRaw);
    } catch {
      // EIO after a hang-up: nothing left to restore
    }
  }

  /** Restores, stops reading, gives stdin back to the listeners set aside, drops our handlers. */
  release(): void {
    this.restore();
    const { stdin } = this;
    process.removeListener('exit', this.onExit);
    for (const [signal, handler] of this.signalHandlers) process.removeListener(signal, handler);
    this.signalHandlers.clear();
    if (this.wasFlowing === true) stdin.resume();
    else stdin.pause();
    if (this.savedEncoding !== null) stdin.setEncoding(this.savedEncoding);
    for (const { event, listeners } of this.saved) for (const l of listeners) stdin.on(event, l);
    this.saved.length = 0;
  }

  /** After release: re-raise a caught signal we alone handled (default action ends the process). */
  reraise(): void {
    if (this.caught?.alone && process.listenerCount(this.caught.signal) === 0) {
      process.kill(process.pid, this.caught.signal);
    }
  }
}
