// The daemon's progress in the operations pane, through the built TUI: p publishes an instance
// with 60 MB in it, and while the daemon packs the image the pane (3) shows its operation with a
// bar, a percentage and a rate; the image is there with its alias afterwards, and deleted.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';
import { unixApi } from '../support/unix-api.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `progress in the operations pane (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('prg');
    const alias = `${name}-img`;
    const sessions: PtySession[] = [];

    beforeAll(async () => {
      await launch(d, name);
      await d.tool('exec', name, '--', 'sh', '-c', 'head -c 60000000 /dev/urandom > /root/big');
      await d.tool('stop', name, '--force');
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      const a = await unixApi(socket, 'GET', `/1.0/images/aliases/${alias}`);
      if (a.type !== 'error') await unixApi(socket, 'DELETE', `/1.0/images/${a.metadata.target}`);
      await remove(d, name);
    }, 120_000);

    it('p publishes; the pane shows a bar with percentage and rate while the daemon packs', async () => {
      const s = startCli(['--socket', socket], { cols: 160, rows: 30 });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write(`/${name}\r`);
      await s.waitFor((x) => x.includes(`filter /${name}`) && !x.includes('Enter keep'));
      s.write('p');
      await s.waitFor(`Publish ${name} as an image`);
      s.write(`\x15${alias}\r`);
      s.write('3');
      await s.waitFor(/\[#*-*\] \d+% [0-9.]+[kMG]?B\/s/, 30_000);
      await s.waitFor(`Published ${name} as ${alias}`, 120_000);
      expect((await unixApi(socket, 'GET', `/1.0/images/aliases/${alias}`)).type).toBe('sync');
    }, 180_000);
  });
}

suite('lxd');
suite('incus');
