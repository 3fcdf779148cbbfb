// Editing and the resources views through the built TUI against the real LXD and Incus, $EDITOR a
// script (test/support/editor-script.ts): c edits the selected instance in the editor and the change
// reaches the server; a concurrent change while the editor is open takes the 412 path and both
// changes end on the server; K's prompt sets limits.memory (and a change made after K read the
// instance is refused, not overwritten); 6 lists a profile made by the test, n makes one, d asks and
// deletes it, a profile in use is refused in the server's words; 8 shows the pool and Enter its
// volumes; --read-only lists but hides and refuses the changes. Each suite makes what it uses.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { scriptedEditor, type EditorRound, type ScriptedEditor } from '../support/editor-script.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, pickInList, startCli, type PtySession } from '../support/pty.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `edit, quick settings and the resources views (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const bin = kind === 'lxd' ? 'lxc' : 'incus';
    const toolEnv = kind === 'lxd' ? `LXD_DIR=${socket.replace(/\/unix\.socket$/, '')}` : `INCUS_DIR=${socket.replace(/\/unix\.socket$/, '')}`;
    const name = uniqueName('rsv');
    const profile = uniqueName('rsvp');
    const made = uniqueName('rsvn');
    const volume = uniqueName('rsvv');
    const bridge = uniqueName('rsb'); // 13 characters: an interface name has at most 15
    const pool = uniqueName('rsq');
    const newVolume = uniqueName('rsvw');
    const sessions: PtySession[] = [];
    const editors: ScriptedEditor[] = [];

    beforeAll(async () => {
      await launch(d, name, { start: false });
      await d.tool('profile', 'create', profile);
      await d.tool('storage', 'volume', 'create', 'default', volume);
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
      for (const e of editors.splice(0)) e.remove();
    });
    afterAll(async () => {
      await remove(d, name);
      for (const p of [profile, made]) await d.tool('profile', 'delete', p).catch(() => undefined);
      for (const v of [volume, newVolume]) await d.tool('storage', 'volume', 'delete', 'default', v).catch(() => undefined);
      await d.tool('network', 'delete', bridge).catch(() => undefined);
      await d.tool('storage', 'delete', pool).catch(() => undefined);
    }, 120_000);

    /** Moves the list's selection onto `row` (a regex source), one row at a time, up or down. */
    const select = async (s: PtySession, row: string) => {
      const lines = (x: string) => x.split('\n');
      const on = (x: string) => new RegExp(`^>${row}\\s`, 'm').test(x);
      for (let i = 0; i < 30 && !on(s.screen()); i++) {
        const before = s.screen();
        const at = lines(before).findIndex((l) => l.startsWith('>'));
        const to = lines(before).findIndex((l) => new RegExp(`^[ >]${row}\\s`).test(l));
        s.write(to > at ? 'j' : 'k');
        await s.waitFor((x) => x !== before || on(x), 3000);
      }
      await s.waitFor(on, 2000);
    };
    const get = async (key: string) => (await d.tool('config', 'get', name, key)).trim();
    const open = async (args: string[] = [], plan: EditorRound[] = []) => {
      const editor = scriptedEditor(plan);
      editors.push(editor);
      const s = startCli(['--socket', socket, ...args], { cols: 160, rows: 30, env: editor.env });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write(`/${name}\r`);
      await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
      return { s, editor };
    };

    it('c edits the selected instance in $EDITOR: the change reaches the server', async () => {
      const { s, editor } = await open([], [{ set: { 'user.tui': 'one' } }]);
      s.write('c');
      await s.waitFor(`instance ${name}: saved`, 30_000);
      expect(await get('user.tui')).toBe('one');
      expect(editor.given(1)).toMatch(/^profiles:\n {2}- default$/m);
      // The panes are back.
      await s.waitFor(listedLive);
    }, 60_000);

    it('a concurrent change while the editor is open: the 412 path, then both changes on the server', async () => {
      const concurrent = ['/usr/bin/env', toolEnv, bin, 'config', 'set', name, 'user.theirs=two'];
      const { s, editor } = await open([], [{ set: { 'user.mine': 'one' }, run: concurrent }, { set: { 'user.mine': 'one' } }]);
      s.write('c');
      await s.waitFor(`instance ${name}: saved`, 30_000);
      expect(editor.given(2)).toMatch(/changed by someone else while you edited \(the server answered 412/);
      expect(editor.given(2)).toMatch(/user\.theirs: "?two"?/);
      expect(await get('user.mine')).toBe('one');
      expect(await get('user.theirs')).toBe('two');
    }, 60_000);

    it('an editor that exits non-zero changes nothing, and says so', async () => {
      const { s } = await open([], [{ set: { 'user.never': 'x' }, exit: 3 }]);
      s.write('c');
      await s.waitFor(`instance ${name}: the editor exited with code 3: nothing changed`, 30_000);
      expect(await get('user.never')).toBe('');
    }, 60_000);

    it('K sets limits.memory with a prompt; a change made after K read the instance is refused (412), not overwritten', async () => {
      const { s } = await open();
      s.write('K');
      await s.waitFor(`Quick settings of ${name}`);
      await pickInList(s, 'limits.memory');
      await s.waitFor(`limits.memory of ${name}`);
      s.write('\x15256MiB\r');
      await s.waitFor(`${name}: limits.memory set to 256MiB`, 15_000);
      expect(await get('limits.memory')).toBe('256MiB');
      // A bad value is refused before anything is sent.
      s.write('K');
      await s.waitFor(`Quick settings of ${name}`);
      await pickInList(s, 'limits.cpu');
      await s.waitFor(`limits.cpu of ${name}`);
      s.write('\x15two\r');
      await s.waitFor('A count (2) or a set of CPUs (0-1,3)');
      s.write('\x1b');
      await s.waitFor((x) => !x.includes(`limits.cpu of ${name}`));
      // K read the instance (its ETag); a change made meanwhile makes the PATCH fail with 412.
      s.write('K');
      await s.waitFor(`Quick settings of ${name}`);
      await d.tool('config', 'set', name, 'user.between=yes');
      await pickInList(s, 'boot.autostart');
      await s.waitFor(`${name} was changed meanwhile (the server answered 412): nothing saved`, 15_000);
      expect(await get('boot.autostart')).toBe('');
      expect(await get('user.between')).toBe('yes');
    }, 90_000);

    it('K adds and removes a profile', async () => {
      const { s } = await open();
      s.write('K');
      await s.waitFor(`Quick settings of ${name}`);
      await pickInList(s, 'add a profile');
      await s.waitFor(`Add a profile to ${name}`);
      await pickInList(s, profile);
      await s.waitFor(`${name}: profile ${profile} added`, 15_000);
      expect(await d.tool('config', 'show', name)).toMatch(new RegExp(`^- ${profile}$`, 'm'));
      s.write('K');
      await s.waitFor(`Quick settings of ${name}`);
      await pickInList(s, 'remove a profile');
      await s.waitFor(`Remove a profile from ${name}`);
      await pickInList(s, profile);
      await s.waitFor(`${name}: profile ${profile} removed`, 15_000);
      expect(await d.tool('config', 'show', name)).not.toMatch(new RegExp(`^- ${profile}$`, 'm'));
    }, 90_000);

    it('6 lists the profiles; n makes one, d asks then deletes it; a profile in use is refused in the server\'s words', async () => {
      const { s } = await open();
      s.write('6');
      await s.waitFor(new RegExp(`Profiles: \\d+`));
      await s.waitFor(new RegExp(`^[> ]${profile}\\s+0`, 'm'));
      // Esc at the name goes back to the list, nothing made.
      s.write('n');
      await s.waitFor('New profile');
      s.write('\x1b');
      await s.waitFor((x) => x.includes('Profiles:') && !x.includes('New profile'));
      s.write('n');
      await s.waitFor('New profile');
      s.write(`${made}\r`);
      await s.waitFor(new RegExp(`^[> ]${made}\\s+0`, 'm'), 15_000);
      expect(await d.tool('profile', 'list', '-f', 'csv')).toContain(made);
      // Select it, look at it, delete it (asked first; n keeps it).
      await select(s, made);
      s.write('\r');
      await s.waitFor(/^config: \{\}\s*$/m);
      s.write('\x1b');
      await s.waitFor(new RegExp(`^>${made}`, 'm'));
      s.write('d');
      await s.waitFor(`Delete profile ${made}?`);
      s.write('n');
      await s.waitFor(new RegExp(`^>${made}`, 'm'));
      expect(await d.tool('profile', 'list', '-f', 'csv')).toContain(made);
      s.write('d');
      await s.waitFor(`Delete profile ${made}?`);
      s.write('y');
      await s.waitFor((x) => x.includes(`Deleted profile ${made}`) && !new RegExp(`^[> ]${made}\\s`, 'm').test(x), 15_000);
      expect(await d.tool('profile', 'list', '-f', 'csv')).not.toContain(made);
      // A profile in use: the server refuses, its words on the status line, the profile stays.
      await d.tool('profile', 'add', name, profile);
      try {
        await s.waitFor(new RegExp(`^[> ]${profile}\\s+1`, 'm'), 15_000);
        await select(s, profile);
        s.write('d');
        await s.waitFor(`Delete profile ${profile}?`);
        s.write('y');
        await s.waitFor(new RegExp(`delete profile ${profile}: .*(in use|used by)`, 'i'), 15_000);
        expect(await d.tool('profile', 'list', '-f', 'csv')).toContain(profile);
      } finally {
        await d.tool('profile', 'remove', name, profile);
      }
    }, 120_000);

    it('8 shows the pool with its driver and use; Enter lists its volumes; Esc goes back to the pools', async () => {
      const { s } = await open();
      s.write('8');
      await s.waitFor(/^>default\s+dir\s+\S+\s+\d[\d.]*\w+\s+\d[\d.]*\w+\s+\d[\d.]*%/m, 15_000);
      s.write('\r');
      await s.waitFor(`Volumes of pool default`);
      await s.waitFor(new RegExp(`^[> ]custom\\s+${volume}\\s+filesystem\\s+0`, 'm'), 15_000);
      await s.waitFor(new RegExp(`^[> ]container\\s+${name}\\s+filesystem\\s+1`, 'm'));
      s.write('\x1b');
      await s.waitFor(/Storage pools: \d+/);
      s.write('8');
      await s.waitFor((x) => !x.includes('Storage pools:'));
    }, 60_000);

    it('c in the profiles view edits the selected profile in $EDITOR', async () => {
      const { s, editor } = await open([], [{ description: 'edited from the view' }]);
      s.write('6');
      await s.waitFor(new RegExp(`^[> ]${profile}\\s`, 'm'), 15_000);
      await select(s, profile);
      s.write('c');
      await s.waitFor(`profile ${profile}: saved`, 30_000);
      expect(editor.given(1)).toMatch(/^devices: \{\}$/m);
      expect(await d.tool('profile', 'show', profile)).toMatch(/^description: edited from the view$/m);
      // Back on the list, which the profile-updated event read again.
      await s.waitFor(new RegExp(`^>${profile}\\s+\\d+\\s+edited from the view`, 'm'), 15_000);
    }, 60_000);

    it('the views keep to the project: its own profiles, not the default project\'s', async () => {
      const project = uniqueName('rsj');
      const own = uniqueName('rsjp');
      await d.tool('project', 'create', project, '-c', 'features.profiles=true');
      try {
        await d.tool('profile', 'create', own, '--project', project);
        const s = startCli(['--socket', socket, '--project', project], { cols: 160, rows: 30 });
        sessions.push(s);
        await s.waitFor(listedLive, 15_000);
        s.write('6');
        await s.waitFor(new RegExp(`^[> ]${own}\\s+0`, 'm'), 15_000);
        expect(s.screen()).not.toContain(profile);
        s.write('n');
        await s.waitFor('New profile');
        s.write(`${own}-2\r`);
        await s.waitFor(new RegExp(`^[> ]${own}-2\\s+0`, 'm'), 15_000);
        expect(await d.tool('profile', 'list', '--project', project, '-f', 'csv')).toContain(`${own}-2`);
        expect(await d.tool('profile', 'list', '-f', 'csv')).not.toContain(`${own}-2`);
      } finally {
        for (const p of [own, `${own}-2`, 'default']) await d.tool('profile', 'delete', p, '--project', project).catch(() => undefined);
        await d.tool('project', 'delete', project).catch(() => undefined);
      }
    }, 60_000);

    it('7 makes a bridge from a name and config words, then deletes it (asked first)', async () => {
      const { s } = await open();
      s.write('7');
      await s.waitFor(/Networks: \d+/);
      await s.waitFor(/^[> ]eth0\s+physical\s+no\s/m, 15_000);
      s.write('n');
      await s.waitFor('New network');
      s.write(`${bridge} ipv4.address=none ipv6.address=none bogus\r`);
      await s.waitFor('"bogus" is not key=value');
      s.write('\x15');
      s.write(`${bridge} ipv4.address=none ipv6.address=none\r`);
      await s.waitFor(new RegExp(`^[> ]${bridge}\\s+bridge\\s+yes\\s+Created\\s+0`, 'm'), 15_000);
      expect(await d.tool('network', 'get', bridge, 'ipv4.address')).toMatch(/^none\s*$/);
      await select(s, bridge);
      s.write('d');
      await s.waitFor(`Delete network ${bridge}?`);
      s.write('y');
      await s.waitFor((x) => x.includes(`Deleted network ${bridge}`) && !x.includes(`${bridge} `), 15_000);
      expect(await d.tool('network', 'list', '-f', 'csv')).not.toContain(bridge);
    }, 60_000);

    it('8 makes a dir pool and deletes it; in a pool, n makes a custom volume and d deletes it', async () => {
      const { s } = await open();
      s.write('8');
      await s.waitFor(/Storage pools: \d+/);
      s.write('n');
      await s.waitFor('New storage pool');
      s.write(`${pool}\r`);
      await s.waitFor(new RegExp(`^[> ]${pool}\\s+dir\\s+Created`, 'm'), 15_000);
      expect(await d.tool('storage', 'list', '-f', 'csv')).toContain(pool);
      await select(s, pool);
      s.write('d');
      await s.waitFor(`Delete storage pool ${pool}?`);
      s.write('y');
      await s.waitFor((x) => x.includes(`Deleted storage pool ${pool}`) && !x.includes(`${pool} `), 15_000);
      expect(await d.tool('storage', 'list', '-f', 'csv')).not.toContain(pool);
      await select(s, 'default');
      s.write('\r');
      await s.waitFor('Volumes of pool default');
      s.write('n');
      await s.waitFor('New volume in pool default');
      s.write(`${newVolume} size=64MiB\r`);
      await s.waitFor(new RegExp(`^[> ]custom\\s+${newVolume}\\s+filesystem\\s+0`, 'm'), 15_000);
      expect((await d.tool('storage', 'volume', 'get', 'default', newVolume, 'size')).trim()).toBe('64MiB');
      // A container's volume is the instance's: not deleted from here.
      await select(s, 'container');
      s.write('d');
      await s.waitFor(/delete: \S+ is a container volume: only custom volumes are changed here/);
      await select(s, `custom\\s+${newVolume}`);
      s.write('d');
      await s.waitFor(`Delete volume default/${newVolume}?`);
      s.write('y');
      await s.waitFor((x) => x.includes(`Deleted storage volume default/${newVolume}`) && !x.includes(`${newVolume} `), 15_000);
      expect(await d.tool('storage', 'volume', 'list', 'default', '-f', 'csv')).not.toContain(newVolume);
    }, 90_000);

    it('--read-only lists profiles and storage but hides and refuses edit, new and delete', async () => {
      const { s } = await open(['--read-only'], [{ set: { 'user.ro': 'x' } }]);
      s.write('c');
      await s.waitFor('Read-only mode: edit the configuration in $editor refused');
      s.write('K');
      await s.waitFor('Read-only mode: quick settings: cpu and memory limits, boot.autostart, profiles refused');
      s.write('6');
      await s.waitFor(new RegExp(`^[> ]${profile}\\s+`, 'm'), 15_000);
      expect(s.screen()).not.toMatch(/\bn new\b|\bd delete\b|\bc edit\b/);
      expect(s.screen()).toMatch(/Esc cancel\s+Enter open/);
      s.write('n');
      await s.waitFor(/Read-only mode: new: an empty profile.* refused/);
      s.write('d');
      await s.waitFor(/Read-only mode: delete refused/);
      expect(await d.tool('profile', 'list', '-f', 'csv')).toContain(profile);
      expect(await get('user.ro')).toBe('');
    }, 60_000);
  });
}

