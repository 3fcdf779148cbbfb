// TLS options for HTTPS remotes, in one place: the REST transport (undici) and the websockets (ws)
// both take these, so a pinned remote is checked the same way on every connection.
import type { ConnectionOptions, PeerCertificate } from 'node:tls';

/** What a TLS connection to a remote needs, all PEM. */
export interface TlsMaterial {
  /** Client certificate and key (the server trusts us by this certificate). */
  cert: string;
  key: string;
  /** The pinned server certificate; null: system CAs and the host name decide. */
  serverCert: string | null;
}

/** SHA-256 of the DER certificate, lowercase hex: the form `lxc` and `certificate_fingerprint` use. */
export function certificateFingerprint(pem: string): string {
  // Loaded here, not imported: node:crypto costs the local socket's start-up a few ms for nothing.
  const { createHash, X509Certificate } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** Node writes `fingerprint256` as upper-case hex pairs joined by colons. */
function normalise(fp: string): string {
  return fp.replace(/:/g, '').toLowerCase();
}

/** The error a pinned connection fails with when the server presents another certificate. */
export class PinMismatch extends Error {
  readonly code = 'LXTOP_PIN_MISMATCH';
  constructor(
    readonly pinned: string,
    readonly presented: string,
  ) {
    super(`the server presented certificate ${presented}, not the pinned ${pinned}`);
  }
}

/**
 * `tls.connect` options (undici's `connect` and ws take the same): the client certificate, and with
 * a pin the pinned certificate as the only CA plus a fingerprint check in place of the host name
 * check. LXD certificates name the host, not the address a remote was added by, so the host name
 * check would refuse good servers; the fingerprint is the stronger check anyway.
 */
export function tlsOptions(material: TlsMaterial): ConnectionOptions {
  const base: ConnectionOptions = { cert: material.cert, key: material.key };
  if (material.serverCert === null) {
    const ca = deferredCa();
    return ca === null ? base : { ...base, ca };
  }
  const pinned = certificateFingerprint(material.serverCert);
  return {
    ...base,
    ca: material.serverCert,
    checkServerIdentity: (_host: string, peer: PeerCertificate) => {
      const presented = normalise(peer.fingerprint256 ?? '');
      return presented === pinned ? undefined : new PinMismatch(pinned, presented);
    },
  };
}

/** The file read last, and what it gave (read once a process, not once a connection). */
let deferred: { file: string; ca: string[] } | null = null;

/**
 * The CAs a connection without a pin trusts when the `lxtop` launcher moved NODE_EXTRA_CA_CERTS
 * aside (scripts/launcher.sh: Node reads that file at every start, ~50 ms): Node's own roots and the
 * file's certificates, as Node itself would have had them. Null when the launcher moved nothing:
 * Node's defaults stand. A file that cannot be read adds nothing, as Node only warns of it.
 */
function deferredCa(): string[] | null {
  const file = process.env.LXTOP_EXTRA_CA_CERTS;
  if (!file) return null;
  if (deferred?.file === file) return deferred.ca;
  const { rootCertificates } = process.getBuiltinModule('node:tls');
  let extra = '';
  try {
    extra = process.getBuiltinModule('node:fs').readFileSync(file, 'utf8');
  } catch {
    // as Node: the roots alone
  }
  deferred = { file, ca: extra === '' ? [...rootCertificates] : [...rootCertificates, extra] };
  return deferred.ca;
}
