// SFTP v3 packets out of a byte stream cut anywhere (uint32 length, type byte, body). A DATA reply
// the caller streams (a pull's READ) is handed over piece by piece as its bytes arrive, never put
// together: a pull then writes the socket's read buffer straight to the file.

/** SSH_FXP_DATA: a READ's bytes (uint32 id, string data). */
const DATA = 103;
/** What a streamed DATA needs before its bytes: length, type, id, data length. */
const DATA_HEAD = 13;

export interface PacketSink {
  /** A whole packet: its type, and its body (after the type byte). */
  packet(type: number, body: Buffer): void;
  /** Whether the DATA reply to request `id` is to be streamed to `data`. */
  streams(id: number): boolean;
  /** A piece of a streamed DATA reply; `last` on its final piece (a reply of 0 bytes has one, empty). */
  data(id: number, piece: Buffer, last: boolean): void;
}

export class PacketReader {
  /** The start of a packet not complete yet. */
  private pending: Buffer = Buffer.alloc(0);
  /** The streamed DATA reply under way: its request, and the bytes still to come. */
  private streaming: { id: number; left: number } | null = null;

  constructor(private readonly sink: PacketSink) {}

  /** Takes bytes as they came off the socket; `chunk` may be reused once this returns. */
  take(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const s = this.streaming;
      if (s) {
        const n = Math.min(s.left, chunk.length - at);
        s.left -= n;
        if (s.left === 0) this.streaming = null;
        this.sink.data(s.id, chunk.subarray(at, at + n), s.left === 0);
        at += n;
        continue;
      }
      const want = this.wanted();
      if (this.pending.length < want) {
        const n = Math.min(want - this.pending.length, chunk.length - at);
        this.pending = Buffer.concat([this.pending, chunk.subarray(at, at + n)]);
        at += n;
        continue;
      }
      this.complete();
    }
    if (this.pending.length >= this.wanted()) this.complete();
  }

  /** Bytes of the pending packet to hold before acting on it. */
  private wanted(): number {
    const p = this.pending;
    if (p.length < 5) return 5;
    if (p[4] === DATA && p.length >= 9 && this.sink.streams(p.readUInt32BE(5))) return DATA_HEAD;
    if (p[4] === DATA && p.length < 9) return 9;
    return 4 + p.readUInt32BE(0);
  }

  /** The pending bytes are all `wanted` asks: a whole packet, or a streamed DATA's head. */
  private complete(): void {
    const p = this.pending;
    this.pending = Buffer.alloc(0);
    if (p[4] === DATA && p.length === DATA_HEAD && this.sink.streams(p.readUInt32BE(5))) {
      const id = p.readUInt32BE(5);
      const left = p.readUInt32BE(9);
      if (left === 0) this.sink.data(id, Buffer.alloc(0), true);
      else this.streaming = { id, left };
      return;
    }
    this.sink.packet(p[4], p.subarray(5));
  }
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n), 0);
  return b;
}

/** An SFTP string: its length, then its bytes. */
export function str(b: Buffer): Buffer {
  return Buffer.concat([u32(b.length), b]);
}

const ATTR_SIZE = 0x1;
const ATTR_UIDGID = 0x2;
const ATTR_PERMISSIONS = 0x4;
const ATTR_ACMODTIME = 0x8;

/** What an ATTRS reply says of a file. */
export interface SftpAttrs {
  size: number | null;
  uid: number | null;
  gid: number | null;
  /** Type and permission bits, as stat's st_mode. */
  mode: number | null;
  /** Seconds since the epoch. */
  mtime: number | null;
}

/** An ATTRS reply's body (after the request id): flags, then the fields they name, in order. */
export function attrsOf(body: Buffer): SftpAttrs {
  const flags = body.readUInt32BE(0);
  let at = 4;
  const a: SftpAttrs = { size: null, uid: null, gid: null, mode: null, mtime: null };
  if (flags & ATTR_SIZE) {
    a.size = Number(body.readBigUInt64BE(at));
    at += 8;
  }
  if (flags & ATTR_UIDGID) {
    a.uid = body.readUInt32BE(at);
    a.gid = body.readUInt32BE(at + 4);
    at += 8;
  }
  if (flags & ATTR_PERMISSIONS) {
    a.mode = body.readUInt32BE(at);
    at += 4;
  }
  if (flags & ATTR_ACMODTIME) a.mtime = body.readUInt32BE(at + 4);
  return a;
}
