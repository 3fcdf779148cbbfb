// A non-interactive exec: websockets for fds 0, 1 and 2 plus control. stdout and stderr stay
// apart; stdin is streamed to its end, then a zero-length text frame says EOF. Output goes
// straight to our stdout/stderr as the frames arrive (no copies, no strings), with backpressure:
// the socket is paused while the local stream is full (pipeFrames in sockets.ts).
//
// Two server facts shape this (see lxd/instance_exec.go): the command starts as soon as fds 0, 1
// and 2 are connected, without waiting for control; so output handlers go on each socket the
// moment it opens (a frame with no listener is lost), and a control socket that could not connect
// because the command already ended is no error.
//
// Signals lxtop gets (Ctrl-C in the local terminal, kill) are forwarded to the command; the third
// of the same kind closes control, which makes the server kill the command.
import type { WebSocket } from 'ws';
import type { LxdApi } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import { signalMessage, SIGNALS } from './control.js';
import { execEnd, exitMessage, refusalFor, type ConsoleResult, type Prepared } from './prepare.js';
import { openOperationSocket, pipeFrames } from './sockets.js';

export interface StreamsIo {
  stdin: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
/** What a command killed by SIGPIPE exits with in a shell. */
const EXIT_BROKEN_PIPE = 141;
/** Stop reading stdin while this much is queued on fd 0. */
const STDIN_HIGH_WATER = 4 * 1024 * 1024;

const noop = (): void => {};

export async function runNonInteractive(
  api: LxdApi,
  instance: string,
  prepared: Prepared,
  io: StreamsIo,
  noStdin: boolean,
): Promise<ConsoleResult> {
  let started;
  try {
    started = await api.exec(instance, { ...prepared.exec, interactive: false });
  } catch (err) {
    return refusalFor(api, err, instance, prepared.exec.project);
  }
  const opId = started.operation.id;
  const fds = started.fds;
  if (!fds['0'] || !fds['1'] || !fds['2']) {
    return { exitCode: null, reason: 'lost', message: 'connection lost: the server gave no exec websockets' };
  }
  const session = new Streams(api, opId, prepared, io, noStdin);
  try {
    return await session.run(fds);
  } finally {
    session.dispose();
  }
}

class Streams {
  private readonly sockets: WebSocket[] = [];
  private control: WebSocket | null = null;
  private in0: WebSocket | null = null;
  private lost: string | null = null;
  /** Our own stdout or stderr went away (`… | head`): stop like a tool killed by SIGPIPE. */
  private brokenPipe = false;
  private stdinDone = false;
  private readonly signalCounts = new Map<string, number>();
  private readonly handlers: [string, () => void][] = [];

  constructor(
    private readonly api: LxdApi,
    private readonly opId: string,
    private readonly prepared: Prepared,
    private readonly io: StreamsIo,
    private readonly noStdin: boolean,
  ) {}

