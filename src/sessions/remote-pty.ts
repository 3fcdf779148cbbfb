// A session's command in its instance, as the holder runs it: the exec operation's two websockets
// (fd 0 both ways, control for resizes and signals) with nobody's terminal on the other end. The
// rules are the console's (src/console: text frames are EOF, resizes take strings, closing control
// kills the command); this reuses its pieces and ends with the same ConsoleResult.
import type { WebSocket } from 'ws';
import type { ExecOptions, LxdApi } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import { resizeMessage, signalMessage, SIGNALS } from '../console/control.js';
import { finishInteractive, type Ending } from '../console/finish.js';
import { refusalFor, type ConsoleResult, type Prepared } from '../console/prepare.js';
import { closeSockets, openOperationSocket, watchSilence, type Heartbeat } from '../console/sockets.js';
import { BATCH_MS, BatchedReader } from './read-batch.js';

/** Ping period on fd 0 (see watchSilence); LXTOP_HEARTBEAT_MS shortens it for tests. */
const HEARTBEAT_MS = Math.max(50, Number(process.env.LXTOP_HEARTBEAT_MS) || 15_000);
/** How long the command gets to end on SIGHUP (close) before control is closed (SIGKILL). */
const HANGUP_GRACE_MS = 1000;

export interface PtyEvents {
  output(bytes: Buffer): void;
  /** Once: the command ended, or the connection to it was lost. */
  end(result: ConsoleResult): void;
}

export class RemotePty {
  private data: WebSocket | null = null;
  private control: WebSocket | null = null;
  private operationId = '';
  private remoteEof = false;
  private ended = false;
  private closing = false;
  private heartbeat: Heartbeat | null = null;
  /** The instance's console rather than a command: no exit code, and it ends when its socket closes. */
  private isConsole = false;
  /** fd 0's socket, read in batches while the session is detached. */
  private readonly reader = new BatchedReader(() => (this.data as unknown as { _socket?: unknown } | null)?._socket);

  private constructor(
    private readonly api: LxdApi,
    private readonly prepared: Prepared,
    private readonly events: PtyEvents,
  ) {}

  /** Attaches to the instance's console (`/1.0/instances/NAME/console`); same websockets as exec. */
  static async startConsole(api: LxdApi, instance: string, project: string | undefined, size: { cols: number; rows: number }, events: PtyEvents): Promise<RemotePty | ConsoleResult> {
    if (!api.console) return { exitCode: null, reason: 'refused', message: 'this client cannot attach to consoles' };
    const prepared: Prepared = { refusal: null, kind: undefined, exec: { command: ['console'], project } };
    let started: { operation: { id: string }; fds: Record<string, string> };
    try {
      started = await api.console(instance, { project, width: size.cols, height: size.rows });
    } catch (err) {
      return refusalFor(api, err, instance, project);
    }
    return RemotePty.open(api, prepared, events, started, true);
  }

  /** Starts the command; a refusal (not found, stopped, bad user) comes back as a result instead. */
  static async start(api: LxdApi, instance: string, prepared: Prepared, size: { cols: number; rows: number }, events: PtyEvents): Promise<RemotePty | ConsoleResult> {
    const opts: ExecOptions = { ...prepared.exec, interactive: true, width: size.cols, height: size.rows };
    let started: { operation: { id: string }; fds: Record<string, string> };
    try {
      started = await api.exec(instance, opts);
    } catch (err) {
      return refusalFor(api, err, instance, prepared.exec.project);
    }
    return RemotePty.open(api, prepared, events, started, false);
  }

