import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  DIALOG_VIEWS,
  SCOPES,
  findAnywhere,
  findCommand,
  findInView,
  helpSections,
  hintsFor,
  renderKeyTable,
  type Command,
} from '../../../src/keys/registry.js';
import { FOOTERS, footerText } from '../../../src/keys/footers.js';
import { keyLabel, parseKey } from '../../../src/keys/keys.js';

describe('command registry', () => {
  it('has unique ids, a description and at least one key per command', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of COMMANDS) {
      expect(c.description.length, c.id).toBeGreaterThan(3);
      expect(c.keys.length, c.id).toBeGreaterThan(0);
      expect(SCOPES).toContain(c.scope);
    }
  });

  it('binds no key twice where both bindings could apply (a pane scope and the global scope)', () => {
    const global = COMMANDS.filter((c) => c.scope === 'global');
    for (const scope of ['global', 'instances', 'images', 'operations'] as const) {
      const seen = new Map<string, string>();
      const inScope = COMMANDS.filter((c) => c.scope === scope);
      for (const c of scope === 'global' ? inScope : [...inScope, ...global]) {
        for (const k of c.keys) {
          expect(seen.get(k), `${k} bound to ${seen.get(k)} and ${c.id} in ${scope}`).toBeUndefined();
          seen.set(k, c.id);
        }
      }
    }
  });

  it('binds no key twice in a view over the panes; dialog commands are bound somewhere', () => {
    const all: readonly Command[] = COMMANDS;
    for (const view of DIALOG_VIEWS) {
      const seen = new Map<string, string>();
      for (const c of all.filter((x) => x.views?.includes(view))) {
        for (const k of c.keys) {
          expect(seen.get(k), `${k} bound to ${seen.get(k)} and ${c.id} in ${view}`).toBeUndefined();
          seen.set(k, c.id);
        }
      }
      expect(seen.size, view).toBeGreaterThan(0);
    }
    for (const c of all) {
      if (c.scope === 'dialog') expect(c.views?.length, c.id).toBeGreaterThan(0);
      for (const v of c.hintIn ?? []) expect(c.views, `${c.id} hinted in ${v}`).toContain(v);
      for (const k of c.anywhere ?? []) expect(c.keys, `${c.id} anywhere`).toContain(k);
    }
  });

  it('finds a view\'s own bindings, and the keys that act anywhere', () => {
    expect(findInView('n', 'confirm')).toBe('dialog-no');
    expect(findInView('n', 'picker')).toBeNull();
    expect(findInView('j', 'picker')).toBe('down');
    expect(findInView('enter', 'confirm-force')).toBe('dialog-accept');
    expect(findInView('q', 'help')).toBe('dialog-close');
    expect(findInView('?', 'help')).toBe('help');
    expect(findInView('?', 'detail')).toBeNull();
    expect(findInView('4', 'members')).toBe('members');
    expect(findInView('ctrl+w', 'filter')).toBe('erase-word');
    expect(findInView('q', 'confirm')).toBeNull();
    expect(findInView('', 'prompt')).toBeNull();
    expect(findAnywhere('ctrl+c')?.id).toBe('quit');
    expect(findAnywhere('q')).toBeNull();
  });

  it('finds pane commands before global ones', () => {
    expect(findCommand('s', 'instances')?.id).toBe('start');
    expect(findCommand('n', 'images')?.id).toBe('image-new');
    expect(findCommand('n', 'instances')?.id).toBe('new');
    expect(findCommand('q', 'operations')?.id).toBe('quit');
    expect(findCommand('s', 'operations')).toBeNull();
    expect(findCommand('', 'instances')).toBeNull();
  });

  it('has the lifecycle commands a user expects, flagged mutating', () => {
    for (const id of ['start', 'stop', 'force-stop', 'restart', 'freeze', 'snapshot', 'restore', 'rename', 'delete', 'new', 'image-delete', 'operation-cancel', 'exec']) {
      const c = COMMANDS.find((x) => x.id === id);
      expect(c, id).toBeDefined();
      expect(c?.mutating, id).toBe(true);
    }
    for (const id of ['delete', 'force-stop', 'image-delete', 'restore']) expect(COMMANDS.find((c) => c.id === id)?.dangerous, id).toBe(true);
  });

  it('hides mutating commands from hints and help in read-only mode', () => {
    const normal = hintsFor('instances', false).map((h) => h.label);
    const ro = hintsFor('instances', true).map((h) => h.label);
    expect(normal).toEqual(expect.arrayContaining(['start', 'stop', 'delete', 'help', 'quit']));
    expect(ro).not.toContain('start');
    expect(ro).not.toContain('stop');
    expect(ro).not.toContain('delete');
    expect(ro).toEqual(expect.arrayContaining(['info', 'help', 'quit']));
    const help = helpSections(true).flatMap((s) => s.rows.map((r) => r.description));
    expect(help.some((d) => d.startsWith('Start'))).toBe(false);
    expect(helpSections(false).flatMap((s) => s.rows).length).toBe(COMMANDS.filter((c) => !('hidden' in c)).length);
  });

  it('shows only the dialog keys that mean something in that dialog', () => {
    expect(hintsFor('prompt', false).map((h) => h.label)).toEqual(['ok', 'cancel', 'erase']);
    expect(hintsFor('confirm', false).map((h) => h.label)).toEqual(['yes', 'cancel']);
    // Deleting a running instance: only F accepts.
    expect(hintsFor('confirm-force', false).map((h) => h.label)).toEqual(['force', 'cancel']);
    expect(hintsFor('picker', false).map((h) => h.label)).toEqual(['ok', 'cancel']);
  });

  it('renders a markdown key table with every command', () => {
    const table = renderKeyTable();
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Keys | Where | Action |');
    expect(lines.length).toBe(COMMANDS.filter((c) => !('hidden' in c)).length + 2);
    expect(table).toContain('| `q` `Ctrl-C` | Everywhere | Quit (restores the terminal) |');
    expect(table).toContain('refused with `--read-only`');
  });

  // After a change to the registry, `UPDATE_README=1 npx vitest run --config test/vitest.config.ts
  // test/unit/keys` writes the generated table between the markers.
  it('matches the key table in README.md', () => {
    const url = new URL('../../../README.md', import.meta.url);
    const markers = /(<!-- keys:start -->\n)[\s\S]*?\n?(<!-- keys:end -->)/;
    if (process.env.UPDATE_README) {
      const before = readFileSync(url, 'utf8');
      const after = before.replace(markers, (_all, start: string, end: string) => `${start}${renderKeyTable()}\n${end}`);
      if (after !== before) writeFileSync(url, after);
    }
    const readme = readFileSync(url, 'utf8');
    const m = /<!-- keys:start -->\n([\s\S]*?)\n?<!-- keys:end -->/.exec(readme);
    expect(m, 'README.md has <!-- keys:start --> / <!-- keys:end --> markers').not.toBeNull();
    expect(m![1].trim()).toBe(renderKeyTable());
  });
});

