// The events view (E) through the built TUI against the real LXD and Incus: a start made by the
// daemon's own tool is on screen within 1 s (from the controller's one event stream) with the daemon's
// info lines about it (not its debug lines), the filter
// narrows to the instance, and Enter goes to its row in the instances table. Each suite makes
// its own instance and removes it.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `the events view (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('evv');
    const sessions: PtySession[] = [];

    beforeAll(async () => {
      await launch(d, name, { start: false });
    }, 120_000);
    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });
    afterAll(async () => {
      await remove(d, name);
    }, 120_000);

    it('shows an outside start within 1 s with the daemon\'s info lines, not its debug lines; / filters; Enter selects the instance', async () => {
      const s = startCli(['--socket', socket], { cols: 200, rows: 30 });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write('E');
      await s.waitFor(/Events \d+, newest first/);
      s.write('/');
      await s.waitFor('Enter keep  Esc drop');
      s.write(name);
      s.write('\r');
      await s.waitFor(`/${name}`);
      await d.tool('start', name);
      const started = Date.now();
      const row = new RegExp(`${name}\\s+lifecycle\\s+instance-started`);
      await s.waitFor(row, 1000);
      console.log(`[${kind}] instance-started in the events view ${Date.now() - started} ms after ${kind === 'lxd' ? 'lxc' : 'incus'} start returned`);
      // The daemon's info lines about it are recorded too (logging), its debug lines are not.
      await s.waitFor(new RegExp(`${name}\\s+logging\\s+info\\s`), 5000);
      expect(s.screen()).not.toMatch(/\slogging\s+debug\s/);
      // The newest first: every row is about the instance; the first is selected, Enter goes.
      const screen = s.screen();
      const lines = screen.split('\n');
      const header = lines.findIndex((l) => /^ TIME\s+PROJECT\s+INSTANCE/.test(l));
      expect(lines[header + 1]).toMatch(new RegExp(`^>\\S+\\s+\\S+\\s+${name}\\s+(lifecycle|logging|operation)\\s`));
      s.write('\r');
      await s.waitFor((x) => !/Events \d+/.test(x) && new RegExp(`^>[* ]${name}\\s+Running`, 'm').test(x), 5_000);
    }, 60_000);

    it('records every project\'s events (a unix socket sees them all)', async () => {
      const project = uniqueName('evp');
      const s = startCli(['--socket', socket], { cols: 200, rows: 30 });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write('E');
      await s.waitFor(/Events \d+, newest first/);
      try {
        await d.tool('project', 'create', project);
        await s.waitFor(new RegExp(`\\s${project}\\s+-\\s+lifecycle\\s+project-created`), 5000);
        // Enter on it: not an instance's event.
        s.write('/project-created\r');
        await s.waitFor('/project-created');
        s.write('\r');
        await s.waitFor('events: this event is not about an instance', 5000);
        s.write('/\x1b');
        await s.waitFor((x) => !x.includes('/project-created'), 5000);
      } finally {
        await d.tool('project', 'delete', project);
      }
      await s.waitFor(new RegExp(`\\s${project}\\s+-\\s+lifecycle\\s+project-deleted`), 5000);
      s.write('\x1b\x1b');
      await s.waitFor((x) => !/Events \d+/.test(x) && /project default/.test(x), 5000);
    }, 60_000);
  });
}

suite('lxd');
suite('incus');
