// The fleet view when one remote's daemon goes away mid-session: a private, real LXD of this
// test's own (stopped and started again) next to the sandbox Incus. The private remote reads
// offline in the header, no banner covers the others, the Incus rows keep following the daemon,
// and the private remote comes back by itself with its rows when its daemon answers again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { startCli, type PtySession } from '../support/pty.js';
import { remotesHome, type RemotesHome } from '../support/remotes-home.js';
import { createPrivateLxd, setUpPrivateLxd, type PrivateLxd } from './private-lxd.js';

/** The fleet row of `name`: `REMOTE NAME STATUS …` (cursor gutter dropped). */
const fleetRow = (screen: string, remote: string, name: string) =>
  screen.split('\n').find((l) => new RegExp(`^[> ][* ]${remote}\\s+${name}\\s`).test(l)) ?? '';

describeOn(['private-lxd', 'incus'], 'the fleet view with one remote going away (private LXD + sandbox Incus)', () => {
  const incus = daemonTool('incus', daemonSocket('incus')!);
  const onIncus = uniqueName('fd');
  let d: PrivateLxd;
  let home: RemotesHome;
  let s: PtySession;

  beforeAll(async () => {
    d = await createPrivateLxd('lxtop-flt-fleet-');
    await setUpPrivateLxd(d, ['pweb'], ['pweb']);
    await launch(incus, onIncus);
    home = remotesHome('fleet-down', {
      priv: { socket: d.socket, protocol: 'lxd' },
      inc: { socket: daemonSocket('incus')!, protocol: 'incus' },
    });
    s = startCli(['priv:', 'inc:'], { cols: 140, rows: 30, env: home.env });
    await s.waitFor(
      (x) => /priv LXD \S+ live/.test(x) && /inc Incus \S+ live/.test(x) && /Running/.test(fleetRow(x, 'priv', 'pweb')) && /Running/.test(fleetRow(x, 'inc', onIncus)),
      20_000,
    );
  }, 120_000);

  afterAll(async () => {
    s?.kill('SIGKILL');
    await d?.remove();
    await remove(incus, onIncus);
    home?.remove();
  }, 120_000);

  it('marks the stopped remote offline, no banner, and the other remote stays live', async () => {
    await d.stop();
    const offline = await s.waitFor((x) => /priv offline/.test(x) && /1\/2 remotes up/.test(x), 15_000);
    expect(offline).not.toMatch(/Connection lost|Event stream lost/);
    // The Incus remote still follows its daemon, by itself.
    await incus.tool('stop', '--force', onIncus);
    await s.waitFor((x) => /Stopped/.test(fleetRow(x, 'inc', onIncus)), 10_000);
    expect(s.screen()).toMatch(/inc Incus \S+ live/);
  }, 60_000);

  it('the remote comes back by itself when its daemon answers again', async () => {
    await d.start();
    await s.waitFor((x) => /priv LXD \S+ live/.test(x) && /Running/.test(fleetRow(x, 'priv', 'pweb')) && /\blive\b/.test(x.split('\n')[1] ?? ''), 30_000);
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  }, 60_000);
});
