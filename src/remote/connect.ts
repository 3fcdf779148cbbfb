// From a resolved target to a connected LxdClient (src/lxd), with the changed-certificate warning:
// when a pinned remote fails TLS verification, the error names both fingerprints.
import { connect, isLxdError, type ConnectOptions, type LxdClient } from '../lxd/index.js';
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
  if (target.kind === 'ssh') return connectSsh(target, extra);
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

/**
 * Through ssh: the far daemon's socket forwarded to a local one (src/ssh), then the unix
 * transport as for a local daemon. The tunnel is closed with the client, or here on failure.
 */
async function connectSsh(target: SshTarget, extra: TargetConnectOptions): Promise<LxdClient> {
  const [{ parseSshUrl }, { SshTunnel }] = await Promise.all([import('../ssh/address.js'), import('../ssh/tunnel.js')]);
  const tunnel = await SshTunnel.open(parseSshUrl(target.url));
  try {
    return await connect({ ...extra, tunnel, project: target.project });
  } catch (err) {
    // ssh says only "open failed": ask the far side whether the socket is there and ours to open.
    const why = isLxdError(err) && err.kind === 'network' ? await tunnel.diagnose() : null;
    await tunnel.close();
    throw why ?? err;
  }
}
