// The holder's wire format (frames.ts) and its bookkeeping (registry.ts, raw-log.ts), and the
// plain table of `lxtop sessions`.
import { describe, expect, it } from 'vitest';
import { encodeData, encodeJson, FrameError, FrameReader, MAX_FRAME } from '../../../src/sessions/frames.js';
import { RawLog } from '../../../src/sessions/raw-log.js';
import { SessionRegistry, validName } from '../../../src/sessions/registry.js';
import { sessionTable } from '../../../src/sessions/cli.js';
import { stateText, type SessionInfo } from '../../../src/sessions/types.js';

describe('frames', () => {
  it('round-trips JSON and raw frames, however the stream is cut', () => {
    const raw = Buffer.from([0, 1, 2, 0x1b, 0x5b, 0xff, 0x0a]);
    const stream = Buffer.concat([encodeJson({ op: 'attach', id: '3', req: 1 }), encodeData(raw), encodeData(Buffer.alloc(0)), encodeJson({ op: 'list' })]);
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(frames).toEqual([
        { kind: 'json', message: { op: 'attach', id: '3', req: 1 } },
        { kind: 'data', bytes: raw },
        { kind: 'data', bytes: Buffer.alloc(0) },
        { kind: 'json', message: { op: 'list' } },
      ]);
    }
  });

  it('one byte at a time', () => {
    const stream = Buffer.concat([encodeData(Buffer.from('hello')), encodeJson({ a: 1 })]);
    const reader = new FrameReader();
    const frames = [];
    for (const b of stream) frames.push(...reader.push(Buffer.from([b])));
    expect(frames.map((f) => (f.kind === 'data' ? f.bytes.toString() : f.message))).toEqual(['hello', { a: 1 }]);
  });

  it('refuses a malformed stream: unknown kind, oversized length, JSON that is not an object', () => {
    expect(() => new FrameReader().push(Buffer.from([9, 0, 0, 0, 0]))).toThrow(FrameError);
    const big = Buffer.alloc(5);
    big[0] = 2;
    big.writeUInt32BE(MAX_FRAME + 1, 1);
    expect(() => new FrameReader().push(big)).toThrow(/too large/);
    const notObject = Buffer.from('[1]');
    const f = Buffer.concat([Buffer.from([1, 0, 0, 0, notObject.length]), notObject]);
    expect(() => new FrameReader().push(f)).toThrow(/not an object/);
    const notJson = Buffer.from('{x');
    expect(() => new FrameReader().push(Buffer.concat([Buffer.from([1, 0, 0, 0, 2]), notJson]))).toThrow(/not JSON/);
  });
});

describe('the raw output log', () => {
  it('keeps everything under its limit', () => {
    const log = new RawLog(100);
    log.push(Buffer.from('a\nb\n'));
    log.push(Buffer.from('c\n'));
    expect(log.contents().toString()).toBe('a\nb\nc\n');
  });

  it('drops whole chunks from the front past its limit and starts at a line', () => {
    const log = new RawLog(16);
    log.push(Buffer.from('line1\nline2\n'));
    log.push(Buffer.from('xx\nline3\n'));
    log.push(Buffer.from('line4\n'));
    expect(log.dropped).toBe(12);
    expect(log.contents().toString()).toBe('xx\nline3\nline4\n');
    // Cut in the middle of a line: the rest of that line is left out.
    const cut = new RawLog(8);
    cut.push(Buffer.from('line1\nhal'));
    cut.push(Buffer.from('f\nline2\n'));
    expect(cut.contents().toString()).toBe('line2\n');
  });
});

const info = (over: Partial<SessionInfo>): SessionInfo => ({
  id: '1',
  name: '',
  instance: 'web',
  remote: '',
  project: 'default',
  command: 'shell',
  kind: 'exec',
  started: 0,
  lastOutput: 0,
  state: 'detached',
  exitCode: null,
  reason: '',
  clients: 0,
  ...over,
});

describe('the session registry', () => {
  it('numbers sessions, finds them by id or name, counts the running ones', () => {
    const r = new SessionRegistry<{ info: SessionInfo; running: boolean }>();
    const a = r.nextId();
    const b = r.nextId();
    expect([a, b]).toEqual(['1', '2']);
    r.add(a, { info: info({ id: a, name: 'build' }), running: true });
    r.add(b, { info: info({ id: b, state: 'exited', exitCode: 0 }), running: false });
    expect(r.get('build')?.info.id).toBe('1');
    expect(r.get('2')?.info.state).toBe('exited');
    expect(r.get('3')).toBeUndefined();
    expect(r.runningCount()).toBe(1);
    expect(r.remove('1')).toBe(true);
    expect(r.list().map((s) => s.id)).toEqual(['2']);
    expect(r.nextId()).toBe('3'); // never reused
  });

  it('accepts short names that are not numbers', () => {
    expect(validName('build-1')).toBeNull();
    expect(validName('')).toBeNull();
    expect(validName('12')).toMatch(/letter/);
    expect(validName('a b')).toMatch(/letter/);
  });
});

describe('the plain list', () => {
  it('one line a session, the state in words', () => {
    const now = 200_000;
    const text = sessionTable(
      [
        info({ id: '1', started: now - 5000, lastOutput: now - 1000 }),
        info({ id: '2', name: 'db', instance: 'db1', remote: 'prod', started: now - 7_200_000, state: 'exited', exitCode: 3 }),
        info({ id: '3', state: 'lost', reason: 'connection lost: websocket closed (1006)', command: 'top' }),
      ],
      now,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+INSTANCE\s+REMOTE\s+PROJECT\s+STARTED\s+OUTPUT\s+STATE\s+COMMAND$/);
    expect(lines[1]).toMatch(/^1\s+-\s+web\s+local\s+default\s+5s\s+1s\s+detached\s+shell$/);
    expect(lines[2]).toMatch(/^2\s+db\s+db1\s+prod\s+default\s+2h\s+-\s+exited \(3\)\s+shell$/);
    expect(lines[3]).toContain('lost: connection lost: websocket closed (1006)');
    expect(stateText(info({ state: 'exited', exitCode: null, reason: 'command not found: x' }))).toBe('exited: command not found: x');
  });
});
