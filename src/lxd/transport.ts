// Bytes to and from one daemon: HTTP requests (unix socket or HTTPS with a client certificate and a
// pinned server certificate) through an undici Agent (http-undici.ts), or through Node's http
// module for a short run (http-node.ts: `--once`), and websockets through `ws` with the same TLS
// options. Knows nothing of the LXD envelope (request.ts) beyond reading an error body for a
// refused websocket upgrade.
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { LxdError } from './errors.js';
import { tlsOptions, type TlsMaterial } from './tls.js';

/**
 * A local unix socket that stands for a daemon elsewhere (an ssh forward, src/ssh): its name for
 * messages, why it is down when it is, and closing it with the transport.
 */
export interface SocketTunnel {
  readonly label: string;
  status(): string | null;
  close(): Promise<void>;
}

export type Endpoint = { kind: 'unix'; socket: string; tunnel?: SocketTunnel } | { kind: 'https'; url: string; tls: TlsMaterial };

export interface RequestOptions {
  /** JSON-encoded when not a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Deadline for the whole exchange (headers and body); default: the transport's. 0 = none. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface TransportOptions {
  /** Default deadline per request, ms (30 s). Waits pass their own, longer one. */
  timeoutMs?: number;
  /** Deadline for a websocket handshake, ms (10 s). */
  websocketTimeoutMs?: number;
  /**
   * Which HTTP client: `undici` (default: pooled keep-alive connections, for the views) or `node`
   * (Node's http module: no WebAssembly parser to compile, for a process that makes a few requests
   * and exits, `--once`). Only the chosen one is loaded.
   */
  http?: 'undici' | 'node';
}

/** One HTTP exchange as an engine sees it: the path is the server's (the origin is the engine's). */
export interface HttpExchange {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

/** An HTTP client bound to one endpoint: http-undici.ts or http-node.ts. */
export interface HttpEngine {
  /** Resolves with the whole body once it arrived; rejects with the client's own error. */
  request(exchange: HttpExchange): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Words for the socket errors people meet: `connection refused (ECONNREFUSED)`. */
export function describeNetError(err: unknown): string {
  const e = err as { code?: string; message?: string } | null;
  const words: Record<string, string> = {
    ENOENT: 'no such socket',
    EACCES: 'permission denied',
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection closed',
    ENOTSOCK: 'not a socket',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'timed out',
    UND_ERR_SOCKET: 'connection closed before the answer was complete',
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'connection closed before the answer was complete',
    UND_ERR_CLOSED: 'client closed',
    LXTOP_PIN_MISMATCH: e?.message ?? 'server certificate is not the pinned one',
  };
  if (e?.code && words[e.code]) return `${words[e.code]} (${e.code})`;
  return e?.message ?? String(err);
}

/** OpenSSL verification failures: with a pinned certificate as the only CA, a different certificate fails here. */
const CERT_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'LXTOP_PIN_MISMATCH',
]);

type WebSocketClass = typeof import('ws').default;
let wsModule: Promise<WebSocketClass> | null = null;

/**
 * `ws`, loaded when the first websocket is made: the first list (what lxtop draws first) needs
 * only HTTP, and loading `ws` up front cost that list ~40 ms of module loading.
 */
export function loadWebSocket(): Promise<WebSocketClass> {
  wsModule ??= import('ws').then((m) => m.default);
  return wsModule;
}

export class Transport {
  readonly endpoint: Endpoint;
  /** The HTTP client, loading from the start (its module is a chunk of its own). */
  private readonly engine: Promise<HttpEngine>;
  private readonly timeoutMs: number;
  private readonly websocketTimeoutMs: number;
  /** Origin of the websocket URLs. */
  private readonly origin: string;

  constructor(endpoint: Endpoint, opts: TransportOptions = {}) {
    this.endpoint = endpoint;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.websocketTimeoutMs = opts.websocketTimeoutMs ?? 10_000;
    this.origin = endpoint.kind === 'unix' ? 'http://lxd' : endpoint.url.replace(/\/+$/, '');
    this.engine =
      opts.http === 'node'
        ? import('./http-node.js').then((m) => m.nodeEngine(endpoint))
        : import('./http-undici.js').then((m) => m.undiciEngine(endpoint));
    this.engine.catch(() => undefined); // a failed load is thrown by the first request
  }

  /** `unix:/path` or the https URL, for messages. */
  describe(): string {
    if (this.endpoint.kind === 'https') return this.endpoint.url;
    return this.endpoint.tunnel?.label ?? this.endpoint.socket;
  }

