// An ssh:// target to a connected client: the far daemon's socket forwarded to a local one (the
// tunnel), then the unix transport as for a local daemon. ssh starts before the client's code
// (the HTTP client) is loaded: that loads during the handshake.
import type { SshTarget } from '../config/types.js';
import type { ConnectOptions } from '../lxd/connect.js';
import type { LxdClient } from '../lxd/client.js';
import { isLxdError } from '../lxd/errors.js';
import { parseSshUrl } from './address.js';
import { takeEarly } from './early.js';
import { SshTunnel } from './tunnel.js';

export type SshConnectOptions = Omit<ConnectOptions, 'socket' | 'socketSource' | 'server' | 'prefer' | 'wanted' | 'hint' | 'https' | 'project' | 'tunnel'>;

/** Connects through ssh; the tunnel is closed with the client, or here on failure. */
export async function connectSsh(target: SshTarget, extra: SshConnectOptions = {}): Promise<LxdClient> {
  // Started by the program's entry for a one-off address (src/main.ts), or now.
  const opening = takeEarly(target.url) ?? SshTunnel.open(parseSshUrl(target.url));
  opening.catch(() => undefined); // awaited below, once the client's code is loaded
  const { connect } = await import('../lxd/connect.js');
  const tunnel = await opening;
  try {
    return await connect({ ...extra, tunnel, project: target.project });
  } catch (err) {
    // ssh says only "open failed": ask the far side whether the socket is there and ours to open.
    const why = isLxdError(err) && err.kind === 'network' ? await tunnel.diagnose() : null;
    await tunnel.close();
    throw why ?? err;
  }
}
