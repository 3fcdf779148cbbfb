import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TerminalGuard } from '../../../src/console/terminal.js';

/** Just enough of a TTY ReadStream: raw mode, listeners, flowing state. */
class FakeTty extends EventEmitter {
  isTTY = true;
  isRaw = false;
  readableFlowing: boolean | null = null;
  readableEncoding: BufferEncoding | null = null;
  modes: boolean[] = [];
  setRawMode(raw: boolean) {
    this.isRaw = raw;
    this.modes.push(raw);
    return this;
  }
  resume() {
    this.readableFlowing = true;
    return this;
  }
  pause() {
    this.readableFlowing = false;
    return this;
  }
  setEncoding(enc: BufferEncoding) {
    this.readableEncoding = enc;
    return this;
  }
}

class FakeOut extends EventEmitter {
  writable = true;
  written = '';
  write(s: string) {
    this.written += s;
    return true;
  }
}

const make = () => {
  const stdin = new FakeTty();
  const stdout = new FakeOut();
  const guard = new TerminalGuard(stdin as unknown as NodeJS.ReadStream, stdout as unknown as NodeJS.WriteStream);
  return { stdin, stdout, guard };
};

describe('TerminalGuard', () => {
  it('sets raw mode and puts back the mode it found (cooked)', () => {
    const { stdin, guard } = make();
    guard.take(() => {});
    expect(stdin.isRaw).toBe(true);
    guard.release();
    expect(stdin.isRaw).toBe(false);
  });

  it('leaves a terminal that was raw already raw', () => {
    const { stdin, guard } = make();
    stdin.isRaw = true;
    guard.take(() => {});
    guard.release();
    expect(stdin.isRaw).toBe(true);
  });

  it('restores once, even when asked twice (signal, then the normal end)', () => {
    const { stdin, stdout, guard } = make();
    guard.resetSequence = () => '\x1b[?1049l';
    guard.take(() => {});
    guard.restore();
    guard.release();
    expect(stdin.modes).toEqual([true, false]);
    expect(stdout.written).toBe('\x1b[?1049l');
  });

  it('restores on SIGTERM and tells the session', () => {
    const { stdin, guard } = make();
    const before = process.listenerCount('SIGTERM');
    let got = '';
    guard.take((s) => (got = s));
    process.emit('SIGTERM', 'SIGTERM');
    expect(got).toBe('SIGTERM');
    expect(stdin.isRaw).toBe(false);
    guard.release();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('restores on process exit', () => {
    const { stdin, guard } = make();
    guard.take(() => {});
    const exitListeners = process.listeners('exit');
    const ours = exitListeners.filter((l) => l.name === 'onExit');
    expect(ours).toHaveLength(1);
    ours[0].call(process, 0);
    expect(stdin.isRaw).toBe(false);
    guard.release();
  });

  it('sets aside listeners left on stdin and gives them back, with the text encoding', () => {
    const { stdin, guard } = make();
    const ink = () => {};
    stdin.on('readable', ink);
    stdin.readableEncoding = 'utf8';
    guard.take(() => {});
    expect(stdin.listenerCount('readable')).toBe(0);
    guard.release();
    expect(stdin.listeners('readable')).toEqual([ink]);
    expect(stdin.readableEncoding).toBe('utf8');
  });
});
