// An interactive exec session on the caller's terminal: one websocket for the PTY's bytes both ways
// (fd "0") and one for control (resize, signals). See docs/lxd-api.md, Exec:
// - keystrokes go as binary frames (a text frame on stdin is EOF to the server);
// - a zero-length text frame from the server on fd 0 is the PTY's EOF: the command ended. The
//   operation finishes only once we close fd 0; then its metadata holds the exit code;
// - closing control kills the command, so it stays open until the end.
// The session holds the sockets and how it ends; the local terminal's events come through
// LocalTerminal (local-terminal.ts), and the result is read by finishInteractive (finish.ts).
import type { WebSocket } from 'ws';
import type { ExecOptions, LxdApi } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import { resizeMessage, signalMessage, SIGNALS } from './control.js';
import { finishInteractive, type Ending } from './finish.js';
import { LocalTerminal, type ConsoleIo } from './local-terminal.js';
import { refusalFor, type ConsoleResult, type Prepared } from './prepare.js';
import { closeSockets, openOperationSocket, pipeFrames, watchSilence, type FramePipe, type Heartbeat } from './sockets.js';
import { TerminalGuard, type GuardSignal } from './terminal.js';
import { TermModeTracker } from './term-modes.js';

export type { ConsoleIo } from './local-terminal.js';

/** How long the command gets to end on SIGHUP (detach) before control is closed (SIGKILL). */
const HANGUP_GRACE_MS = 1000;
/** How long after control closed we wait for fd 0's EOF before asking the operation. */
const CONTROL_CLOSED_GRACE_MS = 3000;
/** Ping period on fd 0 (see watchSilence); LXTOP_HEARTBEAT_MS shortens it for tests. */
const HEARTBEAT_MS = Math.max(50, Number(process.env.LXTOP_HEARTBEAT_MS) || 15_000);

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
  private settle!: (end: Ending) => void;
  /** Resolves when the data channel is done: remote EOF (null) or a loss/detach. */
  private readonly over = new Promise<Ending>((resolve) => (this.settle = resolve));
  private settled = false;
  private output: FramePipe | null = null;
  private heartbeat: Heartbeat | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly terminal: LocalTerminal;

  constructor(
    private readonly api: LxdApi,
    private readonly instance: string,
    private readonly prepared: Prepared,
    private readonly io: ConsoleIo,
    private readonly tracker: TermModeTracker,
    detach: string | undefined,
  ) {
    this.terminal = new LocalTerminal(io, detach, {
      input: (bytes) => this.send(this.data, bytes),
      detach: () => this.startEnding({ reason: 'detached', message: 'detached' }),
      // Not a terminal (forced -t): the end of input is the PTY's business, as a typed Ctrl-D.
      endOfInput: () => this.send(this.data, Buffer.from([0x04])),
      resize: (cols, rows) => this.send(this.control, resizeMessage(cols, rows)),
      hungUp: () => this.startEnding({ reason: 'detached', message: 'terminal hung up' }),
    });
  }

  async run(): Promise<ConsoleResult> {
    const { cols, rows } = this.terminal;
    const opts: ExecOptions = { ...this.prepared.exec, interactive: true, width: cols, height: rows };
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
    this.terminal.start();
    if (this.ending !== null) {
      // Detached (a signal) while connecting.
      this.terminal.stopInput();
      void this.hangUp().then((e) => this.done(e));
    }
    const ending = await this.over;
    this.terminal.stopInput();
    return finishInteractive(this.api, {
      operationId: this.operationId,
      command: this.prepared.exec.command,
      ending,
      data: this.data,
      control: this.control,
      remoteEof: this.remoteEof,
    });
  }

  private send(ws: WebSocket | null, message: Buffer | string): void {
    if (ws !== null && ws.readyState === ws.OPEN) ws.send(message);
  }

  private wireData(data: WebSocket): void {
    const output = pipeFrames(data, this.io.stdout, {
      onEof: () => {
        this.remoteEof = true;
        this.done(null);
      },
      onData: (buf) => this.tracker.feed(buf),
    });
    this.output = output;
    data.on('close', (code: number, reason: Buffer) => {
      if (!this.remoteEof) this.onDrop(`websocket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`);
    });
    data.on('error', (err: Error) => this.onDrop(err.message));
    this.heartbeat = watchSilence(data, HEARTBEAT_MS, output.draining, (silentMs) =>
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
        if (this.output?.draining() || (this.heartbeat?.quietFor() ?? 0) < CONTROL_CLOSED_GRACE_MS) {
          this.timers.push(setTimeout(check, CONTROL_CLOSED_GRACE_MS));
          return;
        }
        this.onDrop('control websocket closed');
      };
      this.timers.push(setTimeout(check, CONTROL_CLOSED_GRACE_MS));
    });
  }

  onLocalSignal(signal: GuardSignal): void {
    const message = signal === 'SIGHUP' ? 'terminal hung up' : `detached: received ${signal}`;
    this.startEnding({ reason: 'detached', message });
  }

  /** Ends the session from our side: SIGHUP to the command, then the sockets closed. */
  private startEnding(ending: NonNullable<Ending>): void {
    if (this.ending !== null || this.settled) return;
    this.ending = ending;
    this.terminal.stopInput();
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

  dispose(): void {
    this.terminal.dispose();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.heartbeat?.stop();
    closeSockets([this.data, this.control]);
  }
}
