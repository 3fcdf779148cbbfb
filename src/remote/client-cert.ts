// The client certificate lxtop presents to remotes: an ECDSA P-384 key and a self-signed
// certificate (what lxc and incus generate), created in memory and written only when a remote is
// added successfully.
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface ClientCertificate {
  cert: string;
  key: string;
}

export interface ClientCertFiles {
  certFile: string;
  keyFile: string;
}

export function clientCertFiles(dir: string): ClientCertFiles {
  return { certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key') };
}

/** The existing pair in `dir`, null when there is none; throws when only one of the two exists. */
export function readClientCertificate(dir: string): ClientCertificate | null {
  const { certFile, keyFile } = clientCertFiles(dir);
  const hasCert = existsSync(certFile);
  const hasKey = existsSync(keyFile);
  if (!hasCert && !hasKey) return null;
  if (!hasCert || !hasKey) {
    throw new Error(`${hasCert ? keyFile : certFile} is missing but ${hasCert ? certFile : keyFile} exists; remove it or restore its pair`);
  }
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

function user(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

export async function generateClientCertificate(commonName = `${user()}@${hostname()}`): Promise<ClientCertificate> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, '_')}, O=lxtop`,
    notBefore: new Date(now - 5 * 60_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  return {
    cert: cert.toString('pem').replace(/\r\n/g, '\n') + '\n',
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY').replace(/\r\n/g, '\n') + '\n',
  };
}
