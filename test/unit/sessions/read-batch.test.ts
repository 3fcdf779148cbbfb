// Batched reading of a detached session's socket (src/sessions/read-batch.ts), on a real unix
// socket: nothing is read between ticks, nothing is lost or reordered, a flood reads on, and
// attaching (or a history request) reads at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as tlsServer } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSigned } from '../../support/openssl-certs.js';
import { BATCH_MS, BatchedReader } from '../../../src/sessions/read-batch.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let server: Server;
let peer: Promise<Socket>;
let client: Socket;
let got: Buffer[];
let reader: BatchedReader;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lxtop-batch-'));
  const path = join(dir, 's.sock');
  let accept: (s: Socket) => void = () => {};
  peer = new Promise((r) => (accept = r));
  server = createServer((s) => accept(s));
  await new Promise<void>((r) => server.listen(path, r));
  client = connect(path);
  await new Promise((r) => client.once('connect', r));
  got = [];
  reader = new BatchedReader(() => client);
  client.on('data', (b: Buffer) => {
    got.push(b);
    reader.read(b.length);
  });
});

afterEach(async () => {
  reader.dispose();
  client.destroy();
  (await peer).destroy();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const text = () => Buffer.concat(got).toString();

describe('batched reading', () => {
  it('detached: nothing is read between ticks; at a tick everything waiting, in order', async () => {
    const s = await peer;
    reader.batched = true;
    const start = Date.now();
    let n = 0;
    const writer = setInterval(() => s.write(`line ${++n}\n`), 100);
    await sleep(BATCH_MS - 300);
    clearInterval(writer);
    expect(got.length).toBe(0);
    expect(n).toBeGreaterThan(10); // written meanwhile, held by the kernel
    while (Date.now() - start < BATCH_MS + 200) await sleep(50);
    expect(text()).toBe(Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join(''));
  });

  it('attached (or a history request): read at once', async () => {
    const s = await peer;
    reader.batched = true;
    s.write('before\n');
    await sleep(300);
    expect(got.length).toBe(0);
    await reader.readNow();
    expect(text()).toBe('before\n');
    s.write('after\n');
    await sleep(300);
    expect(text()).toBe('before\n'); // batched again after the history's read
    reader.batched = false;
    await sleep(100);
    expect(text()).toBe('before\nafter\n');
    s.write('live\n');
    await sleep(100);
    expect(text()).toBe('before\nafter\nlive\n');
  });

  it('a flood keeps reading after its first tick instead of a window every tick', async () => {
    const s = await peer;
    reader.batched = true;
    const total = 8 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    const pump = () => {
      while (written < total) {
        written += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
    };
    pump();
    await sleep(BATCH_MS - 300);
    expect(got.length).toBe(0);
    // Windows alone (50 ms a tick) would take many ticks for 8 MB held back by the kernel's buffers.
    const deadline = Date.now() + BATCH_MS;
    while (Buffer.concat(got).length < total && Date.now() < deadline) await sleep(50);
    expect(Buffer.concat(got).length).toBe(total);
  });

  it('over TLS (an HTTPS remote) as over a unix socket', async () => {
    const pem = selfSigned(dir, 'srv', 'localhost');
    let accept: (s: Socket) => void = () => {};
    const tlsPeer = new Promise<Socket>((r) => (accept = r));
    const srv = tlsServer(pem, (s) => accept(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const c = tlsConnect({ host: '127.0.0.1', port, ca: pem.cert, servername: 'localhost' });
    await new Promise((r) => c.once('secureConnect', r));
    const seen: Buffer[] = [];
    const r = new BatchedReader(() => c);
    c.on('data', (b: Buffer) => (seen.push(b), r.read(b.length)));
    try {
      const s = await tlsPeer;
      r.batched = true;
      const start = Date.now();
      s.write('held\n');
      await sleep(BATCH_MS - 300);
      expect(seen.length).toBe(0);
      while (Date.now() - start < BATCH_MS + 200) await sleep(50);
      expect(Buffer.concat(seen).toString()).toBe('held\n');
      r.batched = false;
      s.write('live\n');
      await sleep(100);
      expect(Buffer.concat(seen).toString()).toBe('held\nlive\n');
      s.destroy();
    } finally {
      r.dispose();
      c.destroy();
      await new Promise((res) => srv.close(res));
    }
  });
});
