// The terminal's full-screen state and the one function that gives it back. Ink 6 does not switch
// to the alternate screen by itself: we write the sequences, and `restoreTerminal` undoes them on
// every way out (quit, Ctrl-C, SIGTERM, SIGHUP, SIGINT, uncaught exception, unhandled rejection,
// plain process exit). It is idempotent and synchronous, so it is safe in an 'exit' handler.
import { writeSync } from 'node:fs';

export const ALT_SCREEN_ON = '\x1b[?1049h';
export const ALT_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
export const CLEAR_SCREEN = '\x1b[2J\x1b[H';

interface TerminalIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

const io: TerminalIo = { stdin: process.stdin, stdout: process.stdout };
let inAlt = false;
let cursorHidden = false;
let handlersInstalled = false;
const exitCallbacks: (() => void)[] = [];

function runExitCallbacks(): void {
  for (const cb of exitCallbacks.splice(0)) {
    try {
      cb();
    } catch {
      // exiting anyway
    }
  }
}

function write(data: string): void {
  try {
    const fd = (io.stdout as unknown as { fd?: number }).fd;
    if (typeof fd === 'number') writeSync(fd, data);
    else io.stdout.write(data);
  } catch {
    // the terminal may be gone (SIGHUP): nothing to restore on it
  }
}

/** Alternate screen on, cleared, cursor hidden. */
export function enterFullScreen(): void {
  if (!io.stdout.isTTY) return;
  write(ALT_SCREEN_ON + CLEAR_SCREEN + CURSOR_HIDE);
  inAlt = true;
  cursorHidden = true;
}

/** Back to the normal screen with the cursor shown; raw mode left as it is. */
export function leaveFullScreen(): void {
  let out = '';
  if (cursorHidden) out += CURSOR_SHOW;
  if (inAlt) out += ALT_SCREEN_OFF;
  inAlt = false;
  cursorHidden = false;
  if (out) write(out);
}

let rawHold: (() => void) | null = null;

/**
 * Keeps `stdin` raw across a remount of the panes (a project or remote switch). Ink's input hooks
 * turn raw mode off in their cleanup, which React runs after unmount() has returned, so the terminal
 * was cooked until the new tree's hooks turned it on again: Ctrl-\ or Ctrl-Z typed in between became
 * signals (found by the key fuzzer). Until something asks for raw mode again (the new tree), asks to
 * leave it are ignored; restoreTerminal() ends the hold first.
 */
export function holdRawMode(stdin: NodeJS.ReadStream): void {
  if (!stdin.isTTY || rawHold) return;
  const own = Object.prototype.hasOwnProperty.call(stdin, 'setRawMode');
  const original = stdin.setRawMode;
  const release = (): void => {
    if (rawHold !== release) return;
    rawHold = null;
    if (own) stdin.setRawMode = original;
    else delete (stdin as { setRawMode?: unknown }).setRawMode;
  };
  rawHold = release;
  stdin.setRawMode = function (this: NodeJS.ReadStream, mode: boolean) {
    if (!mode) return this;
    release();
    return original.call(this, true);
  };
}

/** The one restore: raw mode off, cursor shown, alternate screen left. Safe to call any time. */
export function restoreTerminal(): void {
  rawHold?.();
  try {
    const stdin = io.stdin;
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
  } catch {
    // EIO after a hang-up
  }
  leaveFullScreen();
}

const SIGNAL_CODES: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Registers `restoreTerminal` (then `onExit`, and those of earlier calls) on every path out of the
 * process. Signals exit with 128+n; uncaught errors print their message after the terminal is back (the stack with LXTOP_DEBUG=1),
 * and exit 1. Safe to call more than once: the handlers are installed once.
 */
export function installRestoreHandlers(onExit?: () => void): void {
  if (onExit) exitCallbacks.push(onExit);
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', restoreTerminal);
  for (const signal of Object.keys(SIGNAL_CODES) as NodeJS.Signals[]) {
    process.on(signal, () => {
      restoreTerminal();
      runExitCallbacks();
      process.exit(128 + SIGNAL_CODES[signal]);
    });
  }
  const fatal = (err: unknown) => {
    restoreTerminal();
    runExitCallbacks();
    // The stack only for LXTOP_DEBUG=1 (the CLI then runs with source maps): users get one line.
    const debug = process.env.LXTOP_DEBUG && err instanceof Error && err.stack;
    const text = debug ? err.stack : `${err instanceof Error ? err.message : String(err)}\nhint: this is a bug in lxtop; LXTOP_DEBUG=1 shows where it happened (please report it)`;
    try {
      writeSync(2, `lxtop: unexpected error: ${text}\n`);
    } catch {
      // stderr gone
    }
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
