// The CLI's way in: find the daemon, build the transport, read `GET /1.0` once (the socket's probe
// read it already) so a wrong socket fails here with a clear message rather than at the first list.
import { LxdClient, type LxdClientOptions } from './client.js';
import { findSocket, type FindSocketOptions } from './socket.js';
import type { TlsMaterial } from './tls.js';
import { Transport, type SocketTunnel, type TransportOptions } from './transport.js';

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
  /**
   * A tunnel's local socket (an ssh forward): used as it is, without probing it first (a probe
   * would be one more round trip to the far side), and closed with the client.
   */
  tunnel?: { socket: string } & SocketTunnel;
  /** Environment for socket discovery (default process.env). */
  env?: FindSocketOptions['env'];
}

export async function connect(opts: ConnectOptions = {}): Promise<LxdClient> {
  const transportOpts = { timeoutMs: opts.timeoutMs, websocketTimeoutMs: opts.websocketTimeoutMs, http: opts.http };
  let transport: Transport;
  let answer: unknown;
  if (opts.https) {
    const { url, ...tls } = opts.https;
    transport = new Transport({ kind: 'https', url, tls }, transportOpts);
  } else if (opts.tunnel) {
    transport = new Transport({ kind: 'unix', socket: opts.tunnel.socket, tunnel: opts.tunnel }, transportOpts);
  } else {
    const { socket, socketSource, server, prefer, wanted, hint, env } = opts;
    const found = await findSocket({ socket, socketSource, server, prefer, wanted, hint, env });
    transport = new Transport({ kind: 'unix', socket: found.path }, transportOpts);
    answer = found.answer;
  }
  const client = new LxdClient(transport, { project: opts.project, events: opts.events });
  // The probe's `GET /1.0` answer is the server's: one request fewer at every start.
  if (answer !== undefined) client.knowServer(answer);
  try {
    await client.server();
  } catch (err) {
    await transport.close().catch(() => {});
    throw err;
  }
  return client;
}
