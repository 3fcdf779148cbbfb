// `lxtop logs` through the built CLI against the real LXD 5 and Incus 6: the same lxc.log text as
// `lxc info NAME --show-log` (minus its header and the newline it adds), `-f` printing a line
// appended to the daemon's log file and the new log after a restart, and refusals as one line
// `lxtop: <message>`, exit 1. Each suite makes its own instance and removes it.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn, type DaemonName } from '../support/daemons.js';
import { cliArgs, daemonTool, execCli, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { repoRoot } from '../support/pty.js';

/** What `lxc info --show-log` prints under `Log:` and its blank line, without the newline it adds. */
function showLog(info: string): string {
  const at = info.indexOf('\nLog:\n\n');
  expect(at).toBeGreaterThan(0);
  return info.slice(at + '\nLog:\n\n'.length).replace(/\n$/, '');
}

async function until(what: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function suite(kind: Extract<DaemonName, 'lxd' | 'incus'>): void {
  describeOn([kind], `lxtop logs (${kind}, built CLI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('logs');

    beforeAll(async () => {
      await launch(d, name);
    }, 120_000);
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    it('prints the same lxc.log as info --show-log', async () => {
      const reference = showLog(await d.tool('info', name, '--show-log'));
      expect(reference).toMatch(new RegExp(`^lxc ${name} `)); // a real log, not an empty one
      const run = await runCli(cliArgs(socket, 'logs', name));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toBe(reference);
    });

    it('-f prints an appended line, then the new log after a restart; Ctrl-C ends it with 0', async () => {
      const child = spawn(process.execPath, [execCli, ...cliArgs(socket, 'logs', `${name}`, '-f')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      try {
        await until(() => out.includes(`lxc ${name} `), 10_000);
        const marker = `lxtop-follow-${Date.now()}`;
        appendFileSync(join(dirname(socket), 'logs', name, 'lxc.log'), `${marker}\n`);
        await until(() => out.includes(marker), 5_000);
        expect(out.split(marker).length).toBe(2);

        const before = out.length;
        await d.tool('restart', '--force', name);
        const fresh = showLog(await d.tool('info', name, '--show-log'));
        await until(() => out.slice(before).includes(fresh.split('\n')[0]), 8_000);
        expect(err).toBe('');
      } finally {
        child.kill('SIGINT');
      }
      expect(await exited).toBe(0);
    }, 60_000);

    it('a missing instance, an unknown file and a refused console log: one line, exit 1', async () => {
      const missing = await runCli(cliArgs(socket, 'logs', `${name}-nope`));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`^lxtop: ${name}-nope: .*[Ii]nstance not found\\n$`));
      const file = await runCli(cliArgs(socket, 'logs', name, '--file', 'nope.log'));
      expect(file.code).toBe(1);
      expect(file.stderr).toMatch(new RegExp(`^lxtop: cannot read nope.log of ${name}: .+\\n$`));
      expect(file.stderr).not.toMatch(/\n\s+at /);
    });

    it('--console prints the console log as console --show-log does, or says why not', async () => {
      const run = await runCli(cliArgs(socket, 'logs', name, '--console'));
      const reference = await d.tool('console', name, '--show-log').then((t) => ({ ok: true, t }), (e: Error) => ({ ok: false, t: e.message }));
      if (reference.ok) {
        expect(run.code).toBe(0);
        expect(run.stdout.toString().trim()).toBe(reference.t.trim());
      } else {
        // LXD 5.0 refuses a busybox container's console log: "open : no such file or directory".
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`^lxtop: cannot read the console log of ${name}: .+\\n$`));
      }
    });
  });
}

suite('lxd');
suite('incus');
