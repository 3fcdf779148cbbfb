// The history through the built TUI in a pseudo-terminal against the real LXD and Incus, under
// NO_COLOR: H shows the CPU history column; a busy loop started in the instance (a shell loop by
// exec) makes its sparkline rise within two of the row's refreshes; the detail view (Enter) draws
// the graphs with the scale and the time axis. Each suite makes its own instance and removes it.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { daemonTool, launch, remove, uniqueName } from '../support/exec-instances.js';
import { listedLive, startCli, type PtySession } from '../support/pty.js';
import { BLOCKS } from '../../src/views/history-draw.js';

/** The row's refresh from the header (`every 1s`, `every 2.5s (selected 2s)`), ms. */
function rowRefreshMs(screen: string): number {
  const m = /every (\d+(?:\.\d+)?)(ms|s)(?: \(selected (\d+(?:\.\d+)?)(ms|s)\))?/.exec(screen);
  if (!m) throw new Error(`no refresh in the header:\n${screen}`);
  const [value, unit] = m[3] ? [m[3], m[4]] : [m[1], m[2]];
  return Number(value) * (unit === 's' ? 1000 : 1);
}

/** The sparkline at the end of the CPU HIST cell of `name`'s row (block elements and spaces). */
function sparkOf(screen: string, name: string): string {
  const row = screen.split('\n').find((l) => new RegExp(`^[> ][* ]${name}\\s`).test(l)) ?? '';
  const m = new RegExp(`[${BLOCKS} ]*[${BLOCKS}]`).exec(row);
  return m ? m[0].trimStart() : '';
}

const level = (ch: string) => BLOCKS.indexOf(ch);

function suite(kind: 'lxd' | 'incus'): void {
  describeOn([kind], `the history (${kind}, built TUI)`, () => {
    const socket = daemonSocket(kind)!;
    const d = daemonTool(kind, socket);
    const name = uniqueName('hist');
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

    it('H: a busy loop makes the sparkline rise within two refreshes; Enter: the graphs', async () => {
      // 60 rows: the detail view's instance section, then all four graphs (with the header's meter and
      // warning lines, 40 rows cut the TX graph off now and then).
      const s = startCli(['--socket', socket, '--interval', '1s'], { cols: 160, rows: 60, env: { NO_COLOR: '1' } });
      sessions.push(s);
      await s.waitFor(listedLive, 15_000);
      s.write('/');
      await s.waitFor('Enter keep');
      s.write(name);
      s.write('\r');
      await s.waitFor((screen) => screen.includes(`filter /${name}`) && !screen.includes('Enter keep'));
      s.write('H');
      await s.waitFor('CPU HIST', 5_000);
      // Idle: a few samples, all low.
      const idle = sparkOf(await s.waitFor((screen) => sparkOf(screen, name).replace(/ /g, '').length >= 3, 15_000), name);
      expect([...idle.replace(/ /g, '')].every((c) => level(c) <= 1), idle).toBe(true);
      const refresh = rowRefreshMs(s.screen());

      await d.tool('exec', name, '--', 'sh', '-c', 'while :; do :; done </dev/null >/dev/null 2>&1 &');
      const started = Date.now();
      // Risen: the newest block above every idle one, and a fifth of a core at least (▃: the
      // machine running the tests may be loaded, and the loop then gets less than a core).
      const idleMax = Math.max(...[...idle.replace(/ /g, '')].map(level));
      const risen = await s.waitFor((screen) => {
        const last = sparkOf(screen, name).at(-1);
        return last !== undefined && level(last) >= 2 && level(last) > idleMax;
      }, 2 * refresh + 3_000);
      const elapsed = Date.now() - started;
      console.log(`[${kind}] busy loop → sparkline ${JSON.stringify(sparkOf(risen, name))} after ${elapsed} ms (row refresh ${refresh} ms)`);
      // Two refreshes, and the time the frame takes to coalesce and draw.
      expect(elapsed).toBeLessThanOrEqual(2 * refresh + 1_000);
      // NO_COLOR: not one foreground colour written; the blocks carry the meaning.
      expect(s.output).not.toMatch(/\x1b\[(?:\d+;)*3[0-7]m/);

      s.write('\r');
      const detail = await s.waitFor((screen) => screen.includes(`Instance ${name}`) && /History \(the last \d+m, \d+ samples\)/.test(screen) && screen.includes('TX  max'), 10_000);
      expect(detail).toMatch(/CPU % {2}max \d+% {2}now \d+(\.\d)?%/);
      expect(detail).toMatch(/Memory {2}max \S+ {2}now \S+/);
      expect(detail).toMatch(/RX {2}max \S+ {2}now \S+/);
      expect(detail).toMatch(/TX {2}max \S+ {2}now \S+/);
      expect(detail).toMatch(/└-\d+m─+.*now/);
      // The CPU graph's newest column stands (its bottom line at least five eighths: over a fifth of a core).
      const cpuRows = detail.split('\n').filter((l) => l.startsWith('  │')).slice(0, 3);
      expect(cpuRows[2]).toMatch(/[▅▆▇█]\s*$/);
      s.write('\x1b');
      await s.waitFor((screen) => !screen.includes(`Instance ${name}`) && screen.includes('CPU HIST'), 5_000);
    }, 90_000);
  });
}

suite('lxd');
suite('incus');
