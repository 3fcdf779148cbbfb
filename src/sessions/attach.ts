// Attaching a held session to the caller's terminal (`lxtop attach ID`, and the TUI's consoles):
// raw mode and the terminal's restore on every path (console/terminal.ts), the screen as the
// holder has it first, then live. Detaching leaves the command running in the holder; the session
// ending (exit, lost) ends this.
// When stdin and stdout are this user's terminal, the holder opens it and does the reading and
// writing itself (direct-tty.ts), and this only keeps the mode and forwards resizes. Otherwise
// (or with LXTOP_SESSION_RELAY=1) keystrokes go through the detach detector here
// (console/local-terminal.ts) and both ways are relayed over the holder's socket.
import { readlinkSync } from 'node:fs';
import { withTimeout } from '../console/prepare.js';
import { TerminalGuard, type GuardSignal } from '../console/terminal.js';
import { TermModeTracker } from '../console/term-modes.js';
import { LocalTerminal, type ConsoleIo } from '../console/local-terminal.js';
import type { HolderClient } from './client.js';
import { restartReading, stopReading } from './stream-handle.js';
import { stateText, type SessionInfo } from './types.js';

export interface AttachResult {
  reason: 'detached' | 'exited' | 'lost' | 'refused';
  exitCode: number | null;
  message: string;
  info: SessionInfo | null;
}

export async function attachSession(client: HolderClient, id: string, io: ConsoleIo, detach: string | undefined): Promise<AttachResult> {
  const guard = new TerminalGuard(io.stdin, io.stdout);
  const tracker = new TermModeTracker();
  guard.resetSequence = () => tracker.restoreSequence();
  let settle!: (r: AttachResult) => void;
  const over = new Promise<AttachResult>((resolve) => (settle = resolve));
  let info: SessionInfo | null = null;
  let done = false;
  const end = (r: Omit<AttachResult, 'info'>): void => {
    if (done) return;
    done = true;
    settle({ ...r, info });
  };
  let direct = false;
  let givenBack = false;
  const detached = (message: string): void => {
    // The holder keeps the command; telling it is a courtesy (closing the socket says the same).
    // A terminal the holder drives is asked back below, before it is restored.
    if (!direct) client.tell({ op: 'detach' });
    end({ reason: 'detached', exitCode: null, message });
  };
  const local = new LocalTerminal(io, detach, {
    input: (bytes) => client.input(bytes),
    detach: () => detached('detached'),
    endOfInput: () => client.input(Buffer.from([0x04])),
    resize: (cols, rows) => client.tell({ op: 'resize', cols, rows }),
    hungUp: () => detached('terminal hung up'),
  });
  guard.take((signal: GuardSignal) => detached(signal === 'SIGHUP' ? 'terminal hung up' : `detached: received ${signal}`));
  let started = false;
  let directReset = '';
  client.onData = (bytes) => {
    if (done) return;
    tracker.feed(bytes);
    if (!io.stdout.write(bytes)) {
      client.pause();
      io.stdout.once('drain', () => client.resume());
    }
  };
  client.onMessage = (m) => {
    if (typeof m.reset === 'string') directReset = m.reset;
    if (m.op === 'released') {
      givenBack = true;
      end({ reason: 'detached', exitCode: null, message: String(m.reason) });
      return;
    }
    if (m.op !== 'ended') return;
    const ended = m.info as SessionInfo;
    info = ended;
    // The command's end in the console's words ("exit code 3"), as a direct console says it.
    end({ reason: ended.state === 'lost' ? 'lost' : 'exited', exitCode: ended.exitCode, message: ended.reason || stateText(ended) });
  };
  client.onClose = () => end({ reason: 'lost', exitCode: null, message: 'the session holder went away' });
  const tty = terminalPath(io);
  // The holder reads the terminal from its first keystroke on: nothing here may read it meanwhile,
  // and what was typed before (the TUI's stdin holds it) goes first.
  const held = tty ? holdStdin(io.stdin) : null;
  const typed = held?.typed ?? '';
  try {
    // The holder's first output is the screen, cleared and redrawn.
    const reply = await client.request({ op: 'attach', id, cols: local.cols, rows: local.rows, tty, detach, typed });
    info = reply.info as SessionInfo;
    direct = reply.direct === true;
    if (direct) guard.resetSequence = () => directReset;
    // The holder could not open the terminal: the keys are read here after all.
    else held?.release();
    started = true;
    local.start({ input: !direct });
  } catch (err) {
    end({ reason: 'refused', exitCode: null, message: err instanceof Error ? err.message : String(err) });
  }
  let result: AttachResult;
  try {
    result = await over;
    // A detach asked for here (a signal): the holder lets go of the terminal before it is restored.
    if (direct && !givenBack && result.reason === 'detached') await withTimeout(client.request({ op: 'detach' }), GIVE_BACK_MS).catch(() => undefined);
  } finally {
    local.dispose();
    client.onData = () => {};
    guard.release();
    held?.release();
  }
  if (started) guard.reraise();
  return result;
}

/** How long the holder gets to give the terminal back before it is restored regardless. */
const GIVE_BACK_MS = 1500;

/** The terminal stdin and stdout both are (`/dev/pts/3`), for the holder to open; null for anything else. */
function terminalPath(io: ConsoleIo): string | null {
  if (process.env.LXTOP_SESSION_RELAY === '1' || !io.stdin.isTTY || !io.stdout.isTTY) return null;
  const fds = [(io.stdin as { fd?: number }).fd, (io.stdout as { fd?: number }).fd];
  try {
    const [a, b] = fds.map((fd) => (typeof fd === 'number' ? readlinkSync(`/proc/self/fd/${fd}`) : ''));
    return a !== '' && a === b && a.startsWith('/dev/') ? a : null;
  } catch {
    return null;
  }
}

/**
 * Stops stdin reading (an Ink left it reading) and takes the keystrokes it read that nobody took
 * (base64): the holder reads the terminal now. release() reads again if it was reading.
 */
function holdStdin(stdin: NodeJS.ReadStream): { typed: string; release(): void } {
  let stopped = stopReading(stdin);
  const parts: Buffer[] = [];
  // Node still counts the handle as reading, so read() takes what is buffered without starting it.
  while (stdin.readableLength > 0) {
    const c: unknown = stdin.read();
    if (c === null) break;
    parts.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : (c as Buffer));
  }
  return {
    typed: Buffer.concat(parts).toString('base64'),
    release: () => {
      if (stopped) restartReading(stdin);
      stopped = false;
    },
  };
}
