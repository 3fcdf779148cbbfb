// `lxtop events` through the built CLI against the real LXD and Incus: a lifecycle change made by
// the daemon's own tool is printed within 1 s, with --format json as one JSON object per line
// (the frame as sent), and pretty as one line naming the action and the instance; Ctrl-C ends it
// with 0; a bad --type is a usage error. Each suite makes its own instance and removes it.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { cliArgs, daemonTool, execCli, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';
import { repoRoot } from '../support/pty.js';

function follow(args: string[]) {
  const child = spawn(process.execPath, [execCli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { text: string; at: number }[] = [];
  let partial = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ text, at: Date.now() });
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

async function until<T>(what: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = what();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `lxtop events (${kind}, built CLI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('ev');

    beforeAll(async () => {
      await launch(d, name, { start: false });
    }, 120_000);
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    it('--format json: the start made by the daemon\'s tool, one JSON object per line, within 1 s', async () => {
      const run = follow(cliArgs(socket, 'events', '--type', 'lifecycle', '--format', 'json'));
      try {
        await new Promise((r) => setTimeout(r, 1500)); // connected
        await d.tool('start', name);
        const done = Date.now();
        const line = await until(() => run.lines.find((l) => l.text.includes('"instance-started"') && l.text.includes(`/instances/${name}`)), 5_000);
        console.log(`[${kind}] instance-started printed ${line.at - done} ms after ${d.kind === 'lxd' ? 'lxc' : 'incus'} start returned`);
        expect(line.at - done).toBeLessThanOrEqual(1000);
        for (const l of run.lines) {
          const e = JSON.parse(l.text) as { type: string; metadata: unknown };
          expect(e.type).toBe('lifecycle');
        }
        expect(run.stderr()).toBe('');
      } finally {
        run.child.kill('SIGINT');
      }
      expect(await run.exited).toBe(0);
    }, 60_000);

    it('pretty: one line with the time, the instance and the action', async () => {
      const run = follow(cliArgs(socket, 'events'));
      try {
        await new Promise((r) => setTimeout(r, 1500));
        await d.tool('stop', '--force', name);
        const line = await until(() => run.lines.find((l) => / lifecycle .* instance-(stopped|shutdown)/.test(l.text) && l.text.includes(`  ${name}  `)), 5_000);
        expect(line.text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}lifecycle {2}/);
      } finally {
        run.child.kill('SIGINT');
      }
      expect(await run.exited).toBe(0);
    }, 60_000);

    it('a bad --type is a usage error (exit 2)', async () => {
      const run = await runCli(cliArgs(socket, 'events', '--type', 'nope'));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^lxtop: unknown event type "nope"/);
    });
  });
}

suite('lxd');
suite('incus');
