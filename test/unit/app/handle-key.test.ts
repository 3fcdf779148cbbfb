// The key handlers against the registry: every command has its action (a handler table keyed by
// an id the registry does not have, or missing one, is caught here too, at run time), and what
// each key does in each view over the panes, key by key, without the App around it.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, DIALOG_VIEWS, type Command } from '../../../src/keys/registry.js';
import { PANE_ACTIONS } from '../../../src/app/commands.js';
import { VIEW_KEYS, handleKey } from '../../../src/app/handle-key.js';
import type { AppContext, ConsoleRequest } from '../../../src/app/context.js';
import type { Dialog, Store } from '../../../src/store/index.js';
import { KEY, NOW, makeInstance, recordingController, storeWith } from '../views/helpers.js';

const ALL: readonly Command[] = COMMANDS;

function context(store: Store, page = 5) {
  const controller = recordingController(store);
  const events = { quit: 0, consoles: [] as ConsoleRequest[] };
  const ctx: AppContext = {
    store,
    controller,
    quit: () => {
      events.quit++;
    },
    console: (request) => {
      events.consoles.push(request);
    },
    pageSize: () => page,
    now: () => NOW,
  };
  return { ctx, controller, events, keys: (...raw: string[]) => raw.map((r) => handleKey(r, ctx)) };
}

function withDialog(dialog: Dialog | null, names = ['a', 'b', 'c']) {
  const store = storeWith({ instances: names.map((n) => makeInstance(n)) });
  if (dialog) store.dispatch({ type: 'dialog/open', dialog });
  return { store, ...context(store) };
}

const HELP: Dialog = { kind: 'help', scroll: 0 };
const CONFIRM: Dialog = { kind: 'confirm', title: 'Force stop', message: 'Kill a?', dangerous: true, intent: { command: 'force-stop', keys: ['default/a'] } };
const PROMPT: Dialog = { kind: 'prompt', title: 'Rename a', label: 'New name', value: 'web one', error: null, intent: { command: 'rename', key: 'default/a' } };
const PICKER = {
  kind: 'picker',
  title: 'Restore a to snapshot',
  items: [
    { value: 'snap2', label: 'snap2' },
    { value: 'snap1', label: 'snap1' },
    { value: 'snap0', label: 'snap0' },
  ],
  selected: 0,
  intent: { command: 'restore', key: 'default/a' },
} satisfies Dialog;

describe('handler tables', () => {
  it('every pane command has an action, and every action is a pane command', () => {
    const pane = ALL.filter((c) => c.scope !== 'dialog').map((c) => c.id);
    expect(Object.keys(PANE_ACTIONS).sort()).toEqual([...pane].sort());
    for (const id of pane) expect(typeof (PANE_ACTIONS as Record<string, unknown>)[id], id).toBe('function');
  });

  it('every view has an action for exactly the commands the registry binds there', () => {
    for (const view of DIALOG_VIEWS) {
      const bound = ALL.filter((c) => c.views?.includes(view)).map((c) => c.id);
      expect(Object.keys(VIEW_KEYS[view].commands).sort(), view).toEqual([...bound].sort());
    }
  });

  it('no handler compares key names: src/app reads keys only through the registry', () => {
    const dir = new URL('../../../src/app/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/\.name\s*[!=]==?\s*'/);
      expect(source, file).not.toMatch(/keys\.includes\(/);
    }
  });
});

