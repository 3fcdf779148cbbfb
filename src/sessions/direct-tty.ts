// The holder drives an attached client's terminal itself, as tmux's server does: the client names
// its terminal (/dev/pts/N), the holder opens it, reads the keystrokes and writes the output. A
// keystroke and its echo then pass through one process between the terminal and the daemon, as
// with `lxc exec`, instead of two (client, holder); bench/README has the figures.
// The client keeps what only it can do: the terminal's mode (raw) and its restore, and resizes
// (SIGWINCH reaches the terminal's foreground process only). The holder gives the terminal back on
// detach, at the session's end, and when the client goes. Where the terminal cannot be opened (a
// pipe, another user's terminal after `su`), the client relays as before (client.ts).
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import tty from 'node:tty';
import { DetachDetector, parseDetachSequence } from '../console/detach.js';
import { TermModeTracker } from '../console/term-modes.js';

/** What a client may name: a pseudo-terminal or a console, nothing else. */
const TTY_PATH = /^\/dev\/(pts\/\d+|tty[A-Za-z0-9]*)$/;
/** How long output already written gets to reach a stalled terminal when it is given back. */
const FLUSH_MS = 1000;

export interface DirectHandlers {
  /** Keystrokes for the session (the detach sequence taken out). */
  input(bytes: Buffer): void;
  /** The detach sequence was typed, or the terminal went away. */
  leave(reason: string): void;
}

export class DirectTerminal {
  private readonly detector: DetachDetector;
  /** Modes the output switched, undone by the client when it takes the terminal back. */
  private readonly modes = new TermModeTracker();
  private released: Promise<void> | null = null;

  private constructor(
    private readonly keys: tty.ReadStream,
    private readonly out: tty.WriteStream,
    /** The descriptors opened here: libuv reopens a terminal for its handle and leaves these open. */
    private readonly fds: number[],
    detach: string | undefined,
    on: DirectHandlers,
  ) {
    this.detector = new DetachDetector(parseDetachSequence(detach));
    keys.on('data', (chunk: Buffer) => {
      const step = this.detector.feed(chunk);
      if (step.forward.length > 0) on.input(step.forward);
      if (step.detach) on.leave('detached');
    });
    const hungUp = (): void => on.leave('terminal hung up');
    keys.on('end', hungUp);
    keys.on('error', hungUp);
    out.on('error', hungUp);
    keys.resume();
  }

  /** Opens the client's terminal, or null when it is not one this user owns (the client relays). */
  static open(path: unknown, detach: unknown, on: DirectHandlers): DirectTerminal | null {
    if (typeof path !== 'string' || !TTY_PATH.test(path)) return null;
    const fds: number[] = [];
    try {
      // O_NOCTTY: the holder leads its own session; a terminal no session holds (rare: the client's
      // is its session's) would otherwise become the holder's, and its hang-up would end the holder.
      for (const mode of [constants.O_RDONLY, constants.O_WRONLY]) fds.push(openSync(path, mode | constants.O_NOCTTY));
      const st = fstatSync(fds[0]);
      if (!st.isCharacterDevice() || !tty.isatty(fds[0]) || st.uid !== process.getuid?.()) throw new Error('not our terminal');
      const keys = new tty.ReadStream(fds[0]);
      const out = new tty.WriteStream(fds[1]);
      // Node makes terminal writes blocking; a stalled terminal (an SSH link that stopped) must
      // hold back this session's output, not every session in the holder.
      (out as unknown as { _handle?: { setBlocking?(on: boolean): number } })._handle?.setBlocking?.(false);
      return new DirectTerminal(keys, out, fds, typeof detach === 'string' ? detach : undefined, on);
    } catch {
      for (const fd of fds) closeSync(fd);
      return null;
    }
  }

  write(bytes: Buffer | string): void {
    if (this.released) return;
    this.modes.feed(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    this.out.write(bytes);
  }

  backlog(): number {
    return this.out.writableLength;
  }

  onDrain(resume: () => void): void {
    this.out.once('drain', resume);
  }

  /** What undoes the modes the output left switched (the alternate screen, a hidden cursor). */
  resetSequence(): string {
    return this.modes.restoreSequence();
  }

  /** Stops reading at once; resolves once the output written so far is out (or FLUSH_MS passed). */
  release(): Promise<void> {
    if (this.released) return this.released;
    this.keys.removeAllListeners('data');
    this.keys.destroy();
    const out = this.out;
    this.released = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        out.destroy();
        for (const fd of this.fds.splice(0)) closeSync(fd);
        resolve();
      };
      const timer = setTimeout(done, FLUSH_MS);
      if (out.writableLength === 0 || out.destroyed) done();
      else out.once('drain', done).once('close', done);
    });
    return this.released;
  }
}
