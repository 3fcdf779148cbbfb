// A hand-written stand-in for a daemon, on a unix socket in a temp dir. Only for the faults a real
// LXD / Incus cannot produce on demand (non-JSON answers, a connection cut mid-answer, an events
// socket that drops, an Incus-only answer on a test machine that has LXD); everything else is
// tested against the real daemons.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SeenRequest {
  method: string;
  /** Path with query. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
export type WsHandler = (ws: WebSocket, req: IncomingMessage) => void;

export interface FakeServer {
  socket: string;
  /** Every HTTP request (websocket upgrades not included), in order. */
  requests: SeenRequest[];
  /** Frames clients sent on any websocket (the events stream must send none). */
  clientFrames: string[];
  /** Answer `METHOD path` (path without query, unless the key has one). Later routes win. */
  route(method: string, path: string, handler: Handler): void;
  /** Accept websocket upgrades on `path` (without query). */
  websocket(path: string, handler: WsHandler): void;
  /** Open websockets, for dropping them from a test. */
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const envelope = {
  sync: (metadata: unknown) => ({ type: 'sync', status: 'Success', status_code: 200, operation: '', error_code: 0, error: '', metadata }),
  async: (op: { id: string } & Record<string, unknown>) => ({
    type: 'async',
    status: 'Operation created',
    status_code: 100,
    operation: `/1.0/operations/${op.id}`,
    error_code: 0,
    error: '',
    metadata: op,
  }),
  error: (code: number, error: string) => ({ type: 'error', status: '', status_code: 0, operation: '', error_code: code, error, metadata: null }),
};

/** `GET /1.0` metadata of a server with these extensions. */
export function serverInfo(opts: { server?: 'lxd' | 'incus'; extensions?: string[]; clustered?: boolean } = {}): Record<string, unknown> {
  return {
    api_extensions: opts.extensions ?? ['instances', 'projects', 'clustering', 'instance_all_projects', 'container_exec_user_group_cwd', 'patch'],
    api_status: 'stable',
    api_version: '1.0',
    auth: 'trusted',
    environment: {
      server: opts.server ?? 'lxd',
      server_version: opts.server === 'incus' ? '6.0.4' : '5.0.2',
      server_name: 'fake',
      server_clustered: opts.clustered ?? false,
      certificate_fingerprint: 'ab'.repeat(32),
      project: 'default',
    },
  };
}

export async function startFakeServer(): Promise<FakeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-fake-'));
  const socket = join(dir, 'unix.socket');
  const routes = new Map<string, Handler>();
  const wsRoutes = new Map<string, WsHandler>();
  const requests: SeenRequest[] = [];
  const clientFrames: string[] = [];
  const sockets = new Set<WebSocket>();
  routes.set('GET /1.0', (_req, res) => sendJson(res, 200, envelope.sync(serverInfo())));

  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const handler = routes.get(`${req.method} ${path}`) ?? routes.get(`${req.method} ${path.split('?')[0]}`);
      if (handler) handler(req, res, body);
      else sendJson(res, 404, envelope.error(404, 'not found'));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, sock, head) => {
    const handler = wsRoutes.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!handler) {
      const text = JSON.stringify(envelope.error(404, 'not found'));
      sock.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\n\r\n${text}`);
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => clientFrames.push(data.toString()));
      handler(ws, req);
    });
  });
  await new Promise<void>((resolve) => http.listen(socket, resolve));

  return {
    socket,
    requests,
    clientFrames,
    sockets,
    route: (method, path, handler) => routes.set(`${method} ${path}`, handler),
    websocket: (path, handler) => wsRoutes.set(path, handler),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
