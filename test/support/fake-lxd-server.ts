// A scalable stand-in for an LXD daemon on a unix socket: N instances shaped like LXD 5's
// recursion=1 objects (~1.7 KB each), their state, snapshots, images, operations and the events
// websocket, plus the faults a real daemon will not produce on demand:
//   - hang(match):     matching requests get no answer until released (or the server closes);
//   - fault(...):      malformed JSON, a truncated body, HTTP 500 with an HTML page, an empty
//                      answer, a connection cut mid-answer, or any raw body, once or always;
//   - events:          push any frame (unknown types, non-JSON, binary), drop every events
//                      socket, refuse new ones;
//   - the model:       instances, states (`network: null` …) and images are plain objects a test
//                      can edit (null and missing fields included).
// Used by the fault tests (in the test process) and by the scale benchmarks (bench/scale-fake.mjs
// transpiles this file and runs `serve()` in a child process so the figures are the client's).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { envelope, sendJson, serverInfo } from './fake-server.js';

type Json = Record<string, unknown>;

export type FaultKind =
  /** `{"type":"sync","metadata":[{"name":` …, complete HTTP, incomplete JSON. */
  | 'malformed-json'
  /** Content-Length promises more than is sent, then the connection is cut. */
  | 'truncated'
  /** HTTP 500, text/html, a proxy's error page. */
  | 'html-500'
  /** HTTP 200 with no body. */
  | 'empty'
  /** The connection closed before any answer. */
  | 'cut';

export interface FaultSpec {
  kind: FaultKind | 'raw';
  /** For `raw`: status, content type and body sent as is. */
  status?: number;
  contentType?: string;
  body?: string;
  /** How many requests it applies to; default: every one until cleared. */
  times?: number;
}

export interface FakeLxdOptions {
  /** Number of instances (default 20). */
  instances?: number;
  /** The first `running` are Running (default: half). */
  running?: number;
  /** Name prefix: `<prefix>-1` … (default `fake`). */
  prefix?: string;
  project?: string;
  server?: 'lxd' | 'incus';
  /** Socket path (default: a new temp dir). */
  socket?: string;
  /** API extensions `GET /1.0` lists (default: fake-server.ts's); add `metrics` for `/1.0/metrics`. */
  extensions?: string[];
}

export interface Held {
  method: string;
  path: string;
  res: ServerResponse;
}

export interface FakeLxd {
  socket: string;
  /** Instances by name (edit freely; `null`/missing fields are served as they are). */
  instances: Map<string, Json>;
  /** Extra state fields per instance name, merged over the generated state (e.g. `{ network: null }`). */
  stateOverrides: Map<string, Json>;
  /** Snapshot list per instance (default: none); `null` is served as `null`. */
  snapshots: Map<string, unknown>;
  images: Json[];
  operations: Json[];
  /** Every HTTP request path (method + path with query), in order. */
  requests: string[];
  /** Requests currently held by `hang`. */
  held: Held[];
  /** Requests matching `match` get no answer until `release()` (or `close()`). Returns release. */
  hang(match: (method: string, path: string) => boolean): () => void;
  /** Answers requests for `METHOD path-prefix` with a fault. Returns a function clearing it. */
  fault(method: string, pathPrefix: string, spec: FaultSpec | FaultKind): () => void;
  /** Sends a frame (an object is JSON-encoded; a Buffer goes as a binary frame) to every events socket. */
  emit(frame: Json | string | Buffer): void;
  /** A lifecycle event for an instance, shaped like LXD's. */
  lifecycle(action: string, name: string, context?: Json): void;
  /** Terminates every open events socket (no close frame). */
  dropEvents(): void;
  /** While true, events upgrades are refused with HTTP 503. */
  refuseEvents(on: boolean): void;
  /** Open events sockets. */
  readonly eventSockets: number;
  /** Sets status (and status_code) of an instance. */
  setStatus(name: string, status: 'Running' | 'Stopped' | 'Frozen'): void;
  close(): Promise<void>;
}

const STATUS_CODE: Record<string, number> = { Running: 103, Stopped: 102, Frozen: 110 };

function uuid(i: number, salt: number): string {
  const h = ((i + 1) * 2654435761 + salt) >>> 0;
  const x = h.toString(16).padStart(8, '0');
  return `${x}-${x.slice(0, 4)}-4${x.slice(1, 4)}-8${x.slice(4, 7)}-${x}${x.slice(0, 4)}`;
}

