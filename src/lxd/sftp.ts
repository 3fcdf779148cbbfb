// The instance's SFTP server (`GET /1.0/instances/NAME/sftp`, upgraded to a raw SFTP v3 stream),
// what `incus file push` and `incus file pull` use. Through it the daemon only relays bytes: a
// `/files` GET or POST has the daemon itself talk SFTP to the instance and HTTP to the client (twice
// the daemon's work; measured: bench/README.md). Only what moving one file needs: open, read and
// write (many in flight), lstat, fsetstat, close.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { LxdError } from './errors.js';
import { localExchange } from './local-socket.js';
import { envelopeOf, requestOptions } from './http-stream.js';
import { fileChunks, RunWriter, streamChunks, Window, type LocalFile } from './sftp-io.js';
import { attrsOf, PacketReader, str, u32, u64, type PacketSink, type SftpAttrs } from './sftp-packets.js';
import type { Transport } from './transport.js';

const T = { INIT: 1, VERSION: 2, OPEN: 3, CLOSE: 4, READ: 5, WRITE: 6, LSTAT: 7, FSETSTAT: 10, STATUS: 101, HANDLE: 102, DATA: 103, ATTRS: 105 } as const;
const READ = 0x01;
const WRITE = 0x02;
const CREAT = 0x08;
const TRUNC = 0x10;
const ATTR_UIDGID = 0x2;
const ATTR_PERMISSIONS = 0x4;
const STATUS_EOF = 1;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/**
 * Bytes a WRITE carries: 255 KiB. The servers' SFTP library (pkg/sftp) drops the connection on a
 * packet over 256 KiB (seen: a 256 KiB write reset it), so a little under, for the packet's header.
 * `incus file push` sends 128 KiB. Half as many packets: a 100 MB push, whole command, took
 * 404-433 ms against 488-657 ms at 128 KiB (`incus file push`: 404-515 ms), six rounds alternating.
 */
const CHUNK = 255 * 1024;
/** Writes in flight at once: 32 of 255 KiB (8 MB); 64 was no faster (417-521 ms, same rounds). */
const WINDOW = 32;
/** Bytes a READ asks for: the servers answer at most 32 KiB a read, whatever is asked. */
const READ_CHUNK = 32 * 1024;
/** Reads in flight at once (1 MiB). */
const READ_WINDOW = 32;

type Reply = { type: number; body: Buffer };

export type { LocalFile, SftpAttrs };

/** Opens the upgraded connection; rejects when the server does not upgrade (the caller uses /files). */
export function openSftp(transport: Transport, path: string): Promise<Sftp> {
  const e = transport.endpoint;
  if (e.kind === 'unix' && !e.tunnel) return openLocal(e.socket, path);
  const { mod, opts } = requestOptions(transport, { method: 'GET', path, headers: { upgrade: 'sftp', connection: 'Upgrade' } });
  return new Promise((resolve, reject) => {
    const req = mod.request(opts);
    req.on('upgrade', (_res: IncomingMessage, socket: Socket, head: Buffer) => {
      const s = new Sftp(socket, head, false);
      s.init().then(() => resolve(s), reject);
    });
    req.on('response', (res: IncomingMessage) => {
      envelopeOf(res, 'GET', path).then(() => reject(new LxdError(`GET ${path}: no SFTP upgrade (HTTP ${res.statusCode})`, { kind: 'protocol' })), reject);
    });
    req.on('error', (err) => reject(new LxdError(`GET ${path} on ${transport.describe()}: ${transport.explain(err)}`, { kind: 'network', cause: err })));
    req.end();
  });
}

/**
 * The same upgrade on a local unix socket, written by hand, the socket then read into one reused
 * buffer (local-socket.ts): a pull writes the DATA replies from it straight to the file. Through
 * Node's stream machinery every read is a new buffer, put together again per packet: a 100 MB pull
 * took 560-730 ms that way against 380-460 ms so (prototype, LXD 5.0, 32 reads in flight).
 */
function openLocal(socketPath: string, path: string): Promise<Sftp> {
  return new Promise((resolve, reject) => {
    let sftp: Sftp | null = null;
    const sock = localExchange(socketPath, `GET ${path} HTTP/1.1\r\nHost: lxd\r\nUpgrade: sftp\r\nConnection: Upgrade\r\n\r\n`, (head) => {
      if (!/^HTTP\/1\.[01] 101 /.test(head.status)) {
        reject(new LxdError(`GET ${path}: no SFTP upgrade (${head.status})`, { kind: 'protocol' }));
        return null;
      }
      const s = new Sftp(sock, head.rest, true);
      sftp = s;
      s.init().then(() => resolve(s), reject);
      return (chunk) => s.take(chunk);
    });
    sock.on('error', (err) => {
      if (!sftp) reject(new LxdError(`GET ${path} on ${socketPath}: ${err.message}`, { kind: 'network', cause: err }));
    });
    // Closed before the upgrade without an error (the daemon went away): said, not waited for forever.
    sock.on('close', () => {
      if (!sftp) reject(new LxdError(`GET ${path} on ${socketPath}: the connection closed before the SFTP upgrade`, { kind: 'network' }));
    });
  });
}

