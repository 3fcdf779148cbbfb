// `lxtop file push` / `lxtop file pull` through the built CLI against the real LXD and Incus: a
// 5 MB random file pushed then pulled is byte-exact (sha256) and keeps the mode asked for, and so
// is a 20 MB one (both ways through the instance's SFTP server, many requests in flight); the
// daemon's own tool sees what was pushed; a missing path and a refused write are clear messages in
// the server's words (and leave no local file); --read-only refuses push.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `lxtop file push/pull (${kind}, built CLI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('fc');
    const dir = mkdtempSync(join(tmpdir(), 'lxtop-file-cli-'));
    const data = randomBytes(5 * 1024 * 1024);
    const source = join(dir, 'random.bin');

    beforeAll(async () => {
      writeFileSync(source, data, { mode: 0o640 });
      await launch(d, name);
    }, 120_000);
    afterAll(async () => {
      await remove(d, name);
      rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    const file = (...args: string[]) => runCli(['--socket', socket, 'file', ...args], undefined, 60_000);

    it('push then pull of a 5 MB random file is byte-exact; the mode goes with it', async () => {
      const push = await file('push', '--mode', '0604', source, `${name}/root/`);
      expect(push.stderr).toMatch(new RegExp(`pushed .*random\\.bin to ${name}:/root/random\\.bin \\(5242880 bytes`));
      expect(push.code).toBe(0);
      // The daemon's own tool reads the same bytes.
      const theirs = join(dir, 'theirs.bin');
      await d.tool('file', 'pull', `${name}/root/random.bin`, theirs);
      expect(sha(readFileSync(theirs))).toBe(sha(data));
      const back = join(dir, 'back.bin');
      const pull = await file('pull', `${name}/root/random.bin`, back);
      expect(pull.code).toBe(0);
      expect(sha(readFileSync(back))).toBe(sha(data));
      expect(statSync(back).mode & 0o777).toBe(0o604);
      // Into a directory: the file keeps its name; to stdout with -.
      const into = mkdtempSync(join(dir, 'into-'));
      expect((await file('pull', '-q', `${name}/root/random.bin`, into)).code).toBe(0);
      expect(sha(readFileSync(join(into, 'random.bin')))).toBe(sha(data));
      const out = await file('pull', '-q', `${name}/root/random.bin`, '-');
      expect(out.code).toBe(0);
      expect(sha(out.stdout)).toBe(sha(data));
    }, 90_000);

    it('a file bigger than the transfers keep in flight (20 MB and a piece: buffers used again, a short last piece) goes both ways byte-exact', async () => {
      const big = randomBytes(20 * 1024 * 1024 + 12_345);
      const local = join(dir, 'big.bin');
      writeFileSync(local, big);
      const push = await file('push', '-q', local, `${name}/root/big.bin`);
      expect(push.stderr.toString()).toBe('');
      expect(push.code).toBe(0);
      const theirs = join(dir, 'big-theirs.bin');
      await d.tool('file', 'pull', `${name}/root/big.bin`, theirs);
      expect(statSync(theirs).size).toBe(big.length);
      expect(sha(readFileSync(theirs))).toBe(sha(big));
      // Pulled back through the instance's SFTP server: 32 reads of 32 KiB in flight, a short last one.
      const back = join(dir, 'big-back.bin');
      const pull = await file('pull', '-q', `${name}/root/big.bin`, back);
      expect(pull.stderr.toString()).toBe('');
      expect(pull.code).toBe(0);
      expect(statSync(back).size).toBe(big.length);
      expect(sha(readFileSync(back))).toBe(sha(big));
      rmSync(local);
      rmSync(theirs);
      rmSync(back);
    }, 90_000);

    it('a missing path is a clear message, and no local file is left', async () => {
      const target = join(dir, 'missing.bin');
      const run = await file('pull', `${name}/no/such/file`, target);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`lxtop: ${name}:/no/such/file: Not Found (no such file or directory)\n`);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(dir).some((f) => f.includes('lxtop-part'))).toBe(false);
      const missing = await file('pull', `no-such-${name}/etc/passwd`, target);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/Instance not found/);
    }, 60_000);

    it('a refused write is the server\'s words; a directory is not pulled as a file', async () => {
      const run = await file('push', source, `${name}/proc/version`);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`lxtop: ${name}:/proc/version: Forbidden (the server refused to write there)\n`);
      const into = await file('push', source, `${name}/no-such-dir/x.bin`);
      expect(into.code).toBe(1);
      expect(into.stderr).toBe(`lxtop: ${name}:/no-such-dir/x.bin: Not Found (no such file or directory)\n`);
      const dirPull = await file('pull', `${name}/etc`, join(dir, 'etc'));
      expect(dirPull.code).toBe(1);
      expect(dirPull.stderr).toBe(`lxtop: ${name}:/etc: is a directory\n`);
    }, 60_000);

    it('--read-only refuses push (pull still works)', async () => {
      const run = await runCli(['--socket', socket, '--read-only', 'file', 'push', source, `${name}/root/ro.bin`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--read-only: file push changes the instance and is refused/);
      await expect(d.tool('file', 'pull', `${name}/root/ro.bin`, join(dir, 'ro.bin'))).rejects.toThrow();
      const pull = await runCli(['--socket', socket, '--read-only', 'file', 'pull', '-q', `${name}/etc/passwd`, '-']);
      expect(pull.code).toBe(0);
      expect(pull.stdout.toString()).toMatch(/^root:/);
    }, 60_000);
  });
}

suite('lxd');
suite('incus');
