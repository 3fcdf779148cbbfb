// An interactive exec session on the caller's terminal: one websocket for the PTY's bytes both ways
// (fd "0") and one for control (resize, signals). See docs/lxd-api.md, Exec:
// - keystrokes go as binary frames (a text frame on stdin is EOF to the server);
// - a zero-length text frame from the server on fd 0 is the PTY's EOF: the command ended. The
//   operation finishes only once we close fd 0; then its metadata holds the exit code;
// - closing control kills the command, so it stays open until the end.
import type { WebSocket } from 'ws';
import type { ExecOptions, LxdApi } from '../lxd/api.js';
import { DEFAULT_COLS, DEFAULT_ROWS, dimension, resizeMessage, signalMessage, SIGNALS } from './control.js';
import { DetachDetector, parseDetachSequence } from './detach.js';
import { execEnd, errorText, exitMessage, refusalFor, withTimeout, type ConsoleResult, type Prepared } from './prepare.js';
import { openOperationSocket, watchSilence, type Heartbeat } from './sockets.js';
import { TerminalGuard, type GuardSignal } from './terminal.js';
import { TermModeTracker } from './term-modes.js';

export interface ConsoleIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** How long the command gets to end on SIGHUP (detach) before control is closed (SIGKILL). */
const HANGUP_GRACE_MS = 1000;
/** How long after control closed we wait for fd 0's EOF before asking the operation. */
const CONTROL_CLOSED_GRACE_MS = 3000;
/** Ping period on fd 0 (see watchSilence); LXTOP_HEARTBEAT_MS shortens it for tests. */
const HEARTBEAT_MS = Math.max(50, Number(process.env.LXTOP_HEARTBEAT_MS) || 15_000);

type Ending = { reason: 'detached' | 'lost'; message: string } | null;

