// The package as a user installs it: `npm pack` of the repository (its built dist/), then
// `npm install -g` of that tarball into a temporary prefix, then the installed `lxtop` run against
// the real sandbox LXD: --version, --once listing an instance made for the test, `exec` in it, and
// the full-screen view live in a pseudo-terminal (Ink, React, undici, ws: all from the bundle, with
// no node_modules beside it). The bundle in
// dist/ holds every package lxtop runs with, so the install must add none: package.json's runtime
// `dependencies` are what the bundle does not contain (dist/meta.json's externals), the rest are
// devDependencies. The installed size is printed (du), and bounded here.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinModules } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { cliPath, listedLive, repoRoot, startPty, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

/** What the installed tree weighs: du's disk usage and the bytes of its files. */
async function size(dir: string): Promise<{ disk: number; apparent: number }> {
  const kib = async (...flags: string[]) => Number((await run('du', ['-s', ...flags, dir])).stdout.split('\t')[0]);
  return { disk: (await kib('-k')) * 1024, apparent: await kib('-b') };
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Loaded only when present, in a try/catch or behind DEV=true: never needed by lxtop. */
const OPTIONAL_EXTERNALS = ['bufferutil', 'utf-8-validate', 'react-devtools-core'];

describe('the bundle', () => {
  it("imports nothing outside it but Node's modules and optional ones: no runtime dependency is needed", () => {
    const meta = JSON.parse(readFileSync(join(repoRoot, 'dist/meta.json'), 'utf8')) as {
      outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
    };
    const externals = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    const packages = [...externals].filter((p) => !p.startsWith('node:') && !builtinModules.includes(p)).sort();
    expect(packages).toEqual(OPTIONAL_EXTERNALS.filter((p) => externals.has(p)).sort());
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

describeOn(['lxd'], 'the packed package, installed with npm install -g', () => {
  const socket = daemonSocket('lxd')!;
  const lxd = daemonTool('lxd', socket);
  const name = uniqueName('pkg');
  // Made in beforeAll: a suite skipped (no daemon, -t) leaves nothing behind.
  const root = join(tmpdir(), uniqueName('lxtop-package'));
  const prefix = join(root, 'prefix');
  const installed = join(prefix, 'lib', 'node_modules', 'lxtop');
  const bin = join(prefix, 'bin', 'lxtop');
  // No configuration of the user's, nor their npm settings' cache or prefix, reaches the test.
  const env = { ...process.env, HOME: root, npm_config_prefix: prefix, npm_config_update_notifier: 'false' };

  beforeAll(async () => {
    expect(existsSync(cliPath), 'dist/cli.js is missing: npm run build first').toBe(true);
    mkdirSync(root);
    await Promise.all([
      launch(lxd, name),
      (async () => {
        const packed = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: repoRoot, env: { ...env, HOME: process.env.HOME }, maxBuffer: 1 << 24 });
        const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
        // --prefer-offline: with no runtime dependencies nothing is fetched; with some, the cache is tried first.
        await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(root, filename)], {
          cwd: root,
          env: { ...env, HOME: process.env.HOME },
          timeout: 300_000,
        });
      })(),
    ]);
  }, 360_000);

  const sessions: PtySession[] = [];
  afterAll(async () => {
    for (const s of sessions) s.kill();
    await remove(lxd, name);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('installs lxtop alone: no package beside it but the runtime dependencies package.json names (none)', async () => {
    const modules = join(installed, 'node_modules');
    const got = existsSync(modules) ? readdirSync(modules).filter((d) => !d.startsWith('.')) : [];
    expect(got.sort()).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json'].concat(got.length > 0 ? ['node_modules'] : []).sort());
    const all = await size(prefix);
    const ours = await size(installed);
    console.log(`installed size (npm install -g of the packed tarball): ${mib(all.disk)} on disk (du -s), ${mib(all.apparent)} of files; lxtop's own dist: ${mib(ours.disk)}`);
    // The bundle alone is ~6.3 MiB with its source maps; with the packages it holds installed again it was 39 MiB.
    expect(all.disk).toBeLessThan(12 * 2 ** 20);
  });

  it('lxtop --version prints the package version', async () => {
    const { stdout } = await run(bin, ['--version'], { env, timeout: 30_000 });
    expect(stdout).toBe(`lxtop ${pkg.version}\n`);
  });

  it('lxtop --once lists the instances of the real LXD, ours running', async () => {
    const { stdout, stderr } = await run(bin, ['--socket', socket, '--once'], { env, timeout: 60_000 });
    expect(stderr).toBe('');
    const header = stdout.split('\n')[0];
    expect(header).toMatch(/^NAME\s+STATUS\s/);
    const row = stdout.split('\n').find((l) => l.startsWith(`${name} `));
    expect(row, stdout).toMatch(/\sRUNNING\s/i);
  });

  it('lxtop exec runs a command in the instance', async () => {
    // The short sleep keeps the command alive past the server's first read of its output: LXD 5 and
    // Incus lose the output of a command that ends before it (lxc exec too; test/support/exec-suite.ts).
    const running = run(bin, ['--socket', socket, 'exec', name, '--', 'sh', '-c', 'echo from-the-package; sleep 0.2'], { env, timeout: 60_000 });
    running.child.stdin?.end(); // stdin a pipe at its end, as in a script
    const { stdout } = await running;
    expect(stdout).toBe('from-the-package\n');
  });

  it('the full-screen view lists the instances live, filters to ours and quits on q', async () => {
    const s = startPty(process.execPath, [join(installed, 'dist', 'cli.js'), '--socket', socket], { env });
    sessions.push(s);
    await s.waitFor(listedLive, 20_000);
    s.write('/');
    await s.waitFor('Enter keep');
    s.write(name);
    await s.waitFor((screen) => screen.split('\n').some((l) => new RegExp(`^[> ][* ]${name}\\s+Running`).test(l)), 10_000);
    s.write('\r');
    await s.waitFor((screen) => screen.includes(`filter /${name}`) && !screen.includes('Enter keep'));
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  });
});
