// `lxtop edit` through the built CLI against the real LXD and Incus, with $EDITOR a script
// (test/support/editor-script.ts): a change reaches the server; a concurrent change made with the
// daemon's own tool while the editor is open gives the 412 path, after which both changes are on
// the server; invalid YAML and a refusal reopen the editor with the error; an editor that exits
// non-zero, or a text left as it was, changes nothing; a profile is edited the same way.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { scriptedEditor, type EditorRound } from '../support/editor-script.js';
import { daemonTool, launch, remove, runCli, uniqueName } from '../support/exec-instances.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `lxtop edit (${kind}, built CLI, scripted $EDITOR)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const bin = kind === 'lxd' ? 'lxc' : 'incus';
    const toolEnv = kind === 'lxd' ? `LXD_DIR=${socket.replace(/\/unix\.socket$/, '')}` : `INCUS_DIR=${socket.replace(/\/unix\.socket$/, '')}`;
    const name = uniqueName('ed');

    beforeAll(async () => {
      await launch(d, name, { start: false });
    }, 120_000);
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    const edit = async (plan: EditorRound[], args = [name]) => {
      const editor = scriptedEditor(plan);
      try {
        const run = await runCli(['--socket', socket, 'edit', ...args], undefined, 60_000, editor.env);
        const rounds = plan.map((_, i) => editor.given(i + 1));
        return { ...run, given: (n: number) => rounds[n - 1] ?? null };
      } finally {
        editor.remove();
      }
    };
    const get = async (key: string) => (await d.tool('config', 'get', name, key)).trim();

    it('a change made in the editor reaches the server; the text is the YAML lxc config edit shows', async () => {
      const run = await edit([{ set: { 'user.edited': 'one' } }]);
      expect(run.stderr).toBe('');
      expect(run.stdout.toString()).toBe(`lxtop: instance ${name}: saved\n`);
      expect(run.code).toBe(0);
      expect(await get('user.edited')).toBe('one');
      const given = run.given(1)!;
      expect(given).toMatch(/^architecture: \S+$/m);
      expect(given).toMatch(/^config:$/m);
      expect(given).toMatch(/^devices: \{\}$|^devices:$/m);
      expect(given).toMatch(/^profiles:\n {2}- default$/m);
      expect(given).toMatch(/^# lxtop: instance .+, as YAML/m);
    }, 60_000);

    it('a concurrent change while the editor is open: 412, the editor again with both, then both on the server', async () => {
      const concurrent = ['/usr/bin/env', toolEnv, bin, 'config', 'set', name, 'user.theirs=two'];
      const run = await edit([{ set: { 'user.mine': 'one' }, run: concurrent }, { set: { 'user.mine': 'one' } }]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const second = run.given(2)!;
      expect(second).toMatch(/changed by someone else while you edited \(the server answered 412/);
      // The server's version (with their change) first, then the edit, commented.
      expect(second).toMatch(/^ {2}user\.theirs: two$/m);
      expect(second).toMatch(/^# ---- your edit ----$/m);
      expect(second).toMatch(/^# {3}user\.mine: "one"$/m);
      const kept = /your edit is also kept in (\S+)/i.exec(second)![1];
      expect(readFileSync(kept, 'utf8')).toMatch(/user\.mine: "one"/);
      rmSync(kept);
      expect(await get('user.mine')).toBe('one');
      expect(await get('user.theirs')).toBe('two');
    }, 60_000);

    it('invalid YAML reopens the editor with the error on top and the text as it was', async () => {
      const run = await edit([{ insert: ['  user.bad: "unclosed'] }, { drop: ['user.bad'], set: { 'user.fixed': 'yes' } }]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const second = run.given(2)!;
      expect(second).toMatch(/^# lxtop: error: invalid YAML/m);
      expect(second).toMatch(/^ {2}user\.bad: "unclosed$/m);
      expect(await get('user.fixed')).toBe('yes');
    }, 60_000);

    it('a refusal by the server reopens the editor with its words; quitting then unchanged saves nothing', async () => {
      const before = await get('limits.memory');
      const run = await edit([{ set: { 'limits.memory': 'lots' } }, {}]);
      expect(run.code).toBe(1);
      expect(run.given(2)).toMatch(/^# lxtop: error: the server refused it: Invalid config: .*lots/m);
      expect(run.stderr).toMatch(/no change since lxtop reopened it: nothing saved/);
      expect(await get('limits.memory')).toBe(before);
    }, 60_000);

    it('an editor that exits non-zero changes nothing; a text left as it was is "no changes"', async () => {
      const failed = await edit([{ set: { 'user.never': 'x' }, exit: 3 }]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(`lxtop: instance ${name}: the editor exited with code 3: nothing changed\n`);
      expect(await get('user.never')).toBe('');
      const same = await edit([{}]);
      expect(same.code).toBe(0);
      expect(same.stdout.toString()).toBe(`lxtop: instance ${name}: no changes\n`);
    }, 60_000);

    it('a profile: its description changed; a missing one is a clear message; --read-only refuses', async () => {
      const profile = uniqueName('edp');
      await d.tool('profile', 'create', profile);
      try {
        const run = await edit([{ description: 'edited by lxtop' }], ['profile', profile]);
        expect(run.code).toBe(0);
        expect(await d.tool('profile', 'show', profile)).toMatch(/^description: edited by lxtop$/m);
      } finally {
        await d.tool('profile', 'delete', profile);
      }
      const missing = await edit([{}], ['profile', `${profile}-gone`]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`^lxtop: profile ${profile}-gone: .*not found`, 'im'));
      const ro = await runCli(['--socket', socket, '--read-only', 'edit', name]);
      expect(ro.code).toBe(1);
      expect(ro.stderr).toBe('lxtop: --read-only: edit changes the server and is refused\n');
    }, 60_000);
  });
}

suite('lxd');
suite('incus');
