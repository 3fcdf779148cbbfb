// End-to-end suite for the full-screen TUI, shared by tui-lxd.test.ts and tui-incus.test.ts: the
// built CLI (dist/cli.js) in a real pseudo-terminal, its screen read through @xterm/headless,
// against the real sandbox daemon; the daemon driven from outside with its own tool (lxc / incus).
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool } from '../support/exec-instances.js';
import { cliPath, listedLive, startCli, startCliThenStty, waitForOutput, type PtySession } from '../support/pty.js';
import { ALT_SCREEN_OFF, ALT_SCREEN_ON } from '../../src/terminal.js';

type Daemon = 'lxd' | 'incus';

/** `lxc …` / `incus …` against the sandbox daemon, resolving with stdout. */
function tool(daemon: Daemon, socket: string) {
  return daemonTool(daemon, socket).tool;
}

/** The table row of `name` on the screen, or '' (the `>`/`*` gutter and padding kept). */
export function rowOf(screen: string, name: string): string {
  return screen.split('\n').find((l) => new RegExp(`^[> ][* ]${name}\\s`).test(l)) ?? '';
}

const rowReads = (name: string, status: string) => (screen: string) =>
  new RegExp(`^[> ][* ]${name}\\s+${status}\\b`).test(rowOf(screen, name));