  /** A connection error in words; with a pin, a failed certificate check says so. */
  explain(err: unknown): string {
    const code = (err as { code?: string } | null)?.code ?? '';
    if (this.endpoint.kind === 'https' && this.endpoint.tls.serverCert !== null && CERT_ERRORS.has(code)) {
      return `the server's certificate is not the pinned one (${code})`;
    }
    // Through a tunnel, the local socket's error says little: add the tunnel's own account.
    const tunnel = this.endpoint.kind === 'unix' ? this.endpoint.tunnel?.status() : null;
    return tunnel ? `${describeNetError(err)}; ${tunnel}` : describeNetError(err);
  }

  /** One HTTP exchange, body read in full. Throws LxdError `network` or `timeout`; never parses. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const deadline = opts.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = deadline > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), deadline) : null;
    const onAbort = () => controller.abort();
    if (opts.signal?.aborted) controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    try {
      const engine = await this.engine;
      return await engine.request({ method, path, headers, body, signal: controller.signal });
    } catch (err) {
      if (timedOut) {
        throw new LxdError(`${method} ${path}: no answer from ${this.describe()} within ${deadline / 1000} s`, {
          kind: 'timeout',
          method,
          path,
          cause: err,
        });
      }
      if (opts.signal?.aborted) {
        throw new LxdError(`${method} ${path}: cancelled`, { kind: 'network', method, path, cause: err });
      }
      throw new LxdError(`${method} ${path} on ${this.describe()}: ${this.explain(err)}`, {
        kind: 'network',
        method,
        path,
        cause: err,
      });
    } finally {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A websocket that is not open yet (the caller attaches its own handlers). For the unix socket
   * `ws+unix://<socket>:<path>`; ws cannot take a socket path that contains ':'.
   */
  async createWebsocket(path: string): Promise<WebSocket> {
    const WebSocket = await loadWebSocket();
    const opts = { handshakeTimeout: this.websocketTimeoutMs, perMessageDeflate: false };
    if (this.endpoint.kind === 'unix') {
      return new WebSocket(`ws+unix://${this.endpoint.socket}:${path}`, opts);
    }
    const url = this.origin.replace(/^http/, 'ws') + path;
    return new WebSocket(url, { ...opts, ...tlsOptions(this.endpoint.tls) });
  }

  /** Opens a websocket (binary frames as Buffers) and resolves once it is open. */
  /**
   * Opens a websocket. `attach` runs inside the 'open' event: frames that came in the same read as
   * the 101 answer are emitted on a nextTick, before any promise continuation could add listeners.
   */
  async openWebsocket(path: string, attach?: (ws: WebSocket) => void): Promise<WebSocket> {
    const ws = await this.createWebsocket(path);
    ws.binaryType = 'nodebuffer';
    return new Promise((resolve, reject) => {
      let settled = false;
      const onOpen = () => {
        settled = true;
        ws.off('error', onError);
        ws.off('unexpected-response', onRefused);
        attach?.(ws);
        resolve(ws);
      };
      const fail = (err: LxdError) => {
        if (settled) return;
        settled = true;
        ws.off('open', onOpen);
        // Keep a listener: terminating a connecting socket emits 'error', which must not throw.
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      };
      const onRefused = (_req: unknown, res: IncomingMessage) => {
        void websocketRefusal(res, 'GET', path).then(fail);
      };
      const onError = (err: Error) => {
        fail(
          new LxdError(`websocket ${path} on ${this.describe()}: ${this.explain(err)}`, {
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

  async close(): Promise<void> {
    try {
      await (await this.engine).close();
    } finally {
      if (this.endpoint.kind === 'unix') await this.endpoint.tunnel?.close();
    }
  }
}

/** The server refused the upgrade (403, 404 …): its envelope's text when it sent one. */
export function websocketRefusal(res: IncomingMessage, method: string, path: string): Promise<LxdError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let resolved = false;
    const done = () => {
      if (resolved) return;
      resolved = true;
      const text = Buffer.concat(chunks).toString('utf8');
      let message = `HTTP ${res.statusCode ?? '?'} refusing the websocket ${path}`;
      try {
        const env = JSON.parse(text) as { error?: unknown };
        if (typeof env.error === 'string' && env.error !== '') message = env.error;
      } catch {
        // not JSON: keep the status line
      }
      resolve(new LxdError(message, { kind: 'http', status: res.statusCode ?? null, method, path }));
    };
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', done);
    res.once('error', done);
    res.once('close', done);
  });
}