export class Sftp implements PacketSink {
  private readonly reader = new PacketReader(this);
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply | null) => void>();
  /** READs whose DATA is streamed to `sink`: where in the file it goes, and how much came. */
  private readonly reads = new Map<number, { at: number; got: number }>();
  private sink: RunWriter | null = null;
  private version: ((err: Error | null) => void) | null = null;
  private failed: Error | null = null;

  /** `fed`: the caller hands over what the socket reads (`take`), else its data events are read. */
  constructor(
    private readonly socket: Socket,
    head: Buffer,
    fed: boolean,
  ) {
    if (!fed) socket.on('data', (d: Buffer) => this.take(d));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new LxdError('the SFTP connection closed', { kind: 'network' })));
    if (head.length) this.take(head);
  }

  private fail(err: Error): void {
    this.failed ??= err;
    this.version?.(this.failed);
    this.version = null;
    for (const w of this.waiting.values()) w(null);
    this.waiting.clear();
  }

  /** Bytes off the socket (reused by the caller once this returns: what is kept is copied or written). */
  take(chunk: Buffer): void {
    try {
      this.reader.take(chunk);
      this.sink?.flush();
    } catch (err) {
      this.fail(err as Error); // a bad packet, or the local file refused a write
      this.socket.destroy();
    }
  }

  packet(type: number, body: Buffer): void {
    if (type === T.VERSION) {
      this.version?.(null);
      this.version = null;
      return;
    }
    if (body.length < 4) throw new LxdError(`a short SFTP packet (type ${type})`, { kind: 'protocol' });
    const id = body.readUInt32BE(0);
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    this.reads.delete(id);
    w?.({ type, body: body.subarray(4) });
  }

  streams(id: number): boolean {
    return this.reads.has(id);
  }

  data(id: number, piece: Buffer, last: boolean): void {
    const r = this.reads.get(id);
    if (!r || !this.sink) return;
    this.sink.write(piece, r.at + r.got);
    r.got += piece.length;
    if (!last) return;
    this.reads.delete(id);
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    w?.({ type: T.DATA, body: u32(r.got) }); // the bytes went to the sink: their count
  }

  /** Sends a request; `readAt`: a READ whose DATA is streamed to the sink at that file offset. */
  private send(type: number, parts: Buffer[], readAt?: number): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const head = Buffer.alloc(9);
    head.writeUInt32BE(5 + parts.reduce((n, p) => n + p.length, 0), 0);
    head[4] = type;
    head.writeUInt32BE(id, 5);
    const done = new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, (r) => (r === null ? reject(this.failed) : resolve(r)));
    });
    if (readAt !== undefined) this.reads.set(id, { at: readAt, got: 0 });
    this.socket.cork();
    this.socket.write(head);
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
    return done;
  }

  init(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.version = (err) => (err ? reject(err) : resolve());
      const b = Buffer.alloc(9);
      b.writeUInt32BE(5, 0);
      b[4] = T.INIT;
      b.writeUInt32BE(3, 5);
      this.socket.write(b);
    });
  }

  /** A STATUS reply that is not OK, as an error with the server's text. */
  private check(r: Reply, what: string): void {
    if (r.type !== T.STATUS) return;
    const code = r.body.readUInt32BE(0);
    if (code === 0) return;
    const msg = r.body.subarray(8, 8 + r.body.readUInt32BE(4)).toString('utf8');
    throw new LxdError(`${what}: ${msg || `SFTP status ${code}`}`, { kind: 'http', status: code === 2 ? 404 : code === 3 ? 403 : 500 });
  }

  /** Opens `path`; the handle the server gave. */
  private async openHandle(path: string, flags: number): Promise<Buffer> {
    const r = await this.send(T.OPEN, [str(Buffer.from(path)), u32(flags), u32(0)]);
    this.check(r, path);
    if (r.type !== T.HANDLE) throw new LxdError(`${path}: unexpected SFTP reply ${r.type}`, { kind: 'protocol' });
    return r.body.subarray(4, 4 + r.body.readUInt32BE(0));
  }

  /** What `path` is (a link itself, not what it points to). */
  async lstat(path: string): Promise<SftpAttrs> {
    const r = await this.send(T.LSTAT, [str(Buffer.from(path))]);
    this.check(r, path);
    if (r.type !== T.ATTRS) throw new LxdError(`${path}: unexpected SFTP reply ${r.type}`, { kind: 'protocol' });
    return attrsOf(r.body);
  }

  /**
   * The regular file at `path` into the local file `fd` (opened for writing, empty), many reads in
   * flight, each written where it belongs as it arrives. Anything but a regular file, or a refusal
   * to open it, is an error marked `beforeData`: nothing was written, the caller may ask another way
   * (and get the server's words). `onBytes` gets the bytes so far, once a socket read.
   */
  async pull(path: string, fd: number, onBytes?: (bytes: number) => void): Promise<{ attrs: SftpAttrs; bytes: number }> {
    let attrs: SftpAttrs;
    let handle: Buffer;
    try {
      attrs = await this.lstat(path);
      if (attrs.mode === null || (attrs.mode & S_IFMT) !== S_IFREG) throw new LxdError(`${path}: not a regular file`, { kind: 'protocol' });
      handle = await this.openHandle(path, READ);
    } catch (err) {
      throw Object.assign(err as Error, { beforeData: true });
    }
    const sink = new RunWriter(fd, onBytes);
    this.sink = sink;
    try {
      const window = new Window();
      const handleStr = str(handle);
      let next = 0;
      let eof = false;
      // What a short read left out, asked again (the servers answer a full 32 KiB until the end).
      const rest: Array<[number, number]> = [];
      for (;;) {
        while (window.inflight < READ_WINDOW && !window.failed) {
          let ask = rest.pop();
          if (!ask) {
            if (eof) break;
            ask = [next, READ_CHUNK];
            next += READ_CHUNK;
          }
          const [at, len] = ask;
          window.start(
            this.send(T.READ, [handleStr, u64(at), u32(len)], at).then((r) => {
              if (r.type === T.STATUS && r.body.readUInt32BE(0) === STATUS_EOF) return void (eof = true);
              this.check(r, path);
              const got = r.type === T.DATA ? r.body.readUInt32BE(0) : 0;
              if (got === 0) eof = true;
              else if (got < len) rest.push([at + got, len - got]);
            }),
          );
        }
        if (window.inflight === 0) break;
        await window.slot();
      }
      if (window.failed) throw window.failed;
      sink.flush();
      return { attrs, bytes: sink.bytes };
    } finally {
      this.sink = null;
      await this.send(T.CLOSE, [str(handle)]).catch(() => undefined);
    }
  }

  /**
   * `from` into the file at `path` (created or truncated), many writes in flight, then its owner
   * and mode. A refusal to open it is marked `beforeData`: nothing of `from` was read, the caller
   * may send it another way (and get the server's words for the refusal).
   */
  async push(path: string, from: Readable | LocalFile, attrs: { uid?: number; gid?: number; mode?: number }): Promise<void> {
    let handle: Buffer;
    try {
      handle = await this.openHandle(path, WRITE | CREAT | TRUNC);
    } catch (err) {
      throw Object.assign(err as Error, { beforeData: true });
    }
    try {
      const window = new Window();
      const handleStr = str(handle);
      let offset = 0;
      const chunks = 'file' in from ? fileChunks(from.file, CHUNK) : streamChunks(from, CHUNK);
      for await (const { bytes, release } of chunks) {
        window.start(
          this.send(T.WRITE, [handleStr, u64(offset), u32(bytes.length), bytes]).then((r) => this.check(r, path)),
          release,
        );
        offset += bytes.length;
        while (window.inflight >= WINDOW && !window.failed) await window.slot();
        if (window.failed) throw window.failed;
      }
      while (window.inflight > 0) await window.slot();
      if (window.failed) throw window.failed;
      // One attribute a request: the servers' SFTP library (pkg/sftp as LXD 5.0 and Incus 6 ship
      // it) reads a SETSTAT's permissions before its uid and gid, against the protocol's order, so
      // both in one request swap them (seen: mode 1000, uid 1001, gid 416 for 1000:1001 0640).
      if (attrs.uid !== undefined || attrs.gid !== undefined) {
        this.check(await this.send(T.FSETSTAT, [str(handle), u32(ATTR_UIDGID), u32(attrs.uid ?? 0), u32(attrs.gid ?? 0)]), path);
      }
      if (attrs.mode !== undefined) this.check(await this.send(T.FSETSTAT, [str(handle), u32(ATTR_PERMISSIONS), u32(attrs.mode)]), path);
    } finally {
      await this.send(T.CLOSE, [str(handle)]).catch(() => undefined);
    }
  }

  end(): void {
    this.socket.destroy();
  }
}

