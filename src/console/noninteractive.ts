// A non-interactive exec: websockets for fds 0, 1 and 2 plus control. stdout and stderr stay
// apart; stdin is streamed to its end, then a zero-length text frame says EOF. Output goes
// straight to our stdout/stderr as the frames arrive (no copies, no strings), with backpressure:
// the socket is paused while the local stream is full.
// Signals lxtop gets (Ctrl-C in the local terminal, kill) are forwarded to the command; the third
// of the same kind closes control, which makes the server kill the command.
import type { WebSocket } from 'ws';
import type { LxdApi } from '../lxd/api.js';
import { signalMessage, SIGNALS } from './control.js';
import { execEnd, execRefusal, errorText, exitMessage, type ConsoleResult, type Prepared } from './prepare.js';

export interface StreamsIo {
  stdin: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
/** What a command killed by SIGPIPE exits with in a shell. */
export const EXIT_BROKEN_PIPE = 141;
/** Stop reading stdin while this much is queued on fd 0. */
const STDIN_HIGH_WATER = 4 * 1024 * 1024;

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
    return execRefusal(err, instance);
  }
  const opId = started.operation.id;
  const fds = started.fds;
  if (!fds['0'] || !fds['1'] || !fds['2'] || !fds.control) {
    return { exitCode: null, reason: 'lost', message: 'connection lost: the server gave no exec websockets' };
  }
  const sockets = await Promise.allSettled(
    [fds['0'], fds['1'], fds['2'], fds.control].map((secret) => api.operationWebsocket(opId, secret)),
  );
  const opened = sockets.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = sockets.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    for (const ws of opened) ws.terminate();
    return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(failed.reason)}` };
  }
  const [in0, out1, err2, control] = opened;

  let lost: string | null = null;
  /** Our own stdout or stderr went away (`… | head`): stop like a tool killed by SIGPIPE. */
  let brokenPipe = false;
  const pipeOut = (ws: WebSocket, out: NodeJS.WritableStream): Promise<void> =>
    new Promise((resolve) => {
      let ended = false;
      let draining = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        out.removeListener('error', onOutError);
        resolve();
      };
      const onOutError = (): void => {
        brokenPipe = true;
        ws.pause();
        // Closing control makes the server kill the command; its output sockets then close.
        if (control.readyState === control.OPEN) control.close();
        end();
      };
      out.on('error', onOutError);
      ws.on('message', (buf: Buffer, isBinary: boolean) => {
        if (ended) return;
        if (!isBinary && buf.length === 0) {
          end();
          return;
        }
        if (!out.write(buf) && !draining) {
          draining = true;
          ws.pause();
          out.once('drain', () => {
            draining = false;
            ws.resume();
          });
        }
      });
      ws.on('close', (code: number) => {
        if (!ended && code !== 1000 && lost === null) lost = `websocket closed (${code})`;
        end();
      });
      ws.on('error', (err: Error) => {
        if (!ended && lost === null) lost = err.message;
        end();
      });
    });
  const outputs = Promise.all([pipeOut(out1, io.stdout), pipeOut(err2, io.stderr)]);

  // stdin → fd 0.
  let stdinDone = false;
  in0.on('error', () => {});
  in0.on('close', () => stopStdin());
  const sendEof = (): void => {
    if (in0.readyState === in0.OPEN) in0.send('');
  };
  const onData = (chunk: Buffer | string): void => {
    if (in0.readyState !== in0.OPEN) return;
    in0.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (in0.bufferedAmount > STDIN_HIGH_WATER) {
      io.stdin.pause();
      const check = (): void => {
        if (stdinDone) return;
        if (in0.readyState !== in0.OPEN || in0.bufferedAmount <= STDIN_HIGH_WATER / 4) io.stdin.resume();
        else setTimeout(check, 5);
      };
      setTimeout(check, 5);
    }
  };
  const onEnd = (): void => {
    stopStdin();
    sendEof();
  };
  function stopStdin(): void {
    if (stdinDone) return;
    stdinDone = true;
    io.stdin.removeListener('data', onData);
    io.stdin.removeListener('end', onEnd);
    io.stdin.pause();
  }
  if (noStdin) {
    stdinDone = true;
    sendEof();
  } else {
    io.stdin.on('data', onData);
    io.stdin.on('end', onEnd);
    io.stdin.resume();
  }

  // Local signals → the command.
  const counts = new Map<string, number>();
  const handlers = FORWARDED.map((name) => {
    const handler = (): void => {
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      if (control.readyState !== control.OPEN) return;
      if (n >= 3) control.close(); // the server kills the command
      else control.send(signalMessage(SIGNALS[name]));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  control.on('error', () => {});

  try {
    await outputs;
    stopStdin();
    if (brokenPipe) return { exitCode: EXIT_BROKEN_PIPE, reason: 'exited', message: 'output closed (broken pipe)' };
    if (lost !== null) {
      // The output channels broke: a command the server could not start ends this way too, and
      // then the operation failed (a lost connection leaves it running, or killed: 137).
      try {
        const end = await execEnd(api, opId, 2);
        if (end.failed) return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, prepared.exec.command) };
      } catch {
        // gone
      }
      return { exitCode: null, reason: 'lost', message: `connection lost: ${lost}` };
    }
    try {
      const end = await execEnd(api, opId, 30);
      if (!end.finished) return { exitCode: null, reason: 'lost', message: 'connection lost: the operation did not finish' };
      return { exitCode: end.exitCode, reason: 'exited', message: exitMessage(end, prepared.exec.command) };
    } catch (err) {
      return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
    }
  } finally {
    stopStdin();
    for (const [name, handler] of handlers) process.removeListener(name, handler);
    for (const ws of opened) {
      ws.removeAllListeners('message');
      if (ws.readyState === ws.OPEN) ws.close(1000);
    }
  }
}
