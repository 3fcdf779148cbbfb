// Opens an exec websocket with its handlers attached in the very 'open' event.
//
// Why not simply `await api.operationWebsocket(...)` and then add listeners: under load the server's
// first frames (even the whole output and the EOF of a short command) arrive in the same read as
// the HTTP 101 answer. ws replays those bytes right after 'open' on a process.nextTick, and
// nextTick callbacks run before promise continuations: the frames are emitted while nobody
// listens, and are gone. (Seen on LXD 5 with `sh -c 'echo out; exit 5'`: empty output, 1006.)
//
// So, with LxdClient (whose transport builds the socket), the socket is created here and
// `attach` runs inside the 'open' handler. Any other LxdApi falls back to operationWebsocket.
// The proper fix belongs in src/lxd (a way to attach before open resolves, or the socket handed
// back paused); until then this keeps the console correct.
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { LxdApi } from '../lxd/api.js';
import { LxdError } from '../lxd/errors.js';
import { describeNetError, websocketRefusal } from '../lxd/transport.js';

interface TransportLike {
  createWebsocket(path: string): WebSocket;
  describe?(): string;
}

const noop = (): void => {};

function transportOf(api: LxdApi): TransportLike | null {
  const t = (api as unknown as { transport?: Partial<TransportLike> }).transport;
  return t !== undefined && t !== null && typeof t.createWebsocket === 'function' ? (t as TransportLike) : null;
}

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
  const transport = transportOf(api);
  if (transport === null) {
    return api.operationWebsocket(operationId, secret).then((ws) => {
      attach(ws);
      return ws;
    });
  }
  const path = `/1.0/operations/${encodeURIComponent(operationId)}/websocket?secret=${encodeURIComponent(secret)}`;
  const ws = transport.createWebsocket(path);
  ws.binaryType = 'nodebuffer';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      ws.off('open', onOpen);
      ws.on('error', noop); // terminating a connecting socket emits 'error'
      ws.terminate();
      reject(err);
    };
    const onOpen = (): void => {
      if (settled) return;
      settled = true;
      ws.off('error', onError);
      ws.off('unexpected-response', onRefused);
      attach(ws);
      resolve(ws);
    };
    const onRefused = (_req: unknown, res: IncomingMessage): void => {
      void websocketRefusal(res, 'GET', path).then(fail);
    };
    const onError = (err: Error): void => {
      const where = transport.describe ? ` on ${transport.describe()}` : '';
      fail(
        new LxdError(`websocket ${path}${where}: ${describeNetError(err)}`, {
          kind: /timed out/i.test(err.message) ? 'timeout' : 'network',
          method: 'GET',
          path,
          cause: err,
        }),
      );
    };
    ws.once('open', onOpen);
    ws.once('unexpected-response', onRefused);
    ws.on('error', onError);
  });
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
export function watchSilence(ws: WebSocket, periodMs: number, isPaused: () => boolean, onSilent: (ms: number) => void): Heartbeat {
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
    if (quiet > 3 * periodMs) {
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
