// A remote without a pinned certificate, whose server certificate a private CA signed: trusted when
// the `lxtop` launcher moved NODE_EXTRA_CA_CERTS naming that CA to LXTOP_EXTRA_CA_CERTS (src/lxd/tls.ts
// reads it then), refused without it, and refused (not a crash) when the file cannot be read. A
// local TLS server with throw-away certificates made by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tlsOptions } from '../../../src/lxd/tls.js';
import { selfSigned } from '../../support/openssl-certs.js';

let dir: string;
let server: Server;
let port: number;
let caFile: string;
let client: { cert: string; key: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lxtop-extra-ca-'));
  const ca = selfSigned(dir, 'ca', 'lxtop test CA');
  caFile = join(dir, 'ca.crt');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const crt = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const quiet = { stdio: 'ignore' as const };
  execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', key, '-out', csr], quiet);
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', crt], quiet);
  expect(readFileSync(caFile, 'utf8')).toBe(ca.cert);
  client = selfSigned(dir, 'client', 'lxtop-client');
  server = createServer({ cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') }, (_req, res) => res.end('{"type":"sync"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const saved = process.env.LXTOP_EXTRA_CA_CERTS;
afterEach(() => {
  if (saved === undefined) delete process.env.LXTOP_EXTRA_CA_CERTS;
  else process.env.LXTOP_EXTRA_CA_CERTS = saved;
});

/** GET / with the options a remote without a pin gets: the body, or the TLS error's code. */
function get(): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...tlsOptions({ ...client, serverCert: null }) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code}`));
    req.end();
  });
}

describe('a remote without a pin, its certificate signed by a private CA', () => {
  it('is refused when nothing names the CA', async () => {
    delete process.env.LXTOP_EXTRA_CA_CERTS;
    expect(tlsOptions({ ...client, serverCert: null }).ca).toBeUndefined();
    expect(await get()).toBe('error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('is trusted when the launcher moved NODE_EXTRA_CA_CERTS naming it; Node\'s own roots stay trusted', async () => {
    process.env.LXTOP_EXTRA_CA_CERTS = caFile;
    expect(await get()).toBe('{"type":"sync"}');
    const { rootCertificates } = await import('node:tls');
    const ca = tlsOptions({ ...client, serverCert: null }).ca as string[];
    expect(ca.slice(0, rootCertificates.length)).toEqual(rootCertificates);
    expect(ca.at(-1)).toBe(readFileSync(caFile, 'utf8'));
  });

  it('is refused, not a crash, when the moved file cannot be read', async () => {
    process.env.LXTOP_EXTRA_CA_CERTS = join(dir, 'no-such.pem');
    expect(await get()).toBe('error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
