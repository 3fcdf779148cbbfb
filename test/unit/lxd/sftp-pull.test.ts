// The SFTP pull (src/lxd/sftp.ts) on a local unix socket against a small SFTP server: what a real
// daemon does not do on demand. Its READs answer short at some offsets (the real servers answer a
// full 32 KiB until the end) and its replies come cut in two writes: the file still arrives whole,
// the rest of each short read asked again. A server that will not upgrade, or closes at once, is a
// clear refusal, not a hang.
import { createServer, type Server, type Socket } from 'node:net';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSftp } from '../../../src/lxd/sftp.js';
import { str, u32, u64 } from '../../../src/lxd/sftp-packets.js';
import { Transport } from '../../../src/lxd/transport.js';

const dir = mkdtempSync(join(tmpdir(), 'lxtop-sftp-pull-'));
const data = randomBytes(2 * 1024 * 1024 + 777);
const servers: Server[] = [];
let shortReads = 0;

function reply(sock: Socket, type: number, id: number, ...parts: Buffer[]): void {
  const body = Buffer.concat([u32(id), ...parts]);
  const whole = Buffer.concat([u32(1 + body.length), Buffer.from([type]), body]);
  const cut = Math.min(whole.length - 1, 7 + (id % 11)); // in two writes, cut inside the head
  sock.write(whole.subarray(0, cut));
  sock.write(whole.subarray(cut));
}

/** Answers the upgrade, then INIT, LSTAT, OPEN, READ and CLOSE for one file holding `data`. */
function sftpServer(sock: Socket): void {
  let buf = Buffer.alloc(0);
  let upgraded = false;
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (!upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      upgraded = true;
      buf = buf.subarray(end + 4);
      sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: sftp\r\nConnection: Upgrade\r\n\r\n');
    }
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
      const len = buf.readUInt32BE(0);
      const type = buf[4];
      const body = buf.subarray(5, 4 + len);
      buf = buf.subarray(4 + len);
      if (type === 1) {
        sock.write(Buffer.concat([u32(5), Buffer.from([2]), u32(3)]));
        continue;
      }
      const id = body.readUInt32BE(0);
      if (type === 7) reply(sock, 105, id, u32(0x1 | 0x4), u64(data.length), u32(0o100640));
      else if (type === 3) reply(sock, 102, id, str(Buffer.from('h')));
      else if (type === 4) reply(sock, 101, id, u32(0), str(Buffer.alloc(0)), str(Buffer.alloc(0)));
      else if (type === 5) {
        const handleLen = body.readUInt32BE(4);
        const offset = Number(body.readBigUInt64BE(8 + handleLen));
        const want = body.readUInt32BE(16 + handleLen);
        if (offset >= data.length) {
          reply(sock, 101, id, u32(1), str(Buffer.from('EOF')), str(Buffer.alloc(0)));
          continue;
        }
        // Every fifth read of a full 32 KiB answers 1,000 bytes.
        const short = offset % 32768 === 0 && (offset / 32768) % 5 === 2;
        if (short) shortReads++;
        const n = Math.min(want, data.length - offset, short ? 1000 : want);
        reply(sock, 103, id, str(data.subarray(offset, offset + n)));
      }
    }
  });
}

function serve(path: string, onConnection: (sock: Socket) => void): Promise<void> {
  const server = createServer(onConnection);
  servers.push(server);
  return new Promise((resolve) => server.listen(path, resolve));
}

beforeAll(async () => {
  await serve(join(dir, 'sftp.sock'), sftpServer);
  await serve(join(dir, 'refuse.sock'), (sock) => {
    sock.once('data', () => {
      const body = JSON.stringify({ type: 'error', error: 'Not Found', error_code: 404 });
      sock.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
  });
  // Reads the request, then hangs up without a word (a daemon stopping).
  await serve(join(dir, 'close.sock'), (sock) => sock.once('data', () => sock.end()));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

const transport = (name: string) => new Transport({ kind: 'unix', socket: join(dir, name) });

describe('SFTP pull on a local socket', () => {
  it('short reads and replies cut anywhere: the file arrives whole, its mode and size said', async () => {
    shortReads = 0;
    const s = await openSftp(transport('sftp.sock'), '/1.0/instances/c1/sftp');
    const out = join(dir, 'out.bin');
    const fd = openSync(out, 'w');
    const progress: number[] = [];
    try {
      const got = await s.pull('/data', fd, (b) => progress.push(b));
      expect(got.bytes).toBe(data.length);
      expect(got.attrs).toMatchObject({ size: data.length, mode: 0o100640 });
    } finally {
      closeSync(fd);
      s.end();
    }
    expect(shortReads).toBeGreaterThan(5);
    expect(readFileSync(out).equals(data)).toBe(true);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('a server that does not upgrade is a clear refusal', async () => {
    await expect(openSftp(transport('refuse.sock'), '/1.0/instances/c1/sftp')).rejects.toThrow('GET /1.0/instances/c1/sftp: no SFTP upgrade (HTTP/1.1 404 Not Found)');
  });

  it('a connection closed before the upgrade is said, not waited for', async () => {
    await expect(openSftp(transport('close.sock'), '/1.0/instances/c1/sftp')).rejects.toThrow('GET /1.0/instances/c1/sftp on ' + join(dir, 'close.sock') + ': the connection closed before the SFTP upgrade');
  });
});
