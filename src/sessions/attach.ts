// Attaching a held session to the caller's terminal (`lxtop attach ID`, and the TUI's consoles):
// raw mode and the terminal's restore on every path (console/terminal.ts), keystrokes through the
// detach detector (console/local-terminal.ts), the screen as the holder has it first, then live.
// Detaching leaves the command running in the holder; the session ending (exit, lost) ends this.
import { TerminalGuard, type GuardSignal } from '../console/terminal.js';
import { TermModeTracker } from '../console/term-modes.js';
import { LocalTerminal, type ConsoleIo } from '../console/local-terminal.js';
import type { HolderClient } from './client.js';
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
  const detached = (message: string): void => {
    // The holder keeps the command; telling it is a courtesy (closing the socket says the same).
    client.tell({ op: 'detach' });
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
  client.onData = (bytes) => {
    if (done) return;
    tracker.feed(bytes);
    if (!io.stdout.write(bytes)) {
      client.pause();
      io.stdout.once('drain', () => client.resume());
    }
  };
  client.onMessage = (m) => {
    if (m.op !== 'ended') return;
    const ended = m.info as SessionInfo;
    info = ended;
    // The command's end in the console's words ("exit code 3"), as a direct console says it.
    end({ reason: ended.state === 'lost' ? 'lost' : 'exited', exitCode: ended.exitCode, message: ended.reason || stateText(ended) });
  };
  client.onClose = () => end({ reason: 'lost', exitCode: null, message: 'the session holder went away' });
  try {
    // The holder's first output frame is the screen, cleared and redrawn.
    const reply = await client.request({ op: 'attach', id, cols: local.cols, rows: local.rows });
    info = reply.info as SessionInfo;
    started = true;
    local.start();
  } catch (err) {
    end({ reason: 'refused', exitCode: null, message: err instanceof Error ? err.message : String(err) });
  }
  let result: AttachResult;
  try {
    result = await over;
  } finally {
    local.dispose();
    client.onData = () => {};
    guard.release();
  }
  if (started) guard.reraise();
  return result;
}
