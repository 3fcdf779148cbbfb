import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/lxd/connect.js';
import { NoDaemonError } from '../../../src/lxd/errors.js';
import { findSocket, socketCandidates } from '../../../src/lxd/socket.js';
import { startFakeServer, type FakeServer } from '../../support/fake-server.js';

const none = { lxd: [], incus: [] };

describe('socket candidates', () => {
  const defaults = { lxd: ['/snap/lxd.sock', '/lib/lxd.sock'], incus: ['/run/incus.sock', '/lib/incus.sock'] };

  it('without overrides: LXD locations first, then Incus', () => {
    expect(socketCandidates({ env: {}, defaults }).map((c) => c.path)).toEqual(['/snap/lxd.sock', '/lib/lxd.sock', '/run/incus.sock', '/lib/incus.sock']);
  });

  it('environment overrides the packaged locations, in the documented order', () => {
    const env = { LXD_SOCKET: '/a.sock', LXD_DIR: '/b', INCUS_SOCKET: '/c.sock', INCUS_DIR: '/d' };
    expect(socketCandidates({ env, defaults }).map((c) => [c.path, c.source])).toEqual([
      ['/a.sock', 'LXD_SOCKET'],
      ['/b/unix.socket', 'LXD_DIR'],
      ['/c.sock', 'INCUS_SOCKET'],
      ['/d/unix.socket', 'INCUS_DIR'],
    ]);
  });

  it('an explicit socket is the only candidate', () => {
    expect(socketCandidates({ socket: '/x.sock', env: { LXD_DIR: '/b' }, defaults })).toEqual([{ path: '/x.sock', source: '--socket', server: null }]);
  });

  it('a server preference keeps that daemon only; empty variables count as unset', () => {
    expect(socketCandidates({ server: 'incus', env: { LXD_DIR: '/b', INCUS_DIR: '' }, defaults }).map((c) => c.path)).toEqual([
      '/run/incus.sock',
      '/lib/incus.sock',
    ]);
  });
});

describe('socket discovery', () => {
  let dir: string;
  let fake: FakeServer;
  let notLxd: Server;
  const notLxdSocket = () => join(dir, 'web.socket');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lxtop-sock-'));
    writeFileSync(join(dir, 'plain-file'), '');
    fake = await startFakeServer();
    notLxd = createServer((_req, res) => res.end('<html>hello</html>'));
    await new Promise<void>((r) => notLxd.listen(notLxdSocket(), r));
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((r) => notLxd.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the first candidate that exists and answers', async () => {
    const env = { LXD_SOCKET: join(dir, 'missing.socket'), INCUS_SOCKET: fake.socket };
    expect(await findSocket({ env, defaults: none })).toMatchObject({ path: fake.socket, source: 'INCUS_SOCKET', server: 'incus' });
  });

  it('no reachable socket: NoDaemonError lists every path tried with the reason', async () => {
    const env = { LXD_SOCKET: join(dir, 'missing.socket'), LXD_DIR: dir, INCUS_SOCKET: join(dir, 'plain-file'), INCUS_DIR: join(dir, 'nope') };
    const err = await findSocket({ env, defaults: none }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoDaemonError);
    const e = err as NoDaemonError;
    expect(e.attempts.map((a) => [a.path, a.reason])).toEqual([
      [join(dir, 'missing.socket'), 'does not exist'],
      [join(dir, 'unix.socket'), 'does not exist'],
      [join(dir, 'plain-file'), 'not a socket'],
      [join(dir, 'nope', 'unix.socket'), 'does not exist'],
    ]);
    for (const a of e.attempts) expect(e.message).toContain(a.path);
    expect(e.message).toMatch(/--socket/);
  });

  it('a socket that answers but is not LXD is skipped with a reason', async () => {
    const err = (await findSocket({ socket: notLxdSocket() }).catch((e: unknown) => e)) as NoDaemonError;
    expect(err).toBeInstanceOf(NoDaemonError);
    expect(err.attempts[0]?.reason).toMatch(/not like LXD or Incus/);
  });

  it('connect() through discovery reads the server once: the probe\'s answer is the client\'s', async () => {
    const before = fake.requests.filter((r) => r.path === '/1.0').length;
    const client = await connect({ env: { LXD_SOCKET: fake.socket } });
    expect((await client.server()).serverName).toBe('fake');
    expect(fake.requests.filter((r) => r.path === '/1.0').length - before).toBe(1);
    // Asked again on purpose (a refresh), it asks the daemon.
    await client.server(true);
    expect(fake.requests.filter((r) => r.path === '/1.0').length - before).toBe(2);
    await client.close();
  });

  it('connect() with nothing reachable rejects with NoDaemonError', async () => {
    await expect(connect({ socket: join(dir, 'missing.socket') })).rejects.toBeInstanceOf(NoDaemonError);
  });
});
