// Opens an exec websocket with its handlers attached in the very 'open' event.
//
// Why not simply `await api.operationWebsocket(...)` and then add listeners: under load the server's
// first frames (even the whole output and the EOF of a short command) arrive in the same read as
// the HTTP 101 answer. ws replays those bytes right after 'open' on a process.nextTick, and
// nextTick callbacks run before promise continuations: the frames would be emitted while nobody
// listens, and be gone. (Seen on LXD 5 with `sh -c 'echo out; exit 5'`: empty output, 1006.)
import type { WebSocket } from 'ws';
import type { LxdApi } from '../lxd/api.js';

/**
 * Opens `/1.0/operations/<id>/websocket?secret=…`; `attach` gets the socket in its 'open' event,
 * before any frame can be emitted. It must add an 'error' listener of its own.
 */
export function openOperationSocket(
  api: LxdApi,
  operationId: string,
  secret: string,
  attach: (ws: WebSocket) => void,
): Promise<WebSocket> {
  return api.operationWebsocket(operationId, secret, attach);
}

export interface Heartbeat {
  /** ms since anything came in on the socket. */
  quietFor(): number;
  stop(): void;
}

/**
 * A connection that died without a word (a remote host powered off, a NAT that forgot us) would
 * hang a session until TCP gives up, many minutes later. This pings every `periodMs`; when nothing
 * at all came in (frames, pings, pongs; the server pings every 10 s) for three periods, `onSilent`
 * runs. While `isPaused()` (we stopped reading: backpressure) silence proves nothing.
 */
export function watchSilence(
  ws: WebSocket,
  periodMs: number,
  isPaused: () => boolean,
  onSilent: (ms: number) => void,
  /** Longer silences allowed now (a socket read only in batches: read-batch.ts). */
  graceMs: () => number = () => 0,
): Heartbeat {
  let last = Date.now();
  const heard = (): void => {
    last = Date.now();
  };
  ws.on('message', heard);
  ws.on('ping', heard);
  ws.on('pong', heard);
  const timer = setInterval(() => {
    if (isPaused()) {
      heard();
      return;
    }
    const quiet = Date.now() - last;
    if (quiet > 3 * periodMs + graceMs()) {
      clearInterval(timer);
      onSilent(quiet);
      return;
    }
    if (ws.readyState === ws.OPEN) ws.ping();
  }, periodMs);
  timer.unref();
  return {
    quietFor: () => Date.now() - last,
    stop: () => clearInterval(timer),
  };
}

export interface FramePipe {
  /** The local stream is full: the socket is paused until it drains (silence proves nothing then). */
  draining(): boolean;
  /** Frames after this are dropped (the output went away). */
  stop(): void;
}

/**
 * An output fd's binary frames written to a local stream as they arrive (no copies, no strings),
 * with backpressure: the socket is paused while the stream is full. A zero-length text frame is
 * the fd's EOF (`onEof`, nothing after it is written); `onData` sees each chunk before it is written.
 */
export function pipeFrames(
  ws: WebSocket,
  out: NodeJS.WritableStream,
  handlers: { onEof(): void; onData?(buf: Buffer): void },
): FramePipe {
  let stopped = false;
  let draining = false;
  ws.on('message', (buf: Buffer, isBinary: boolean) => {
    if (stopped) return;
    if (!isBinary && buf.length === 0) {
      stopped = true;
      handlers.onEof();
      return;
    }
    handlers.onData?.(buf);
    if (!out.write(buf) && !draining) {
      draining = true;
      ws.pause();
      out.once('drain', () => {
        draining = false;
        ws.resume();
      });
    }
  });
  return {
    draining: () => draining,
    stop: () => void (stopped = true),
  };
}

/** Stops listening to the exec sockets and terminates what did not close by now: none is left behind. */
export function closeSockets(sockets: readonly (WebSocket | null)[]): void {
  for (const ws of sockets) {
    if (ws === null) continue;
    ws.removeAllListeners('message');
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      ws.on('error', () => {});
      ws.terminate();
    }
  }
}
