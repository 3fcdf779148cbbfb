// The SFTP packet reader (src/lxd/sftp-packets.ts) on a byte stream cut anywhere: whole packets come
// out whole, a streamed DATA reply comes out as pieces that add up to its bytes (and nothing of it
// is held), replies not streamed come out whole; and the pull's writer (src/lxd/sftp-io.ts) puts
// pieces that arrive out of order where they belong.
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { attrsOf, PacketReader, str, u32, u64 } from '../../../src/lxd/sftp-packets.js';
import { RunWriter } from '../../../src/lxd/sftp-io.js';

function packet(type: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(1 + body.length), Buffer.from([type]), body]);
}

/** What the reader hands over, in order. */
function read(stream: Buffer, cuts: number[], streamed: Set<number>) {
  const out: string[] = [];
  const data = new Map<number, Buffer[]>();
  const reader = new PacketReader({
    packet: (type, body) => out.push(`packet ${type} ${body.toString('hex')}`),
    streams: (id) => streamed.has(id),
    data: (id, piece, last) => {
      // A copy: the reader's caller reuses its buffer.
      data.set(id, [...(data.get(id) ?? []), Buffer.from(piece)]);
      if (last) out.push(`data ${id} ${Buffer.concat(data.get(id)!).toString('hex')}`);
    },
  });
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    const chunk = Buffer.from(stream.subarray(at, cut));
    reader.take(chunk);
    chunk.fill(0xee); // reused, as net's onread buffer is
    at = cut;
  }
  return out;
}

const payload = randomBytes(70_000);
const stream = Buffer.concat([
  packet(2, u32(3)), // VERSION: 9 bytes, shorter than a DATA head
  packet(102, u32(1), str(Buffer.from('h1'))), // HANDLE
  packet(103, u32(2), str(payload)), // DATA, streamed
  packet(103, u32(3), str(Buffer.from('small'))), // DATA, not streamed
  packet(103, u32(4), str(Buffer.alloc(0))), // DATA of nothing, streamed
  packet(101, u32(5), u32(1), str(Buffer.from('EOF')), str(Buffer.alloc(0))), // STATUS
]);
const want = [
  `packet 2 ${u32(3).toString('hex')}`,
  `packet 102 ${Buffer.concat([u32(1), str(Buffer.from('h1'))]).toString('hex')}`,
  `data 2 ${payload.toString('hex')}`,
  `packet 103 ${Buffer.concat([u32(3), str(Buffer.from('small'))]).toString('hex')}`,
  'data 4 ',
  `packet 101 ${Buffer.concat([u32(5), u32(1), str(Buffer.from('EOF')), str(Buffer.alloc(0))]).toString('hex')}`,
];

describe('PacketReader', () => {
  it('one chunk: every packet, the streamed DATA as its bytes', () => {
    expect(read(stream, [], new Set([2, 4]))).toEqual(want);
  });

  it('cut at every byte of the heads and around them: the same', () => {
    const heads = [9, 9 + 2, 9 + 5, 9 + 20, 9 + 22, 9 + 23, 9 + 27, 9 + 1000, stream.length - 40, stream.length - 3];
    expect(read(stream, heads, new Set([2, 4]))).toEqual(want);
    const everyByte = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(read(stream, everyByte, new Set([2, 4]))).toEqual(want);
  });

  it('cut at random places, many times: the same', () => {
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 12 }, () => Math.floor(Math.random() * stream.length)).sort((a, b) => a - b);
      expect(read(stream, cuts, new Set([2, 4]))).toEqual(want);
    }
  });

  it('a DATA reply nobody streams comes out whole, as any packet', () => {
    const got = read(stream, [100, 5000], new Set());
    expect(got[2]).toBe(`packet 103 ${Buffer.concat([u32(2), str(payload)]).toString('hex')}`);
    expect(got[4]).toBe(`packet 103 ${Buffer.concat([u32(4), str(Buffer.alloc(0))]).toString('hex')}`);
  });
});

describe('attrsOf', () => {
  it('reads the fields the flags name, in order', () => {
    const body = Buffer.concat([u32(0x1 | 0x2 | 0x4 | 0x8), u64(5_000_000_000), u32(1000), u32(1001), u32(0o100640), u32(11), u32(1_700_000_000)]);
    expect(attrsOf(body)).toEqual({ size: 5_000_000_000, uid: 1000, gid: 1001, mode: 0o100640, mtime: 1_700_000_000 });
    expect(attrsOf(Buffer.concat([u32(0x4), u32(0o40755)]))).toEqual({ size: null, uid: null, gid: null, mode: 0o40755, mtime: null });
  });
});

describe('RunWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-runwriter-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pieces in order and out of order land where they belong; the count and progress follow', () => {
    const data = randomBytes(3 * 32768 + 100);
    const file = join(dir, 'out.bin');
    const fd = openSync(file, 'w');
    const seen: number[] = [];
    const w = new RunWriter(fd, (b) => seen.push(b));
    // Replies 0 and 1 in order (one run), then 3 before 2, each in two pieces.
    const piece = (from: number, to: number) => Buffer.from(data.subarray(from, to));
    w.write(piece(0, 10_000), 0);
    w.write(piece(10_000, 32768), 10_000);
    w.write(piece(32768, 65536), 32768);
    w.flush();
    w.write(piece(3 * 32768, 3 * 32768 + 100), 3 * 32768);
    w.write(piece(65536, 80_000), 65536);
    w.write(piece(80_000, 3 * 32768), 80_000);
    w.flush();
    closeSync(fd);
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(w.bytes).toBe(data.length);
    expect(seen).toEqual([65536, data.length]);
  });
});
