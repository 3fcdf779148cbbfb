// The holder driving a client's terminal (src/sessions/direct-tty.ts), on a real pseudo-terminal
// (node-pty): what it accepts to open, keys in through the detach detector, output out, the hang-up,
// and its descriptors closed when it gives the terminal back.
import { readdirSync, readlinkSync } from 'node:fs';
import { spawn, type IPty } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectTerminal } from '../../../src/sessions/direct-tty.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** How many of this process's descriptors are the terminal. */
function openOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

let pty: IPty | null = null;

/** A terminal in raw mode with a program holding it (as `lxtop attach` does), and its path. */
async function terminal(): Promise<{ path: string; shown: () => string }> {
  pty = spawn('/bin/sh', ['-c', 'stty raw -echo; echo READY; exec sleep 60'], { cols: 80, rows: 24 });
  let out = '';
  pty.onData((d) => (out += d));
  await until(() => out.includes('READY'));
  return { path: readlinkSync(`/proc/${pty.pid}/fd/0`), shown: () => out };
}

afterEach(() => {
  try {
    pty?.kill('SIGKILL');
  } catch {
    // gone
  }
  pty = null;
});

describe('DirectTerminal', () => {
  it('opens only a terminal: not a path outside /dev/pts and /dev/tty*, not a non-string; nothing left open', () => {
    const on = { input: () => {}, leave: () => {} };
    const nulls = openOn('/dev/null');
    expect(DirectTerminal.open('/etc/passwd', undefined, on)).toBeNull();
    expect(DirectTerminal.open('/dev/null', undefined, on)).toBeNull();
    expect(DirectTerminal.open('/dev/pts/../../etc/passwd', undefined, on)).toBeNull();
    expect(DirectTerminal.open(7, undefined, on)).toBeNull();
    expect(openOn('/dev/null')).toBe(nulls);
  });

  it('keys typed come in without the detach sequence, output goes out, and detaching closes every descriptor it opened', async () => {
    const t = await terminal();
    const keys: Buffer[] = [];
    const left: string[] = [];
    const d = DirectTerminal.open(t.path, undefined, { input: (b) => keys.push(b), leave: (r) => left.push(r) });
    expect(d).not.toBeNull();
    expect(openOn(t.path)).toBeGreaterThan(0);
    d!.write('from-the-holder\x1b[?1049h\x1b[?25l');
    await until(() => t.shown().includes('from-the-holder'));
    pty!.write('ls\r');
    await until(() => Buffer.concat(keys).toString() === 'ls\r');
    pty!.write('~.after');
    await until(() => left.length > 0);
    expect(left).toEqual(['detached']);
    expect(Buffer.concat(keys).toString()).toBe('ls\r');
    // The alternate screen and the hidden cursor are undone by the client that takes it back.
    expect(d!.resetSequence()).toBe('\x1b[?1049l\x1b[?25h');
    await d!.release();
    expect(openOn(t.path)).toBe(0);
    d!.write('after-release');
    await sleep(100);
    expect(t.shown()).not.toContain('after-release');
  });

  it('the terminal hanging up (its last program gone) is a leave, not a crash', async () => {
    const t = await terminal();
    const left: string[] = [];
    const d = DirectTerminal.open(t.path, 'none', { input: () => {}, leave: (r) => left.push(r) });
    expect(d).not.toBeNull();
    pty!.kill('SIGKILL');
    await until(() => left.length > 0, 5000);
    expect(left[0]).toBe('terminal hung up');
    await d!.release();
    expect(openOn(t.path)).toBe(0);
  });
});
