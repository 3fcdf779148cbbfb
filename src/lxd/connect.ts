// The CLI's way in: find the daemon, build the transport, read `GET /1.0` once so a wrong socket
// fails here with a clear message rather than at the first list.
import { LxdClient, type LxdClientOptions } from './client.js';
import { findSocket, type FindSocketOptions } from './socket.js';
import type { TlsMaterial } from './tls.js';
import { Transport, type TransportOptions } from './transport.js';

export interface ConnectOptions
  extends LxdClientOptions,
    TransportOptions,
    Pick<FindSocketOptions, 'socketSource' | 'prefer' | 'wanted' | 'hint'> {
  /** `--socket`: this unix socket only. */
  socket?: string;
  /** Look only for this daemon's sockets. */
  server?: FindSocketOptions['server'];
  /** An HTTPS remote instead of a local socket (client certificate, pinned server certificate). */
  https?: { url: string } & TlsMaterial;
  /** Environment for socket discovery (default process.env). */
  env?: FindSocketOptions['env'];
}

export async function connect(opts: ConnectOptions = {}): Promise<LxdClient> {
  const transportOpts = { timeoutMs: opts.timeoutMs, websocketTimeoutMs: opts.websocketTimeoutMs, http: opts.http };
  let transport: Transport;
  if (opts.https) {
    const { url, ...tls } = opts.https;
    transport = new Transport({ kind: 'https', url, tls }, transportOpts);
  } else {
    const { socket, socketSource, server, prefer, wanted, hint, env } = opts;
    const found = await findSocket({ socket, socketSource, server, prefer, wanted, hint, env });
    transport = new Transport({ kind: 'unix', socket: found.path }, transportOpts);
  }
  const client = new LxdClient(transport, { project: opts.project, events: opts.events });
  try {
    await client.server();
  } catch (err) {
    await transport.close().catch(() => {});
    throw err;
  }
  return client;
}
