// A byte-for-byte proxy in front of a real daemon's unix socket that can cut the exec websockets
// on demand: how the end-to-end tests make a websocket drop in the middle of a session without
// disturbing the shared sandbox daemon. Everything else (REST calls) passes through untouched.
import { createConnection, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DropProxy {
  /** The socket to point the CLI at. */
  socket: string;
  /** Exec websockets currently open through the proxy. */
  websockets(): number;
  /** Cuts every open operation websocket at once (both directions, no close frame). */
  dropWebsockets(): void;
  /** Stops forwarding on every open operation websocket without closing it: a dead network. */
  stallWebsockets(): void;
  close(): Promise<void>;
}

let counter = 0;

export async function startDropProxy(target: string): Promise<DropProxy> {
  const path = join(tmpdir(), `lxtop-exec-proxy-${process.pid}-${counter++}.sock`);
  rmSync(path, { force: true });
  const live = new Set<Socket>();
  const websockets = new Set<[Socket, Socket]>();

  const server = createServer((client) => {
    const upstream = createConnection(target);
    live.add(client);
    live.add(upstream);
    const forget = (): void => {
      live.delete(client);
      live.delete(upstream);
      for (const pair of websockets) if (pair[0] === client) websockets.delete(pair);
    };
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => {
      upstream.destroy();
      forget();
    });
    upstream.on('close', () => {
      client.destroy();
      forget();
    });
    client.once('data', (first: Buffer) => {
      const head = first.toString('latin1', 0, Math.min(first.length, 300));
      if (/^GET \/1\.0\/operations\/[^ ]+\/websocket/.test(head)) websockets.add([client, upstream]);
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });

  return {
    socket: path,
    websockets: () => websockets.size,
    dropWebsockets() {
      for (const [client, upstream] of websockets) {
        client.destroy();
        upstream.destroy();
      }
      websockets.clear();
    },
    stallWebsockets() {
      for (const [client, upstream] of websockets) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const s of live) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}
