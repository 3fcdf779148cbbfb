// The pin against a local TLS server: a matching pin lets requests through; a changed certificate
// is refused naming both fingerprints, and the server receives no request at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClientCertificate } from '../../../src/remote/client-cert.js';
import { HttpsClient, PinMismatchError, UnreachableError, fetchServerCertificate, fingerprintPem } from '../../../src/remote/index.js';
import { fakeLxd, selfSigned, type FakeLxd } from './fake-lxd.js';

let server: FakeLxd;
let client: { cert: string; key: string };
beforeAll(async () => {
  server = await fakeLxd({ password: 'pw' });
  client = await generateClientCertificate('tester@test');
});
afterAll(() => server.close());

describe('client certificate', () => {
  it('is an ECDSA P-384 self-signed certificate with a PKCS#8 key', async () => {
    const { X509Certificate, createPrivateKey } = await import('node:crypto');
    const c = new X509Certificate(client.cert);
    expect(c.subject).toContain('CN=tester@test');
    expect(c.issuer).toBe(c.subject);
    expect(c.verify(c.publicKey)).toBe(true);
    expect(c.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(createPrivateKey(client.key).asymmetricKeyType).toBe('ec');
    expect(client.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });
});

describe('pinned TLS', () => {
  it('reads the presented certificate and its SHA-256 fingerprint', async () => {
    const got = await fetchServerCertificate(server.url);
    expect(got.fingerprint).toBe(server.fingerprint);
    expect(fingerprintPem(got.pem)).toBe(server.fingerprint);
  });

  it('talks to a server presenting the pinned certificate', async () => {
    const c = new HttpsClient({ url: server.url, remote: 'fake', ...client, serverCert: server.cert });
    try {
      expect(await c.call('GET', '/1.0')).toMatchObject({ auth: 'untrusted' });
    } finally {
      await c.close();
    }
  });

  it('refuses a changed certificate naming both fingerprints, and sends nothing', async () => {
    const other = await selfSigned('other');
    const before = server.requests.length;
    const c = new HttpsClient({ url: server.url, remote: 'fake', ...client, serverCert: other.cert, serverCertFile: '/x/servercerts/fake.crt' });
    try {
      const err = await c.call('POST', '/1.0/certificates', { type: 'client', password: 'pw' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PinMismatchError);
      const msg = (err as Error).message;
      expect(msg).toContain('HAS CHANGED');
      expect(msg).toContain(`pinned:    ${other.fingerprint}  (/x/servercerts/fake.crt)`);
      expect(msg).toContain(`presented: ${server.fingerprint}`);
      expect(msg).toContain('Nothing was sent');
    } finally {
      await c.close();
    }
    expect(server.requests.length).toBe(before);
    expect(server.trusted.size).toBe(0);
  });

  it('reports an unreachable server clearly', async () => {
    const c = new HttpsClient({ url: 'https://127.0.0.1:1', remote: 'gone', ...client, serverCert: server.cert });
    try {
      const err = await c.call('GET', '/1.0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as Error).message).toBe('cannot reach https://127.0.0.1:1: connection refused (ECONNREFUSED)');
    } finally {
      await c.close();
    }
    await expect(fetchServerCertificate('https://127.0.0.1:1')).rejects.toThrow('cannot reach https://127.0.0.1:1: connection refused (ECONNREFUSED)');
  });
});
