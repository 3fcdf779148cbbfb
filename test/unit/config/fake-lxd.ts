// A tiny HTTPS server speaking just enough of the LXD API for `remote add` (GET /1.0,
// POST /1.0/certificates, GET /1.0/projects/x, DELETE /1.0/certificates/fp), with a self-signed
// certificate, counting every request it receives. Used only where a real daemon cannot be put in
// the required state on demand (the real-daemon tests are under test/integration).
import { createHash, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';

export async function selfSigned(cn: string): Promise<{ cert: string; key: string; fingerprint: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  const c = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=${cn}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: cn }]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  const cert = c.toString('pem');
  return {
    cert,
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    fingerprint: createHash('sha256').update(new X509Certificate(cert).raw).digest('hex'),
  };
}

export interface FakeLxd {
  url: string;
  fingerprint: string;
  cert: string;
  /** Every request as "METHOD path". */
  requests: string[];
  /** Client certificate fingerprints the server trusts. */
  trusted: Set<string>;
  /** Raw TLS connections accepted (handshakes that completed). */
  connections: number;
  close(): Promise<void>;
}

export async function fakeLxd(opts: { password?: string; extensions?: string[]; projects?: string[]; server?: string } = {}): Promise<FakeLxd> {
  const tlsCert = await selfSigned('fake-lxd');
  const trusted = new Set<string>();
  const requests: string[] = [];
  const extensions = opts.extensions ?? ['certificate_token'];
  const projects = opts.projects ?? ['default'];
  let connections = 0;
  const server: Server = createServer({ cert: tlsCert.cert, key: tlsCert.key, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const fp = peer?.raw ? createHash('sha256').update(peer.raw).digest('hex') : '';
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const ok = (metadata: unknown) => send(200, { type: 'sync', status: 'Success', status_code: 200, metadata });
      const error = (code: number, text: string) => send(code, { type: 'error', error_code: code, error: text, metadata: null });
      const isTrusted = trusted.has(fp);
      if (req.method === 'GET' && req.url === '/1.0') {
        return ok({
          auth: isTrusted ? 'trusted' : 'untrusted',
          api_extensions: extensions,
          ...(isTrusted ? { environment: { server: opts.server ?? 'lxd', server_version: '5.0.2' } } : {}),
        });
      }
      if (req.method === 'POST' && req.url === '/1.0/certificates') {
        const b = JSON.parse(body) as { password?: string; trust_token?: string };
        const secret = b.trust_token ?? b.password;
        if (opts.password !== undefined && secret === opts.password) {
          trusted.add(fp);
          return ok({});
        }
        return error(403, 'not authorized');
      }
      if (!isTrusted) return error(403, 'not authorized');
      const proj = /^\/1\.0\/projects\/(.*)$/.exec(req.url ?? '');
      if (req.method === 'GET' && proj) return projects.includes(proj[1]) ? ok({ name: proj[1] }) : error(404, 'Project not found');
      const del = /^\/1\.0\/certificates\/(.*)$/.exec(req.url ?? '');
      if (req.method === 'DELETE' && del) {
        trusted.delete(del[1]);
        return ok({});
      }
      if (req.method === 'GET' && req.url?.startsWith('/1.0/instances')) return ok([]);
      return error(404, 'not found');
    });
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    fingerprint: tlsCert.fingerprint,
    cert: tlsCert.cert,
    requests,
    trusted,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
