// The files view (F) through the built TUI against the real LXD and Incus: a directory the test
// made is listed with each entry's type, mode and owner; Enter goes in, Backspace comes back out;
// p pulls a file to a local path; u pushes a local file in; e edits a text file in $EDITOR (a
// script) and the instance's file changes, keeping its mode and owner; d deletes after asking; a
// directory gone meanwhile is the server's words on screen; --read-only lists and pulls but
// refuses push, edit and delete. Each suite makes its own instance and removes it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { scriptedEditor } from '../support/editor-script.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `the files view (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('fv');
    const dir = mkdtempSync(join(tmpdir(), 'lxtop-files-view-'));
    const sessions: PtySession[] = [];

    beforeAll(async () => {
      await launch(d, name);
      await d.tool('exec', name, '--', 'sh', '-c', 'mkdir -p /root/fvdir/sub && ln -s sub /root/fvdir/link && printf "hello\\n" > /root/fvdir/a.txt && chmod 0640 /root/fvdir/a.txt && chown 1000:1001 /root/fvdir/a.txt');
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      await remove(d, name);
      rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    const inInstance = async (path: string) => (await d.tool('exec', name, '--', 'cat', path));
    const title = (path: string) => new RegExp(`Files of ${name}: ${path.replace(/[/.]/g, '\\$&')} \\(\\d+\\)(?!  reading)\\s*$`, 'm');
    const open = async (args: string[] = [], env: Record<string, string> = {}) => {
      const s = startCli(['--socket', socket, ...args], { cols: 150, rows: 30, env, cwd: dir });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write(`/${name}\r`);
      await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
      s.write('F');
      await s.waitFor(title('/'), 20_000);
      return s;
    };
    /** Moves the cursor onto the row `label` (`root/`, `a.txt`): from the top, a row at a time. */
    const select = async (s: PtySession, label: string) => {
      const row = new RegExp(`^>${label.replace(/[/.]/g, '\\$&')}\\s`, 'm');
      const cursor = () => /^>.*$/m.exec(s.screen())?.[0] ?? '';
      const first = () => /^ NAME .*\n(>.*)$/m.test(s.screen());
      s.write('g');
      await s.waitFor(first, 5000);
      for (let i = 0; i < 60 && !row.test(s.screen()); i++) {
        const before = cursor();
        s.write('j');
        // Wait for the cursor to move (at the last row it does not).
        await s.waitFor(() => cursor() !== before, 2000).catch(() => undefined);
      }
      await s.waitFor(row, 5000);
    };
    const into = async (s: PtySession, label: string, path: string) => {
      await select(s, `${label}/`);
      s.write('\r');
      await s.waitFor(title(path), 15_000);
    };
    const prompt = async (s: PtySession, heading: string | RegExp, value: string) => {
      await s.waitFor(heading);
      s.write(`\x15${value}\r`);
    };

    it('lists a directory, goes in and out, pulls, pushes, edits and deletes a file', async () => {
      const editor = scriptedEditor([{ raw: 'edited from lxtop\n' }]);
      try {
        const s = await open([], editor.env);
        await into(s, 'root', '/root');
        await into(s, 'fvdir', '/root/fvdir');
        // Directories first; type, mode and owner from the server.
        await s.waitFor(/^>sub\/\s+directory\s+0755\s/m);
        await s.waitFor(/^ a\.txt\s+file\s+0640\s.*1000:1001/m);
        // A symbolic link to a directory: Enter follows it.
        await s.waitFor(/^ link@\s+symlink\s+0777/m);
        await select(s, 'link@');
        s.write('\r');
        await s.waitFor(title('/root/fvdir/sub'), 15_000);
        s.write('\x7f');
        await s.waitFor(title('/root/fvdir'));
        s.write('\x7f'); // Backspace: out, the directory we came from selected
        await s.waitFor(title('/root'));
        await s.waitFor(/^>fvdir\/\s+directory/m);
        s.write('\r');
        await s.waitFor(title('/root/fvdir'));

        // Pull, to the default ./a.txt (lxtop's working directory is the test's).
        await select(s, 'a.txt');
        s.write('p');
        await s.waitFor(`Pull ${name}:/root/fvdir/a.txt to`);
        await s.waitFor('./a.txt');
        s.write('\r');
        await s.waitFor(/Pulled .*a\.txt to \.\/a\.txt/, 15_000);
        expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello\n');

        // Push a local file into this directory.
        writeFileSync(join(dir, 'pushed.txt'), 'pushed by lxtop\n');
        s.write('u');
        await prompt(s, `Push a local file into ${name}:/root/fvdir`, join(dir, 'pushed.txt'));
        await s.waitFor(/Pushed .*pushed\.txt to .*:\/root\/fvdir\/pushed\.txt/, 15_000);
        await s.waitFor(/^>pushed\.txt\s+file/m, 15_000);
        expect(await inInstance('/root/fvdir/pushed.txt')).toBe('pushed by lxtop\n');

        // Edit a.txt in the scripted editor: the instance's file changes, mode and owner kept.
        await select(s, 'a.txt');
        s.write('e');
        await s.waitFor(new RegExp(`${name}:/root/fvdir/a\\.txt: written \\(18 bytes\\)`), 20_000);
        expect(editor.given(1)).toBe('hello\n');
        expect(await inInstance('/root/fvdir/a.txt')).toBe('edited from lxtop\n');
        expect((await d.tool('exec', name, '--', 'stat', '-c', '%a %u %g', '/root/fvdir/a.txt')).trim()).toBe('640 1000 1001');
        await s.waitFor(title('/root/fvdir'));

        // Delete asks; n keeps it, y deletes it.
        await select(s, 'pushed.txt');
        s.write('d');
        await s.waitFor(`Delete ${name}:/root/fvdir/pushed.txt?`);
        s.write('n');
        await s.waitFor(title('/root/fvdir'));
        expect(await inInstance('/root/fvdir/pushed.txt')).toBe('pushed by lxtop\n');
        await select(s, 'pushed.txt');
        s.write('d');
        await s.waitFor(`Delete ${name}:/root/fvdir/pushed.txt?`);
        s.write('y');
        await s.waitFor(new RegExp(`Deleted ${name}:/root/fvdir/pushed\\.txt`), 15_000);
        await s.waitFor((x) => title('/root/fvdir').test(x) && !x.includes('pushed.txt '), 15_000);
        await expect(inInstance('/root/fvdir/pushed.txt')).rejects.toThrow();

        // The directory removed behind the view's back: reading it again gives the server's words.
        await into(s, 'sub', '/root/fvdir/sub');
        await d.tool('exec', name, '--', 'rm', '-rf', '/root/fvdir/sub');
        s.write('\x12'); // Ctrl-R: read again
        await s.waitFor(new RegExp(`error: ${name}:/root/fvdir/sub: Not Found \\(no such file or directory\\)`), 15_000);
        s.write('\x1b');
        await s.waitFor((x) => !x.includes('Files of'));
      } finally {
        editor.remove();
      }
    }, 150_000);

    it('--read-only lists and pulls but refuses push, edit and delete', async () => {
      await d.tool('exec', name, '--', 'sh', '-c', 'mkdir -p /root/ro && printf "keep\\n" > /root/ro/k.txt');
      const s = await open(['--read-only']);
      await into(s, 'root', '/root');
      await into(s, 'ro', '/root/ro');
      await select(s, 'k.txt');
      const refusals: [string, RegExp][] = [
        ['u', /Read-only mode: push a local file into this directory refused/],
        ['e', /Read-only mode: edit the text file in \$editor.* refused/],
        ['d', /Read-only mode: delete the file refused/],
      ];
      for (const [key, refused] of refusals) {
        s.write(key);
        await s.waitFor(refused, 5000);
        expect(s.screen()).toMatch(title('/root/ro'));
        expect(s.screen()).not.toMatch(/Delete .*k\.txt\?|Push a local file/);
      }
      s.write('p');
      await prompt(s, `Pull ${name}:/root/ro/k.txt to`, join(dir, 'ro-k.txt'));
      await s.waitFor(/Pulled .*k\.txt/, 15_000);
      expect(readFileSync(join(dir, 'ro-k.txt'), 'utf8')).toBe('keep\n');
      expect(await inInstance('/root/ro/k.txt')).toBe('keep\n');
    }, 120_000);
  });
}

suite('lxd');
suite('incus');
