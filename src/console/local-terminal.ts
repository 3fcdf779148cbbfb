// The caller's side of an interactive session: keystrokes through the detach detector, the end of
// input, resizes, and the terminal going away. The session says what to do with each; this only
// listens and stops listening, so it holds none of the session's state.
import { DEFAULT_COLS, DEFAULT_ROWS, dimension } from './control.js';
import { DetachDetector, parseDetachSequence } from './detach.js';

export interface ConsoleIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface LocalTerminalHandlers {
  /** Bytes typed, to send to the command (the detach sequence held back or taken out). */
  input(bytes: Buffer): void;
  /** The detach sequence was typed (input after it is dropped). */
  detach(): void;
  /** stdin ended (not a terminal, forced -t): what a typed Ctrl-D would say. */
  endOfInput(): void;
  /** The size changed (and once at start when it differs from the size the session asked for). */
  resize(cols: number, rows: number): void;
  /** stdout failed (EIO, EPIPE): the terminal went away. */
  hungUp(): void;
}

export class LocalTerminal {
  private readonly detector: DetachDetector;
  private stdinEnded = false;
  cols: number;
  rows: number;

  constructor(
    private readonly io: ConsoleIo,
    detach: string | undefined,
    private readonly on: LocalTerminalHandlers,
  ) {
    this.detector = new DetachDetector(parseDetachSequence(detach));
    this.cols = dimension(io.stdout.columns, DEFAULT_COLS);
    this.rows = dimension(io.stdout.rows, DEFAULT_ROWS);
  }

  /** Starts listening (once the session's sockets are open); `input: false` leaves stdin to another process. */
  start(opts: { input: boolean } = { input: true }): void {
    const { stdin, stdout } = this.io;
    stdout.on('error', this.onOutputError);
    if (opts.input) {
      stdin.on('data', this.onInput);
      stdin.on('end', this.onStdinEnd);
      stdin.resume();
    }
    stdout.on('resize', this.onResize);
    // The terminal may have changed size since the request was made.
    if (dimension(stdout.columns, DEFAULT_COLS) !== this.cols || dimension(stdout.rows, DEFAULT_ROWS) !== this.rows) {
      this.onResize();
    }
  }

  /** No more input or resizes (the session is ending); a failing stdout is still heard. */
  stopInput(): void {
    const { stdin, stdout } = this.io;
    stdin.removeListener('data', this.onInput);
    stdin.removeListener('end', this.onStdinEnd);
    stdout.removeListener('resize', this.onResize);
  }

  /** Every listener gone. */
  dispose(): void {
    this.stopInput();
    this.io.stdout.removeListener('error', this.onOutputError);
  }

  private readonly onInput = (chunk: Buffer | string): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const step = this.detector.feed(buf);
    if (step.forward.length > 0) this.on.input(step.forward);
    if (step.detach) this.on.detach();
  };

  private readonly onStdinEnd = (): void => {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.on.endOfInput();
  };

  private readonly onResize = (): void => {
    const { stdout } = this.io;
    this.cols = dimension(stdout.columns, DEFAULT_COLS);
    this.rows = dimension(stdout.rows, DEFAULT_ROWS);
    this.on.resize(this.cols, this.rows);
  };

  private readonly onOutputError = (): void => {
    this.io.stdout.removeListener('error', this.onOutputError);
    this.on.hungUp();
  };
}