  private static async open(
    api: LxdApi,
    prepared: Prepared,
    events: PtyEvents,
    started: { operation: { id: string }; fds: Record<string, string> },
    isConsole: boolean,
  ): Promise<RemotePty | ConsoleResult> {
    const pty = new RemotePty(api, prepared, events);
    pty.isConsole = isConsole;
    pty.operationId = started.operation.id;
    const fds = started.fds;
    if (fds['0'] === undefined || fds.control === undefined) {
      return { exitCode: null, reason: 'lost', message: 'connection lost: the server gave no exec websockets' };
    }
    try {
      // Handlers attached in 'open' (sockets.ts says why); control first, as lxc does.
      await openOperationSocket(api, pty.operationId, fds.control, (ws) => {
        pty.control = ws;
        ws.on('error', () => {});
      });
      await openOperationSocket(api, pty.operationId, fds['0'], (ws) => {
        pty.data = ws;
        pty.wireData(ws);
      });
    } catch (err) {
      pty.dispose();
      return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
    return pty;
  }

  private wireData(ws: WebSocket): void {
    ws.on('message', (buf: Buffer, isBinary: boolean) => {
      if (this.remoteEof) return;
      if (!isBinary && buf.length === 0) {
        this.remoteEof = true;
        void this.finish(null);
        return;
      }
      this.reader.read(buf.length);
      this.events.output(buf);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (!this.remoteEof) void this.finish({ reason: 'lost', message: `connection lost: websocket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})` });
    });
    ws.on('error', (err: Error) => {
      if (!this.remoteEof) void this.finish({ reason: 'lost', message: `connection lost: ${err.message}` });
    });
    this.heartbeat = watchSilence(
      ws,
      HEARTBEAT_MS,
      () => ws.isPaused,
      (ms) => void this.finish({ reason: 'lost', message: `connection lost: no answer from the server for ${Math.round(ms / 1000)} s` }),
      () => (this.reader.batched ? BATCH_MS : 0),
    );
  }

  input(bytes: Buffer): void {
    if (this.data !== null && this.data.readyState === this.data.OPEN && !this.closing) this.data.send(bytes);
  }

  resize(cols: number, rows: number): void {
    if (this.control !== null && this.control.readyState === this.control.OPEN) this.control.send(resizeMessage(cols, rows));
  }

  /** Nobody attached: read the output in batches (read-batch.ts); attached: as it comes. */
  batch(on: boolean): void {
    if (!this.ended) this.reader.batched = on;
  }

  /** Reads what output is waiting now (a history request while detached). */
  readNow(): Promise<void> {
    return this.reader.readNow();
  }

  /** Backpressure from the holder's side: stop reading the command's output for a while. */
  pause(): void {
    this.data?.pause();
  }

  resume(): void {
    this.data?.resume();
  }

  /** Ends the command: SIGHUP, then (still there after a second) control closed, which kills it. */
  close(): void {
    if (this.closing || this.ended) return;
    this.closing = true;
    if (this.isConsole) {
      // Leaving a console ends nothing in the instance: the sockets are closed.
      void this.finish({ reason: 'lost', message: 'closed' });
      return;
    }
    const control = this.control;
    if (control === null || control.readyState !== control.OPEN) {
      void this.finish({ reason: 'lost', message: 'closed' });
      return;
    }
    control.send(signalMessage(SIGNALS.SIGHUP));
    setTimeout(() => {
      if (!this.ended) control.close();
    }, HANGUP_GRACE_MS).unref();
  }

  private async finish(ending: Ending): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.heartbeat?.stop();
    let result: ConsoleResult;
    if (this.isConsole) {
      // No exit code: the console closed (the instance stopped), or the link broke.
      this.dispose();
      const clean = ending === null || ending.message.includes('(1000');
      if (ending?.message === 'closed') this.events.end({ exitCode: null, reason: 'lost', message: 'closed' });
      else if (clean) this.events.end({ exitCode: null, reason: 'exited', message: 'the console closed' });
      else this.events.end({ exitCode: null, ...ending });
      return;
    }
    try {
      result = await finishInteractive(this.api, {
        operationId: this.operationId,
        command: this.prepared.exec.command,
        ending,
        data: this.data,
        control: this.control,
        remoteEof: this.remoteEof,
      });
    } catch (err) {
      result = { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
    this.dispose();
    this.events.end(result);
  }

  private dispose(): void {
    this.heartbeat?.stop();
    this.reader.dispose();
    closeSockets([this.data, this.control]);
  }
}
