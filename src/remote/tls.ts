// TLS for remotes: reading a server's certificate for a first-use prompt, and connection options
// that accept only the pinned certificate. A pinned server that presents another certificate is
// refused during the handshake, before any request is written.
import { createHash, X509Certificate } from 'node:crypto';
import type { PeerCertificate, ConnectionOptions } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';

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

/** Words for a socket error: `connection refused (ECONNREFUSED)`. */
export function describeNetError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    EPROTO: 'not a TLS server',
  };
  if (e?.code && words[e.code]) return `${words[e.code]} (${e.code})`;
  return e?.message ?? String(err);
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

export interface PinnedTls {
  /** Client certificate and key, PEM. */
  cert: string;
  key: string;
  /** The pinned server certificate, PEM; null: system CAs and the host name decide. */
  serverCert: string | null;
}

/** A `checkServerIdentity` error carrying the presented certificate, for the mismatch report. */
export class PinCheckError extends Error {
  readonly code = 'LXTOP_PIN_MISMATCH';
  constructor(readonly presented: string) {
    super(`server certificate ${presented} is not the pinned one`);
  }
}

/**
 * `tls.connect` options (also undici's `connect` options) that trust exactly the pinned certificate:
 * it is the only CA, and the handshake is refused unless the presented certificate's SHA-256 equals
 * the pin. The host name is not checked against the pinned certificate (LXD certificates name the
 * host, not the address used).
 */
export function pinnedTlsOptions(t: PinnedTls): ConnectionOptions {
  if (t.serverCert === null) return { cert: t.cert, key: t.key, rejectUnauthorized: true };
  const pinned = fingerprintPem(t.serverCert);
  return {
    cert: t.cert,
    key: t.key,
    ca: [t.serverCert],
    rejectUnauthorized: true,
    checkServerIdentity: (_host: string, peer: PeerCertificate) => {
      const presented = peer.raw ? fingerprintDer(peer.raw) : '';
      return presented === pinned ? undefined : new PinCheckError(presented);
    },
  };
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
  let presented: string | null = v instanceof PinCheckError ? v.presented : null;
  if (presented === null) {
    try {
      presented = (await fetchServerCertificate(url)).fingerprint;
    } catch {
      presented = null;
    }
  }
  return new PinMismatchError(remote, url, pinned, presented, pinFile, v.code);
}
