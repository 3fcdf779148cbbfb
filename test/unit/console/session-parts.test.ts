// The interactive session's parts on their own: the local terminal's events, output frames to a
// stream with backpressure, and how the result is read at the end. (The whole session runs
// against the real daemons in the exec e2e suites.)
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { finishInteractive, type FinishInput } from '../../../src/console/finish.js';
import { LocalTerminal, type ConsoleIo } from '../../../src/console/local-terminal.js';
import { pipeFrames } from '../../../src/console/sockets.js';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { OperationOutcome } from '../../../src/lxd/types.js';

class FakeStdin extends EventEmitter {
  resumed = 0;
  resume() {
    this.resumed++;
    return this;
  }
}
class FakeStdout extends EventEmitter {
  columns: number | undefined = 100;
  rows: number | undefined = 30;
  written: Buffer[] = [];
  full = false;
  write(buf: Buffer) {
    this.written.push(buf);
    return !this.full;
  }
}
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  paused = false;
  sent: (Buffer | string)[] = [];
  closed: number | null = null;
  terminated = false;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  send(m: Buffer | string) {
    this.sent.push(m);
  }
  close(code = 1005) {
    this.closed = code;
  }
  terminate() {
    this.terminated = true;
  }
}

function terminal(detach?: string) {
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const log: string[] = [];
  const t = new LocalTerminal({ stdin, stdout } as unknown as ConsoleIo, detach, {
    input: (b) => void log.push(`input ${b.toString()}`),
    detach: () => void log.push('detach'),
    endOfInput: () => void log.push('eof'),
    resize: (c, r) => void log.push(`resize ${c}x${r}`),
    hungUp: () => void log.push('hung up'),
  });
  return { t, stdin, stdout, log };
}

describe('LocalTerminal', () => {
  it('its size at construction; a resize since then is said at start, and each one after', () => {
    const { t, stdout, log } = terminal();
    expect([t.cols, t.rows]).toEqual([100, 30]);
    stdout.columns = 120;
    t.start();
    stdout.rows = undefined; // not a terminal any more: the default
    stdout.emit('resize');
    expect(log).toEqual(['resize 120x30', 'resize 120x24']);
  });

  it('keystrokes through the detach detector; the end of input once; a failing stdout, once', () => {
    const { t, stdin, stdout, log } = terminal();
    t.start();
    expect(stdin.resumed).toBe(1);
    stdin.emit('data', Buffer.from('ls\r'));
    stdin.emit('data', '~');
    stdin.emit('data', '.');
    stdin.emit('end');
    stdin.emit('end');
    stdout.emit('error', new Error('EIO'));
    expect(stdout.listenerCount('error')).toBe(0); // heard once
    expect(log).toEqual(['input ls\r', 'detach', 'eof', 'hung up']);
  });

  it('stopInput: no input, end or resize; dispose: nothing at all', () => {
    const { t, stdin, stdout, log } = terminal('none');
    t.start();
    t.stopInput();
    stdin.emit('data', 'x');
    stdin.emit('end');
    stdout.emit('resize');
    expect(log).toEqual([]);
    expect(stdout.listenerCount('error')).toBe(1);
    t.dispose();
    expect(stdout.listenerCount('error') + stdin.listenerCount('data') + stdin.listenerCount('end') + stdout.listenerCount('resize')).toBe(0);
  });
});

describe('pipeFrames', () => {
  it('binary frames written as they come; the socket paused while the stream is full; EOF ends it', () => {
    const ws = new FakeSocket();
    const out = new FakeStdout();
    const seen: string[] = [];
    const onEof = vi.fn();
    const pipe = pipeFrames(ws as unknown as WebSocket, out as unknown as NodeJS.WritableStream, { onEof, onData: (b) => void seen.push(b.toString()) });
    ws.emit('message', Buffer.from('a'), true);
    out.full = true;
    ws.emit('message', Buffer.from('b'), true);
    expect(ws.paused).toBe(true);
    expect(pipe.draining()).toBe(true);
    out.full = false;
    out.emit('drain');
    expect(ws.paused).toBe(false);
    expect(pipe.draining()).toBe(false);
    ws.emit('message', Buffer.from(''), false);
    ws.emit('message', Buffer.from('late'), true);
    expect(onEof).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['a', 'b']);
    expect(out.written.map(String)).toEqual(['a', 'b']);
  });

  it('stop: frames after it are dropped', () => {
    const ws = new FakeSocket();
    const out = new FakeStdout();
    const pipe = pipeFrames(ws as unknown as WebSocket, out as unknown as NodeJS.WritableStream, { onEof: () => {} });
    pipe.stop();
    ws.emit('message', Buffer.from('x'), true);
    expect(out.written).toEqual([]);
  });
});

