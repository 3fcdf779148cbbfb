// Errors the client raises. Every failure of a call becomes an LxdError so callers need one `catch`
// and can show `message` as is: for `http` errors it is the server's own text, verbatim (LXD and
// Incus word the same failure differently; the user should read what their server said).
// And how the rest of lxtop reads any error (ours, Node's, undici's, ws's) without knowing its
// class: its text, its HTTP status, whether the daemon was unreachable.

/**
 * - http:      the server answered with an error envelope (or a refusal such as 403 / 404).
 * - protocol:  the answer is not an LXD envelope: not JSON, truncated, HTML from a proxy, ...
 * - network:   no connection, connection refused / reset, or cut before the answer was complete.
 * - timeout:   no complete answer within the time allowed.
 * - operation: an operation the caller waited for ended in Failure / Cancelled.
 */
export type LxdErrorKind = 'http' | 'protocol' | 'network' | 'timeout' | 'operation';

export interface LxdErrorInit {
  kind: LxdErrorKind;
  /** HTTP status, or the envelope's `error_code`; null when no answer arrived. */
  status?: number | null;
  method?: string;
  path?: string;
  cause?: unknown;
  /** Raised by the client itself before any request (e.g. an invalid instance name). */
  local?: boolean;
}

export class LxdError extends Error {
  override name = 'LxdError';
  readonly kind: LxdErrorKind;
  readonly status: number | null;
  /** The request this error belongs to, for logs ("GET /1.0/instances"). */
  readonly method: string | null;
  readonly path: string | null;
  /** True when the client refused before sending anything. */
  readonly local: boolean;

  constructor(message: string, init: LxdErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.method = init.method ?? null;
    this.path = init.path ?? null;
    this.local = init.local ?? false;
  }

  /** The server's own text for `http` errors (the same as `message`). */
  get serverMessage(): string {
    return this.message;
  }

  /** True for an error envelope with this status (e.g. 404 "Instance not found"). */
  is(status: number): boolean {
    return this.kind === 'http' && this.status === status;
  }
}

export function isLxdError(err: unknown): err is LxdError {
  return err instanceof LxdError;
}

/** One socket path that was tried, and why it was not used. */
export interface SocketAttempt {
  path: string;
  /** Where the path came from: `--socket`, `LXD_SOCKET`, `LXD_DIR`, `default (lxd)`, ... */
  source: string;
  reason: string;
}

/** What was being looked for, for NoDaemonError's first line and an extra hint after the usual ones. */
export interface NoDaemonContext {
  /** The daemons whose sockets were tried (default both). */
  kinds?: readonly ('lxd' | 'incus')[];
  /** Who asked, e.g. `remote "local" (lxc's: the local LXD)`. */
  wanted?: string;
  hint?: string;
}

const kindName = { lxd: 'LXD', incus: 'Incus' } as const;

/** No local daemon answered. The message lists every path tried and how to point lxtop at one. */
export class NoDaemonError extends LxdError {
  override name = 'NoDaemonError';
  readonly attempts: SocketAttempt[];

  constructor(attempts: SocketAttempt[], context: NoDaemonContext = {}) {
    const lines = attempts.map((a) => `  ${a.path}  (${a.source}): ${a.reason}`);
    const kinds = context.kinds?.length === 1 ? kindName[context.kinds[0]] : 'LXD or Incus';
    super(
      [
        `No ${kinds} daemon found${context.wanted ? ` for ${context.wanted}` : ''}. Tried:`,
        ...(lines.length > 0 ? lines : ['  (no socket path to try)']),
        'Point lxtop at a daemon with --socket <path>, or set LXD_SOCKET / LXD_DIR (LXD) or',
        'INCUS_SOCKET / INCUS_DIR (Incus). Is the daemon running, and may this user open its socket?',
        ...(context.hint ? [context.hint] : []),
      ].join('\n'),
      { kind: 'network' },
    );
    this.attempts = attempts;
  }
}

// ---- reading any error ----------------------------------------------------------------------

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTCONN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_DESTROYED',
]);

function field(err: unknown, name: string): unknown {
  return err !== null && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined;
}

/** The message as the server (or the OS) wrote it. */
export function errorText(err: unknown): string {
  if (typeof err === 'string') return err;
  const message = field(err, 'message');
  if (typeof message === 'string' && message !== '') return message;
  const code = field(err, 'code');
  if (typeof code === 'string') return code;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}

/** The HTTP status of a server error response, whatever the error calls the field; null for network errors and bugs. */
export function httpStatus(err: unknown): number | null {
  for (const name of ['status', 'statusCode', 'errorCode', 'error_code', 'httpStatus', 'code']) {
    const v = field(err, name);
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  return null;
}

/**
 * A refusal of the client's certificate (or user): 401, 403, or Incus's 500 "User does not have
 * permissions for project …" for a project a restricted certificate may not use.
 */
export function isRefusal(err: unknown): boolean {
  const status = httpStatus(err);
  if (status === 401 || status === 403) return true;
  return status === 500 && /does not have permissions? for project/i.test(errorText(err));
}

/** True when the daemon could not be reached (socket gone, connection refused/reset, timeouts). */
export function isNetworkError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 4) return false;
  if (httpStatus(err) !== null) return false;
  // LxdError: kind 'network' | 'timeout' mean the daemon did not answer.
  const kind = field(err, 'kind');
  if (field(err, 'network') === true || kind === 'network' || kind === 'timeout') return true;
  const code = field(err, 'code');
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const name = field(err, 'name');
  if (typeof name === 'string' && /Network|Connection|Connect|Socket/.test(name)) return true;
  return isNetworkError(field(err, 'cause'), depth + 1);
}