export async function runInteractive(
  api: LxdApi,
  instance: string,
  prepared: Prepared,
  io: ConsoleIo,
  detach: string | undefined,
): Promise<ConsoleResult> {
  const guard = new TerminalGuard(io.stdin, io.stdout);
  const tracker = new TermModeTracker();
  guard.resetSequence = () => tracker.restoreSequence();
  const session = new Session(api, instance, prepared, io, tracker, detach);
  guard.take((signal) => session.onLocalSignal(signal));
  let result: ConsoleResult;
  try {
    result = await session.run();
  } catch (err) {
    result = { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
  } finally {
    session.dispose();
    guard.release();
  }
  guard.reraise();
  return result;
}

class Session {
  private data: WebSocket | null = null;
  private control: WebSocket | null = null;
  private operationId = '';
  private ending: Ending = null;
  private remoteEof = false;
  private stdinEnded = false;
  private readonly detector: DetachDetector;
  private settle!: (end: Ending) => void;
  /** Resolves when the data channel is done: remote EOF (null) or a loss/detach. */
  private readonly over = new Promise<Ending>((resolve) => (this.settle = resolve));
  private settled = false;
  private draining = false;
  private heartbeat: Heartbeat | null = null;
  private timers: NodeJS.Timeout[] = [];
  private cols: number;
  private rows: number;

  constructor(
    private readonly api: LxdApi,
    private readonly instance: string,
    private readonly prepared: Prepared,
    private readonly io: ConsoleIo,
    private readonly tracker: TermModeTracker,
    detach: string | undefined,
  ) {
    this.detector = new DetachDetector(parseDetachSequence(detach));
    this.cols = dimension(io.stdout.columns, DEFAULT_COLS);
    this.rows = dimension(io.stdout.rows, DEFAULT_ROWS);
  }

  async run(): Promise<ConsoleResult> {
    const opts: ExecOptions = { ...this.prepared.exec, interactive: true, width: this.cols, height: this.rows };
    let fds: Record<string, string>;
    try {
      const started = await this.api.exec(this.instance, opts);
      this.operationId = started.operation.id;
      fds = started.fds;
    } catch (err) {
      return refusalFor(this.api, err, this.instance, this.prepared.exec.project);
    }
    if (fds['0'] === undefined || fds.control === undefined) {
      return { exitCode: null, reason: 'lost', message: 'connection lost: the server gave no exec websockets' };
    }
    // Each socket gets its handlers in the tick it opens: a frame with no listener would be lost.
    // Control first, then fd 0 (the order lxc uses; the command starts once both are there).
    try {
      await openOperationSocket(this.api, this.operationId, fds.control, (ws) => {
        this.control = ws;
        this.wireControl(ws);
      });
      await openOperationSocket(this.api, this.operationId, fds['0'], (ws) => {
        this.data = ws;
        this.wireData(ws);
      });
    } catch (err) {
      return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
    this.wireTerminal();
    if (this.ending !== null) {
      // Detached (a signal) while connecting.
      this.stopInput();
      void this.hangUp().then((e) => this.done(e));
    }
    const ending = await this.over;
    return this.finish(ending);
  }

  private wireData(data: WebSocket): void {
    const { stdout } = this.io;
    data.on('message', (buf: Buffer, isBinary: boolean) => {
      if (!isBinary && buf.length === 0) {
        this.remoteEof = true;
        this.done(null);
        return;
      }
      this.tracker.feed(buf);
      if (!stdout.write(buf) && !this.draining) {
        // Backpressure: stop reading the socket until the terminal took it all.
        this.draining = true;
        data.pause();
        stdout.once('drain', () => {
          this.draining = false;
          data.resume();
        });
      }
    });
    data.on('close', (code: number, reason: Buffer) => {
      if (!this.remoteEof) this.onDrop(`websocket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
    });
    data.on('error', (err: Error) => this.onDrop(err.message));
    this.heartbeat = watchSilence(data, HEARTBEAT_MS, () => this.draining, (silentMs) =>
      this.onDrop(`no answer from the server for ${Math.round(silentMs / 1000)} s`),
    );
  }

  private wireControl(control: WebSocket): void {
    control.on('error', () => {
      // its close follows
    });
    control.on('close', () => {
      // Normal at the end (the server drops control when the command exits), and fd 0's EOF
      // follows once the last output is through. If fd 0 goes quiet without it, the session is lost.
      const check = (): void => {
        if (this.settled) return;
        if (this.draining || (this.heartbeat?.quietFor() ?? 0) < CONTROL_CLOSED_GRACE_MS) {
          this.timers.push(setTimeout(check, CONTROL_CLOSED_GRACE_MS));
          return;
        }
        this.onDrop('control websocket closed');
      };
      this.timers.push(setTimeout(check, CONTROL_CLOSED_GRACE_MS));
    });
  }

  /** Keystrokes, resizes and terminal errors: once both sockets are open. */
  private wireTerminal(): void {
    const { stdin, stdout } = this.io;
    stdout.on('error', this.onOutputError);
    stdin.on('data', this.onInput);
    stdin.on('end', this.onStdinEnd);
    stdin.resume();
    stdout.on('resize', this.onResize);
    // The terminal may have changed size since the request was made.
    if (dimension(stdout.columns, DEFAULT_COLS) !== this.cols || dimension(stdout.rows, DEFAULT_ROWS) !== this.rows) {
      this.onResize();
    }
  }

  private readonly onInput = (chunk: Buffer | string): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const step = this.detector.feed(buf);
    const data = this.data;
    if (data !== null && step.forward.length > 0 && data.readyState === data.OPEN) data.send(step.forward);
    if (step.detach) this.startEnding({ reason: 'detached', message: 'detached' });
  };

  private readonly onStdinEnd = (): void => {
    // Not a terminal (forced -t): the end of input is the PTY's business, as a typed Ctrl-D.
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    const data = this.data;
    if (data !== null && data.readyState === data.OPEN) data.send(Buffer.from([0x04]));
  };

  private readonly onResize = (): void => {
    const { stdout } = this.io;
    this.cols = dimension(stdout.columns, DEFAULT_COLS);
    this.rows = dimension(stdout.rows, DEFAULT_ROWS);
    const control = this.control;
    if (control !== null && control.readyState === control.OPEN) control.send(resizeMessage(this.cols, this.rows));
  };

  onLocalSignal(signal: GuardSignal): void {
    const message = signal === 'SIGHUP' ? 'terminal hung up' : `detached: received ${signal}`;
    this.startEnding({ reason: 'detached', message });
  }

  /** Ends the session from our side: SIGHUP to the command, then the sockets closed. */
  private startEnding(ending: NonNullable<Ending>): void {
    if (this.ending !== null || this.settled) return;
    this.ending = ending;
    this.stopInput();
    if (this.data === null) return; // still connecting: run() takes over
    void this.hangUp().then((e) => this.done(e));
  }

  private async hangUp(): Promise<Ending> {
    const ending = this.ending;
    const control = this.control;
    if (control !== null && control.readyState === control.OPEN) {
      control.send(signalMessage(SIGNALS.SIGHUP));
      if (await this.waitEof(HANGUP_GRACE_MS)) return ending;
      control.close(); // the server kills the command (SIGKILL) when control closes
      await this.waitEof(HANGUP_GRACE_MS);
    }
    return ending;
  }

  private waitEof(ms: number): Promise<boolean> {
    if (this.remoteEof) return Promise.resolve(true);
    return Promise.race([
      this.over.then(() => this.remoteEof),
      new Promise<boolean>((resolve) => this.timers.push(setTimeout(() => resolve(this.remoteEof), ms))),
    ]);
  }

  private onDrop(why: string): void {
    if (this.settled || this.remoteEof) return;
    if (this.ending !== null) {
      this.done(this.ending);
      return;
    }
    this.done({ reason: 'lost', message: `connection lost: ${why}` });
  }

  private done(ending: Ending): void {
    if (this.settled) return;
    this.settled = true;
    // A detach in progress names the ending even when the command's EOF arrives first.
    this.settle(this.ending ?? ending);
  }

  private stopInput(): void {
    const { stdin, stdout } = this.io;
    stdin.removeListener('data', this.onInput);
    stdin.removeListener('end', this.onStdinEnd);
    stdout.removeListener('resize', this.onResize);
  }

  /** The terminal went away (EIO, EPIPE): end as on a hang-up. */
  private readonly onOutputError = (): void => {
    this.io.stdout.removeListener('error', this.onOutputError);
    this.startEnding({ reason: 'detached', message: 'terminal hung up' });
  };

  private async finish(ending: Ending): Promise<ConsoleResult> {
    this.stopInput();
    const data = this.data;
    if (ending !== null && ending.reason === 'lost') {
      // No closing handshake with a peer that may be gone (ws would wait 30 s for it).
      for (const ws of [data, this.control]) if (ws !== null) ws.terminate();
      // A command the server could not start (not found, bad user...) ends the same way: fd 0
      // closed without EOF. Then the operation failed; a lost connection leaves it running or, once
      // the server noticed and killed the command, a Success with 137. Asked briefly: the server
      // may be unreachable too.
      try {
        const end = await withTimeout(execEnd(this.api, this.operationId, 2), 3000);
        if (end.failed) return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, this.prepared.exec.command) };
      } catch {
        // the server is gone too
      }
      return { exitCode: null, ...ending };
    }
    // The server keeps the operation running until fd 0 is closed by us.
    if (data !== null && data.readyState === data.OPEN) {
      if (this.remoteEof) data.send('');
      data.close(1000);
    }
    let exitCode: number | null = null;
    let message = ending?.message ?? '';
    try {
      const end = await execEnd(this.api, this.operationId, ending === null ? 10 : 3);
      exitCode = end.exitCode;
      if (ending === null) {
        if (!end.finished) {
          return { exitCode: null, reason: 'lost', message: 'connection lost: the command ended but its operation did not finish' };
        }
        message = exitMessage(end, this.prepared.exec.command);
      }
    } catch (err) {
      if (ending === null) return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
    return ending === null ? { exitCode, reason: 'exited', message } : { exitCode, ...ending };
  }

  dispose(): void {
    this.stopInput();
    this.io.stdout.removeListener('error', this.onOutputError);
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.heartbeat?.stop();
    for (const ws of [this.data, this.control]) {
      if (ws === null) continue;
      ws.removeAllListeners('message');
      // Never leave a socket behind: terminate what did not close by now.
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
        ws.on('error', () => {});
        ws.terminate();
      }
    }
  }
}
