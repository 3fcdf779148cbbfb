// HTTP through an undici Agent: keep-alive connections for the long-running views (see
// http-node.ts for short runs). Loaded on demand by transport.ts, so that a run that never uses it
// does not load undici at all.
import { tlsOptions } from './tls.js';
import type { Endpoint, HttpEngine, HttpExchange, RawResponse } from './transport.js';
import { Agent, request } from './undici.js';

export function undiciEngine(endpoint: Endpoint): HttpEngine {
  // undici's own 300 s header/body timeouts are switched off: every request has Transport's deadline.
  const common = { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 4_000 };
  // For the unix socket the host is ignored but must be a valid URL.
  const origin = endpoint.kind === 'unix' ? 'http://lxd' : endpoint.url.replace(/\/+$/, '');
  const agent =
    endpoint.kind === 'unix'
      ? new Agent({ ...common, connect: { socketPath: endpoint.socket } })
      : new Agent({ ...common, connect: { ...tlsOptions(endpoint.tls), timeout: 10_000 } });
  return {
    async request(x: HttpExchange): Promise<RawResponse> {
      const res = await request(origin + x.path, {
        method: x.method as 'GET',
        headers: x.headers,
        body: x.body,
        dispatcher: agent,
        signal: x.signal,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text };
    },
    close: () => agent.close(),
  };
}
