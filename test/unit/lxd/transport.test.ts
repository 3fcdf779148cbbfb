// The two HTTP clients of Transport (`http: 'undici'`, the views' default, and `http: 'node'`, which
// `--once` uses) against the same fake servers: the same answers, the same typed errors for the same
// faults (faults a real daemon cannot produce on demand: every one must end as a typed LxdError,
// never as an exception of another kind or a crash), and the same pinned-certificate rule over HTTPS.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LxdClient } from '../../../src/lxd/client.js';
import { LxdError } from '../../../src/lxd/errors.js';
import { Transport, type TransportOptions } from '../../../src/lxd/transport.js';
import { envelope, sendJson, serverInfo, startFakeServer, type FakeServer } from '../../support/fake-server.js';
import { selfSigned as makeCert } from '../../support/openssl-certs.js';

let fake: FakeServer;
let client: LxdClient | null = null;
let dir: string;
let tlsServer: Server;
let tlsUrl: string;
const pem = { serverCert: '', otherCert: '', clientCert: '', clientKey: '' };

const selfSigned = (name: string, cn: string) => makeCert(dir, name, cn);

beforeAll(async () => {
  fake = await startFakeServer();
  dir = mkdtempSync(join(tmpdir(), 'lxtop-engines-'));
  const s = selfSigned('server', 'not-this-host.example');
  const c = selfSigned('client', 'lxtop-client');
  Object.assign(pem, { serverCert: s.cert, otherCert: selfSigned('other', 'not-this-host.example').cert, clientCert: c.cert, clientKey: c.key });
  tlsServer = createServer({ cert: s.cert, key: s.key, requestCert: true, rejectUnauthorized: false }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', etag: '"e1"' });
    res.end(JSON.stringify(envelope.sync(serverInfo())));
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fake.close();
  tlsServer.closeAllConnections();
  await new Promise((r) => tlsServer.close(r));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.close();
  client = null;
});

async function failure(p: Promise<unknown>): Promise<LxdError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LxdError);
  return err as LxdError;
}

describe.each(['undici', 'node'] as const)('Transport with http: %s', (http) => {
  const make = (opts: TransportOptions = {}, socket = fake.socket): LxdClient => {
    client = new LxdClient(new Transport({ kind: 'unix', socket }, { ...opts, http }));
    return client;
  };

  it('a sync answer: metadata, status and ETag; a request body and headers reach the server', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([{ name: 'a', status: 'Running' }]), { etag: '"abc"' }));
    const c = make();
    expect((await c.listInstances()).map((i) => i.name)).toEqual(['a']);
    const res = await c.request('GET', '/1.0/instances');
    expect(res).toMatchObject({ type: 'sync', status: 200, etag: '"abc"' });
    fake.route('PATCH', '/1.0/instances/a', (_q, res) => sendJson(res, 200, envelope.sync({})));
    await c.request('PATCH', '/1.0/instances/a', { body: { description: 'é ü' }, ifMatch: '"abc"' });
    const seen = fake.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(JSON.parse(seen.body)).toEqual({ description: 'é ü' });
    expect(seen.headers['if-match']).toBe('"abc"');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('a large answer in many chunks, multi-byte characters across chunk boundaries', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => ({ name: `n${i}`, description: 'ünïcödé '.repeat(8) }));
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync(names)));
    const list = await make().listInstances();
    expect(list).toHaveLength(3000);
    expect(list.every((i) => i.description === 'ünïcödé '.repeat(8))).toBe(true);
  });

  it('an error envelope → http error with the server text and code', async () => {
    fake.route('GET', '/1.0/instances/x', (_q, res) => sendJson(res, 404, { type: 'error', error: 'Instance not found', error_code: 404, metadata: null }));
    expect(await failure(make().getInstance('x'))).toMatchObject({ kind: 'http', status: 404, message: 'Instance not found' });
  });

  it('a body that is not JSON → protocol', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello, I am not LXD');
    });
    const e = await failure(make().listInstances());
    expect(e.kind).toBe('protocol');
    expect(e.message).toContain('hello, I am not LXD');
  });

  it('HTTP 500 with an HTML page → protocol with the status and the page text', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const e = await failure(make().listInstances());
    expect(e).toMatchObject({ kind: 'protocol', status: 500 });
    expect(e.message).toContain('502 Bad Gateway');
  });

  it('a connection cut mid-response → network', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"type":"sync","metadata":[{"name":"a"');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const e = await failure(make().listInstances());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/GET \/1\.0\/instances/);
  });

  it('a chunked answer that ends early (valid HTTP, half a JSON) → protocol', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"sync","metadata":[{"name":"a"');
    });
    expect((await failure(make().listInstances())).kind).toBe('protocol');
  });

  it('the connection closed before any answer → network', async () => {
    fake.route('GET', '/1.0/instances', (req) => req.socket.destroy());
    expect((await failure(make().listInstances())).kind).toBe('network');
  });

  it('no answer in time → timeout, and the client keeps working after it', async () => {
    fake.route('GET', '/1.0/instances', () => {});
    const c = make({ timeoutMs: 300 });
    const e = await failure(c.listInstances());
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/within 0\.3 s/);
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([])));
    expect(await c.listInstances()).toEqual([]);
  });

  it('a caller that cancels → network "cancelled"', async () => {
    fake.route('GET', '/1.0/instances', () => {});
    const c = make();
    const abort = new AbortController();
    const p = c.request('GET', '/1.0/instances', { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await failure(p)).message).toMatch(/cancelled/);
  });

  it('a socket nobody listens on → network, in words', async () => {
    const e = await failure(make({}, `${fake.socket}.missing`).server());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/no such socket \(ENOENT\)/);
  });

  it('many requests at once on one client', async () => {
    fake.route('GET', '/1.0/instances/a/state', (_q, res) => setTimeout(() => sendJson(res, 200, envelope.sync({ status: 'Running', processes: 3 })), 5));
    const c = make();
    const states = await Promise.all(Array.from({ length: 40 }, () => c.instanceState('a')));
    expect(states.every((s) => s.processes === 3)).toBe(true);
  });

  describe('over HTTPS', () => {
    const https = (serverCert: string | null): LxdClient => {
      client = new LxdClient(
        new Transport({ kind: 'https', url: tlsUrl, tls: { cert: pem.clientCert, key: pem.clientKey, serverCert } }, { timeoutMs: 5_000, http }),
      );
      return client;
    };

    it('the pinned server is reached whatever its certificate names', async () => {
      expect((await https(pem.serverCert).server()).serverName).toBe('fake');
    });

    it('a server presenting another certificate is refused, saying so', async () => {
      const e = await failure(https(pem.otherCert).server());
      expect(e.kind).toBe('network');
      expect(e.message).toMatch(/not the pinned one/);
    });

    it('without a pin a self-signed server is refused', async () => {
      expect((await failure(https(null).server())).kind).toBe('network');
    });
  });
});

describe('operation websockets', () => {
  it('a refused operation websocket → http error with the server text', async () => {
    client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }));
    const e = await failure(client.operationWebsocket('nope', 'secret'));
    expect(e).toMatchObject({ kind: 'http', status: 404, message: 'not found' });
  });
});