describe('footers', () => {
  it('read as they always did', () => {
    expect(Object.fromEntries(DIALOG_VIEWS.map((v) => [v, footerText(v)]))).toEqual({
      help: 'j/k PgUp/PgDn scroll  Esc or ? close',
      history: 'j/k PgUp/PgDn scroll  g/G start/end  Esc close',
      members: 'j/k PgUp/PgDn scroll  Esc or 4 close',
      detail: 'j/k PgUp/PgDn scroll  Esc or Enter close',
      confirm: 'y yes  Esc/n no',
      'confirm-force': 'F force  Esc/n cancel',
      prompt: 'Enter ok  Esc cancel  Ctrl-U erase',
      picker: '↑/↓ or j/k move  Enter pick  Esc cancel',
      filter: 'Enter keep  Esc restore  ↑/↓ leave',
      logs: '/ search n/N match  f follow  c console/log  g/G start/end  Esc close',
      'log-search': 'Enter keep  Esc drop',
      events: 'j/k move  / filter  Enter go to the instance  Esc or E close',
      'event-filter': 'Enter keep  Esc drop',
      snapshots: 'n new  r restore  m rename  d delete  s schedule  x expiry  Esc close',
      warnings: 'j/k move  Esc or W close',
      resources: 'Enter open  c edit  n new  d delete  Esc close',
      files: 'Enter open  Backspace up  p pull  u push  e edit  d delete  Esc close',
    });
  });

  it('show only keys bound in their view, each to the command the footer names', () => {
    for (const view of DIALOG_VIEWS) {
      const refs = FOOTERS[view].parts.filter((p) => typeof p !== 'string');
      expect(refs.length, view).toBeGreaterThan(0);
      for (const r of refs) expect(findInView(r.key, view), `${r.key} in ${view}`).toBe(r.id);
    }
  });
});

describe('key names', () => {
  it('names control keys, sequences and printable characters', () => {
    expect(parseKey('q')).toEqual({ name: 'q', text: 'q' });
    expect(parseKey('S').name).toBe('S');
    expect(parseKey(' ')).toEqual({ name: 'space', text: ' ' });
    expect(parseKey('\x03').name).toBe('ctrl+c');
    expect(parseKey('\x12').name).toBe('ctrl+r');
    expect(parseKey('\r').name).toBe('enter');
    expect(parseKey('\x1b').name).toBe('escape');
    expect(parseKey('\x7f').name).toBe('backspace');
    expect(parseKey('\t').name).toBe('tab');
    expect(parseKey('\x1b[Z').name).toBe('shift+tab');
    expect(parseKey('\x1b[A').name).toBe('up');
    expect(parseKey('\x1bOB').name).toBe('down');
    expect(parseKey('\x1b[5~').name).toBe('pageup');
    expect(parseKey('\x1b[6~').name).toBe('pagedown');
    expect(parseKey('\x1b[3~').name).toBe('delete');
    expect(parseKey('\x1b[15~').name).toBe('f5');
    expect(parseKey('\x1bx').name).toBe('alt+x');
  });

  it('keeps pasted text as text without a binding', () => {
    expect(parseKey('ps aux')).toEqual({ name: '', text: 'ps aux' });
    expect(parseKey('\x1b[999z')).toEqual({ name: '', text: '' });
  });

  it('labels keys for people', () => {
    expect(keyLabel('ctrl+c')).toBe('Ctrl-C');
    expect(keyLabel('pagedown')).toBe('PgDn');
    expect(keyLabel('up')).toBe('↑');
    expect(keyLabel('f5')).toBe('F5');
    expect(keyLabel('space')).toBe('Space');
    expect(keyLabel('X')).toBe('X');
  });
});