suite('lxd');
suite('incus');

describeOn(['cluster'], 'the storage view on a cluster (built TUI)', () => {
  const socket = daemonSocket('cluster')!;
  const d = daemonTool('lxd', socket);
  const volume = uniqueName('rscv');
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    // One name on both members: the daemon answers a request without ?target= with "More than one
    // cluster member has a volume named …".
    await d.tool('storage', 'volume', 'create', 'default', volume, '--target', 'm2');
    await d.tool('storage', 'volume', 'create', 'default', volume, '--target', 'm1');
  }, 60_000);
  afterAll(async () => {
    for (const s of sessions.splice(0)) s.kill('SIGKILL');
    for (const m of ['m1', 'm2']) await d.tool('storage', 'volume', 'delete', 'default', volume, '--target', m).catch(() => undefined);
  }, 60_000);

  it("two volumes of one name on the two members: each listed with its member; the one on m2 shown and deleted there (?target=)", async () => {
    const s = startCli(['--socket', socket], { cols: 160, rows: 40 });
    sessions.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write('8');
    await s.waitFor(/^>default\s+dir\s+Created/m, 15_000);
    s.write('\r');
    await s.waitFor(new RegExp(`^[> ]custom\\s+${volume}\\s+filesystem\\s+0\\s+m1`, 'm'), 15_000);
    await s.waitFor(new RegExp(`^[> ]custom\\s+${volume}\\s+filesystem\\s+0\\s+m2`, 'm'), 15_000);
    const onM2 = new RegExp(`^>custom\\s+${volume}\\s+filesystem\\s+0\\s+m2`, 'm');
    while (!onM2.test(s.screen())) {
      const before = s.screen();
      s.write('j');
      await s.waitFor((x) => x !== before, 3000);
    }
    s.write('i');
    await s.waitFor(/^location: m2\s*$/m, 15_000);
    s.write('\x1b');
    await s.waitFor(onM2);
    s.write('d');
    await s.waitFor(`Delete volume default/${volume}?`);
    s.write('y');
    await s.waitFor(`Deleted storage volume default/${volume}`, 15_000);
    const left = (await d.tool('storage', 'volume', 'list', 'default', '-f', 'csv')).split('\n').filter((l) => l.includes(volume));
    expect(left).toEqual([expect.stringMatching(/,m1$/)]);
  }, 60_000);
});
