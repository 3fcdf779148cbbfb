// A minimal JSON client for an HTTPS remote, with the pin enforced on every connection. What
// `remote add` and the remote tests need until src/lxd's transport speaks HTTPS (the lead merges).
import { Agent, request } from 'undici';
import { describeNetError, explainPinFailure, pinnedTlsOptions, UnreachableError, verifyFailure, type PinnedTls } from './tls.js';

export interface HttpsRemote extends PinnedTls {
  /** https://host:port */
  url: string;
  /** Remote name, for messages. */
  remote: string;
  serverCertFile?: string | null;
}

/** An error answer from the server; `message` is the server's text, verbatim. */
export class ServerError extends Error {
  override name = 'ServerError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Envelope {
  type: 'sync' | 'async' | 'error' | string;
  status_code?: number;
  error_code?: number;
  error?: string;
  metadata: unknown;
  operation?: string;
}

export class HttpsClient {
  private readonly agent: Agent;

  constructor(
    readonly target: HttpsRemote,
    opts: { timeoutMs?: number } = {},
  ) {
    const timeout = opts.timeoutMs ?? 15_000;
    this.agent = new Agent({
      connect: { ...pinnedTlsOptions(target), timeout },
      headersTimeout: timeout * 2,
      bodyTimeout: timeout * 2,
    });
  }

  /** One request; the sync metadata back, or ServerError / PinMismatchError / UnreachableError. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const env = await this.raw(method, path, body);
    if (env.type === 'error') throw new ServerError(env.error_code ?? 500, env.error ?? 'unknown error');
    return env.metadata as T;
  }

  async raw(method: string, path: string, body?: unknown): Promise<Envelope> {
    const { url, remote } = this.target;
    let res;
    try {
      res = await request(url + path, {
        method: method as 'GET',
        dispatcher: this.agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if (this.target.serverCert !== null) {
        const pin = await explainPinFailure(err, remote, url, this.target.serverCert, this.target.serverCertFile ?? null);
        if (pin) throw pin;
      } else if (verifyFailure(err)) {
        throw new UnreachableError(url, `certificate not trusted: ${(err as Error).message}`);
      }
      throw new UnreachableError(url, describeNetError(err));
    }
    const text = await res.body.text();
    let env: Envelope;
    try {
      env = JSON.parse(text) as Envelope;
    } catch {
      throw new ServerError(res.statusCode, `HTTP ${res.statusCode}: not a JSON answer: ${text.slice(0, 200)}`);
    }
    if (env.type === 'error' || res.statusCode >= 400) {
      return { ...env, type: 'error', error_code: env.error_code ?? res.statusCode, error: env.error ?? `HTTP ${res.statusCode}` };
    }
    return env;
  }

  /** Waits for an async operation (bounded), returning it; throws ServerError on failure. */
  async wait(operationPath: string, timeoutSeconds = 30): Promise<Record<string, unknown>> {
    const op = await this.call<Record<string, unknown>>('GET', `${operationPath}/wait?timeout=${timeoutSeconds}`);
    if (op && op.status === 'Failure') throw new ServerError(400, String(op.err ?? 'operation failed'));
    return op;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
