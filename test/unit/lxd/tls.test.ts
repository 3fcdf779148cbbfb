// HTTPS with a client certificate and a pinned server certificate, against a local TLS server with
// throw-away certificates: the pin is what decides, not the host name, for requests and websockets.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { LxdClient } from '../../../src/lxd/client.js';
import { LxdError } from '../../../src/lxd/errors.js';
import { certificateFingerprint, tlsOptions } from '../../../src/lxd/tls.js';
import { Transport } from '../../../src/lxd/transport.js';
import { envelope, serverInfo } from '../../support/fake-server.js';
import { selfSigned as makeCert } from '../../support/openssl-certs.js';

let dir: string;
let server: Server;
let url: string;
const pem = { serverCert: '', serverKey: '', otherCert: '', clientCert: '', clientKey: '' };
const seenClientCerts: string[] = [];

const selfSigned = (name: string, cn: string) => makeCert(dir, name, cn);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lxtop-tls-'));
  // The server certificate names some other host: only the pin must matter.
  const s = selfSigned('server', 'not-this-host.example');
  const o = selfSigned('other', 'not-this-host.example');
  const c = selfSigned('client', 'lxtop-client');
  Object.assign(pem, { serverCert: s.cert, serverKey: s.key, otherCert: o.cert, clientCert: c.cert, clientKey: c.key });
  server = createServer({ cert: s.cert, key: s.key, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    seenClientCerts.push(peer?.fingerprint256 ?? '');
    const text = JSON.stringify(envelope.sync(serverInfo()));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(text);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'lifecycle', metadata: { action: 'instance-started', source: '/1.0/instances/a' } })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const client = (serverCert: string | null) =>
  new LxdClient(new Transport({ kind: 'https', url, tls: { cert: pem.clientCert, key: pem.clientKey, serverCert } }, { timeoutMs: 5_000 }));

describe('pinned HTTPS', () => {
  it('fingerprint is the SHA-256 of the DER certificate', () => {
    const hex = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem.serverCert }).toString();
    expect(certificateFingerprint(pem.serverCert)).toBe(hex.split('=')[1]!.trim().replace(/:/g, '').toLowerCase());
  });

  it('tlsOptions: client certificate always; the pin as the only CA plus a fingerprint check', () => {
    const o = tlsOptions({ cert: 'C', key: 'K', serverCert: null });
    expect(o).toEqual({ cert: 'C', key: 'K' });
    const p = tlsOptions({ cert: pem.clientCert, key: pem.clientKey, serverCert: pem.serverCert });
    expect(p.ca).toBe(pem.serverCert);
    expect(typeof p.checkServerIdentity).toBe('function');
  });

  it('the pinned server is reached whatever its certificate names, and sees our client certificate', async () => {
    const c = client(pem.serverCert);
    expect((await c.server()).serverName).toBe('fake');
    const ours = certificateFingerprint(pem.clientCert);
    expect(seenClientCerts.at(-1)?.replace(/:/g, '').toLowerCase()).toBe(ours);
    await c.close();
  });

  it('a server presenting another certificate is refused before any request', async () => {
    const before = seenClientCerts.length;
    const c = client(pem.otherCert);
    const err = await c.server().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LxdError);
    expect(err).toMatchObject({ kind: 'network' });
    expect((err as Error).message).toMatch(/not the pinned one/);
    expect(seenClientCerts.length).toBe(before);
    await c.close();
  });

  it('without a pin, system CAs and the host name decide: a self-signed server is refused', async () => {
    const c = client(null);
    await expect(c.server()).rejects.toMatchObject({ kind: 'network' });
    await c.close();
  });

  it('websockets (wss) use the same pin', async () => {
    const c = client(pem.serverCert);
    const stream = c.events();
    const got = await new Promise<string>((resolve) => stream.onEvent((e) => resolve(e.type)));
    expect(got).toBe('lifecycle');
    stream.close();
    const bad = client(pem.otherCert);
    const badStream = bad.events();
    const why = await new Promise<string>((resolve) => badStream.onStatus((s, e) => s === 'disconnected' && e && resolve(e.message)));
    expect(why).toMatch(/not the pinned one/);
    badStream.close();
    await c.close();
    await bad.close();
  });
});
