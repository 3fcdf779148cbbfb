// Copy and move through the built TUI against the real daemons: y copies an instance (and, from the
// snapshots view, a snapshot) to a new name with the same config, on LXD and Incus, and to another
// configured remote (the sandbox LXD's instance onto the cluster, picked in c's picker); M moves a
// stopped instance between the two members of the LXD cluster and its LOCATION changes on screen;
// b exports a backup to a file and U imports it (a file's checksum kept); --read-only refuses them.
// Each suite makes its own instances and removes them, in a temporary HOME whose configuration names
// the daemons under test.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { listedLive, pickInList, startCli, type PtySession } from '../support/pty.js';
import { remotesHome } from '../support/remotes-home.js';
import { comparable } from '../support/instance-config.js';
import { unixApi } from '../support/unix-api.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `copy from the TUI (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('cpy');
    const made: string[] = [];
    const sessions: PtySession[] = [];
    const home = remotesHome('lxtop-copy', { here: { socket, protocol: kind } });

    beforeAll(async () => {
      await launch(d, name, { start: false });
      await d.tool('config', 'set', name, 'user.lxtop-test=copied', 'limits.memory=96MB');
      await (kind === 'lxd' ? d.tool('snapshot', name, 'snap0') : d.tool('snapshot', 'create', name, 'snap0'));
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      for (const n of [name, ...made]) await remove(d, n);
      home.remove();
    }, 120_000);

    /** y, "this server" in the picker (lxc's built-in `local` remote is another one), the name. */
    const copyHere = async (s: PtySession, title: string, copy: string) => {
      s.write('y');
      await s.waitFor((x) => x.includes(`${title} to`) && x.includes('> this server'));
      s.write('\r');
      await s.waitFor((x) => x.includes(title) && x.includes('New instance name:'));
      s.write(`\x15${copy}\r`);
    };
    const open = async (args: string[] = []) => {
      const s = startCli(['--socket', socket, ...args], { cols: 160, rows: 30, env: home.env });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write(`/${name}\r`);
      await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
      return s;
    };

    it('y copies the instance to a new name: same config, devices and profiles', async () => {
      const copy = `${name}-c`;
      made.push(copy);
      const s = await open();
      await copyHere(s, `Copy ${name}`, copy);
      await s.waitFor(`Copied ${name} to ${copy}`, 60_000);
      await s.waitFor(new RegExp(`^[> ]?\\s*${copy}\\s`, 'm'), 15_000);
      expect(await comparable(socket, copy)).toEqual(await comparable(socket, name));
      // lxc copy's default: the snapshots come along.
      expect((await d.tool('list', copy, '-c', 'S', '-f', 'csv')).trim()).toBe('1');
    }, 90_000);

    it('y in the snapshots view copies the snapshot to a new instance', async () => {
      const copy = `${name}-s`;
      made.push(copy);
      const s = await open();
      s.write('z');
      await s.waitFor(new RegExp(`Snapshots of ${name}: 1,`));
      await copyHere(s, `Copy ${name}/snap0`, copy);
      await s.waitFor(`Copied ${name}/snap0 to ${copy}`, 60_000);
      expect((await comparable(socket, copy) as { config: unknown }).config).toEqual((await comparable(socket, name) as { config: unknown }).config);
      expect((await d.tool('list', copy, '-c', 'S', '-f', 'csv')).trim()).toBe('0');
    }, 90_000);

    it('b exports a backup to a file, U imports it as a new instance whose file matches', async () => {
      const back = `${name}-b`;
      made.push(back);
      const dir = mkdtempSync(join(tmpdir(), 'lxtop-export-tui-'));
      try {
        const data = join(dir, 'data');
        writeFileSync(data, randomBytes(1_000_000));
        const sum = sha256(data);
        await d.tool('file', 'push', data, `${name}/root/data`);
        const file = join(dir, 'backup.tar.gz');
        const s = await open();
        s.write('b');
        await s.waitFor(`Export ${name}`, 5000);
        s.write(`\x15${file}\r`);
        await s.waitFor(`Exported ${name} to ${file}`, 120_000);
        expect(statSync(file).size).toBeGreaterThan(1_000_000);
        expect((await unixApi(socket, 'GET', `/1.0/instances/${name}/backups`)).metadata).toEqual([]);
        s.write('U');
        await s.waitFor('Import a backup file as a new instance', 5000);
        s.write(`\x15${file}\r`);
        await s.waitFor(`Import ${file}`, 5000);
        s.write(`\x15${back}\r`);
        await s.waitFor(`Imported ${file} as ${back}`, 120_000);
        const pulled = join(dir, 'pulled');
        await d.tool('file', 'pull', `${back}/root/data`, pulled);
        expect(sha256(pulled)).toBe(sum);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);

    it('--read-only refuses y, M, p, b and U', async () => {
      const s = await open(['--read-only']);
      const refusals: [string, RegExp][] = [
        ['y', /Read-only mode: copy refused/],
        ['M', /Read-only mode: move a stopped instance.* refused/],
        ['p', /Read-only mode: publish a stopped instance.* refused/],
        ['b', /Read-only mode: export a backup.* refused/],
        ['U', /Read-only mode: import a backup.* refused/],
      ];
      for (const [key, refusal] of refusals) {
        s.write(key);
        await s.waitFor(refusal, 5000);
        expect(s.screen()).not.toMatch(/New instance name|Alias|File:/);
      }
    }, 60_000);
  });
}

