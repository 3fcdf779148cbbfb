// Type into many (B), end to end through the built TUI in a pty against the sandbox daemons: two
// instances marked, B opens a held session in each, one line typed reaches both (each writes the
// file in its own instance), each session's output is its own (its own hostname in its history),
// Esc returns to the panes with both sessions running. Fewer than two marked, or --read-only:
// refused with the reason.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName, type DaemonTool, type ExecDaemon } from '../support/exec-instances.js';
import { cliEnd } from '../support/exec-suite.js';
import { listedLive, type PtySession } from '../support/pty.js';
import { holderHome, type HolderHome } from '../support/sessions.js';

function broadcastSuite(kind: ExecDaemon): void {
  describeOn([kind], `type into many against ${kind}`, () => {
    const socket = daemonSocket(kind) as string;
    let d: DaemonTool;
    const prefix = uniqueName('bcast');
    const names = [`${prefix}-a`, `${prefix}-b`];
    const homes: HolderHome[] = [];
    const ptys: PtySession[] = [];
    const row = (screen: string, name: string) => screen.split('\n').find((l) => l.includes(name)) ?? '';

    /** The TUI filtered down to our two instances, the cursor on the first. */
    async function tui(h: HolderHome, extra: string[] = []): Promise<PtySession> {
      const s = h.pty(['--socket', socket, ...extra], { cols: 140, rows: 30 });
      ptys.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write('/');
      await s.waitFor('Enter keep');
      s.write(prefix);
      await s.waitFor(`/${prefix}`);
      s.write('\r');
      await s.waitFor((screen) => names.every((n) => /Running/i.test(row(screen, n))) && row(screen, names[0]).startsWith('>'), 15_000);
      return s;
    }

    beforeAll(async () => {
      d = daemonTool(kind, socket);
      await Promise.all(names.map((n) => launch(d, n)));
    });
    afterEach(async () => {
      for (const s of ptys.splice(0)) s.kill('SIGKILL');
      for (const h of homes.splice(0)) await h.dispose();
    });
    afterAll(async () => {
      await Promise.all(names.map((n) => remove(d, n)));
    });

    it('B with two marked: one line typed runs in both, each output its own; Esc leaves them running', async () => {
      const h = holderHome();
      homes.push(h);
      const s = await tui(h);
      // One row is not "several": refused, nothing started.
      s.write('B');
      await s.waitFor(/Mark two or more instances/);
      s.write(' ');
      s.write(' ');
      await s.waitFor((screen) => names.every((n) => /^[> ]\*/.test(row(screen, n))));
      s.write('B');
      await s.waitFor((screen) => /Typing into 2 sessions/.test(screen) && names.every((n) => new RegExp(`\\d+ ${n} · typing`).test(screen)), 20_000);
      // Both shells ready (their prompts drawn) before typing.
      await s.waitFor((screen) => (screen.match(/^\s*[~/].*# ?$/gm) ?? []).length >= 2, 15_000);
      const tag = Math.random().toString(36).slice(2, 10);
      for (const ch of `echo hi-${tag} > /tmp/x; hostname`) s.write(ch);
      await s.waitFor(`> echo hi-${tag} > /tmp/x; hostname`);
      s.write('\r');
      // Each tile shows its own instance's hostname on a line of its own.
      await s.waitFor((screen) => names.every((n) => new RegExp(`^${n}\\s*$`, 'm').test(screen)), 15_000);
      s.write('\x1b');
      await s.waitFor((screen) => /left sessions 1, 2 running/.test(screen) && listedLive(screen), 15_000);
      for (const n of names) expect((await d.tool('exec', n, '--', 'cat', '/tmp/x')).trim()).toBe(`hi-${tag}`);

      const list = JSON.parse((await h.lxtop(['sessions', '--format', 'json'])).stdout.toString()) as { id: string; instance: string; state: string }[];
      expect(list.map((x) => [x.instance, x.state]).sort()).toEqual(names.map((n) => [n, 'detached']));
      for (const session of list) {
        const history = (await h.lxtop(['sessions', 'history', session.id])).stdout.toString();
        const other = names.find((n) => n !== session.instance) as string;
        expect(history).toMatch(new RegExp(`^${session.instance}\\s*$`, 'm'));
        expect(history).not.toContain(other);
        expect(history).toContain(`echo hi-${tag} > /tmp/x; hostname`);
      }
      // The Sessions pane attaches one alone, at the terminal's full size again.
      s.write('5');
      await s.waitFor((screen) => screen.includes('[5 Sessions 2]'), 10_000);
      s.write('\r');
      await s.waitFor((screen) => !s.inAltScreen() && /# ?$/m.test(screen), 10_000);
      s.write('stty size\r');
      await s.waitFor(/^30 140\s*$/m, 10_000);
      s.write('\r~.');
      await s.waitFor((screen) => s.inAltScreen() && /detached from session/.test(screen), 10_000);
      s.write('q');
      expect((await cliEnd(s)).status).toBe(0);
    });

    it('--read-only refuses B', async () => {
      const h = holderHome();
      homes.push(h);
      const s = await tui(h, ['--read-only']);
      s.write(' ');
      s.write(' ');
      s.write('B');
      await s.waitFor(/Read-only mode: type into many/);
      expect(h.holderPid()).toBeNull();
      s.write('q');
      expect((await cliEnd(s)).status).toBe(0);
    });
  });
}

broadcastSuite('lxd');
broadcastSuite('incus');