/** An instance as LXD 5.0 answers it with recursion=1. */
export function makeInstance(name: string, i: number, status: string, project = 'default'): Json {
  const config = {
    'image.description': 'BusyBox 1.35.0 (fake)',
    'image.os': 'busybox',
    'image.release': '1.35.0',
    'volatile.apply_template': 'create',
    'volatile.base_image': 'd92cb37d1bb837b9fba89aa1e2c699b52d3927542fb4096e4821675d8cb6a78f',
    'volatile.cloud-init.instance-id': uuid(i, 1),
    'volatile.idmap.base': '0',
    'volatile.idmap.next':
      '[{"Isuid":true,"Isgid":false,"Hostid":100000,"Nsid":0,"Maprange":10000001},{"Isuid":false,"Isgid":true,"Hostid":100000,"Nsid":0,"Maprange":10000001}]',
    'volatile.last_state.idmap': '[]',
    'volatile.uuid': uuid(i, 2),
  };
  return {
    architecture: 'x86_64',
    config,
    devices: {},
    ephemeral: false,
    profiles: ['default'],
    stateful: false,
    description: '',
    created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    expanded_config: config,
    expanded_devices: { root: { path: '/', pool: 'default', type: 'disk' } },
    name,
    status,
    status_code: STATUS_CODE[status] ?? 0,
    last_used_at: '1970-01-01T00:00:00Z',
    location: 'none',
    type: 'container',
    project,
  };
}

export const BUSYBOX_IMAGE: Json = {
  auto_update: false,
  properties: { description: 'BusyBox 1.35.0 (fake)', os: 'busybox', release: '1.35.0' },
  public: false,
  expires_at: '1970-01-01T00:00:00Z',
  profiles: ['default'],
  aliases: [{ name: 'busybox', description: '' }],
  architecture: 'x86_64',
  cached: false,
  filename: 'busybox.tar.gz',
  fingerprint: 'd92cb37d1bb837b9fba89aa1e2c699b52d3927542fb4096e4821675d8cb6a78f',
  size: 1_034_211,
  type: 'container',
  created_at: '2026-01-01T00:00:00Z',
  last_used_at: '2026-01-02T00:00:00Z',
  uploaded_at: '2026-01-01T00:00:00Z',
};

/** A running instance's state; counters grow with wall time so rates are non-zero. */
function runningState(i: number): Json {
  const t = Date.now() / 1000;
  const rx = Math.floor(t * (1000 + (i % 97) * 10));
  return {
    status: 'Running',
    status_code: 103,
    disk: {},
    memory: { usage: 900_000 + (i % 50) * 4096, usage_peak: 1_548_288, swap_usage: 0, swap_usage_peak: 0 },
    network: {
      eth0: {
        addresses: [{ family: 'inet', address: `10.1.${(i >> 8) & 255}.${i & 255}`, netmask: '24', scope: 'global' }],
        counters: { bytes_received: rx, bytes_sent: Math.floor(rx / 2), packets_received: 0, packets_sent: 0 },
        hwaddr: '00:16:3e:00:00:00',
        host_name: `veth${i}`,
        mtu: 1500,
        state: 'up',
        type: 'broadcast',
      },
    },
    pid: 10_000 + i,
    processes: 3 + (i % 5),
    cpu: { usage: Math.floor(t * 1e9 * (0.01 + (i % 10) / 100)) },
  };
}

function stoppedState(status: string): Json {
  return {
    status,
    status_code: STATUS_CODE[status] ?? 102,
    disk: {},
    memory: { usage: 0, usage_peak: 0, swap_usage: 0, swap_usage_peak: 0 },
    network: null,
    pid: 0,
    processes: 0,
    cpu: { usage: 0 },
  };
}

