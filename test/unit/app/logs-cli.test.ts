// `lxtop logs`: its arguments, and following a log (appended, replaced by a file of the same size,
// shrunk; the console log read whole) against a log kept in memory.
import { describe, expect, it } from 'vitest';
import { overlapOf, parseLogsArgs, readNew, runLogs, type FollowPoint, type LogReader } from '../../../src/app/logs-cli.js';
import type { LxdApi } from '../../../src/lxd/api.js';

/** A reader over `file.text` that answers like readLogText: from the end, nothing; past it (shrunk), all. */
function fileReader(file: { text: string }, calls: number[] = []): LogReader {
  return async (from) => {
    calls.push(from);
    const bytes = Buffer.from(file.text);
    if (from > bytes.length) return { text: file.text, size: bytes.length, from: 0 };
    if (from === bytes.length) return { text: '', size: bytes.length, from };
    return { text: bytes.subarray(from).toString(), size: bytes.length, from };
  };
}

const point = (text: string): FollowPoint => ({ size: Buffer.byteLength(text), tail: overlapOf(Buffer.from(text)) });

describe('parseLogsArgs', () => {
  it('takes a name, remote:name, --console, -f, --file', () => {
    expect(parseLogsArgs(['c1'])).toMatchObject({ instance: 'c1', console: false, follow: false });
    expect(parseLogsArgs(['prod:c1', '-f', '--console'])).toMatchObject({ remote: 'prod', instance: 'c1', console: true, follow: true });
    expect(parseLogsArgs(['--file', 'lxc.conf', 'c1'])).toMatchObject({ file: 'lxc.conf', instance: 'c1' });
    expect(parseLogsArgs(['--help'])).toMatchObject({ help: true });
  });

  it('refuses what it does not know', () => {
    expect(() => parseLogsArgs([])).toThrow(/which instance/);
    expect(() => parseLogsArgs(['c1', 'c2'])).toThrow(/unexpected argument "c2"/);
    expect(() => parseLogsArgs(['c1', '--tail'])).toThrow(/unknown option --tail/);
    expect(() => parseLogsArgs([':c1'])).toThrow(/empty remote/);
    expect(() => parseLogsArgs(['c1', '--console', '--file', 'x'])).toThrow(/exclude/);
  });
});

describe('readNew (follow)', () => {
  it('prints only what was appended, reading from a little before the end', async () => {
    const file = { text: 'line one\nline two\n' };
    const calls: number[] = [];
    const at = point(file.text);
    file.text += 'line three\n';
    const got = await readNew(fileReader(file, calls), at, false);
    expect(got.text).toBe('line three\n');
    expect(calls).toEqual([0]); // the whole first text is shorter than the overlap
    const again = await readNew(fileReader(file, calls), got.at, false);
    expect(again.text).toBe('');
  });

  it('reads a range on a long log', async () => {
    const file = { text: 'x'.repeat(1000) + '\n' };
    const calls: number[] = [];
    const at = point(file.text);
    file.text += 'tail\n';
    const got = await readNew(fileReader(file, calls), at, false);
    expect(got.text).toBe('tail\n');
    expect(calls).toEqual([1001 - 64]);
  });

  it('prints a file replaced by one of the same size from its start', async () => {
    const file = { text: `${'a'.repeat(200)} 20261206175859\n` };
    const at = point(file.text);
    file.text = `${'a'.repeat(200)} 20261206180020\n`;
    const got = await readNew(fileReader(file), at, false);
    expect(got.text).toBe(file.text);
  });

  it('prints a file that shrank from its start', async () => {
    const file = { text: 'y'.repeat(500) };
    const at = point(file.text);
    file.text = 'new start\n';
    expect((await readNew(fileReader(file), at, false)).text).toBe('new start\n');
  });

  it('the console log, read whole, gives its new part', async () => {
    const log = { text: 'boot\n' };
    const whole: LogReader = async () => ({ text: log.text, size: Buffer.byteLength(log.text), from: 0 });
    const at = point(log.text);
    log.text += 'login: ';
    expect((await readNew(whole, at, true)).text).toBe('login: ');
  });

  it('does not start the overlap inside a UTF-8 sequence', () => {
    const text = Buffer.from(`${'é'.repeat(40)}`); // 80 bytes
    const tail = overlapOf(text);
    expect(tail.toString()).toBe('é'.repeat(32));
  });
});

describe('runLogs', () => {
  it('names the instance and file when the daemon refuses', async () => {
    const api = {
      getInstance: async () => ({ instance: { type: 'virtual-machine' }, etag: null }),
      instanceLog: async (_n: string, file: string) => {
        throw new Error(`log file name ${file} not valid`);
      },
    } as unknown as LxdApi;
    await expect(runLogs(api, parseLogsArgs(['vm1']), { write: () => undefined })).rejects.toThrow('cannot read qemu.log of vm1: log file name qemu.log not valid');
  });
});
