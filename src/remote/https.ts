// The HTTPS side of `remote add`, on src/lxd's transport (client certificate, pinned server
// certificate), with errors in the words remote add shows: the server's refusal verbatim, a changed
// certificate with both fingerprints, an unreachable server.
import { call, describeNetError, isLxdError, Transport, type LxdResponse } from '../lxd/index.js';
import { explainPinFailure, UnreachableError, verifyFailure } from './tls.js';

export interface HttpsRemote {
  /** https://host:port */
  url: string;
  /** Remote name, for messages. */
  remote: string;
  /** Client certificate and key, PEM. */
  cert: string;
  key: string;
  /** Pinned server certificate, PEM; null: system CAs and the host name decide. */
  serverCert: string | null;
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

export class HttpsClient {
  private readonly transport: Transport;

  constructor(
    readonly target: HttpsRemote,
    opts: { timeoutMs?: number } = {},
  ) {
    const { url, cert, key, serverCert } = target;
    this.transport = new Transport({ kind: 'https', url, tls: { cert, key, serverCert } }, { timeoutMs: opts.timeoutMs ?? 30_000 });
  }

  /** One request: the whole sync/async answer, or ServerError / PinMismatchError / UnreachableError. */
  async send<T = unknown>(method: string, path: string, body?: unknown): Promise<LxdResponse<T>> {
    try {
      return await call<T>(this.transport, method, path, body === undefined ? {} : { body });
    } catch (err) {
      throw await this.translate(err);
    }
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, body)).metadata;
  }

  /** Waits for an async operation (bounded); throws ServerError when it failed. */
  async wait(operationPath: string, timeoutSeconds = 30): Promise<Record<string, unknown>> {
    const op = await this.call<Record<string, unknown>>('GET', `${operationPath}/wait?timeout=${timeoutSeconds}`);
    if (op && op.status === 'Failure') throw new ServerError(400, String(op.err ?? 'operation failed'));
    return op;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async translate(err: unknown): Promise<Error> {
    const { url, remote, serverCert } = this.target;
    if (isLxdError(err) && (err.kind === 'http' || err.kind === 'protocol')) return new ServerError(err.status ?? 500, err.message);
    if (serverCert !== null) {
      const pin = await explainPinFailure(err, remote, url, serverCert, this.target.serverCertFile ?? null);
      if (pin) return pin;
    } else if (verifyFailure(err)) {
      return new UnreachableError(url, `certificate not trusted: ${(verifyFailure(err) as Error).message}`);
    }
    const cause = isLxdError(err) && err.cause !== undefined ? err.cause : err;
    if (isLxdError(err) && err.kind === 'timeout') return new UnreachableError(url, 'no answer in time');
    return new UnreachableError(url, describeNetError(cause));
  }
}
