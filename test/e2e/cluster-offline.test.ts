// A cluster member goes away under lxtop: the sandbox cluster's second member (m2) is stopped
// while lxtop watches the first; the members view (4) turns m2 Offline, lxtop keeps running and
// answering keys, and when m2 is started again it reads Online again. The cluster is left whole.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool } from '../support/exec-instances.js';
import { listedLive, repoRoot, startCli, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
const sandbox = (...args: string[]) => run(`${repoRoot}scripts/sandbox`, args, { timeout: 180_000 });

describeOn(['cluster'], 'a cluster member going offline (two-member LXD cluster)', () => {
  const m1 = daemonTool('lxd', daemonSocket('cluster')!);
  const sessions: PtySession[] = [];

  /** Until the first member reports both members ONLINE (heartbeats are a few seconds apart). */
  async function bothOnline(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const csv = await m1.tool('cluster', 'list', '-f', 'csv').catch(() => '');
      if ((csv.match(/,ONLINE,/g) ?? []).length === 2) return;
      if (Date.now() > deadline) throw new Error(`the cluster did not come back whole:\n${csv}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  beforeAll(async () => {
    // The lowest threshold LXD takes (it must be over 10 s): m2 reads Offline soon after it stops.
    await m1.tool('config', 'set', 'cluster.offline_threshold', '11');
    await bothOnline(60_000);
  }, 90_000);

  afterAll(async () => {
    for (const s of sessions) s.kill();
    await sandbox('up', 'cluster');
    await bothOnline(60_000);
  }, 240_000);

  it('members view: m2 Offline after its daemon stops, lxtop still answering; Online again after it starts', async () => {
    const s = startCli(['--socket', daemonSocket('cluster')!], { cols: 140, rows: 30 });
    sessions.push(s);
    await s.waitFor(listedLive, 20_000);
    s.write('4');
    await s.waitFor((screen) => /m1\s+Online/.test(screen) && /m2\s+Online/.test(screen), 15_000);

    await sandbox('stop', 'cluster2');
    const offline = await s.waitFor(/m2\s+Offline/, 60_000);
    expect(offline).toMatch(/m1\s+Online/);

    // Still answering: close the members view, open the help, close it, back to the table.
    s.write('4');
    await s.waitFor((screen) => !screen.includes('Cluster members'), 5000);
    s.write('?');
    await s.waitFor(/Quit \(restores the terminal\)/, 5000);
    s.write('?');
    await s.waitFor((screen) => !screen.includes('Quit (restores the terminal)') && /\d+ instances?/.test(screen), 5000);

    await sandbox('up', 'cluster');
    s.write('4');
    await s.waitFor((screen) => /m1\s+Online/.test(screen) && /m2\s+Online/.test(screen), 60_000);
    // q in the members view closes it (like Esc); the next q quits.
    s.write('q');
    await s.waitFor((screen) => !screen.includes('Cluster members'), 5000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 200_000);
});