function sendFault(res: ServerResponse, spec: FaultSpec): void {
  switch (spec.kind) {
    case 'malformed-json': {
      const body = '{"type":"sync","status":"Success","status_code":200,"metadata":[{"name":"half';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'truncated': {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('{"type":"sync","status":"Success","status_code":200,"metadata":[{"name":"cut-');
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    case 'html-500': {
      const body = '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>upstream exploded</p></body></html>';
      res.writeHead(500, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'empty':
      res.writeHead(200, { 'content-length': '0' });
      res.end();
      return;
    case 'cut':
      res.socket?.destroy();
      return;
    case 'raw': {
      const body = spec.body ?? '';
      res.writeHead(spec.status ?? 200, { 'content-type': spec.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  }
}

export async function startFakeLxd(opts: FakeLxdOptions = {}): Promise<FakeLxd> {
  const count = opts.instances ?? 20;
  const running = opts.running ?? Math.floor(count / 2);
  const prefix = opts.prefix ?? 'fake';
  const project = opts.project ?? 'default';
  const dir = opts.socket ? null : mkdtempSync(join(tmpdir(), 'lxtop-fakelxd-'));
  const socket = opts.socket ?? join(dir!, 'unix.socket');
  const info = serverInfo({ server: opts.server ?? 'lxd', ...(opts.extensions ? { extensions: opts.extensions } : {}) });

  const instances = new Map<string, Json>();
  const index = new Map<string, number>();
  for (let i = 1; i <= count; i++) {
    const name = `${prefix}-${i}`;
    instances.set(name, makeInstance(name, i, i <= running ? 'Running' : 'Stopped', project));
    index.set(name, i);
  }
  const stateOverrides = new Map<string, Json>();
  const snapshots = new Map<string, unknown>();
  const images: Json[] = [structuredClone(BUSYBOX_IMAGE)];
  const operations: Json[] = [];
  const requests: string[] = [];
  const held: Held[] = [];
  const hangs = new Set<(m: string, p: string) => boolean>();
  const faults: { method: string; prefix: string; spec: FaultSpec }[] = [];
  const eventSockets = new Set<WebSocket>();
  const connections = new Set<Socket>();
  let refusing = false;

  function stateOf(name: string): Json {
    const inst = instances.get(name)!;
    const status = String(inst.status ?? 'Stopped');
    const base = status === 'Running' ? runningState(index.get(name) ?? 0) : stoppedState(status);
    return { ...base, ...(stateOverrides.get(name) ?? {}) };
  }

  function answer(method: string, path: string, res: ServerResponse): void {
    const [p, query = ''] = path.split('?');
    const q = new URLSearchParams(query);
    if (method === 'GET' && p === '/1.0') return sendJson(res, 200, envelope.sync(info));
    if (method === 'GET' && p === '/1.0/instances') {
      const list = q.get('recursion') === '1' || q.get('recursion') === '2' ? [...instances.values()] : [...instances.keys()].map((n) => `/1.0/instances/${n}`);
      return sendJson(res, 200, envelope.sync(list));
    }
    if (method === 'GET' && p === '/1.0/images') return sendJson(res, 200, envelope.sync(images));
    if (method === 'GET' && p === '/1.0/images/aliases') return sendJson(res, 200, envelope.sync([{ name: 'busybox', target: BUSYBOX_IMAGE.fingerprint }]));
    if (method === 'GET' && p === '/1.0/operations') {
      return sendJson(res, 200, envelope.sync(operations.length ? { running: operations } : {}));
    }
    if (method === 'GET' && p === '/1.0/metrics') {
      // OpenMetrics text like LXD 5.0's, for the running instances (counters grow with wall time).
      const t = Date.now() / 1000;
      const lines: string[] = [];
      for (const [name, inst] of instances) {
        if (inst.status !== 'Running') continue;
        const l = `name="${name}",project="${project}",type="container"`;
        const i = index.get(name) ?? 0;
        lines.push(
          `lxd_cpu_seconds_total{cpu="0",mode="user",${l}} ${(t * (0.01 + (i % 10) / 100)).toFixed(3)}`,
          `lxd_memory_MemTotal_bytes{${l}} 1e+09`,
          `lxd_memory_MemFree_bytes{${l}} ${1e9 - 900_000}`,
          `lxd_network_receive_bytes_total{device="eth0",${l}} ${Math.floor(t * 1000)}`,
          `lxd_network_transmit_bytes_total{device="eth0",${l}} ${Math.floor(t * 500)}`,
          `lxd_procs_total{${l}} 3`,
        );
      }
      const body = `${lines.join('\n')}\n# EOF\n`;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (method === 'GET' && p === '/1.0/projects') return sendJson(res, 200, envelope.sync([{ name: project, description: '', config: {} }]));
    const m = /^\/1\.0\/instances\/([^/]+)(\/state|\/snapshots)?$/.exec(p);
    if (m) {
      const name = decodeURIComponent(m[1]);
      const inst = instances.get(name);
      if (!inst) return sendJson(res, 404, envelope.error(404, 'Instance not found'));
      if (method === 'GET' && m[2] === '/state') return sendJson(res, 200, envelope.sync(stateOf(name)));
      if (method === 'GET' && m[2] === '/snapshots') return sendJson(res, 200, envelope.sync(snapshots.has(name) ? snapshots.get(name) : []));
      if (method === 'GET' && !m[2]) return sendJson(res, 200, envelope.sync(inst), { etag: `"${name}"` });
      return sendJson(res, 403, envelope.error(403, 'the fake server changes nothing'));
    }
    return sendJson(res, 404, envelope.error(404, 'not found'));
  }

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      requests.push(`${method} ${path}`);
      const f = faults.find((x) => x.method === method && path.startsWith(x.prefix) && (x.spec.times === undefined || x.spec.times > 0));
      if (f) {
        if (f.spec.times !== undefined) f.spec.times--;
        return sendFault(res, f.spec);
      }
      for (const h of hangs) {
        if (h(method, path)) {
          held.push({ method, path, res });
          return;
        }
      }
      try {
        answer(method, path, res);
      } catch (err) {
        sendJson(res, 500, envelope.error(500, `fake server: ${(err as Error).message}`));
      }
    });
  });
  http.on('connection', (s: Socket) => {
    connections.add(s);
    s.on('close', () => connections.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  http.on('upgrade', (req, sock, head) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push(`WS ${req.url ?? '/'}`);
    if (path !== '/1.0/events' || refusing) {
      const status = refusing ? 503 : 404;
      const text = JSON.stringify(envelope.error(status, refusing ? 'events refused (fake)' : 'not found'));
      sock.end(`HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\n\r\n${text}`);
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      eventSockets.add(ws);
      ws.on('close', () => eventSockets.delete(ws));
      ws.on('error', () => eventSockets.delete(ws));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(socket, () => resolve());
  });

  const emit = (frame: Json | string | Buffer) => {
    const data = Buffer.isBuffer(frame) ? frame : typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const ws of eventSockets) ws.send(data, { binary: Buffer.isBuffer(frame) });
  };

  return {
    socket,
    instances,
    stateOverrides,
    snapshots,
    images,
    operations,
    requests,
    held,
    hang(match) {
      hangs.add(match);
      return () => {
        hangs.delete(match);
        const mine = held.filter((x) => match(x.method, x.path));
        for (const h of mine) held.splice(held.indexOf(h), 1);
        for (const h of mine) {
          try {
            answer(h.method, h.path, h.res);
          } catch {
            // the client went away
          }
        }
      };
    },
    fault(method, pathPrefix, spec) {
      const entry = { method, prefix: pathPrefix, spec: typeof spec === 'string' ? { kind: spec } : { ...spec } };
      faults.unshift(entry);
      return () => {
        const i = faults.indexOf(entry);
        if (i >= 0) faults.splice(i, 1);
      };
    },
    emit,
    lifecycle(action, name, context = {}) {
      emit({
        type: 'lifecycle',
        timestamp: new Date().toISOString(),
        metadata: { action, source: `/1.0/instances/${name}`, context },
        location: 'none',
        project,
      });
    },
    dropEvents() {
      for (const ws of eventSockets) ws.terminate();
      eventSockets.clear();
    },
    refuseEvents(on) {
      refusing = on;
    },
    get eventSockets() {
      return eventSockets.size;
    },
    setStatus(name, status) {
      const inst = instances.get(name);
      if (inst) instances.set(name, { ...inst, status, status_code: STATUS_CODE[status] });
    },
    async close() {
      hangs.clear();
      for (const h of held.splice(0)) h.res.socket?.destroy();
      for (const ws of eventSockets) ws.terminate();
      wss.close();
      for (const s of connections) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `node fake-lxd-server.js --socket PATH --instances N --running M [--prefix P]`: serves until
 * SIGTERM, printing `ready <socket>` on stdout once listening (for the benchmarks).
 */
export async function serve(argv: string[]): Promise<void> {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const fake = await startFakeLxd({
    socket: get('--socket'),
    instances: Number(get('--instances') ?? 5000),
    running: get('--running') === undefined ? undefined : Number(get('--running')),
    prefix: get('--prefix'),
  });
  process.stdout.write(`ready ${fake.socket}\n`);
  const stop = () => void fake.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
