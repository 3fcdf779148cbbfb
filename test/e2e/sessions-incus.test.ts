// Background sessions against Incus: exec -d, attach, detach, re-attach, exit (the LXD file has the rest).
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import { cliEnd, expectCooked, shellReady } from '../support/exec-suite.js';
import type { PtySession } from '../support/pty.js';
import { holderHome, type HolderHome } from '../support/sessions.js';

describeOn(['incus'], 'sessions against incus', () => {
  const socket = daemonSocket('incus') as string;
  let d: DaemonTool;
  const name = uniqueName('sess-incus');
  let h: HolderHome;
  const ptys: PtySession[] = [];

  beforeAll(async () => {
    d = daemonTool('incus', socket);
    await launch(d, name);
  });
  afterEach(async () => {
    for (const s of ptys.splice(0)) s.kill('SIGKILL');
    await h?.dispose();
  });
  afterAll(async () => {
    await remove(d, name);
  });

  it('exec -d, attach (the screen restored), detach, re-attach the same shell, exit with its code', async () => {
    h = holderHome();
    const r = await h.lxtop(['--socket', socket, 'exec', '-d', name, '--', 'sh', '-c', 'echo PID=$$; echo incus-marker; exec sh']);
    expect(r.stderr).toBe('');
    const id = r.stdout.toString().trim();
    expect(id).toMatch(/^\d+$/);
    const s = h.pty(['attach', id]);
    ptys.push(s);
    await s.waitFor('incus-marker', 10_000);
    const pid = /PID=(\d+)/.exec(s.screen())?.[1];
    await shellReady(s);
    s.write('\r~.');
    expect((await cliEnd(s)).status).toBe(0);
    const again = h.pty(['attach', id]);
    ptys.push(again);
    await again.waitFor('incus-marker', 10_000);
    again.write('echo pid-now=$$\r');
    await again.waitFor(`pid-now=${pid}`);
    again.write('exit 4\r');
    const end = await cliEnd(again);
    expect(end.status).toBe(4);
    expectCooked(end.stty);
    const listed = JSON.parse((await h.lxtop(['sessions', '--format', 'json'])).stdout.toString()) as { id: string; state: string; exitCode: number }[];
    expect(listed.find((x) => x.id === id)).toMatchObject({ state: 'exited', exitCode: 4 });
  });
});
