// Which forwarded socket leads to a daemon (src/ssh/answer.ts), against real unix sockets made for
// the test: an HTTP server, one that accepts and hangs up at once (what ssh does when the far
// path is not there), one that accepts and never answers, and a path with nothing at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, firstAnswering } from '../../../src/ssh/answer.js';

describe('firstAnswering', () => {
  let dir: string;
  const servers: Server[] = [];
  const at = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lxtop-answer-'));
    const daemon = createHttpServer((req, res) => res.end(req.url === '/1.0' ? '{"type":"sync"}' : ''));
    const hangsUp = createServer((c) => c.destroy());
    const silent = createServer(() => undefined);
    const daemon2 = createHttpServer((_req, res) => res.end('{}'));
    const made: [Server, string][] = [[daemon, 'daemon.sock'], [hangsUp, 'hangs-up.sock'], [silent, 'silent.sock'], [daemon2, 'daemon2.sock']];
    for (const [s, name] of made) {
      servers.push(s);
      await new Promise<void>((r) => s.listen(at(name), r));
    }
  });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an HTTP server answers; a hang-up, silence or no socket does not', async () => {
    expect(await answers(at('daemon.sock'), 2000)).toBe(true);
    expect(await answers(at('hangs-up.sock'), 2000)).toBe(false);
    expect(await answers(at('nothing.sock'), 2000)).toBe(false);
    const t0 = Date.now();
    expect(await answers(at('silent.sock'), 300)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('the first that answers, in the given order, even when a later one answers first', async () => {
    expect(await firstAnswering([at('nothing.sock'), at('hangs-up.sock'), at('daemon.sock'), at('daemon2.sock')], 2000)).toBe(2);
    expect(await firstAnswering([at('daemon2.sock'), at('daemon.sock')], 2000)).toBe(0);
    expect(await firstAnswering([at('hangs-up.sock'), at('nothing.sock')], 2000)).toBeNull();
  });
});
