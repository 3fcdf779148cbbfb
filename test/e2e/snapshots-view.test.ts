// The snapshots view (z) through the built TUI against the real LXD and Incus: a snapshot made,
// renamed, restored and deleted from it, the schedule and expiry set, each reaching the server and
// shown on screen; restore and delete ask first; --read-only lists but refuses. Each suite makes
// its own instance and removes it.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `the snapshots view (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('snv');
    const sessions: PtySession[] = [];

    beforeAll(async () => {
      await launch(d, name, { start: false });
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    const snapshots = async () => (await d.tool('list', name, '-c', 'S', '-f', 'csv')).trim();
    const row = (snap: string, selected = false) => new RegExp(`^${selected ? '>' : '[> ]'}${snap}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+(never|\\d{4}-)`, 'm');
    const open = async (args: string[] = []) => {
      const s = startCli(['--socket', socket, ...args], { cols: 160, rows: 30 });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write(`/${name}\r`);
      await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
      s.write('z');
      await s.waitFor(new RegExp(`Snapshots of ${name}: \\d+, newest first`));
      return s;
    };
    const prompt = async (s: PtySession, title: string | RegExp, value: string) => {
      await s.waitFor(title);
      s.write(`\x15${value}\r`);
    };

    it('new, rename, schedule, expiry, restore and delete: each on the server and on screen', async () => {
      const s = await open();
      await s.waitFor('no snapshots (n makes one)');
      s.write('n');
      await prompt(s, `Snapshot ${name}`, 'first');
      await s.waitFor(row('first', true), 15_000);
      expect(await snapshots()).toBe('1');
      s.write('m');
      await prompt(s, 'Rename snapshot first', 'second');
      await s.waitFor((x) => row('second', true).test(x) && !row('first').test(x), 15_000);
      expect(await d.tool('info', name)).toMatch(/second/);
      s.write('s');
      await prompt(s, /snapshots\.schedule of/, '@daily');
      await s.waitFor('schedule: @daily', 15_000);
      expect((await d.tool('config', 'get', name, 'snapshots.schedule')).trim()).toBe('@daily');
      s.write('x');
      await prompt(s, /snapshots\.expiry of/, '7d');
      await s.waitFor('expiry: 7d', 15_000);
      // Restore asks; n says no and changes nothing.
      s.write('r');
      await s.waitFor(`Restore ${name} to second?`);
      s.write('y');
      await s.waitFor(`Restored second on ${name}`, 15_000);
      await s.waitFor(new RegExp(`Snapshots of ${name}: 1,`));
      s.write('d');
      await s.waitFor(`Delete snapshot second of ${name}?`);
      s.write('y');
      await s.waitFor(`no snapshots (n makes one)`, 15_000);
      expect(await snapshots()).toBe('0');
      s.write('\x1b');
      await s.waitFor((x) => !x.includes('Snapshots of'));
    }, 90_000);

    it('--read-only lists the snapshots and refuses to change them', async () => {
      await (kind === 'lxd' ? d.tool('snapshot', name, 'kept') : d.tool('snapshot', 'create', name, 'kept'));
      const s = await open(['--read-only']);
      await s.waitFor(row('kept', true));
      s.write('d');
      await s.waitFor(/Read-only mode: .*refused|refused in read-only/i, 5000);
      expect(await snapshots()).toBe('1');
      await (kind === 'lxd' ? d.tool('delete', `${name}/kept`) : d.tool('snapshot', 'delete', name, 'kept'));
    }, 60_000);
  });
}

suite('lxd');
suite('incus');
