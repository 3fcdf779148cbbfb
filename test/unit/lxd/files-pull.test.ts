// files.pullFile on a local unix socket: a file answer read straight off the socket into the local
// file (stream.ts rawDownload), with its mode and owner from the headers; a directory or a chunked
// answer asked again through the HTTP client (the same bytes, or the same clear refusal). A small
// HTTP server on a unix socket plays the daemon (these answers' shapes are LXD 5.0's).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceFiles } from '../../../src/lxd/files.js';
import { Transport } from '../../../src/lxd/transport.js';

const dir = mkdtempSync(join(tmpdir(), 'lxtop-pullfile-'));
const socket = join(dir, 'lxd.sock');
const data = randomBytes(3 * 1024 * 1024 + 17);
const requests: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '', 'http://lxd').searchParams.get('path');
    requests.push(path ?? '');
    const head = { 'X-LXD-Type': 'file', 'X-LXD-Mode': '0640', 'X-LXD-Uid': '1000', 'X-LXD-Gid': '1001', 'Content-Type': 'application/octet-stream' };
    if (path === '/data') {
      res.writeHead(200, { ...head, 'Content-Length': String(data.length) });
      res.end(data);
    } else if (path === '/chunked') {
      res.writeHead(200, head); // no length: chunked
      res.write(data.subarray(0, 1000));
      res.end(data.subarray(1000));
    } else if (path === '/etc') {
      const body = JSON.stringify({ type: 'sync', status: 'Success', status_code: 200, metadata: ['hosts'] });
      res.writeHead(200, { 'X-LXD-Type': 'directory', 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: 'Not Found', error_code: 404 }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function files() {
  const transport = new Transport({ kind: 'unix', socket });
  return instanceFiles({ transport, name: 'c1', path: async () => '/1.0/instances/c1/files', query: async () => '', head: async () => false });
}

describe('pullFile on a unix socket', () => {
  it('a file: its bytes, mode and owner, in one request', async () => {
    requests.length = 0;
    const out = join(dir, 'data');
    let last = 0;
    const got = await files().pullFile!('/data', out, { progress: (b) => (last = b) });
    expect(readFileSync(out).equals(data)).toBe(true);
    expect(got).toMatchObject({ type: 'file', mode: 0o640, uid: 1000, gid: 1001, bytes: data.length, size: data.length });
    expect(last).toBe(data.length);
    expect(requests).toEqual(['/data']);
  });

  it('a chunked answer is asked again through the HTTP client: the same bytes', async () => {
    requests.length = 0;
    const out = join(dir, 'chunked');
    const got = await files().pullFile!('/chunked', out);
    expect(readFileSync(out).equals(data)).toBe(true);
    expect(got.bytes).toBe(data.length);
    expect(requests).toEqual(['/chunked', '/chunked']);
  });

  it('a directory and a missing path are the clear messages pull gives', async () => {
    await expect(files().pullFile!('/etc', join(dir, 'etc'))).rejects.toThrow('c1:/etc: is a directory');
    await expect(files().pullFile!('/nope', join(dir, 'nope'))).rejects.toThrow('c1:/nope: Not Found (no such file or directory)');
  });
});
