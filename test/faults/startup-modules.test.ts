// What the first list costs in modules: connecting and listing (what lxtop draws first) loads no
// websocket library; the event stream loads it when it first connects. The built client (dist/)
// in a child process whose module loads are logged by a resolve hook.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { repoRoot } from '../support/pty.js';

let fake: FakeLxd;
let dir: string;
beforeAll(async () => {
  fake = await startFakeLxd({ instances: 3, running: 1, prefix: 'mod' });
  dir = mkdtempSync(join(tmpdir(), 'lxtop-mods-'));
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('modules loaded before the first list', () => {
  it('connect + list load no websocket library; the event stream does', async () => {
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(spec, ctx, next) { if (!spec.startsWith('.') && !spec.startsWith('node:') && !spec.startsWith('file:')) process.stderr.write('LOAD ' + spec + '\\n'); return next(spec, ctx); }\n`,
    );
    const main = join(dir, 'main.mjs');
    writeFileSync(
      main,
      [
        `import { register } from 'node:module';`,
        `register(${JSON.stringify(`file://${hooks}`)});`,
        `const { connect } = await import(${JSON.stringify(`${repoRoot}dist/lxd/connect.js`)});`,
        `const api = await connect({ socket: ${JSON.stringify(fake.socket)} });`,
        `const list = await api.listInstances();`,
        `process.stderr.write('LISTED ' + list.length + '\\n');`,
        `const events = api.events();`,
        `await new Promise((r) => events.onStatus((s) => s === 'connected' && r()));`,
        `process.stderr.write('EVENTS\\n');`,
        `await api.close();`,
      ].join('\n'),
    );
    // Not spawnSync: the fake daemon answers from this process's event loop.
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [main], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stderr });
      });
    });
    expect(r.status, r.stderr).toBe(0);
    const log = r.stderr.split('\n');
    const listed = log.indexOf('LISTED 3');
    expect(listed).toBeGreaterThan(0);
    const before = log.slice(0, listed).filter((l) => l.startsWith('LOAD ')).map((l) => l.slice(5));
    expect(before).toContain('undici');
    expect(before).not.toContain('ws');
    expect(log.slice(listed)).toContain('LOAD ws');
  });
});