describe('keys in the views over the panes', () => {
  it('Ctrl-C quits from every view, inputs too', () => {
    for (const dialog of [null, HELP, CONFIRM, PROMPT, PICKER, { kind: 'filter', pane: 'instances', previous: '' } as Dialog]) {
      const t = withDialog(dialog);
      t.keys(KEY.ctrlC);
      expect(t.events.quit, dialog?.kind ?? 'pane').toBe(1);
    }
  });

  it('help: ?, Esc, n, q and Enter close it; the navigation keys scroll; others do nothing', () => {
    for (const close of ['?', KEY.escape, 'n', 'q', KEY.enter]) {
      const t = withDialog(HELP);
      t.keys(close);
      expect(t.store.getState().ui.dialog, JSON.stringify(close)).toBeNull();
      expect(t.events.quit).toBe(0);
    }
    const t = withDialog(HELP);
    t.keys('j', 'j', KEY.down);
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'help', scroll: 3 });
    t.keys('k');
    expect(t.store.getState().ui.dialog).toMatchObject({ scroll: 2 });
    t.keys('G');
    const bottom = (t.store.getState().ui.dialog as { scroll: number }).scroll;
    expect(bottom).toBeGreaterThan(10);
    t.keys(KEY.pageDown);
    expect(t.store.getState().ui.dialog).toMatchObject({ scroll: bottom });
    t.keys('g', 's', 'x', '4', KEY.tab);
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'help', scroll: 0 });
    expect(t.store.getState().ui.focus).toBe('instances');
    expect(t.controller.calls.filter((c) => c.method !== 'setVisible')).toEqual([]);
  });

  it('members closes with 4, detail does not', () => {
    const members = withDialog({ kind: 'members', scroll: 0 });
    members.keys('4');
    expect(members.store.getState().ui.dialog).toBeNull();
    const detail = withDialog({ kind: 'detail', key: 'default/a', loading: true, detail: null, error: null, scroll: 0 });
    detail.keys('4', '?');
    expect(detail.store.getState().ui.dialog).toMatchObject({ kind: 'detail' });
    detail.keys(KEY.enter);
    expect(detail.store.getState().ui.dialog).toBeNull();
  });

  it('confirm: y and Enter accept, F forces, n and Esc cancel, q does nothing', () => {
    for (const [key, accepted] of [['y', true], [KEY.enter, true], ['F', true], ['n', false], [KEY.escape, false], ['q', null]] as const) {
      const t = withDialog(CONFIRM);
      t.keys(key);
      const calls = t.controller.calls.filter((c) => c.method === 'forceStopInstances');
      expect(calls.length, JSON.stringify(key)).toBe(accepted ? 1 : 0);
      expect(t.store.getState().ui.dialog === null, JSON.stringify(key)).toBe(accepted !== null);
      expect(t.events.quit).toBe(0);
    }
  });

  it('confirm that needs F: y and Enter refuse and say why, F deletes', () => {
    const t = withDialog({ ...CONFIRM, title: 'Delete instance a', needsForce: true, intent: { command: 'delete', keys: ['default/a'] } } as Dialog);
    t.keys('y', KEY.enter);
    expect(t.controller.calls.filter((c) => c.method === 'deleteInstances')).toEqual([]);
    expect(t.store.getState().status?.text).toContain('deleted only with F');
    t.keys('F');
    expect(t.controller.calls.find((c) => c.method === 'deleteInstances')?.args).toEqual([['default/a'], { force: true }]);
  });

  it('prompt: printable keys are typed (n, q, y, space too); Backspace, Ctrl-W, Ctrl-U erase; Esc cancels', () => {
    const t = withDialog(PROMPT);
    const value = () => (t.store.getState().ui.dialog as { value: string }).value;
    t.keys('n', 'q', 'y', ' ', 'F');
    expect(value()).toBe('web onenqy F');
    t.keys(KEY.backspace);
    expect(value()).toBe('web onenqy ');
    t.keys('\x17');
    expect(value()).toBe('web ');
    t.keys(KEY.ctrlU);
    expect(value()).toBe('');
    t.keys('ps aux', KEY.tab, KEY.up, 'j');
    expect(value()).toBe('ps auxj');
    t.keys(KEY.escape);
    expect(t.store.getState().ui.dialog).toBeNull();
    expect(t.events.quit).toBe(0);
  });

  it('e on a stopped instance asks first; y starts it, then the console opens', async () => {
    const t = withDialog(null);
    t.keys('e');
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'confirm', message: 'Start a and open a shell in it?' });
    t.keys('y');
    await vi.waitFor(() => expect(t.events.consoles).toEqual([{ key: 'default/a', command: undefined, options: undefined }]));
    expect(t.controller.calls.find((c) => c.method === 'startInstances')?.args).toEqual([['default/a']]);
  });

  it(': on a stopped instance carries the command and its options through the confirmation', async () => {
    const t = withDialog(null);
    t.keys(':', '--user 0 -- ps aux', KEY.enter);
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'confirm', message: 'Start a and open "ps aux" in it?' });
    t.keys(KEY.enter);
    await vi.waitFor(() => expect(t.events.consoles).toEqual([{ key: 'default/a', command: ['ps', 'aux'], options: { user: 0 } }]));
  });

  it('prompt: Enter accepts', () => {
    const t = withDialog(PROMPT);
    t.keys(KEY.ctrlU, 'b2', KEY.enter);
    expect(t.controller.calls.find((c) => c.method === 'rename')?.args).toEqual(['default/a', 'b2']);
  });

  it('picker: n and q do nothing, j/k and the arrows move (around), Esc cancels', () => {
    const t = withDialog(PICKER);
    const selected = () => (t.store.getState().ui.dialog as { selected: number }).selected;
    t.keys('n', 'q');
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'picker', selected: 0 });
    t.keys('j');
    expect(selected()).toBe(1);
    t.keys('k', KEY.up);
    expect(selected()).toBe(PICKER.items.length - 1);
    expect(t.controller.calls.filter((c) => c.method === 'restore')).toEqual([]);
    t.keys(KEY.escape);
    expect(t.store.getState().ui.dialog).toBeNull();
  });

  it('picker: Enter picks the selected item, a digit the n-th shown', () => {
    const t = withDialog(PICKER);
    t.keys('j', KEY.enter);
    expect(t.controller.calls.find((c) => c.method === 'restore')?.args).toEqual(['default/a', PICKER.items[1].value]);
    const u = withDialog(PICKER);
    u.keys('1');
    expect(u.controller.calls.find((c) => c.method === 'restore')?.args).toEqual(['default/a', PICKER.items[0].value]);
  });

  it('filter: typed live; k and j are typed, the arrows leave and move; Enter keeps, Esc restores', () => {
    const t = withDialog(null, ['a', 'bj', 'ck', 'dk']);
    const filter = () => t.store.getState().ui.panes.instances.filter;
    t.keys('/', 'k');
    expect(filter()).toBe('k');
    expect(t.store.getState().ui.dialog).toMatchObject({ kind: 'filter' });
    t.keys(KEY.down);
    expect(t.store.getState().ui.dialog).toBeNull();
    expect(filter()).toBe('k');
    expect(t.store.getState().ui.panes.instances.selected).toBe('default/dk');
    t.keys('/', 'j', KEY.backspace, 'x', '\x17', 'q');
    expect(filter()).toBe('q');
    t.keys(KEY.escape);
    expect(filter()).toBe('k');
    expect(t.store.getState().ui.dialog).toBeNull();
    t.keys('/', KEY.ctrlU, KEY.enter);
    expect(filter()).toBe('');
    expect(t.store.getState().ui.dialog).toBeNull();
    expect(t.events.quit).toBe(0);
  });
});
