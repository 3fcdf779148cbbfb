// The Layout alone, from plain props: the screen in exactly rows-1 lines, the body the open view
// asks for, and the bottom line it calls for (a footer, the filter input, the hints) as the
// registry writes them.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Layout, bodyHeight } from '../../../src/views/layout.js';
import { instancesModel } from '../../../src/views/panes.js';
import { ThemeContext } from '../../../src/views/theme.js';
import type { Dialog, Store } from '../../../src/store/index.js';
import { NOW, makeInstance, storeWith } from './helpers.js';

afterEach(() => cleanup());

function screen(store: Store, cols = 100, rows = 24) {
  const state = store.getState();
  const model = instancesModel(state, cols, Math.max(1, bodyHeight(rows, false) - 1), NOW);
  const picked: string[] = [];
  const r = render(
    <ThemeContext.Provider value={{ color: false }}>
      <Layout state={state} remote="unix:/test.socket" cols={cols} rows={rows} model={model} onPick={(v) => picked.push(v)} onHighlight={() => undefined} />
    </ThemeContext.Provider>,
  );
  const lines = (r.lastFrame() ?? '').split('\n');
  return { lines, last: lines.at(-1) ?? '', text: lines.join('\n'), picked };
}

function withDialog(dialog: Dialog | null, readOnly = false): Store {
  const store = storeWith({ readOnly, instances: [makeInstance('web1', { status: 'Running' }), makeInstance('db1')] });
  if (dialog) store.dispatch({ type: 'dialog/open', dialog });
  return store;
}

describe('Layout', () => {
  it('fills exactly rows-1 lines: header, tabs, the pane, status, hints', () => {
    const s = screen(withDialog(null), 100, 20);
    expect(s.lines.length).toBe(19);
    expect(s.lines[0]).toContain('lxtop  LXD 5.0.2  unix:/test.socket  project default');
    expect(s.text).toMatch(/web1\s+Running/);
    expect(s.last).toMatch(/^s start {2}x stop .*\? help {2}q quit$/);
  });

  it('leaves the mutating hints out in read-only mode', () => {
    const s = screen(withDialog(null, true));
    expect(s.last).not.toContain('start');
    expect(s.last).toContain('q quit');
  });

  it('help over the body, with its footer', () => {
    const s = screen(withDialog({ kind: 'help', scroll: 0 }));
    expect(s.lines.length).toBe(23);
    expect(s.text).toContain('lxtop keys');
    expect(s.last).toBe('j/k PgUp/PgDn scroll  Esc or ? close');
  });

  it('members and detail: their footers', () => {
    expect(screen(withDialog({ kind: 'members', scroll: 0 })).last).toBe('j/k PgUp/PgDn scroll  Esc or 4 close');
    const detail = screen(withDialog({ kind: 'detail', key: 'default/web1', loading: true, detail: null, error: null, scroll: 0 }));
    expect(detail.text).toContain('loading…');
    expect(detail.last).toBe('j/k PgUp/PgDn scroll  Esc or Enter close');
  });

  it('a confirmation that needs F: the box and the hints say F, not y', () => {
    const s = screen(
      withDialog({ kind: 'confirm', title: 'Delete instance web1', message: 'Delete web1?', dangerous: true, needsForce: true, intent: { command: 'delete', keys: ['default/web1'] } }),
    );
    expect(s.text).toContain('F force  Esc/n cancel');
    expect(s.last).toBe('F force  Esc cancel');
    const plain = screen(withDialog({ kind: 'confirm', title: 'Force stop', message: 'Kill web1?', intent: { command: 'force-stop', keys: ['default/web1'] } }));
    expect(plain.text).toContain('y yes  Esc/n no');
    expect(plain.last).toBe('y yes  Esc cancel');
  });

  it('a prompt and a picker over the pane, their footers and hints', () => {
    const prompt = screen(withDialog({ kind: 'prompt', title: 'Rename web1', label: 'New name', value: 'web2', error: null, intent: { command: 'rename', key: 'default/web1' } }));
    expect(prompt.text).toContain('New name: web2');
    expect(prompt.text).toContain('Enter ok  Esc cancel  Ctrl-U erase');
    expect(prompt.last).toBe('Enter ok  Esc cancel  Ctrl-U erase');
    const picker = screen(
      withDialog({ kind: 'picker', title: 'Switch project', items: [{ value: 'default', label: 'default' }], selected: 0, intent: { command: 'project' } }),
    );
    expect(picker.text).toContain('↑/↓ or j/k move  Enter pick  Esc cancel');
    expect(picker.last).toBe('Enter ok  Esc cancel');
  });

  it('the filter input on the bottom line', () => {
    const store = withDialog({ kind: 'filter', pane: 'instances', previous: '' });
    store.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'web' });
    const s = screen(store);
    expect(s.last).toBe('/web   Enter keep  Esc restore  ↑/↓ leave');
    expect(s.text).not.toMatch(/db1\s/);
  });

  it('a lost connection: the banner takes a line from the body', () => {
    expect(bodyHeight(24, true)).toBe(bodyHeight(24, false) - 1);
    const store = withDialog(null);
    store.dispatch({ type: 'rest/down', error: 'gone', at: NOW, nextRetryAt: null });
    const s = screen(store, 100, 20);
    expect(s.lines.length).toBe(19);
    expect(s.text).toContain('! Connection lost: gone');
  });
});
