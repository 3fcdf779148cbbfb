// Finding the local daemon's unix socket. An explicit socket is the only one tried. Otherwise, when
// LXD_SOCKET / LXD_DIR / INCUS_SOCKET / INCUS_DIR are set only those are tried (the user said
// which daemon; silently falling back to another one would act on the wrong machine), else the
// packaged locations. Order: LXD's, then Incus's, unless a remote prefers Incus (incus's `local`);
// a remote the user named explicitly gets its own daemon's only. A path counts when it exists and
// answers `GET /1.0`. Every path tried goes into NoDaemonError, in order.
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { NoDaemonError, type SocketAttempt } from './errors.js';
import { describeNetError } from './transport.js';
import type { ServerKind } from './types.js';

export interface SocketCandidate {
  path: string;
  /** `--socket`, `LXD_SOCKET`, `LXD_DIR`, `INCUS_SOCKET`, `INCUS_DIR`, `default`. */
  source: string;
  /** Which daemon the path belongs to, when its source says. */
  server: ServerKind | null;
  /** What the daemon answered to the probe's `GET /1.0` (its metadata): the client needs not ask again. */
  answer?: unknown;
}

/** Where the packages put the socket (snap, deb/source for LXD; Incus packages). */
export const DEFAULT_SOCKETS: Record<ServerKind, string[]> = {
  lxd: ['/var/snap/lxd/common/lxd/unix.socket', '/var/lib/lxd/unix.socket'],
  incus: ['/run/incus/unix.socket', '/var/lib/incus/unix.socket'],
};

export interface FindSocketOptions {
  /** `--socket`: try this path only. */
  socket?: string;
  /** Where `socket` came from, for messages (default `--socket`). */
  socketSource?: string;
  /** Only this daemon's locations (a remote the user named that says `lxd` or `incus`). */
  server?: ServerKind;
  /** This daemon's locations first, then the other's (a default remote that says which). */
  prefer?: ServerKind;
  /** For NoDaemonError: who asked (`remote "local" (…)`) and a hint line. */
  wanted?: string;
  hint?: string;
  /** Environment to read (tests pass their own). */
  env?: Record<string, string | undefined>;
  /** Packaged locations (tests pass temp dirs). */
  defaults?: Record<ServerKind, string[]>;
  /** Per-path deadline for `GET /1.0`, ms. */
  probeTimeoutMs?: number;
}

function set(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

function searchOrder(opts: FindSocketOptions): ServerKind[] {
  if (opts.server) return [opts.server];
  return opts.prefer === 'incus' ? ['incus', 'lxd'] : ['lxd', 'incus'];
}

/** The paths `findSocket` would try, in order. */
export function socketCandidates(opts: FindSocketOptions = {}): SocketCandidate[] {
  if (set(opts.socket)) return [{ path: opts.socket, source: opts.socketSource ?? '--socket', server: opts.server ?? null }];
  const env = opts.env ?? process.env;
  const defaults = opts.defaults ?? DEFAULT_SOCKETS;
  const kinds = searchOrder(opts);
  const fromEnv: SocketCandidate[] = [];
  const packaged: SocketCandidate[] = [];
  for (const kind of kinds) {
    const prefix = kind === 'lxd' ? 'LXD' : 'INCUS';
    const sock = env[`${prefix}_SOCKET`];
    const dir = env[`${prefix}_DIR`];
    if (set(sock)) fromEnv.push({ path: sock, source: `${prefix}_SOCKET`, server: kind });
    if (set(dir)) fromEnv.push({ path: join(dir, 'unix.socket'), source: `${prefix}_DIR`, server: kind });
    for (const path of defaults[kind]) packaged.push({ path, source: `default (${kind})`, server: kind });
  }
  const chosen = fromEnv.length > 0 ? fromEnv : packaged;
  const seen = new Set<string>();
  return chosen.filter((c) => (seen.has(c.path) ? false : (seen.add(c.path), true)));
}

/**
 * Why `path` cannot be used, or null when a daemon answers `GET /1.0` on it (`answered` gets the
 * answer's metadata).
 */
export async function probeSocket(path: string, timeoutMs = 2_000, answered?: (metadata: unknown) => void): Promise<string | null> {
  try {
    if (!statSync(path).isSocket()) return 'not a socket';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : describeNetError(err);
  }
  return new Promise((resolve) => {
    // servername '': no TLS here, and Node would otherwise test the host name with its IPv6 regular
    // expression, whose first use costs ~15 ms of CPU (lxtop --once).
    const options = { socketPath: path, path: '/1.0', method: 'GET', timeout: timeoutMs, servername: '' };
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', (err) => resolve(describeNetError(err)));
      res.on('end', () => {
        try {
          const env = JSON.parse(text) as { type?: unknown; metadata?: unknown };
          if (typeof env.type !== 'string') return resolve('answered, but not like LXD or Incus');
          if (res.statusCode === 200 && env.type === 'sync') answered?.(env.metadata);
          resolve(null);
        } catch {
          resolve(`answered HTTP ${res.statusCode}, but not like LXD or Incus`);
        }
      });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(`no answer within ${timeoutMs / 1000} s`);
    });
    req.on('error', (err) => resolve(describeNetError(err)));
    req.end();
  });
}

/** The first candidate that answers, or NoDaemonError listing every path tried and why. */
export async function findSocket(opts: FindSocketOptions = {}): Promise<SocketCandidate> {
  const attempts: SocketAttempt[] = [];
  for (const candidate of socketCandidates(opts)) {
    let answer: unknown;
    const reason = await probeSocket(candidate.path, opts.probeTimeoutMs, (m) => (answer = m));
    if (reason === null) return answer === undefined ? candidate : { ...candidate, answer };
    attempts.push({ path: candidate.path, source: candidate.source, reason });
  }
  const kinds = set(opts.socket) ? undefined : searchOrder(opts);
  throw new NoDaemonError(attempts, { kinds, wanted: opts.wanted, hint: opts.hint });
}