suite('lxd');
suite('incus');

describeOn(['cluster'], 'move between cluster members (built TUI)', () => {
  const socket = daemonSocket('cluster')!;
  const name = uniqueName('mov');
  const sessions: PtySession[] = [];
  let d: DaemonTool;
  let members: string[] = [];

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    members = (await d.tool('cluster', 'list', '-f', 'csv')).split('\n').map((l) => l.split(',')[0]).filter((m) => m !== '').sort();
    await d.tool('init', process.env.LXTOP_TEST_IMAGE || 'busybox', name, '--target', members[0]);
  }, 120_000);
  afterEach(() => {
    for (const s of sessions.splice(0)) s.kill('SIGKILL');
  });
  afterAll(async () => {
    await unixApi(socket, 'DELETE', `/1.0/instances/${name}`).catch(() => undefined);
    await remove(d, name);
  }, 120_000);

  it('M moves the stopped instance to the other member: LOCATION changes on screen', async () => {
    const s = startCli(['--socket', socket], { cols: 160, rows: 30 });
    sessions.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write(`/${name}\r`);
    const row = (member: string) => new RegExp(`${name}\\s.*\\s${member}\\b`);
    await s.waitFor(row(members[0]), 15_000);
    s.write('M');
    await s.waitFor(`Move ${name} from ${members[0]} to`);
    s.write('\r');
    await s.waitFor(`Moved ${name} to ${members[1]}`, 60_000);
    await s.waitFor(row(members[1]), 15_000);
    expect((await unixApi(socket, 'GET', `/1.0/instances/${name}`)).metadata.location).toBe(members[1]);
  }, 90_000);
});

describeOn(['lxd', 'cluster'], 'c copies to another configured remote: the sandbox LXD onto the cluster (built TUI)', () => {
  const lxdSocket = daemonSocket('lxd')!;
  const clusterSocket = daemonSocket('cluster')!;
  const d = daemonTool('lxd', lxdSocket);
  const name = uniqueName('rtc');
  const home = remotesHome('lxtop-rcopy-tui', { src: { socket: lxdSocket, protocol: 'lxd' }, cl: { socket: clusterSocket, protocol: 'lxd' } });
  const sessions: PtySession[] = [];

  beforeAll(async () => {
    await launch(d, name, { start: false });
    await d.tool('config', 'set', name, 'user.lxtop-test=tui-remote', 'limits.memory=72MB');
  }, 120_000);
  afterAll(async () => {
    for (const s of sessions) s.kill('SIGKILL');
    await remove(d, name);
    const op = await unixApi(clusterSocket, 'DELETE', `/1.0/instances/${name}`).catch(() => null);
    if (op?.operation) await unixApi(clusterSocket, 'GET', `${op.operation}/wait?timeout=30`);
    home.remove();
  }, 120_000);

  it('picks the cluster, keeps the name: the instance is there with the same config', async () => {
    const s = startCli([], { cols: 160, rows: 30, env: home.env });
    sessions.push(s);
    await s.waitFor(listedLive, 15_000);
    s.write(`/${name}\r`);
    await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
    s.write('y');
    await s.waitFor((x) => x.includes(`Copy ${name} to`) && x.includes('unix:'));
    await pickInList(s, 'cl');
    await s.waitFor((x) => x.includes(`Copy ${name} to cl`) && x.includes('New instance name:'));
    s.write('\r');
    await s.waitFor(`Copied ${name} to cl:${name}`, 90_000);
    expect(await comparable(clusterSocket, name)).toEqual(await comparable(lxdSocket, name));
  }, 120_000);
});
