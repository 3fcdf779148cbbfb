// Keys typed while lxtop starts (the first paint is on screen, Ink still loading) are neither
// echoed onto the screen nor taken by the terminal as signals (Ctrl-\ would be SIGQUIT, which
// ends the program on the alternate screen with the terminal in a broken state): the terminal is
// raw from the first paint on, and the keys reach the TUI once it is up.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { startCli, type PtySession } from '../support/pty.js';

let fake: FakeLxd | null = null;
let s: PtySession | null = null;
afterEach(async () => {
  s?.kill('SIGKILL');
  await fake?.close();
  s = fake = null;
});

describe('keys typed during start-up', () => {
  it('Ctrl-\\ and a pane key typed over the first paint: no SIGQUIT, no echo, the key is kept', async () => {
    fake = await startFakeLxd({ instances: 5, running: 2, prefix: 'boot' });
    s = startCli(['--socket', fake.socket], { cols: 120, rows: 24 });
    await s.waitFor('(starting…)', 15_000);
    s.write('\x1c2');
    let ended: { exitCode: number; signal?: number } | null = null;
    void s.exited.then((e) => (ended = e));
    await s.waitFor((x) => x.includes('[2 Images'), 15_000).catch((err: Error) => {
      throw new Error(`${err.message}\nexit: ${JSON.stringify(ended)}`);
    });
    expect(s.screen()).not.toContain('^\\');
    s.write('q');
    expect((await s.exited).exitCode).toBe(0);
  });
});
