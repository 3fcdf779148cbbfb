// The daemon is stopped and started again while lxtop runs: a private, real LXD of this test's own
// (the shared sandbox daemons are never stopped), the built CLI in a real pty. The banner appears,
// keys still work while the daemon is away, lxtop is back (banner gone, rows right) within 2 s of
// the daemon answering again, and every pane matches the daemon afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCli, type PtySession } from '../support/pty.js';
import { rowOf, sleep } from './helpers.js';
import { createPrivateLxd, setUpPrivateLxd, type PrivateLxd } from './private-lxd.js';
import { describeOn } from '../support/daemons.js';

// The 2 s target is a speed figure (printed here; measured alone it is 1.0-1.5 s). The assertion is
// the behaviour, with room for a loaded 2-core CI machine running the whole suite in parallel:
// lxtop must come back by itself well before its 5 s event-stream backoff would.
const RECONNECT_TARGET_MS = 2000;
const RECONNECT_LIMIT_MS = 4000;

describeOn(['private-lxd'], 'the daemon stopped and restarted mid-session (private real LXD)', () => {
  let d: PrivateLxd;
  let s: PtySession;

  beforeAll(async () => {
    d = await createPrivateLxd();
    await setUpPrivateLxd(d, ['web', 'db'], ['web']);
    s = startCli(['--socket', d.socket], { cols: 120, rows: 24 });
    await s.waitFor((x) => /Running/.test(rowOf(x, 'web')) && /Stopped/.test(rowOf(x, 'db')) && x.includes('live'), 15_000);
  }, 60_000);

  afterAll(async () => {
    s?.kill('SIGKILL');
    await d?.remove();
  }, 60_000);

  it('shows the banner, keeps answering keys, and is back within 2 s of the daemon answering', async () => {
    // A running instance's figures, so the "right again" check below has something live to see.
    await s.waitFor((x) => /\d\.\d%/.test(rowOf(x, 'web')), 10_000);
    await d.stop();
    await s.waitFor(/Connection lost|Event stream lost/, 10_000);

    // Keys are handled while the daemon is gone.
    s.write('2');
    await s.waitFor('[2 Images', 3000);
    s.write('1');
    await s.waitFor('[1 Instances', 3000);
    await sleep(4000); // long enough for the retries to back off

    const answered = await d.start();
    // Reconnected: the banner is gone (REST and the event stream). The rows are checked next, on
    // their own clock: the restarted daemon starts its instances again at its own pace.
    await s.waitFor((x) => !/Connection lost|Event stream lost/.test(x), 15_000);
    const ms = performance.now() - answered;
    await s.waitFor((x) => /Running/.test(rowOf(x, 'web')) && /Stopped/.test(rowOf(x, 'db')), 15_000);
    console.log(`[daemon-restart] banner gone: ${ms.toFixed(0)} ms after the daemon answered again (target ≤ ${RECONNECT_TARGET_MS} ms)`);
    expect(ms).toBeLessThanOrEqual(RECONNECT_LIMIT_MS);
  }, 60_000);

  it('every pane matches the daemon afterwards, and the event stream is live again', async () => {
    // LXD starts `web` again by itself (it was running at shutdown); lxtop must show it Running
    // with live figures, and learn of changes by events again.
    await s.waitFor((x) => /Running/.test(rowOf(x, 'web')) && /\d\.\d%/.test(rowOf(x, 'web')), 10_000);
    const truth = d.lxc('list', '--format', 'csv', '-c', 'ns').trim().split('\n').map((l) => l.split(','));
    const screen = s.screen();
    for (const [name, status] of truth) expect(rowOf(screen, name)).toMatch(new RegExp(`\\s${status[0]}${status.slice(1).toLowerCase()}\\s`));
    expect(screen).toMatch(new RegExp(`${truth.length} instances`));

    s.write('2');
    await s.waitFor((x) => x.includes('[2 Images 1]') && /busybox/.test(x), 3000);
    s.write('3');
    await s.waitFor('[3 Operations', 3000);
    s.write('1');
    await s.waitFor('[1 Instances', 3000);

    d.lxc('start', 'db');
    await s.waitFor((x) => /Running/.test(rowOf(x, 'db')), 5000);
    d.lxc('stop', '--force', 'db');
    await s.waitFor((x) => /Stopped/.test(rowOf(x, 'db')), 5000);
    expect(s.output).not.toContain('unexpected error');
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 60_000);
});
