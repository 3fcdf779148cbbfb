// A project switch remounts the panes; the terminal must stay raw throughout, or a Ctrl-\ or
// Ctrl-Z typed during the switch becomes a signal to lxtop (the key fuzzer once died of SIGQUIT
// there: src/terminal.ts holdRawMode). Here, Ctrl-\ is typed without pause through many switches.
import { afterEach, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { openPicker, pickInList, startCli, type PtySession } from '../support/pty.js';

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill('SIGKILL');
});

describeOn(['lxd'], 'project switches with Ctrl-\\ typed throughout (real LXD, real pty)', () => {
  it('ten switches: lxtop never gets a signal, and the terminal is raw after them (q quits)', async () => {
    const socket = daemonSocket('lxd')!;
    const s = startCli(['--socket', socket, '--read-only'], { cols: 120, rows: 30 });
    sessions.push(s);
    let exited: { exitCode: number; signal?: number } | null = null;
    void s.exited.then((e) => (exited = e));
    await s.waitFor(/\d+ instances?\b/, 15_000);
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? 'all projects' : 'default';
      await openPicker(s, 'P', /Switch project/);
      await pickInList(s, target, target === 'all projects' ? '\x1b[A' : '\x1b[B', 5); // it is above "default"
      // Ctrl-\ every millisecond or so while the panes are remounted.
      const until = Date.now() + 400;
      while (Date.now() < until && exited === null) {
        s.write('\x1c');
        await new Promise((r) => setImmediate(r));
      }
      expect(exited, `switch ${i + 1} to ${target}`).toBeNull();
      await s.waitFor((x) => (target === 'all projects' ? /PROJECT\s+NAME/.test(x) : /\d+ instances?\b/.test(x) && !/PROJECT\s+NAME/.test(x)), 10_000);
    }
    // Raw still: q quits at once (cooked, it would wait for a newline).
    s.write('q');
    const end = await Promise.race([s.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`q did not quit: ${s.screen()}`)), 10_000))]);
    expect(end.signal ?? 0).toBe(0);
    expect(end.exitCode).toBe(0);
  }, 120_000);
});
