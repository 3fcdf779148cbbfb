// Key handlers with priorities: Ctrl-C first (always quits), then the open dialog (modal: it
// consumes every key), then the focused pane's commands, then the global ones. A handler returns
// true when it consumed the key. Bindings come from the registry, never from here.
import { parseKey, splitKeys, type KeyPress } from '../keys/keys.js';
import { command, findCommand } from '../keys/registry.js';
import type { Dialog, PaneId } from '../store/index.js';
import '../views/dialog-kinds.js';
import { helpLines } from '../views/dialogs.js';
import { detailLines } from '../views/detail.js';
import {
  acceptConfirm,
  acceptPicker,
  acceptPrompt,
  closeDialog,
  runCommand,
  type AppContext,
} from './commands.js';

export interface KeyHandler {
  name: string;
  /** Higher runs first. */
  priority: number;
  handle(key: KeyPress, ctx: AppContext): boolean;
}

const is = (id: string, key: KeyPress): boolean => key.name !== '' && command(id).keys.includes(key.name);

/** Scroll position after a navigation key in a text view (help, detail); null if not one. */
function scrollKey(key: KeyPress, scroll: number, page: number, total: number): number | null {
  let next: number;
  if (is('up', key)) next = scroll - 1;
  else if (is('down', key)) next = scroll + 1;
  else if (is('page-up', key)) next = scroll - page;
  else if (is('page-down', key)) next = scroll + page;
  else if (is('top', key)) next = 0;
  else if (is('bottom', key)) next = total;
  else return null;
  return Math.max(0, Math.min(Math.max(0, total - page), next));
}

/** Applies an edit key to a one-line input; null when the key is not an edit. */
export function editText(value: string, key: KeyPress): string | null {
  if (key.name === 'backspace') return value.slice(0, -1);
  if (is('dialog-erase', key)) return '';
  if (key.name === 'ctrl+w') return value.replace(/\S+\s*$/, '');
  if (key.name === 'space') return `${value} `;
  if (key.text !== '') return value + key.text;
  return null;
}

function handleDialog(dialog: Dialog, key: KeyPress, ctx: AppContext): boolean {
  const page = Math.max(1, ctx.pageSize());
  const dispatch = ctx.store.dispatch;
  switch (dialog.kind) {
    case 'help': {
      if (is('help', key) || is('dialog-cancel', key) || key.name === 'q' || key.name === 'enter') {
        closeDialog(ctx);
        return true;
      }
      const total = helpLines(ctx.store.getState().readOnly).length;
      const scroll = scrollKey(key, dialog.scroll, page, total);
      if (scroll !== null) dispatch({ type: 'dialog/open', dialog: { ...dialog, scroll } });
      return true;
    }
    case 'members': {
      if (is('members', key) || is('dialog-cancel', key) || key.name === 'q' || key.name === 'enter') {
        closeDialog(ctx);
        return true;
      }
      const total = ctx.store.getState().members?.length ?? 0;
      const scroll = scrollKey(key, dialog.scroll, page, total);
      if (scroll !== null) dispatch({ type: 'dialog/open', dialog: { ...dialog, scroll } });
      return true;
    }
    case 'detail': {
      if (is('dialog-cancel', key) || key.name === 'q' || key.name === 'enter') {
        closeDialog(ctx);
        return true;
      }
      const total = dialog.detail ? detailLines(dialog.detail).length : 0;
      const scroll = scrollKey(key, dialog.scroll, page, total);
      if (scroll !== null) dispatch({ type: 'dialog/open', dialog: { ...dialog, scroll } });
      return true;
    }
    case 'confirm': {
      if (is('dialog-force', key)) acceptConfirm(ctx, true);
      else if (is('dialog-yes', key) || is('dialog-accept', key)) acceptConfirm(ctx, false);
      else if (is('dialog-cancel', key)) closeDialog(ctx);
      return true;
    }
    case 'prompt': {
      if (is('dialog-accept', key)) acceptPrompt(ctx);
      else if (key.name === 'escape') closeDialog(ctx);
      else {
        const value = editText(dialog.value, key);
        if (value !== null && value !== dialog.value) dispatch({ type: 'dialog/open', dialog: { ...dialog, value, error: null } });
      }
      return true;
    }
    case 'picker': {
      // ink-select-input moves and picks by itself (arrows, j/k, digits, Enter).
      if (key.name === 'escape') closeDialog(ctx);
      return true;
    }
    case 'filter': {
      const pane: PaneId = dialog.pane;
      const current = ctx.store.getState().ui.panes[pane].filter;
      if (key.name === 'enter') closeDialog(ctx);
      else if (key.name === 'escape') {
        dispatch({ type: 'ui/filter', pane, filter: dialog.previous });
        closeDialog(ctx);
      } else {
        const value = editText(current, key);
        if (value !== null && value !== current) dispatch({ type: 'ui/filter', pane, filter: value });
        else if (key.name === 'up' || key.name === 'down') {
          // Arrows leave the filter input (keeping the filter) and move in the list.
          closeDialog(ctx);
          return false;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

const BUILTIN: KeyHandler[] = [
  {
    name: 'ctrl-c',
    priority: 1000,
    handle(key, ctx) {
      if (key.name !== 'ctrl+c') return false;
      ctx.quit();
      return true;
    },
  },
  {
    name: 'dialog',
    priority: 100,
    handle(key, ctx) {
      const dialog = ctx.store.getState().ui.dialog;
      return dialog ? handleDialog(dialog, key, ctx) : false;
    },
  },
  {
    name: 'commands',
    priority: 10,
    handle(key, ctx) {
      const c = findCommand(key.name, ctx.store.getState().ui.focus);
      if (!c) return false;
      runCommand(c, ctx);
      return true;
    },
  },
];

export const HANDLERS: readonly KeyHandler[] = [...BUILTIN].sort((a, b) => b.priority - a.priority);

/** Feeds raw input (as Ink delivers it) through the handlers, key by key; true when all were consumed. */
export function handleKey(raw: string, ctx: AppContext, handlers: readonly KeyHandler[] = HANDLERS): boolean {
  let all = true;
  for (const one of splitKeys(raw)) {
    const key = parseKey(one);
    let consumed = false;
    for (const h of handlers) {
      if (h.handle(key, ctx)) {
        consumed = true;
        break;
      }
    }
    all &&= consumed;
  }
  return all;
}
