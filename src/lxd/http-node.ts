// HTTP through Node's own http / https modules, for short runs (`lxtop --once`). undici compiles its
// HTTP parser (llhttp, WebAssembly) at the first request: ~0.2 s of CPU and ~45 MB of memory, most
// of what `--once` cost on top of Node's start. Node's built-in parser is native and already loaded.
// Same contract as the undici engine (http-undici.ts): the whole body as text, errors as thrown by
// Node (Transport turns them into LxdErrors).
import type { Agent as HttpAgent, IncomingMessage, RequestOptions as NodeRequestOptions } from 'node:http';
import type { Endpoint, HttpEngine, HttpExchange, RawResponse } from './transport.js';
import { tlsOptions } from './tls.js';

/** An error of a response cut short: the connection closed before the announced end of the body. */
class CutShort extends Error {
  readonly code = 'UND_ERR_SOCKET';
  constructor() {
    super('connection closed before the answer was complete');
  }
}

export function nodeEngine(endpoint: Endpoint): HttpEngine {
  // https only for a remote: loading tls costs the local socket a few ms for nothing.
  let mod: Pick<typeof import('node:http'), 'request'>;
  let agent: HttpAgent;
  if (endpoint.kind === 'https') {
    const https = process.getBuiltinModule('node:https');
    mod = https;
    agent = new https.Agent({ keepAlive: true, ...tlsOptions(endpoint.tls) });
  } else {
    const http = process.getBuiltinModule('node:http');
    mod = http;
    agent = new http.Agent({ keepAlive: true });
  }
  // For the unix socket servername '': the agent would otherwise test the host name with Node's
  // IPv6 regular expression, whose first use costs ~15 ms of CPU.
  const base: NodeRequestOptions & { servername?: string } =
    endpoint.kind === 'unix' ? { socketPath: endpoint.socket, host: 'lxd', servername: '' } : urlParts(endpoint.url);
  return {
    request(x: HttpExchange): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const req = mod.request(
          { ...base, agent, method: x.method, path: `${base.path ?? ''}${x.path}`, headers: x.headers, signal: x.signal },
          (res: IncomingMessage) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (chunk: string) => (text += chunk));
            res.on('error', reject);
            res.on('close', () => {
              if (!res.complete) reject(new CutShort());
              else resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
            });
          },
        );
        req.on('error', reject);
        req.end(x.body);
      });
    },
    async close(): Promise<void> {
      agent.destroy();
    },
  };
}

/** `https://host:8443/prefix` → host, port and the path prefix requests go under. */
function urlParts(url: string): NodeRequestOptions {
  const u = new URL(url);
  return {
    protocol: u.protocol,
    hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port || (u.protocol === 'https:' ? 443 : 80),
    path: u.pathname.replace(/\/+$/, ''),
  };
}
