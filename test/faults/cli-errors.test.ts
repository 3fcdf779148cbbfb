// No stack traces for users (issue 17): the built CLI against the fake daemon, which answers 401,
// 403, 404, 500, an HTML page and a cut connection on each endpoint `--once` and `exec` call (the
// endpoints are those a clean run asked for, not a hand-made list). Whatever the fault, no output
// holds a stack frame; a run that fails says `lxtop…: message` and a hint, and exits non-zero. With
// LXTOP_DEBUG=1 the stack is there, naming the source files (source maps), not the bundle's chunks.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLxd, type FakeLxd, type FaultSpec } from '../support/fake-lxd-server.js';
import { envelope } from '../support/fake-server.js';
import { cliPath, startPty } from '../support/pty.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const home = mkdtempSync(join(tmpdir(), 'lxtop-cli-errors-'));
const env = { ...process.env, HOME: home, LXTOP_CONF: join(home, 'lxtop'), LXD_CONF: join(home, 'lxc'), INCUS_CONF: join(home, 'incus'), LXTOP_DEBUG: '' };

function lxtop(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env: { ...env, ...extra }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const refusal = (status: number, text: string): FaultSpec => ({ kind: 'raw', status, body: JSON.stringify(envelope.error(status, text)) });
const FAULTS: Record<string, FaultSpec> = {
  '401': refusal(401, 'unauthorized'),
  '403': refusal(403, 'not authorized'),
  '404': refusal(404, 'not found'),
  '500': refusal(500, 'something broke'),
  html: { kind: 'html-500' },
  cut: { kind: 'cut' },
};

const STACK_FRAME = /^\s+at /m;

/** The distinct `METHOD /path` a run asked for (queries dropped: a fault matches by prefix). */
function endpoints(requests: string[]): string[] {
  return [...new Set(requests.map((r) => r.split('?')[0]))];
}

function expectNoStack(r: Run, context: string): void {
  expect(r.stdout, context).not.toMatch(STACK_FRAME);
  expect(r.stderr, context).not.toMatch(STACK_FRAME);
  if (r.code !== 0) {
    expect(r.stderr, context).toMatch(/^lxtop(?: exec)?: \S/m);
  }
}

let fake: FakeLxd;
beforeAll(async () => {
  fake = await startFakeLxd({ instances: 3, running: 2, prefix: 'errs' });
});
afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

describe.each([
  ['--once', () => ['--once', '--socket', fake.socket]],
  ['exec', () => ['--socket', fake.socket, 'exec', 'errs-1', '-T', '--', 'true']],
])('%s: every fault on every endpoint it calls', (_name, argv) => {
  it('prints lxtop: message (and a hint when it fails), never a stack frame', { timeout: 240_000 }, async () => {
    fake.requests.length = 0;
    await lxtop(argv());
    const called = endpoints(fake.requests);
    expect(called).toContain('GET /1.0');
    let failures = 0;
    for (const endpoint of called) {
      const [method, path] = endpoint.split(' ');
      for (const [kind, spec] of Object.entries(FAULTS)) {
        const clear = fake.fault(method, path, { ...spec });
        try {
          const r = await lxtop(argv());
          const context = `${endpoint} answered ${kind}: ${JSON.stringify(r)}`;
          expectNoStack(r, context);
          if (r.code !== 0) {
            failures++;
            // NoDaemonError words its hint itself ("Point lxtop at a daemon with --socket …").
            expect(r.stderr, context).toMatch(/^(hint: |Point lxtop at )/m);
          }
          // The first request and the list end the run: nothing to show without them.
          if (path === '/1.0' || (path === '/1.0/instances' && method === 'GET' && argv()[0] === '--once')) expect(r.code, context).not.toBe(0);
        } finally {
          clear();
        }
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

describe('the TUI', () => {
  it('a daemon that fails its first answer: lxtop: message and a hint, exit 1, no stack frame', { timeout: 120_000 }, async () => {
    for (const [kind, spec] of Object.entries(FAULTS)) {
      const clear = fake.fault('GET', '/1.0', { ...spec });
      const s = startPty(process.execPath, [cliPath, '--socket', fake.socket], { env: { ...env, LXD_SOCKET: undefined } });
      try {
        const { exitCode } = await s.exited;
        const context = `GET /1.0 answered ${kind}: ${s.output}`;
        expect(exitCode, context).toBe(1);
        expect(s.output, context).toMatch(/^lxtop: \S/m);
        expect(s.output, context).toMatch(/^(hint: |Point lxtop at )/m);
        expect(s.output, context).not.toMatch(STACK_FRAME);
      } finally {
        s.kill();
        clear();
      }
    }
  });
});

describe('refusals and debug', () => {
  it('a 403 on the list names the daemon and says what to do', async () => {
    const clear = fake.fault('GET', '/1.0/instances', refusal(403, 'not authorized'));
    try {
      const r = await lxtop(['--once', '--socket', fake.socket]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`lxtop: the daemon at unix:${fake.socket} refused: not authorized`);
      expect(r.stderr).toMatch(/^hint: is this user allowed to use the daemon/m);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    } finally {
      clear();
    }
  });

  it('LXTOP_DEBUG=1 adds the stack, naming source files rather than chunks', async () => {
    const clear = fake.fault('GET', '/1.0/instances', refusal(500, 'something broke'));
    try {
      const r = await lxtop(['--once', '--socket', fake.socket], { LXTOP_DEBUG: '1' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('something broke');
      expect(r.stderr).toMatch(STACK_FRAME);
      expect(r.stderr).toMatch(/src\/lxd\/client\.ts:\d+/);
      expect(r.stderr).toMatch(/src\/cli\.tsx:\d+/);
      expect(r.stderr).not.toContain('dist/chunks/');
    } finally {
      clear();
    }
  });

  it('remote subcommands fail with lxtop remote …: message, no stack', async () => {
    for (const args of [
      ['remote', 'add', 'gone', 'https://127.0.0.1:1', '--token', 'x', '--accept-certificate'],
      ['remote', 'remove', 'nope'],
      ['remote', 'switch', 'nope'],
      ['remote', 'add', 'bad', 'not-a-url'],
    ]) {
      const r = await lxtop(args);
      const context = `${args.join(' ')}: ${JSON.stringify(r)}`;
      expect(r.code, context).not.toBe(0);
      expect(r.stderr, context).toMatch(/^lxtop remote( \w+)?: \S/m);
      expect(r.stderr, context).not.toMatch(STACK_FRAME);
    }
  });
});
