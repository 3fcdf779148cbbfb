// The packed package installed with `npm install -g` by npm running on Node 22 and on Node 24 (the
// builds pinned in binary/, from the npm registry), then run by that Node: the `lxtop` shim's
// `#!/usr/bin/env node` finds it first on PATH. package.test.ts does the same on the machine's
// node (20). --version, --once with our instance, and the full-screen view's first frame.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { pinnedNode } from '../support/pinned-node.js';
import { cliPath, listedLive, repoRoot, startPty, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describeOn(['lxd'], 'npm install -g on newer Node versions', () => {
  const socket = daemonSocket('lxd')!;
  const lxd = daemonTool('lxd', socket);
  const name = uniqueName('pkgnode');
  const root = join(tmpdir(), uniqueName('lxtop-nodes'));
  let tarball = '';
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    expect(existsSync(cliPath), 'dist/cli.js is missing: npm run build first').toBe(true);
    mkdirSync(root);
    const packing = run('npm', ['pack', '--json', '--pack-destination', root], { cwd: repoRoot, maxBuffer: 1 << 24 });
    await launch(lxd, name);
    tarball = join(root, (JSON.parse((await packing).stdout) as [{ filename: string }])[0].filename);
  }, 180_000);

  afterAll(async () => {
    for (const s of sessions) s.kill('SIGKILL');
    await remove(lxd, name);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  for (const major of [22, 24]) {
    describe(`Node ${major}`, () => {
      const prefix = join(root, `node${major}`);
      const bin = join(prefix, 'bin', 'lxtop');
      let env: Record<string, string> = {};

      beforeAll(async () => {
        const node = pinnedNode(`node${major}-x64`);
        // This Node first on PATH, for npm's own scripts and for the shim; nothing of the user's npm settings.
        env = { HOME: root, PATH: `${dirname(node)}:/usr/bin:/bin`, npm_config_update_notifier: 'false', NO_COLOR: '1' };
        const npmCli = realpathSync((await run('sh', ['-c', 'command -v npm'])).stdout.trim());
        await run(node, [npmCli, 'install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { env, cwd: root, timeout: 300_000 });
      }, 360_000);

      it(`the shim runs on Node ${major}: --version`, async () => {
        expect((await run('sh', ['-c', 'node --version'], { env })).stdout).toMatch(new RegExp(`^v${major}\\.`));
        expect((await run(bin, ['--version'], { env })).stdout).toBe(`lxtop ${version}\n`);
      });

      it('--once lists our instance', async () => {
        const { stdout, stderr } = await run(bin, ['--socket', socket, '--once'], { env, timeout: 60_000 });
        expect(stderr).toBe('');
        expect(stdout.split('\n').find((l) => l.startsWith(`${name} `)), stdout).toMatch(/\sRUNNING\s/i);
      });

      it('the full-screen view lists our instance live and quits on q', async () => {
        const s = startPty(bin, ['--socket', socket], { env: { ...env, NODE_OPTIONS: undefined } });
        sessions.push(s);
        await s.waitFor((screen) => listedLive(screen) && screen.includes(name), 30_000);
        s.write('q');
        expect((await s.exited).exitCode).toBe(0);
      });
    });
  }
});
