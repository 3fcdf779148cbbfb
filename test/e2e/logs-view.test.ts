// The logs view (l) through the built TUI in a pseudo-terminal against the real LXD and Incus: the
// selected instance's lxc.log, the same lines `lxc info --show-log` prints; `/` finds a word of
// it; `f` shows a line appended to the daemon's log file within two reads; Esc goes back to the
// table. Each suite makes its own instance and removes it.
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `the logs view (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('lv');
    const sessions: PtySession[] = [];

    beforeAll(async () => {
      await launch(d, name);
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    it('l shows lxc.log; / finds; f follows an appended line; Esc closes', async () => {
      const info = await d.tool('info', name, '--show-log');
      const logLines = info.slice(info.indexOf('\nLog:\n\n') + 7).split('\n').filter((l) => l !== '');
      expect(logLines.length).toBeGreaterThan(0);
      const s = startCli(['--socket', socket], { cols: 200, rows: 30 });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write('/');
      await s.waitFor('Enter keep');
      s.write(name);
      s.write('\r');
      await s.waitFor((screen) => screen.includes(`filter /${name}`) && !screen.includes('Enter keep'));
      s.write('l');
      const shown = await s.waitFor(`lxc.log of ${name}`, 10_000);
      // The log's last lines, as the daemon's own tool prints them (the view opens at the end).
      const last = logLines.at(-1)!;
      expect(shown).toContain(last.slice(0, 150));
      expect(shown).toMatch(/\/ search n\/N match {2}f follow/);

      s.write('g/');
      await s.waitFor('Enter keep  Esc drop');
      s.write('WARN');
      await s.waitFor(/\/WARN \(line \d+\)/);
      s.write('\r');

      s.write('f');
      await s.waitFor('[follow]');
      const marker = `lxtop-view-follow-${Date.now()}`;
      appendFileSync(join(dirname(socket), 'logs', name, 'lxc.log'), `${marker}\n`);
      const appended = Date.now();
      await s.waitFor(marker, 3_000);
      console.log(`[${kind}] appended line on screen after ${Date.now() - appended} ms`);

      s.write('\x1b');
      await s.waitFor((screen) => !screen.includes(`lxc.log of ${name}`) && listedLive(screen), 5_000);
    }, 60_000);
  });
}

suite('lxd');
suite('incus');
