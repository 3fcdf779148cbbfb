// From a resolved target to a connected LxdClient (src/lxd), with the changed-certificate warning:
// when a pinned remote fails TLS verification, the error names both fingerprints.
import { connect, type ConnectOptions, type LxdClient } from '../lxd/index.js';
import type { SshTarget, Target } from '../config/index.js';
import { explainPinFailure } from './tls.js';

export type TargetConnectOptions = Omit<ConnectOptions, 'socket' | 'socketSource' | 'server' | 'prefer' | 'wanted' | 'hint' | 'https' | 'project'>;

/** The src/lxd `connect()` options for a target. */
export function connectOptions(target: Exclude<Target, SshTarget>, extra: TargetConnectOptions = {}): ConnectOptions {
  if (target.kind === 'unix') {
    const { socket, server, fallback, wanted, hint, project } = target;
    // A default `local` looks for its own daemon first, then the other (fallback); a named one, its own only.
    const find = socket ? { server } : fallback ? { prefer: server } : { server };
    return { ...extra, socket, socketSource: socket ? `remote ${target.remote}` : undefined, ...find, wanted, hint, project };
  }
  return {
    ...extra,
    https: { url: target.url, cert: target.cert, key: target.key, serverCert: target.serverCert },
    project: target.project,
  };
}

/**
 * Connects (and reads `GET /1.0`). A pinned HTTPS remote presenting another certificate is refused
 * during the TLS handshake, before any request, with a PinMismatchError naming both fingerprints.
 */
export async function connectTarget(target: Target, extra: TargetConnectOptions = {}): Promise<LxdClient> {
  // Through ssh (src/ssh): loaded only for an ssh:// remote.
  if (target.kind === 'ssh') return (await import('../ssh/connect.js')).connectSsh(target, extra);
  try {
    return await connect(connectOptions(target, extra));
  } catch (err) {
    if (target.kind === 'https' && target.serverCert !== null) {
      const pin = await explainPinFailure(err, target.remote, target.url, target.serverCert, target.serverCertFile);
      if (pin) throw pin;
    }
    throw err;
  }
}
