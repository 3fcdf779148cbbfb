// The logs view (l) without the App: opened on the selected instance's log, at its end; the
// navigation keys, search (/, typing, n, N, Enter, Esc) and follow (f: reads once a second what
// was added, a rotated log replaces the lines); then the drawing: the page of lines, matches in
// inverse video with colours off, the title's position and state.
import React from 'react';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import chalk from 'chalk';
import { handleKey } from '../../../src/app/handle-key.js';
import { TAIL_BYTES } from '../../../src/app/logs-flow.js';
import type { AppContext } from '../../../src/app/context.js';
import type { InstanceLogText, LogKind } from '../../../src/store/logs.js';
import type { Store } from '../../../src/store/index.js';
import { LogsView } from '../../../src/views/logs-view.js';
import { findMatch, highlight, splitLines, appendLines, type LogsDialog } from '../../../src/views/logs.js';
import { ThemeContext } from '../../../src/views/theme.js';
import { NOW, makeInstance, recordingController, storeWith } from '../views/helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const PAGE = 5;

function setup(log: { text: string; console?: string }) {
  const store: Store = storeWith({ instances: [makeInstance('web1', { status: 'Running' })] });
  const reads: { kind: LogKind; from: number }[] = [];
  const controller = {
    ...recordingController(store),
    instanceLog: (_key: string, kind: LogKind) => async (from: number): Promise<InstanceLogText> => {
      reads.push({ kind, from });
      const text = kind === 'console' ? (log.console ?? '') : log.text;
      const bytes = Buffer.from(text);
      if (kind === 'log' && from < 0) {
        const start = Math.max(0, bytes.length + from);
        return { text: bytes.subarray(start).toString(), size: bytes.length, from: start, file: 'lxc.log' };
      }
      if (kind === 'console' || from > bytes.length) return { text, size: bytes.length, from: 0, file: kind === 'console' ? 'console' : 'lxc.log' };
      return { text: bytes.subarray(from).toString(), size: bytes.length, from, file: 'lxc.log' };
    },
  };
  const ctx: AppContext = { store, controller, quit: () => undefined, console: () => undefined, pageSize: () => PAGE, now: () => NOW };
  const keys = (...raw: string[]) => raw.forEach((r) => handleKey(r, ctx));
  const dialog = () => store.getState().ui.dialog as LogsDialog;
  return { store, keys, dialog, reads };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}${i === 11 ? ' ERROR disk full' : ''}${i === 16 ? ' error again' : ''}`).join('\n') + '\n';

describe('the logs view keys', () => {
  it('l opens the selected instance\'s log at its end; g, G, j, k, PgUp move; Esc closes', async () => {
    const { keys, dialog, store } = setup({ text: numbered(20) });
    keys('l');
    expect(dialog()).toMatchObject({ kind: 'logs', key: 'default/web1', loading: true });
    await flush();
    expect(dialog()).toMatchObject({ loading: false, file: 'lxc.log', scroll: 15 });
    expect(dialog().lines).toHaveLength(20);
    keys('g');
    expect(dialog().scroll).toBe(0);
    keys('j', 'j');
    expect(dialog().scroll).toBe(2);
    keys('G', 'k');
    expect(dialog().scroll).toBe(14);
    keys('\x1b[5~'); // PgUp
    expect(dialog().scroll).toBe(9);
    keys('\x1b');
    expect(store.getState().ui.dialog).toBeNull();
  });

  it('/ searches as typed (smart case), n and N move between matches, Esc drops the search', async () => {
    const { keys, dialog } = setup({ text: numbered(40) });
    keys('l');
    await flush();
    keys('g', '/');
    expect(dialog().searching).toBe(true);
    keys('e', 'r', 'r');
    expect(dialog()).toMatchObject({ query: 'err', match: 11 });
    expect(dialog().scroll).toBeLessThanOrEqual(11);
    expect(dialog().scroll + PAGE).toBeGreaterThan(11);
    keys('\r');
    expect(dialog().searching).toBe(false);
    keys('n');
    expect(dialog().match).toBe(16);
    keys('n');
    expect(dialog().match).toBe(11); // wraps
    keys('N');
    expect(dialog().match).toBe(16);
    keys('/', 'E', 'R', 'R');
    expect(dialog().match).toBe(11); // a capital letter: case matters, only "ERROR"
    keys('\x1b');
    expect(dialog()).toMatchObject({ searching: false, query: '', match: -1 });
  });

  it('f follows: what is added is read from a little before the end and shown at the end', async () => {
    vi.useFakeTimers();
    const log = { text: numbered(20) };
    const { keys, dialog, reads } = setup(log);
    keys('l');
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toHaveLength(1); // not following: no reads
    keys('f');
    log.text += 'line 21 new\n';
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog().lines.at(-1)).toBe('line 21 new');
    expect(dialog().scroll).toBe(21 - PAGE);
    expect(reads[0].from).toBe(-TAIL_BYTES); // a small log: whole in the first read
    expect(reads.at(-1)!.from).toBe(Buffer.byteLength(numbered(20)) - 64);
    // A rotated log (the instance started again) replaces the lines.
    log.text = `fresh start\n${numbered(9)}`;
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog().lines).toEqual(splitLines(log.text));
    expect(dialog().lines[0]).toBe('fresh start');
    // Scrolling up stops following.
    keys('k');
    expect(dialog().follow).toBe(false);
  });

  it('a log longer than TAIL_BYTES shows its end first (one suffix read), then the whole at the same place', async () => {
    const text = numbered(TAIL_BYTES / 10);
    const all = splitLines(text);
    const { keys, dialog, reads, store } = setup({ text });
    const seen: number[] = [];
    store.subscribe(() => {
      const d = store.getState().ui.dialog;
      if (d?.kind === 'logs' && d.lines.length > 0 && seen.at(-1) !== d.lines.length) {
        seen.push(d.lines.length);
        expect(d.lines.at(-1)).toBe(all.at(-1));
        expect(d.scroll).toBe(d.lines.length - PAGE);
      }
    });
    keys('l');
    await vi.waitFor(() => expect(dialog().loading).toBe(false));
    expect(reads.map((r) => r.from)).toEqual([-TAIL_BYTES, 0]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeLessThan(all.length);
    expect(seen[1]).toBe(all.length);
  });

  it('c switches to the console log and back', async () => {
    const { keys, dialog } = setup({ text: numbered(3), console: 'login: ' });
    keys('l');
    await flush();
    keys('c');
    await flush();
    expect(dialog()).toMatchObject({ which: 'console', file: 'console', lines: ['login: '] });
    keys('c');
    await flush();
    expect(dialog()).toMatchObject({ which: 'log', file: 'lxc.log' });
  });
});

describe('the logs model', () => {
  it('finds the same line as a walk over the lines would, both ways, wrapping, any case', () => {
    const words = ['error', 'Error', 'warn', 'x', 'ab', 'AB', 'Ä', 'ä', '.*', ''];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const lines = Array.from({ length: 400 }, () => Array.from({ length: rand(5) }, () => words[rand(words.length)]).join(' '));
    const walk = (query: string, from: number, dir: 1 | -1) => {
      const hit = query === query.toLowerCase() ? (l: string) => l.toLowerCase().includes(query) : (l: string) => l.includes(query);
      for (let i = 0; i < lines.length; i++) {
        const at = (((from + dir * i) % lines.length) + lines.length) % lines.length;
        if (hit(lines[at])) return at;
      }
      return -1;
    };
    for (const query of ['error', 'Error', 'ab', 'AB', 'x e', 'nothing', 'ä', 'Ä', '.*']) {
      for (const from of [0, 1, 57, 200, 399, 400, -1]) {
        for (const dir of [1, -1] as const) expect(findMatch(lines, query, from, dir), `${query} ${from} ${dir}`).toBe(walk(query, from, dir));
      }
    }
  });
  it('splits, appends to an open last line, finds and highlights', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(appendLines(['a', 'b'], 'c\nd', true)).toEqual(['a', 'bc', 'd']);
    expect(appendLines(['a'], 'c\n', false)).toEqual(['a', 'c']);
    expect(findMatch(['x', 'Foo', 'foo'], 'foo', 0)).toBe(1);
    expect(findMatch(['x', 'Foo', 'foo'], 'Foo', 2)).toBe(1);
    expect(findMatch(['x'], 'y', 0)).toBe(-1);
    expect(findMatch(['a.b', 'a+b (x)'], '+b (', 0)).toBe(1);
    expect(findMatch(['Ärger', 'x'], 'ärger', 1)).toBe(0);
    expect(highlight('an Error and error', 'error')).toEqual([
      { text: 'an ', match: false },
      { text: 'Error', match: true },
      { text: ' and ', match: false },
      { text: 'error', match: true },
    ]);
  });

  it('draws the page with the matches in inverse video, colours off', () => {
    // Ink's chalk writes no escape at all into a test's pipe: at level 1 it writes styles, so the
    // inverse video is there to check (and colours, were any drawn).
    const level = chalk.level;
    chalk.level = 1;
    onTestFinished(() => {
      chalk.level = level;
    });
    const lines = splitLines(numbered(20));
    const d: LogsDialog = { kind: 'logs', key: 'default/web1', which: 'log', file: 'lxc.log', id: 1, loading: false, error: null, lines, scroll: 10, follow: true, query: 'error', searching: false, match: 11 };
    const r = render(
      <ThemeContext.Provider value={{ color: false }}>
        <LogsView dialog={d} width={60} height={PAGE + 1} />
      </ThemeContext.Provider>,
    );
    const frame = r.lastFrame() ?? '';
    const plain = frame.replace(/\x1b\[[0-9;]*m/g, '');
    const rows = plain.split('\n');
    expect(rows[0]).toMatch(/^lxc\.log of web1 {2}11-15\/20 {2}\[follow\] {2}\/error \(line 12\)/);
    expect(rows[1]).toMatch(/^ line 11\s*$/);
    expect(rows[2]).toMatch(/^>line 12 ERROR disk full/);
    expect(frame).toContain('\x1b[7mERROR\x1b[27m');
    expect(frame).not.toMatch(/\x1b\[3[0-9]m/); // no colour
  });
});