describe('finishInteractive', () => {
  const outcome = (o: Partial<OperationOutcome>): OperationOutcome => ({ status: 'Success', err: '', returnCode: 0, operation: null, ...o });
  function api(wait: () => Promise<OperationOutcome>) {
    const waits: number[] = [];
    return {
      waits,
      api: {
        waitOperation: (_id: string, timeout: number) => {
          waits.push(timeout);
          return wait();
        },
        getOperation: async () => {
          throw new Error('gone');
        },
      } as unknown as LxdApi,
    };
  }
  const input = (over: Partial<FinishInput>): FinishInput & { data: WebSocket; control: WebSocket } => ({
    operationId: 'op1',
    command: ['sh'],
    ending: null,
    data: new FakeSocket() as unknown as WebSocket,
    control: new FakeSocket() as unknown as WebSocket,
    remoteEof: true,
    ...over,
  }) as FinishInput & { data: WebSocket; control: WebSocket };

  it("the command's EOF: fd 0 closed with our EOF, the exit code from the operation (10 s)", async () => {
    const { api: a, waits } = api(async () => outcome({ returnCode: 3 }));
    const f = input({});
    expect(await finishInteractive(a, f)).toEqual({ exitCode: 3, reason: 'exited', message: 'exit code 3' });
    expect(waits).toEqual([10]);
    const data = f.data as unknown as FakeSocket;
    expect(data.sent).toEqual(['']);
    expect(data.closed).toBe(1000);
  });

  it('EOF but the operation still runs, or cannot be read: lost', async () => {
    expect(await finishInteractive(api(async () => outcome({ status: 'Running', returnCode: null })).api, input({}))).toMatchObject({
      reason: 'lost',
      message: 'connection lost: the command ended but its operation did not finish',
    });
    expect(await finishInteractive(api(async () => Promise.reject(new Error('socket hang up'))).api, input({}))).toEqual({
      exitCode: null,
      reason: 'lost',
      message: 'connection lost: socket hang up',
    });
  });

  it('detached: the ending kept, with the exit code when there is one (3 s)', async () => {
    const { api: a, waits } = api(async () => outcome({ returnCode: 129 }));
    const f = input({ ending: { reason: 'detached', message: 'detached' }, remoteEof: false });
    expect(await finishInteractive(a, f)).toEqual({ exitCode: 129, reason: 'detached', message: 'detached' });
    expect(waits).toEqual([3]);
    expect((f.data as unknown as FakeSocket).sent).toEqual([]);
  });

  it('lost: both sockets terminated; a failed operation means the command never ran', async () => {
    const lost = { reason: 'lost' as const, message: 'connection lost: websocket closed (1006)' };
    const f = input({ ending: lost, remoteEof: false });
    expect(await finishInteractive(api(async () => outcome({ status: 'Running', returnCode: null })).api, f)).toEqual({ exitCode: null, ...lost });
    expect((f.data as unknown as FakeSocket).terminated && (f.control as unknown as FakeSocket).terminated).toBe(true);
    const failed = api(async () => outcome({ status: 'Failure', err: 'Command not found', returnCode: -1 }));
    expect(await finishInteractive(failed.api, input({ ending: lost, remoteEof: false, command: ['nope'] }))).toEqual({
      exitCode: 127,
      reason: 'exited',
      message: 'command not found: nope',
    });
    expect(failed.waits).toEqual([2]);
  });
});
