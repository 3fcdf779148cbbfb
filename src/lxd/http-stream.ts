// Requests whose body is a stream, either way: a file pulled from an instance (the answer's bytes
// piped on as they arrive) or pushed into one (a local file piped as the request's body, chunked).
// The engines of transport.ts read a whole answer as text, which is right for JSON and wrong for
// 100 MB; this is Node's own http / https on the same endpoint (unix socket or HTTPS with the same
// TLS options and pin), one connection per transfer (no pool: a transfer is long).
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { Readable } from 'node:stream';
import { LxdError } from './errors.js';
import { parseResponse } from './request.js';
import { tlsOptions } from './tls.js';
import type { Transport } from './transport.js';

export interface StreamRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Piped as the body (chunked). */
  body?: Readable;
  signal?: AbortSignal;
}

/** Node's http (or https) module and the request's options for the transport's endpoint. */
export function requestOptions(transport: Transport, req: Omit<StreamRequest, 'body'>): { mod: typeof import('node:http'); opts: RequestOptions } {
  const endpoint = transport.endpoint;
  const headers = { ...req.headers };
  if (endpoint.kind === 'unix') {
    const mod = process.getBuiltinModule('node:http');
    // servername '': the agent would otherwise test the host name with Node's IPv6 regular
    // expression, whose first use costs ~9-15 ms of CPU (as in http-node.ts).
    const opts: RequestOptions & { servername: string } = { socketPath: endpoint.socket, host: 'lxd', servername: '', path: req.path, method: req.method, headers, agent: false };
    return { mod, opts };
  }
  const u = new URL(endpoint.url);
  const mod = process.getBuiltinModule('node:https') as unknown as typeof import('node:http');
  const prefix = u.pathname.replace(/\/+$/, '');
  const opts = {
    ...tlsOptions(endpoint.tls),
    hostname: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port || 443,
    path: prefix + req.path,
    method: req.method,
    headers,
    agent: false,
  } as RequestOptions;
  return { mod, opts };
}

/**
 * Sends the request (streaming its body, if any) and resolves with the answer once its headers
 * arrived: the caller reads (or drains) the body. A network failure is an LxdError `network`.
 */
export function streamRequest(transport: Transport, req: StreamRequest): Promise<IncomingMessage> {
  const { mod, opts } = requestOptions(transport, req);
  const fail = (err: unknown) =>
    new LxdError(
      req.signal?.aborted ? `${req.method} ${req.path}: cancelled` : `${req.method} ${req.path} on ${transport.describe()}: ${transport.explain(err)}`,
      { kind: 'network', method: req.method, path: req.path, cause: err },
    );
  return new Promise((resolve, reject) => {
    const r = mod.request({ ...opts, signal: req.signal }, resolve);
    r.on('error', (err) => reject(fail(err)));
    if (!req.body) {
      r.end();
      return;
    }
    req.body.on('error', (err) => r.destroy(err));
    req.body.pipe(r);
  });
}

/** The whole body of a (small) answer as text. */
export function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** An answer as an LXD envelope (a JSON answer, or an error): throws the server's error. */
export async function envelopeOf<T>(res: IncomingMessage, method: string, path: string): Promise<T> {
  const text = await readText(res);
  return parseResponse<T>({ status: res.statusCode ?? 0, headers: res.headers, text }, method, path).metadata;
}
