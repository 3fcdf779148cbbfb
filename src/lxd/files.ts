// An instance's files (`/1.0/instances/NAME/files?path=…`, as `lxc file` uses them). A directory
// answers a JSON list of names; a file answers its bytes, a symlink its target, with the type, mode,
// owner and time in headers (`X-LXD-*` from LXD, `X-Incus-*` from Incus); HEAD gives the headers
// alone (extension `instance_file_head`; Incus adds Content-Length, LXD 5.0 does not). POST writes
// a file (the body, whole), DELETE removes one (`file_delete`). Transfers are streamed both ways
// (http-stream.ts); a push, and a pull into a local file, go through the instance's SFTP server
// instead when it answers (sftp.ts), this endpoint saying why when that cannot start. The body is
// sent as application/octet-stream: Incus reads a form-encoded body (curl's default type) as a form
// and writes an empty file.
import { createReadStream, createWriteStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { isLxdError, LxdError } from './errors.js';
import { envelopeOf, readText, streamRequest } from './http-stream.js';
import { openSftp, type LocalFile, type Sftp } from './sftp.js';
import { rawDownload } from './stream.js';
import type { Transport } from './transport.js';

export interface FileInfo {
  /** `file`, `directory`, `symlink` (what the server says). */
  type: string;
  /** Permission bits (0o644), null when not said. */
  mode: number | null;
  uid: number | null;
  gid: number | null;
  /** Bytes, when the answer says (Incus's HEAD, any GET of a file). */
  size: number | null;
  /** The server's modification time text. */
  modified: string | null;
}

export interface PushOptions {
  mode?: number;
  uid?: number;
  gid?: number;
  signal?: AbortSignal;
}

/** One instance's files. Every failure is an LxdError whose text names the path and quotes the server. */
export interface InstanceFiles {
  /** The names in a directory (sorted as the server sends them). */
  list(path: string): Promise<string[]>;
  stat(path: string): Promise<FileInfo>;
  /** Streams a file into `to` (a function: made once the server answered with a file); `progress` gets the bytes so far. */
  pull(path: string, to: Writable | (() => Writable), opts?: { signal?: AbortSignal; progress?: (bytes: number) => void }): Promise<FileInfo & { bytes: number }>;
  /**
   * Pulls a file into the local file `local` (created or truncated): on a local unix socket read
   * straight off the socket into the file (stream.ts rawDownload), else as `pull` does.
   */
  pullFile?(path: string, local: string, opts?: { signal?: AbortSignal; progress?: (bytes: number) => void }): Promise<FileInfo & { bytes: number }>;
  /** A file's bytes, whole (for editing: refused past `limit` bytes). */
  read(path: string, limit: number): Promise<{ data: Buffer; info: FileInfo }>;
  /** A symbolic link's target, as stored (relative or absolute). */
  readlink(path: string): Promise<string>;
  /** Streams `from` (a stream, or a local file by name) into the file at `path` (created or replaced). */
  push(path: string, from: Readable | LocalFile, opts?: PushOptions): Promise<void>;
  remove(path: string): Promise<void>;
}

/** Where the instance's files are and what the server can do: from the client (client.ts). */
export interface FilesBase {
  transport: Transport;
  /** `/1.0/instances/NAME/files` (or `/1.0/containers/…`). */
  path(): Promise<string>;
  /** `&project=…` or ''. */
  query(): Promise<string>;
  /** The server answers HEAD (`instance_file_head`). */
  head(): Promise<boolean>;
  /** For messages: the instance's name. */
  name: string;
  /** `/1.0/instances/NAME/sftp…`: where pushes go when the server upgrades it (null: /files only). */
  sftpPath?(): Promise<string | null>;
}

type Headers = IncomingMessage['headers'];

function header(res: { headers: Headers }, what: string): string | null {
  const v = res.headers[`x-lxd-${what}`] ?? res.headers[`x-incus-${what}`];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

function num(text: string | null, radix = 10): number | null {
  if (text === null || text === '') return null;
  const n = parseInt(text, radix);
  return Number.isFinite(n) ? n : null;
}

export function infoOf(res: { headers: Headers }): FileInfo {
  const type = header(res, 'type') ?? 'file';
  const length = res.headers['content-length'];
  return {
    type,
    mode: num(header(res, 'mode'), 8),
    uid: num(header(res, 'uid')),
    gid: num(header(res, 'gid')),
    // A directory's length is its JSON list's; a symlink's its target's.
    size: type === 'file' && length !== undefined ? num(String(length)) : null,
    modified: header(res, 'modified'),
  };
}

/** `c1:/etc/x: Not Found (no such file or directory)`: the path, and the server's words. */
function named(base: FilesBase, path: string, err: unknown): unknown {
  if (!isLxdError(err) || err.local) return err; // ours already name the path
  const plain =
    err.kind === 'http' && err.status === 404 && /^not found$/i.test(err.message)
      ? `${err.message} (no such file or directory)`
      : err.kind === 'http' && err.status === 403 && err.method === 'POST' && /^forbidden$/i.test(err.message)
        ? `${err.message} (the server refused to write there)`
        : err.message;
  return new LxdError(`${base.name}:${path}: ${plain}`, { kind: err.kind, status: err.status, method: err.method ?? undefined, path: err.path ?? undefined, cause: err });
}

export function instanceFiles(base: FilesBase): InstanceFiles {
  const url = async (path: string) => `${await base.path()}?path=${encodeURIComponent(path)}${await base.query()}`;

  /** The answer to a GET or HEAD of `path`, refused answers thrown as the server's error. */
  async function open(method: 'GET' | 'HEAD', path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const at = await url(path);
    const res = await streamRequest(base.transport, { method, path: at, signal });
    if ((res.statusCode ?? 0) < 400) return res;
    // A refused HEAD has no body: the GET says why in the server's words.
    if (method === 'HEAD') {
      res.resume();
      return open('GET', path, signal);
    }
    await envelopeOf(res, method, at); // throws the server's error
    throw new LxdError(`${method} ${at}: HTTP ${res.statusCode}`, { kind: 'http', status: res.statusCode ?? null });
  }

  /** A pulled path that is not a file: a directory, or a symlink (its target said). */
  async function notAFile(path: string, res: IncomingMessage, info: FileInfo): Promise<never> {
    const text = await readText(res);
    const what = info.type === 'directory' ? 'is a directory' : info.type === 'symlink' ? `is a symbolic link to ${text}` : `is a ${info.type}, not a file`;
    throw new LxdError(`${base.name}:${path}: ${what}`, { kind: 'protocol', local: true });
  }

  const guard = <A extends unknown[], R>(run: (path: string, ...rest: A) => Promise<R>) =>
    async (path: string, ...rest: A): Promise<R> => {
      try {
        return await run(path, ...rest);
      } catch (err) {
        throw named(base, path, err);
      }
    };

  const pull = async (path: string, to: Writable | (() => Writable), opts: { signal?: AbortSignal; progress?: (bytes: number) => void } = {}) => {
    const res = await open('GET', path, opts.signal);
    const info = infoOf(res);
    if (info.type !== 'file') return notAFile(path, res, info);
    let bytes = 0;
    res.on('data', (c: Buffer) => {
      bytes += c.length;
      opts.progress?.(bytes);
    });
    await pipeline(res, typeof to === 'function' ? to() : to, { signal: opts.signal });
    if (!res.complete) throw new LxdError('the connection closed before the file was complete', { kind: 'network' });
    return { ...info, bytes };
  };

  return {
    list: guard(async (path) => {
      const res = await open('GET', path);
      const info = infoOf(res);
      if (info.type !== 'directory') {
        res.resume();
        throw new LxdError(`${base.name}:${path}: not a directory (${info.type})`, { kind: 'protocol', local: true });
      }
      const names = await envelopeOf<unknown>(res, 'GET', path);
      return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
    }),
    stat: guard(async (path) => {
      const res = await open((await base.head()) ? 'HEAD' : 'GET', path);
      res.destroy(); // the headers are all we want
      return infoOf(res);
    }),
    pull: guard(pull),
    pullFile: guard(async (path, local: string, opts: { signal?: AbortSignal; progress?: (bytes: number) => void } = {}) => {
      const sftp = await pullSftp(base, path, local, opts);
      if (sftp) return sftp;
      const e = base.transport.endpoint;
      if (e.kind === 'unix' && !e.tunnel) {
        // Node's HTTP parser hands a body over 64 KiB at a time; this reads 4 MiB a read. Anything
        // but a plain file answer (a directory, a link, an error) is asked again below.
        const handle = await openFile(local, 'w');
        try {
          const raw = await rawDownload(e.socket, await url(path), handle, { signal: opts.signal, onBytes: (b) => opts.progress?.(b) }, (h) => (h['x-lxd-type'] ?? h['x-incus-type'] ?? 'file') === 'file');
          if (raw) return { ...infoOf({ headers: raw.headers }), bytes: raw.bytes };
        } finally {
          await handle.close();
        }
      }
      return pull(path, () => createWriteStream(local, { highWaterMark: 1 << 20 }), opts);
    }),
    read: guard(async (path, limit: number) => {
      const res = await open('GET', path);
      const info = infoOf(res);
      if (info.type !== 'file') return notAFile(path, res, info);
      if (info.size !== null && info.size > limit) {
        res.destroy();
        throw new LxdError(`${base.name}:${path}: ${info.size} bytes, more than the ${limit} bytes edited here`, { kind: 'protocol', local: true });
      }
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return { data: Buffer.concat(chunks), info };
    }),
    readlink: guard(async (path) => {
      const res = await open('GET', path);
      const info = infoOf(res);
      const text = await readText(res);
      if (info.type !== 'symlink') throw new LxdError(`${base.name}:${path}: not a symbolic link (${info.type})`, { kind: 'protocol', local: true });
      return text;
    }),
    push: guard(async (path, from: Readable | LocalFile, opts: PushOptions = {}) => {
      const sent = await viaSftp(base, path, opts.signal, async (s) => {
        await s.push(path, from, { mode: opts.mode, uid: opts.uid, gid: opts.gid });
        return true;
      });
      if (sent) return;
      const at = await url(path);
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      // Both names: LXD reads X-LXD-*, Incus X-Incus-* (and, today, X-LXD-* too).
      const meta: Record<string, string | undefined> = {
        type: 'file',
        write: 'overwrite',
        mode: opts.mode === undefined ? undefined : (opts.mode & 0o7777).toString(8).padStart(4, '0'),
        uid: opts.uid?.toString(),
        gid: opts.gid?.toString(),
      };
      for (const [k, v] of Object.entries(meta)) {
        if (v === undefined) continue;
        headers[`x-lxd-${k}`] = v;
        headers[`x-incus-${k}`] = v;
      }
      const body = 'file' in from ? createReadStream(from.file, { highWaterMark: 1 << 20 }) : from;
      const res = await streamRequest(base.transport, { method: 'POST', path: at, headers, body, signal: opts.signal });
      await envelopeOf(res, 'POST', at);
    }),
    remove: guard(async (path) => {
      const at = await url(path);
      const res = await streamRequest(base.transport, { method: 'DELETE', path: at });
      await envelopeOf(res, 'DELETE', at);
    }),
  };
}

/**
 * `run` over the instance's SFTP connection, closed after it (and at `signal`). Null when the
 * server has none, or when `run` was refused before any data moved (a missing directory, a path
 * that is not a regular file, a file that may not be written: marked `beforeData`): /files then
 * answers, and says why in the server's words. A failure once data moved is what it is.
 */
async function viaSftp<T>(base: FilesBase, path: string, signal: AbortSignal | undefined, run: (s: Sftp) => Promise<T>): Promise<T | null> {
  const at = (await base.sftpPath?.()) ?? null;
  const s = at === null ? null : await openSftp(base.transport, at).catch(() => null);
  if (!s) return null;
  const stop = () => s.end();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await run(s);
  } catch (err) {
    if (signal?.aborted) throw new LxdError(`${base.name}:${path}: cancelled`, { kind: 'network', local: true });
    if ((err as { beforeData?: boolean }).beforeData) return null;
    throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
    s.end();
  }
}

/**
 * A pull through the instance's SFTP server: 32 reads in flight, each written to the file as it
 * arrives. A 100 MB pull took 0.63-0.75 s so against 0.85-1.00 s for `lxc file pull` (LXD 5.0, whose
 * /files GET lxtop had read at the daemon's 130-150 MB/s; bench/README.md).
 */
function pullSftp(base: FilesBase, path: string, local: string, opts: { signal?: AbortSignal; progress?: (bytes: number) => void }): Promise<(FileInfo & { bytes: number }) | null> {
  return viaSftp(base, path, opts.signal, async (s) => {
    const handle = await openFile(local, 'w');
    try {
      const { attrs, bytes } = await s.pull(path, handle.fd, opts.progress);
      const info: FileInfo = {
        type: 'file',
        mode: attrs.mode === null ? null : attrs.mode & 0o7777,
        uid: attrs.uid,
        gid: attrs.gid,
        size: attrs.size,
        modified: attrs.mtime === null ? null : new Date(attrs.mtime * 1000).toUTCString(),
      };
      return { ...info, bytes };
    } finally {
      await handle.close();
    }
  });
}

/** `/a/b/` + `c` → `/a/b/c`; `..` and `.` resolved; always absolute. */
export function joinPath(dir: string, name: string): string {
  const parts: string[] = [];
  for (const p of `${name.startsWith('/') ? '' : dir}/${name}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** The directory above `path` (`/` stays `/`). */
export function parentPath(path: string): string {
  return joinPath(path, '..');
}