export function tuiSuite(daemon: Daemon): void {
  describeOn([daemon], `lxtop TUI against ${daemon}`, () => {
    const socket = daemonSocket(daemon)!;
    const run = tool(daemon, socket);
    // Unique per run: letters first, digits and hyphens; every name starts with the prefix.
    const prefix = `tui${daemon === 'lxd' ? 'l' : 'i'}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
    const names = {
      start: `${prefix}-start`,
      stop: `${prefix}-stop`,
      del: `${prefix}-del`,
      ro: `${prefix}-ro`,
    };
    const sessions: PtySession[] = [];

    const open = async (args: string[] = []): Promise<PtySession> => {
      const s = startCli(['--socket', socket, ...args], { cols: 140, rows: 30 });
      sessions.push(s);
      // The daemon may hold many other instances (seeded, other test files): rows of ours may be
      // below the fold until a filter is typed, so wait for the first full list only.
      await s.waitFor(listedLive, 15_000);
      return s;
    };

    /** `/` + text + Enter: only our rows, the first one selected. */
    const filterTo = async (s: PtySession, text: string) => {
      s.write('/');
      await s.waitFor('Enter keep');
      s.write(text);
      await s.waitFor(`/${text}`);
      s.write('\r');
      await s.waitFor((screen) => screen.includes(`filter /${text}`) && !screen.includes('Enter keep'));
    };

    beforeAll(async () => {
      await run('init', 'busybox', names.start);
      await run('init', 'busybox', names.del);
      for (const name of [names.stop, names.ro]) {
        await run('init', 'busybox', name);
        await run('start', name);
      }
    });

    afterEach(() => {
      for (const s of sessions.splice(0)) s.kill('SIGKILL');
    });

    afterAll(async () => {
      for (const name of Object.values(names)) await run('delete', '--force', name).catch(() => undefined);
    });

    it('starts an instance by key: its row reads Running within 1 s', async () => {
      const s = await open();
      await filterTo(s, names.start);
      await s.waitFor((screen) => rowOf(screen, names.start).startsWith('>'));
      expect(rowOf(s.screen(), names.start)).toMatch(/Stopped/);
      const pressed = Date.now();
      s.write('s');
      await s.waitFor(rowReads(names.start, 'Running'), 1000);
      console.log(`[${daemon}] start by key → Running on screen: ${Date.now() - pressed} ms`);
      expect(Date.now() - pressed).toBeLessThanOrEqual(1000);
      expect(await run('list', names.start, '--format', 'csv', '-c', 'ns')).toContain(`${names.start},RUNNING`);
    });

    it('follows an outside `stop`: the row reads Stopped within 1 s, no key pressed', async () => {
      const s = await open();
      await filterTo(s, prefix);
      await s.waitFor(rowReads(names.stop, 'Running'), 5000);
      await run('stop', '--force', names.stop);
      const stopped = Date.now();
      await s.waitFor(rowReads(names.stop, 'Stopped'), 1000);
      console.log(`[${daemon}] outside stop → Stopped on screen: ${Date.now() - stopped} ms`);
      expect(Date.now() - stopped).toBeLessThanOrEqual(1000);
    });

    it('deletes with confirmation', async () => {
      const s = await open();
      await filterTo(s, names.del);
      await s.waitFor((screen) => rowOf(screen, names.del).startsWith('>'));
      s.write('d');
      // The whole dialog: a frame can arrive in several writes, so wait for its last line too.
      const dialog = await s.waitFor((screen) => screen.includes(`Delete instance ${names.del}`) && screen.includes('This cannot be undone'));
      expect(dialog).toContain('This cannot be undone');
      // Nothing happened yet.
      expect(await run('list', '--format', 'csv', '-c', 'n')).toContain(names.del);
      s.write('y');
      await s.waitFor((screen) => rowOf(screen, names.del) === '' && !screen.includes('Delete instance'), 10_000);
      await s.waitFor(`Deleted ${names.del}`, 10_000);
      expect(await run('list', '--format', 'csv', '-c', 'n')).not.toContain(names.del);
    });

    it('filters rows as you type', async () => {
      const s = await open();
      s.write('/');
      await s.waitFor('Enter keep');
      s.write(`${prefix}-st`);
      await s.waitFor((screen) => screen.includes(`/${prefix}-st`) && rowOf(screen, names.start) !== '' && rowOf(screen, names.stop) !== '');
      const screen = s.screen();
      const rows = screen.split('\n').filter((l) => /^[> ][* ]\S/.test(l) && !/^\s+NAME/.test(l));
      expect(rows.map((l) => l.slice(2).split(/\s+/)[0]).sort()).toEqual([names.start, names.stop].sort());
      s.write('\x1b');
      await s.waitFor((scr) => !scr.includes('Enter keep') && !scr.includes(`filter /`));
    });

    it('--read-only refuses a stop and hides it from the hints', async () => {
      const s = await open(['--read-only']);
      await filterTo(s, names.ro);
      await s.waitFor(rowReads(names.ro, 'Running'), 5000);
      const before = s.screen();
      expect(before).toContain('READ-ONLY');
      const hints = before.split('\n').filter((l) => l.includes('q quit')).pop() ?? '';
      expect(hints).not.toContain('stop');
      s.write('x');
      await s.waitFor('Read-only mode: stop');
      await new Promise((r) => setTimeout(r, 500));
      expect(rowOf(s.screen(), names.ro)).toMatch(/Running/);
      expect(await run('list', names.ro, '--format', 'csv', '-c', 'ns')).toContain(`${names.ro},RUNNING`);
    });

    it('hands the terminal to the exec console and comes back with the panes as they were', async () => {
      const s = await open();
      await filterTo(s, names.ro);
      await s.waitFor(rowReads(names.ro, 'Running'), 5000);
      s.write(':');
      await s.waitFor(`Run in ${names.ro}`);
      // Exec options first (the : line takes --user, --group, --cwd and --env), then the command.
      s.write('--cwd /tmp --env X=6 -- sh -c "echo console-$PWD-$((X*7)); exit 3"');
      s.write('\r');
      // The console runs on the normal screen (the alternate one left first), then lxtop prints
      // its result. Read from the output: that screen lasts ~1 s, and under load the emulator may
      // take it and the return to the panes in one go.
      const out = await waitForOutput(s, [ALT_SCREEN_OFF, 'console-/tmp-42', 'lxtop: exit code 3'], 10_000);
      expect(out.lastIndexOf(ALT_SCREEN_OFF, out.indexOf('console-/tmp-42'))).toBeGreaterThan(out.lastIndexOf(ALT_SCREEN_ON, out.indexOf('console-/tmp-42')));
      // Back in full screen, same filter, same selection, the result in the status line.
      // (The whole frame: it can arrive in several writes, the status line last.)
      const back = await s.waitFor(
        (screen) => screen.includes(`filter /${names.ro}`) && rowOf(screen, names.ro) !== '' && screen.includes(`${names.ro}: exit code 3`),
        10_000,
      );
      expect(s.inAltScreen()).toBe(true);
      expect(rowOf(back, names.ro).startsWith('>')).toBe(true);
      // Keys work again after the remount.
      s.write('3');
      await s.waitFor('[3 Operations');
    });

    it('re-lays out on resize, redrawing the whole screen, and shows a notice on a tiny terminal', async () => {
      const s = await open();
      /** Header, counts, the host meter where there is room, tabs, table header, rows, then status, hints and the spare last row. */
      const whole = (screen: string): boolean => {
        const l = screen.split('\n');
        const tabs = l.findIndex((x) => x.includes('[1 Instances'));
        return (
          l[0].startsWith('lxtop') &&
          /instances?/.test(l[1]) &&
          (tabs === 2 || (tabs === 3 && /^host\s+mem/.test(l[2]))) &&
          /^\s+NAME/.test(l[tabs + 1]) &&
          l[l.length - 2].includes('q quit') &&
          l[l.length - 1] === '' &&
          screen.split('NAME').length === 2 &&
          // Rows, then (when they do not fill the pane) blank lines only.
          /^(?:[> ][* ]\S[^\n]*\n)*(?:\n)*$/.test(`${l.slice(tabs + 2, l.length - 3).join('\n')}\n`)
        );
      };
      await s.waitFor(whole);
      s.resize(60, 15);
      // 15 rows: no room for the host meter, it goes first.
      await s.waitFor((screen) => whole(screen) && !screen.includes('SNAPS') && !/^host\s/m.test(screen));
      for (const line of s.screen().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
      // Taller only: lines that did not change must come back too.
      s.resize(60, 40);
      await s.waitFor((screen) => whole(screen) && screen.split('\n').length === 40 && /^host\s+mem/m.test(screen));
      // A burst, then one column narrower and back.
      s.resize(120, 45);
      s.resize(90, 30);
      s.resize(110, 35);
      await s.waitFor((screen) => whole(screen) && screen.split('\n').length === 35);
      s.resize(109, 35);
      s.resize(110, 35);
      await new Promise((r) => setTimeout(r, 300));
      await s.waitFor(whole);
      s.resize(20, 6);
      await s.waitFor('Terminal too small');
      s.resize(140, 30);
      await s.waitFor((screen) => whole(screen) && screen.includes('SNAPS'));
      s.write('q');
      expect((await s.exited).exitCode).toBe(0);
    });

    it('SIGTERM restores the terminal too', async () => {
      const s = await open();
      expect(s.inAltScreen()).toBe(true);
      s.kill('SIGTERM');
      const { exitCode } = await s.exited;
      expect(exitCode).toBe(143);
      expect(s.inAltScreen()).toBe(false);
      expect(s.cursorVisible()).toBe(true);
    });

    it('--once prints the instances table as plain text and exits 0', async () => {
      const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
        const child = spawn(process.execPath, [cliPath, '--once', '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.on('error', reject);
        child.on('close', (c) => resolve({ stdout: out, code: c }));
      });
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+STATUS\s+TYPE\s+CPU%\s+MEM/);
      expect(stdout).toMatch(new RegExp(`^${names.ro}\\s+Running\\s+CT`, 'm'));
      expect(stdout).not.toContain('\x1b');
    });

    it('Ctrl-C leaves the terminal in cooked mode, outside the alternate screen, cursor shown', async () => {
      const s = startCliThenStty(['--socket', socket], { cols: 140, rows: 30 });
      sessions.push(s);
      await s.waitFor((screen) => screen.includes('live'), 15_000);
      expect(s.inAltScreen()).toBe(true);
      s.write('\x03');
      const after = await s.waitFor(/CLI-EXIT=\d+[\s\S]*echoke/, 10_000);
      expect(after).toContain('CLI-EXIT=0');
      expect(s.inAltScreen()).toBe(false);
      expect(s.cursorVisible()).toBe(true);
      // Cooked: canonical input and echo on (stty prints `-icanon` / `-echo` when they are off).
      expect(after).toMatch(/(^|\s)icanon(\s|$)/m);
      expect(after).toMatch(/(^|\s)echo(\s|$)/m);
      expect(after).not.toMatch(/-icanon/);
    });
  });
}
