// TLS for remotes: reading a server's certificate for a first-use prompt, and turning a pinned
// connection's verification failure into a warning that names both fingerprints. The pin itself is
// enforced by src/lxd/tls.ts (the pinned certificate as the only CA, plus a fingerprint check), which
// refuses during the handshake, before any request is written.
import { createHash, X509Certificate } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import { describeNetError } from '../lxd/index.js';

/** SHA-256 of the DER certificate, lowercase hex (as `lxc` and `environment.certificate_fingerprint`). */
export function fingerprintDer(der: Buffer | Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export function fingerprintPem(pem: string): string {
  return fingerprintDer(new X509Certificate(pem).raw);
}

export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export interface HostPort {
  host: string;
  port: number;
}

/** host (without IPv6 brackets) and port of an https:// URL; 8443 when no port is given. */
export function hostPort(url: string): HostPort {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: u.port ? Number(u.port) : 8443 };
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
  }
}

export interface PresentedCertificate {
  der: Buffer;
  pem: string;
  fingerprint: string;
  subject: string;
  notAfter: string;
}

/**
 * Opens a TLS connection, reads the certificate the server presents and closes: nothing is sent
 * but the handshake. The only place lxtop uses `rejectUnauthorized: false`: the certificate is not
 * trusted yet, it is shown to the user (first use) or compared with the pin (changed certificate).
 */
export function fetchServerCertificate(url: string, timeoutMs = 10_000): Promise<PresentedCertificate> {
  const { host, port } = hostPort(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (err: unknown) => {
      socket.destroy();
      reject(new UnreachableError(url, describeNetError(err)));
    };
    socket.once('timeout', () => fail(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      socket.destroy();
      if (!peer || !peer.raw) {
        reject(new UnreachableError(url, 'the server presented no certificate'));
        return;
      }
      resolve({
        der: peer.raw,
        pem: derToPem(peer.raw),
        fingerprint: fingerprintDer(peer.raw),
        subject: [peer.subject?.CN ?? ''].flat().join(', '),
        notAfter: peer.valid_to,
      });
    });
  });
}

export class PinMismatchError extends Error {
  override name = 'PinMismatchError';
  constructor(
    readonly remote: string,
    readonly url: string,
    readonly pinned: string,
    readonly presented: string | null,
    readonly pinFile: string | null,
    detail = '',
  ) {
    super(
      presented === pinned
        ? `the certificate of remote "${remote}" (${url}) matches the pin ${pinned} but failed verification: ${detail}`
        : [
            `WARNING: THE CERTIFICATE OF REMOTE "${remote}" (${url}) HAS CHANGED!`,
            `  pinned:    ${pinned}${pinFile ? `  (${pinFile})` : ''}`,
            `  presented: ${presented ?? `unknown (${detail})`}`,
            'Someone could be intercepting the connection, or the server certificate was replaced.',
            'Nothing was sent to the server. If the change is expected, confirm the new fingerprint with the',
            `server's administrator, then: lxtop remote remove ${remote} && lxtop remote add ${remote} ${url}`,
          ].join('\n'),
    );
  }
}

/** OpenSSL / Node codes of a certificate that did not verify (as opposed to a network failure). */
const verifyCodes = new Set([
  'LXTOP_PIN_MISMATCH',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The certificate-verification error in an error's cause chain, if any. */
export function verifyFailure(err: unknown): (Error & { code: string }) | null {
  let e = err as (Error & { code?: string; cause?: unknown }) | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string' && verifyCodes.has(e.code)) return e as Error & { code: string };
    e = e.cause as typeof e;
  }
  return null;
}

/**
 * Turns a failed pinned connection into a PinMismatchError naming both fingerprints (reading the
 * presented certificate by a bare handshake when the TLS error did not carry it), or returns null
 * when the error is not about the certificate.
 */
export async function explainPinFailure(
  err: unknown,
  remote: string,
  url: string,
  serverCert: string,
  pinFile: string | null,
): Promise<PinMismatchError | null> {
  const v = verifyFailure(err);
  if (!v) return null;
  const pinned = fingerprintPem(serverCert);
  // src/lxd's pin check (checkServerIdentity) carries the presented fingerprint; a chain failure does not.
  const carried = (v as { presented?: unknown }).presented;
  let presented: string | null = typeof carried === 'string' && carried.length > 0 ? carried : null;
  if (presented === null) {
    try {
      presented = (await fetchServerCertificate(url)).fingerprint;
    } catch {
      presented = null;
    }
  }
  return new PinMismatchError(remote, url, pinned, presented, pinFile, v.code);
}
