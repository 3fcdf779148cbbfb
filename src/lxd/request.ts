// The one path every REST call takes: send, then read the LXD envelope. The envelope's `type`
// decides, not the HTTP status: Incus answers `/wait` with HTTP 200 and an error body. Anything
// that is not a well-formed envelope becomes an LxdError, never an exception of another kind.
import { LxdError } from './errors.js';
import type { RawResponse, RequestOptions, Transport } from './transport.js';

export interface LxdResponse<T = unknown> {
  type: 'sync' | 'async';
  /** HTTP status. */
  status: number;
  metadata: T;
  /** `ETag` header: send it back as `If-Match` to refuse a concurrent edit. */
  etag: string | null;
  /** async: `/1.0/operations/<uuid>`. */
  operation: string | null;
}

export interface CallOptions extends RequestOptions {
  /** Sent as `If-Match`: the server refuses the change if the resource changed since. */
  ifMatch?: string | null;
}

/** A short, readable excerpt of a body that is not JSON (HTML tags dropped). */
function excerpt(text: string): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 160 ? `${plain.slice(0, 160)}…` : plain;
}

function header(raw: RawResponse, name: string): string | null {
  const v = raw.headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

/** Turns a raw answer into a sync/async response, or throws LxdError (`http` or `protocol`). */
export function parseResponse<T = unknown>(raw: RawResponse, method: string, path: string): LxdResponse<T> {
  const where = `${method} ${path}`;
  const protocol = (what: string) =>
    new LxdError(`${where}: ${what} (HTTP ${raw.status})`, { kind: 'protocol', status: raw.status, method, path });

  if (raw.text.trim() === '') throw protocol('empty answer');
  let env: unknown;
  try {
    env = JSON.parse(raw.text);
  } catch {
    const looksJson = /^\s*[[{]/.test(raw.text);
    throw protocol(
      looksJson
        ? `the answer was cut short or is not valid JSON (${raw.text.length} bytes)`
        : `the answer is not JSON: ${excerpt(raw.text) || '(no text)'}`,
    );
  }
  if (env === null || typeof env !== 'object' || Array.isArray(env)) throw protocol('the answer is not an LXD envelope');
  const e = env as Record<string, unknown>;

  if (e.type === 'error') {
    const code = typeof e.error_code === 'number' && e.error_code > 0 ? e.error_code : raw.status;
    const text = typeof e.error === 'string' && e.error !== '' ? e.error : `HTTP ${raw.status} error without a message`;
    throw new LxdError(text, { kind: 'http', status: code, method, path });
  }
  if (e.type !== 'sync' && e.type !== 'async') {
    throw protocol(`the answer is not an LXD envelope (type ${JSON.stringify(e.type ?? null)})`);
  }
  if (raw.status >= 400) throw protocol(`a ${e.type} answer with an error status`);
  return {
    type: e.type,
    status: raw.status,
    metadata: (e.metadata ?? null) as T,
    etag: header(raw, 'etag'),
    operation: typeof e.operation === 'string' && e.operation !== '' ? e.operation : header(raw, 'location'),
  };
}

/** Sends one request and returns the parsed envelope. */
export async function call<T = unknown>(
  transport: Transport,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<LxdResponse<T>> {
  const { ifMatch, ...rest } = opts;
  const headers = { ...rest.headers };
  if (ifMatch) headers['if-match'] = ifMatch;
  const raw = await transport.request(method, path, { ...rest, headers });
  return parseResponse<T>(raw, method, path);
}
