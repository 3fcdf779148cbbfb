// Faults a real daemon cannot produce on demand, against the fake server: every one must end as a
// typed LxdError, never as an exception of another kind or a crash.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LxdClient } from '../../../src/lxd/client.js';
import { LxdError } from '../../../src/lxd/errors.js';
import { Transport } from '../../../src/lxd/transport.js';
import { envelope, sendJson, startFakeServer, type FakeServer } from '../../support/fake-server.js';

let fake: FakeServer;
let client: LxdClient;

beforeAll(async () => {
  fake = await startFakeServer();
});
afterAll(() => fake.close());
afterEach(() => client?.close());

function make(timeoutMs?: number): LxdClient {
  client = new LxdClient(new Transport({ kind: 'unix', socket: fake.socket }, { timeoutMs }));
  return client;
}

async function failure(p: Promise<unknown>): Promise<LxdError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LxdError);
  return err as LxdError;
}

describe('bad answers become typed errors', () => {
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

  it('no answer in time → timeout', async () => {
    fake.route('GET', '/1.0/instances', () => {});
    const e = await failure(make(300).listInstances());
    expect(e.kind).toBe('timeout');
  });

  it('a socket nobody listens on → network', async () => {
    client = new LxdClient(new Transport({ kind: 'unix', socket: `${fake.socket}.missing` }));
    const e = await failure(client.server());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/ENOENT/);
  });

  it('the client keeps working after each fault', async () => {
    fake.route('GET', '/1.0/instances', (_q, res) => sendJson(res, 200, envelope.sync([])));
    expect(await make().listInstances()).toEqual([]);
  });

  it('a refused operation websocket → http error with the server text', async () => {
    const e = await failure(make().operationWebsocket('nope', 'secret'));
    expect(e).toMatchObject({ kind: 'http', status: 404, message: 'not found' });
  });
});
