// The host meters on the two-member LXD cluster, through the built CLI: both members' meters under
// the header; the sandbox cluster's second member (m2) stopped while lxtop watches the first (the
// way cluster-offline.test.ts does it, and the cluster left whole the same way): m2's meter says
// offline, m1's keeps its figures, lxtop keeps answering keys; m2 started again, its meter is back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool } from '../support/exec-instances.js';
import { listedLive, repoRoot, startCli, type PtySession } from '../support/pty.js';

const run = promisify(execFile);
const sandbox = (...args: string[]) => run(`${repoRoot}scripts/sandbox`, args, { timeout: 180_000 });

/** A member's meter line with figures: `m1    mem [|||   ] 2.8GiB/24.0GiB  pool default [|  ] 12%  2 CPUs`. */
const withFigures = (name: string) => new RegExp(`^${name}\\s+mem \\[\\|*\\s*\\] \\d+(\\.\\d)?[KMGT]iB/\\d+(\\.\\d)?[KMGT]iB\\s+pool default \\[`, 'm');

describeOn(['cluster'], 'host meters of a cluster with a member going offline (two-member LXD cluster)', () => {
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

  it('both meters; m2 offline after its daemon stops while m1 keeps its figures and keys work; m2 back after it starts', async () => {
    const s = startCli(['--socket', daemonSocket('cluster')!], { cols: 120, rows: 30 });
    sessions.push(s);
    await s.waitFor(listedLive, 20_000);
    await s.waitFor((x) => withFigures('m1').test(x) && withFigures('m2').test(x), 20_000);

    await sandbox('stop', 'cluster2');
    const offline = await s.waitFor(/^m2\s+offline \(Offline\)/m, 60_000);
    expect(offline).toMatch(withFigures('m1'));

    // Still answering: the warnings view opens and closes, the table is back.
    s.write('W');
    await s.waitFor(/Warnings \d+, \d+ new/, 5000);
    s.write('W');
    await s.waitFor((x) => !/Warnings \d+, /.test(x) && /\d+ instances?/.test(x), 5000);
    // A later round of the meters still reads m1 and leaves m2 offline (the period is 10 s).
    await new Promise((r) => setTimeout(r, 11_000));
    expect(s.screen()).toMatch(withFigures('m1'));
    expect(s.screen()).toMatch(/^m2\s+offline \(Offline\)/m);

    await sandbox('up', 'cluster');
    await s.waitFor((x) => withFigures('m1').test(x) && withFigures('m2').test(x), 90_000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 240_000);
});
