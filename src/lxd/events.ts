// A live `/1.0/events` websocket that reconnects by itself. It never sends a frame: the daemon drops
// a client that writes anything (ws answers the server's pings on its own, which is allowed, and
// the socket is torn down with terminate(), not a close frame). Missed events cannot be replayed,
// so `onReconnect` tells subscribers to re-list after every re-connection.
import type WebSocket from 'ws';
import type { RawData } from 'ws';
import type { EventStream, EventStreamStatus } from './api.js';
import { LxdError } from './errors.js';
import { websocketRefusal, type Transport } from './transport.js';
import type { LxdEvent } from './types.js';

export interface EventStreamTuning {
  /** First reconnect delay, ms (250); doubles per failed attempt up to `maxDelayMs` (5 000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * No frame and no ping for this long means the connection is dead (the daemons ping every
   * 10 s): drop it and reconnect. 0 turns the check off. Default 35 000.
   */
  idleTimeoutMs?: number;
  /** In [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** Backoff before attempt `n` (0-based): exponential, capped, with jitter in [delay/2, delay). */
export function backoffDelay(attempt: number, tuning: EventStreamTuning = {}): number {
  const initial = tuning.initialDelayMs ?? 250;
  const max = tuning.maxDelayMs ?? 5_000;
  const delay = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return delay / 2 + (tuning.random ?? Math.random)() * (delay / 2);
}

/** One frame's JSON as an event; unknown `type`s pass through; null when it is not an event. */
export function parseEventFrame(text: string): LxdEvent | null {
  try {
    const v = JSON.parse(text) as { type?: unknown };
    return v !== null && typeof v === 'object' && typeof v.type === 'string' ? (v as LxdEvent) : null;
  } catch {
    return null;
  }
}

export class LxdEventStream implements EventStream {
  private current: EventStreamStatus = 'connecting';
  private ws: WebSocket | null = null;
  private attempt = 0;
  private connectedOnce = false;
  private connectedAt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly eventHandlers = new Set<(e: LxdEvent) => void>();
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly statusHandlers = new Set<(s: EventStreamStatus, e?: Error) => void>();
  closed = false;
  /** Frames that were not JSON events (counted, not delivered). */
  ignoredFrames = 0;

  constructor(
    private readonly transport: Transport,
    private readonly path: () => Promise<string>,
    private readonly tuning: EventStreamTuning = {},
  ) {
    void this.connect();
  }

  get status(): EventStreamStatus {
    return this.current;
  }

  onEvent(handler: (event: LxdEvent) => void): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  onStatus(handler: (status: EventStreamStatus, error?: Error) => void): () => void {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  reconnectNow(): void {
    if (this.closed || this.reconnectTimer === null) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.attempt = 0;
    void this.connect();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) this.discard(ws);
    this.setStatus('disconnected');
    this.eventHandlers.clear();
    this.reconnectHandlers.clear();
    this.statusHandlers.clear();
  }

  // A subscriber that throws must not stop the stream or the other subscribers.
  private emit<A extends unknown[]>(handlers: Set<(...args: A) => void>, ...args: A): void {
    for (const h of [...handlers]) {
      try {
        h(...args);
      } catch {
        // the subscriber's bug, not the connection's
      }
    }
  }

  private setStatus(status: EventStreamStatus, error?: Error): void {
    this.current = status;
    this.emit(this.statusHandlers, status, error);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.setStatus('connecting');
    let path: string;
    try {
      path = await this.path();
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.closed) return;
    let ws: WebSocket;
    try {
      ws = await this.transport.createWebsocket(path);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.closed) {
      this.discard(ws);
      return;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (ws !== this.ws) return;
      this.connectedAt = Date.now();
      this.armIdle();
      const again = this.connectedOnce;
      this.connectedOnce = true;
      this.setStatus('connected');
      if (again) this.emit(this.reconnectHandlers);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws !== this.ws) return;
      this.armIdle();
      const event = isBinary ? null : parseEventFrame(data.toString());
      if (event === null) this.ignoredFrames++;
      else this.emit(this.eventHandlers, event);
    });
    ws.on('ping', () => ws === this.ws && this.armIdle());
    ws.on('unexpected-response', (_req, res) => {
      void websocketRefusal(res, 'GET', path).then((err) => this.drop(ws, err));
    });
    ws.on('error', (err) => {
      this.drop(ws, new LxdError(`events on ${this.transport.describe()}: ${this.transport.explain(err)}`, { kind: 'network', path, cause: err }));
    });
    ws.on('close', (code) => {
      this.drop(ws, new LxdError(`events connection closed by the server (code ${code})`, { kind: 'network', path }));
    });
  }

  /** The connection `ws` ended (or never opened): report once and schedule the next attempt. */
  private drop(ws: WebSocket, err: Error): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.discard(ws);
    this.fail(err);
  }

  private fail(err: Error): void {
    this.clearTimers();
    if (this.closed) return;
    this.setStatus('disconnected', err);
    // A connection that held for a while starts the backoff afresh; one that drops at once does not.
    if (this.connectedAt > 0 && Date.now() - this.connectedAt >= (this.tuning.maxDelayMs ?? 5_000)) this.attempt = 0;
    this.connectedAt = 0;
    const delay = backoffDelay(this.attempt++, this.tuning);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  /** Tears a socket down without a close frame; later errors from it are ignored. */
  private discard(ws: WebSocket): void {
    ws.removeAllListeners();
    ws.on('error', () => {});
    ws.terminate();
  }

  private armIdle(): void {
    const ms = this.tuning.idleTimeoutMs ?? 35_000;
    if (ms <= 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const ws = this.ws;
    this.idleTimer = setTimeout(() => {
      if (ws) this.drop(ws, new LxdError(`events: nothing from the server for ${ms / 1000} s`, { kind: 'timeout' }));
    }, ms);
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.reconnectTimer = null;
    this.idleTimer = null;
  }
}
