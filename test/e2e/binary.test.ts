// The single executable (npm run build:binary) as a user runs it: copied alone into an empty
// directory, with a PATH that holds no node, against the real sandbox LXD: --version, --once,
// `exec` with its exit code, the console, and the full-screen view in a pseudo-terminal, quit and
// ended by SIGTERM with the terminal put back. The arm64 binary runs --version and --once through
// qemu-user (scripts/test installs qemu-user-static and an arm64 libc: the binary is Node's, linked
// dynamically). Each run makes its own instance and removes it.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, repoRoot, startPty, type PtySession } from '../support/pty.js';

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const built = (arch: string) => join(repoRoot, 'dist', 'bin', `lxtop-linux-${arch}`);
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';
const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_ROOT = '/usr/aarch64-linux-gnu';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, timeout }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
    child.stdin?.end(); // a pipe at its end, as in a script
  });
}

describeOn(['lxd'], 'the single executable, alone in a directory, no node on PATH', () => {
  const socket = daemonSocket('lxd')!;
  const lxd = daemonTool('lxd', socket);
  const name = uniqueName('bin');
  const dir = join(tmpdir(), uniqueName('lxtop-binary'));
  const bin = join(dir, 'lxtop');
  const emptyDir = join(dir, 'empty');
  // Not process.env: nothing of the test's node (NODE_OPTIONS, PATH) reaches the binary.
  const env = { HOME: emptyDir, PATH: emptyDir, LANG: 'C.UTF-8', NO_COLOR: '1' };
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    expect(existsSync(built(hostArch)), 'dist/bin is missing: npm run build:binary first').toBe(true);
    mkdirSync(emptyDir, { recursive: true });
    copyFileSync(built(hostArch), bin);
    await launch(lxd, name);
  }, 180_000);

  afterAll(async () => {
    for (const s of sessions) s.kill('SIGKILL');
    await remove(lxd, name);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const pty = (args: string[]) => {
    const s = startPty(bin, ['--socket', socket, ...args], { cwd: dir, env: { ...env, NODE_OPTIONS: undefined, NODE_PATH: undefined } });
    sessions.push(s);
    return s;
  };

  it('is one file: --version works from an empty directory with nothing on PATH', async () => {
    expect(readdirSync(dir).sort()).toEqual(['empty', 'lxtop']);
    expect(readdirSync(emptyDir)).toEqual([]);
    const r = await run(bin, ['--version'], env);
    expect(r).toEqual({ code: 0, stdout: `lxtop ${version}\n`, stderr: '' });
  });

  it('uses the V8 code cache built into it, and ignores NODE_OPTIONS meant for another node program', async () => {
    // Node says "Code cache data rejected" under NODE_DEBUG_NATIVE=SEA when the cache does not fit.
    const debug = await run(bin, ['--version'], { ...env, NODE_DEBUG_NATIVE: 'SEA' });
    expect(debug.code).toBe(0);
    expect(debug.stderr).not.toMatch(/rejected/i);
    const r = await run(bin, ['--version'], { ...env, NODE_OPTIONS: '--require /nonexistent/preload.js' });
    expect(r).toEqual({ code: 0, stdout: `lxtop ${version}\n`, stderr: '' });
  });

  it('--once lists the instances of the real LXD, ours running', async () => {
    const r = await run(bin, ['--socket', socket, '--once'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s/);
    expect(r.stdout.split('\n').find((l) => l.startsWith(`${name} `)), r.stdout).toMatch(/\sRUNNING\s/i);
  });

  it("exec passes the command's exit code through", async () => {
    const r = await run(bin, ['--socket', socket, 'exec', name, '--', 'sh', '-c', 'echo out; echo err >&2; sleep 0.2; exit 7'], env);
    expect(r).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('the console: an interactive shell in a terminal, its exit status passed through', async () => {
    const s = pty(['exec', name]);
    s.write('echo "got-$((6*7))"\r');
    await s.waitFor('got-42', 20_000);
    s.write('exit 3\r');
    expect((await s.exited).exitCode).toBe(3);
  });

  it('the full-screen view draws its first frame with our instance, and q puts the terminal back', async () => {
    const s = pty([]);
    await s.waitFor((screen) => listedLive(screen) && screen.includes(name), 30_000);
    expect(s.inAltScreen()).toBe(true);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
    expect(s.inAltScreen()).toBe(false);
    expect(s.cursorVisible()).toBe(true);
  });

  it('SIGTERM ends the full-screen view with the terminal put back', async () => {
    const s = pty([]);
    await s.waitFor(listedLive, 30_000);
    s.kill('SIGTERM');
    const end = await s.exited;
    expect(end.exitCode === 143 || end.signal === 15, JSON.stringify(end)).toBe(true);
    expect(s.inAltScreen()).toBe(false);
    expect(s.cursorVisible()).toBe(true);
  });

  // qemu-user runs the arm64 Node here (no arm64 machine): slow (~3 s a start), so two commands only.
  describeOn(['lxd'], 'the arm64 binary under qemu-user', () => {
    const arm = join(dir, 'lxtop-arm64');
    const qemu = (args: string[]) => run(QEMU, ['-L', ARM64_ROOT, arm, ...args], env, 120_000);

    beforeAll(() => {
      expect(existsSync(built('arm64')), 'dist/bin/lxtop-linux-arm64 is missing: npm run build:binary').toBe(true);
      const missing = [QEMU, `${ARM64_ROOT}/lib/ld-linux-aarch64.so.1`, `${ARM64_ROOT}/lib/libstdc++.so.6`].filter((f) => !existsSync(f));
      expect(missing, 'apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross').toEqual([]);
      copyFileSync(built('arm64'), arm);
    });

    it('--version', async () => {
      expect(await qemu(['--version'])).toEqual({ code: 0, stdout: `lxtop ${version}\n`, stderr: '' });
    });

    it('--once lists our instance', async () => {
      const r = await qemu(['--socket', socket, '--once']);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n').find((l) => l.startsWith(`${name} `)), r.stdout).toMatch(/\sRUNNING\s/i);
    });
  });
});
