// How the controller reads errors from the client without knowing its classes: the server's text
// verbatim, the HTTP status when there is one, and whether the daemon was unreachable.

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

/** The HTTP status of a server error response, or null (network errors, bugs). */
export function httpStatus(err: unknown): number | null {
  for (const name of ['status', 'statusCode', 'errorCode', 'error_code', 'httpStatus']) {
    const v = field(err, name);
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  return null;
}

/** True when the daemon could not be reached (socket gone, connection refused/reset, timeouts). */
export function isNetworkError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 4) return false;
  if (httpStatus(err) !== null) return false;
  // LxdError (src/lxd/errors.ts): kind 'network' | 'timeout' mean the daemon did not answer.
  const kind = field(err, 'kind');
  if (field(err, 'network') === true || kind === 'network' || kind === 'timeout') return true;
  const code = field(err, 'code');
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const name = field(err, 'name');
  if (typeof name === 'string' && /Network|Connection|Connect|Socket/.test(name)) return true;
  return isNetworkError(field(err, 'cause'), depth + 1);
}

/** Runs `fn` over `items`, at most `limit` at a time; never rejects (fn must catch its own errors). */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch {
        // fn reports its own errors
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
