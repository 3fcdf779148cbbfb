// The new-instance prompt (images pane, n) with lxtop launch's options after the name, through the
// built CLI in a pty on LXD and Incus: a bad option is a message in the prompt that loses nothing;
// `NAME -c KEY=VALUE --user-data FILE --no-start` makes a stopped instance with the key and the
// user-data. Everything made is removed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';
import { unixApi } from '../support/unix-api.js';

for (const kind of ['lxd', 'incus'] as const) {
  describeOn([kind], `new instance with launch options (${kind}, built CLI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('ntui');
    const dir = mkdtempSync(join(tmpdir(), 'lxtop-newtui-'));
    const userData = join(dir, 'ud.yml');
    writeFileSync(userData, '#cloud-config\nhostname: tui\n');
    const sessions: PtySession[] = [];

    afterAll(async () => {
      for (const s of sessions) s.kill();
      await remove(d, name);
      rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it('the prompt line sets the config key and user-data, and --no-start leaves it stopped', async () => {
      const s = startCli(['--socket', socket], { cols: 140, rows: 30 });
      sessions.push(s);
      await s.waitFor((screen) => listedLive(screen), 20_000);
      s.write('2');
      await s.waitFor(/busybox/, 10_000);
      s.write('/busybox');
      s.write('\r');
      s.write('n');
      await s.waitFor(/New instance from/, 5000);
      s.write('\x15');
      s.write(`${name} -c nokey`);
      s.write('\r');
      await s.waitFor(/expected KEY=VALUE/, 5000);
      s.write('\x15');
      s.write(`${name} -c user.lxtop-test=tui --user-data ${userData} --no-start`);
      s.write('\r');
      await s.waitFor((screen) => screen.includes(`Created ${name}`), 60_000);
      const inst = (await unixApi(socket, 'GET', `/1.0/instances/${name}`)).metadata;
      expect(inst.config['user.lxtop-test']).toBe('tui');
      const exts = (await unixApi(socket, 'GET', '/1.0')).metadata.api_extensions as string[];
      expect(inst.config[exts.includes('cloud_init') ? 'cloud-init.user-data' : 'user.user-data']).toBe('#cloud-config\nhostname: tui\n');
      expect(inst.status).toBe('Stopped');
      s.write('q');
      await s.exited;
    }, 120_000);
  });
}
