// `lxtop exec` through one member of the sandbox LXD cluster into an instance placed on the other
// member: the server forwards the exec and its websockets; nothing changes for the client.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { cliEnd, expectCooked, shellReady } from '../support/exec-suite.js';
import { cliArgs, daemonTool, remove, runCli, startExecThenStty, uniqueName, type DaemonTool } from '../support/exec-instances.js';
import type { PtySession } from '../support/pty.js';

describeOn(['cluster'], 'lxtop exec across cluster members', () => {
  const socket = daemonSocket('cluster') as string;
  const name = uniqueName('exec-cl');
  const sessions: PtySession[] = [];
  let d: DaemonTool;

  beforeAll(async () => {
    d = daemonTool('lxd', socket);
    // The member this socket belongs to, and another one to place the instance on.
    const here = /server_name:\s*(\S+)/.exec(await d.tool('info'))?.[1];
    const members = (await d.tool('cluster', 'list', '-f', 'csv'))
      .split('\n')
      .map((l) => l.split(',')[0])
      .filter((m) => m !== '');
    const there = members.find((m) => m !== here) ?? members[0];
    await d.tool('init', process.env.LXTOP_TEST_IMAGE || 'busybox', name, '--target', there);
    await d.tool('start', name);
  });

  afterAll(async () => {
    for (const s of sessions) s.kill('SIGKILL');
    await remove(d, name);
  });

  it('runs an interactive shell on the other member; exit 3 comes back as status 3', async () => {
    const s = startExecThenStty(cliArgs(socket, 'exec', name));
    sessions.push(s);
    await shellReady(s);
    s.write('echo $((6*7))\r');
    await s.waitFor(/^42\s*$/m);
    s.write('exit 3\r');
    const end = await cliEnd(s);
    expect(end.status).toBe(3);
    expectCooked(end.stty);
  });

  it('runs a non-interactive command there, stdout and stderr apart, exit code through', async () => {
    const r = await runCli(cliArgs(socket, 'exec', name, '--', 'sh', '-c', 'cat; echo to-err >&2; sleep 0.2; exit 5'), 'hi\n');
    expect(r.stdout.toString()).toBe('hi\n');
    expect(r.stderr).toContain('to-err');
    expect(r.code).toBe(5);
  });
});