  async run(fds: Record<string, string>): Promise<ConsoleResult> {
    // Handlers go on inside the socket's 'open' event (see sockets.ts): no frame is missed.
    const open = (secret: string, attach: (ws: WebSocket) => void): Promise<WebSocket> =>
      openOperationSocket(this.api, this.opId, secret, (ws) => {
        ws.on('error', noop); // errors are read from 'close'; never an unhandled 'error'
        this.sockets.push(ws);
        attach(ws);
      });
    // Control first, as lxc does: the server starts the command once 0, 1 and 2 are connected, and
    // with control still connecting LXD 5 was seen to drop a short command's stderr or stdout
    // (no data, no EOF, just the socket closed). Control connected first: 0 lost in 100 runs.
    if (fds.control) {
      try {
        await open(fds.control, (ws) => this.wireControl(ws));
      } catch {
        // optional: signals are then not forwarded
      }
    }
    let done1: Promise<void> = Promise.resolve();
    let done2: Promise<void> = Promise.resolve();
    const out1 = open(fds['1'], (ws) => (done1 = this.pipeOut(ws, this.io.stdout)));
    const err2 = open(fds['2'], (ws) => (done2 = this.pipeOut(ws, this.io.stderr)));
    const in0 = open(fds['0'], (ws) => this.wireStdin(ws));
    const [o, e, i] = await Promise.allSettled([out1, err2, in0]);
    if (o.status === 'fulfilled' && e.status === 'fulfilled' && i.status === 'fulfilled') {
      await Promise.all([done1, done2]);
    } else {
      const failed = [o, e, i].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      this.lost = errorText(failed?.reason);
      for (const ws of this.sockets) ws.terminate();
    }
    this.stopStdin();
    if (this.brokenPipe) return { exitCode: EXIT_BROKEN_PIPE, reason: 'exited', message: 'output closed (broken pipe)' };
    if (this.lost !== null) {
      // An output socket closed without its EOF frame. That happens without any fault of the
      // connection: a command the server could not start (not found, bad user...), and an LXD 5
      // race that drops a short command's output when the command ends before the server's first
      // read (lxc loses the same output, 4 runs in 100 under load). The operation tells: finished
      // means the command ran to its end; still running or unreachable means the connection is gone.
      try {
        const end = await execEnd(this.api, this.opId, 3);
        if (end.finished) return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, this.prepared.exec.command) };
      } catch {
        // the server is gone too
      }
      return { exitCode: null, reason: 'lost', message: `connection lost: ${this.lost}` };
    }
    try {
      const end = await execEnd(this.api, this.opId, 30);
      if (!end.finished) return { exitCode: null, reason: 'lost', message: 'connection lost: the operation did not finish' };
      return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, this.prepared.exec.command) };
    } catch (err) {
      return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
  }

  /** Frames of one output fd → a local stream. Resolves at the fd's EOF (or its socket's end). */
  private pipeOut(ws: WebSocket, out: NodeJS.WritableStream): Promise<void> {
    return new Promise((resolve) => {
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        pipe.stop();
        out.removeListener('error', onOutError);
        resolve();
      };
      const onOutError = (): void => {
        this.brokenPipe = true;
        ws.pause();
        // Closing control makes the server kill the command; its output sockets then close.
        const control = this.control;
        if (control !== null && control.readyState === control.OPEN) control.close();
        end();
      };
      out.on('error', onOutError);
      const pipe = pipeFrames(ws, out, { onEof: end });
      ws.on('close', (code: number) => {
        if (!ended && code !== 1000 && this.lost === null) this.lost = `websocket closed (${code})`;
        end();
      });
    });
  }

  private wireStdin(ws: WebSocket): void {
    this.in0 = ws;
    ws.on('close', () => this.stopStdin());
    if (this.noStdin) {
      this.stdinDone = true;
      this.sendEof();
      return;
    }
    this.io.stdin.on('data', this.onData);
    this.io.stdin.on('end', this.onEnd);
    this.io.stdin.resume();
  }

  private readonly sendEof = (): void => {
    const ws = this.in0;
    if (ws !== null && ws.readyState === ws.OPEN) ws.send('');
  };

  private readonly onData = (chunk: Buffer | string): void => {
    const ws = this.in0;
    if (ws === null || ws.readyState !== ws.OPEN) return;
    ws.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (ws.bufferedAmount > STDIN_HIGH_WATER) {
      this.io.stdin.pause();
      const check = (): void => {
        if (this.stdinDone) return;
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount <= STDIN_HIGH_WATER / 4) this.io.stdin.resume();
        else setTimeout(check, 5);
      };
      setTimeout(check, 5);
    }
  };

  private readonly onEnd = (): void => {
    this.stopStdin();
    this.sendEof();
  };

  private stopStdin(): void {
    if (this.stdinDone) return;
    this.stdinDone = true;
    this.io.stdin.removeListener('data', this.onData);
    this.io.stdin.removeListener('end', this.onEnd);
    this.io.stdin.pause();
  }

  private wireControl(ws: WebSocket): void {
    this.control = ws;
    for (const name of FORWARDED) {
      const handler = (): void => {
        const n = (this.signalCounts.get(name) ?? 0) + 1;
        this.signalCounts.set(name, n);
        if (ws.readyState !== ws.OPEN) return;
        if (n >= 3) ws.close(); // the server kills the command
        else ws.send(signalMessage(SIGNALS[name]));
      };
      process.on(name, handler);
      this.handlers.push([name, handler]);
    }
  }

  dispose(): void {
    this.stopStdin();
    for (const [name, handler] of this.handlers) process.removeListener(name, handler);
    this.handlers.length = 0;
    for (const ws of this.sockets) {
      ws.removeAllListeners('message');
      if (ws.readyState === ws.OPEN) ws.close(1000);
    }
  }
}
