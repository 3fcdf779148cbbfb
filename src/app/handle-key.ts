// Key handlers with priorities: the keys that act anywhere first (Ctrl-C quits), then the open
// dialog (modal: it consumes every key), then the focused pane's commands. A handler returns true
// when it consumed the key. Which key means which command comes from the registry
// (src/keys/registry.ts); what a command does in each view over the panes is a table here, keyed
// by the commands the registry binds in that view (checked by the compiler), so no code here
// compares key names.
import { parseKey, splitKeys, type KeyPress } from '../keys/keys.js';
import { command, findAnywhere, findCommand, findInView, isAllowed, type BoundIn, type DialogView } from '../keys/registry.js';
import type { ConfirmDialog, DetailDialog, Dialog, HelpDialog, PickerDialog, PromptDialog } from '../store/index.js';
import type { FilterDialog, HistoryDialog, MembersDialog } from '../views/dialog-kinds.js';
import { confirmView, helpLines, pickerRows, pickerWindow } from '../views/dialogs.js';
import { detailLines } from '../views/detail.js';
import type { LogsDialog } from '../views/logs.js';
import { LOG_SEARCH_KEYS, LOGS_KEYS, typeInSearch } from './logs-flow.js';
import type { EventsDialog } from '../views/events.js';
import { EVENT_FILTER_KEYS, EVENTS_KEYS, typeInFilter } from './events-flow.js';
import { SNAPSHOTS_KEYS } from './snapshots-flow.js';
import { RESOURCES_KEYS } from './resources-flow.js';
import { FILES_KEYS } from './files-flow.js';
import { historyLines } from '../views/history-draw.js';
import { status } from './context.js';
import { WARNINGS_KEYS } from './warnings-flow.js';
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

/** The dialog a view shows. */
type DialogIn<V extends DialogView> = V extends 'confirm' | 'confirm-force'
  ? ConfirmDialog
  : V extends 'log-search'
    ? LogsDialog
    : V extends 'event-filter'
      ? EventsDialog
      : Extract<Dialog, { kind: V }>;

/** What a command does in a view; 'pass': the view closed and the pane takes the key too. */
type ViewAction<V extends DialogView> = (ctx: AppContext, dialog: DialogIn<V>) => void | 'pass';

interface ViewKeys<V extends DialogView> {
  /** What each command the registry binds in the view does there. */
  commands: { readonly [I in BoundIn<V>]: ViewAction<V> };
  /** A printable key, before the bindings: typed into an input, or a digit picking in a picker
   * (null: the bindings have it). */
  text?: (text: string) => ViewAction<V> | null;
}

const close = (ctx: AppContext): void => closeDialog(ctx);
/** Closes a text view, back to the view it was opened from where it has one. */
const closeText = (ctx: AppContext, d: TextDialog): void => ('back' in d && d.back ? ctx.store.dispatch({ type: 'dialog/open', dialog: d.back }) : closeDialog(ctx));

type TextDialog = HelpDialog | MembersDialog | DetailDialog | HistoryDialog;

/** Moves the picker's cursor (up and down wrap around; the others stop at the ends). */
function movePick(next: (at: number, page: number, total: number) => number) {
  return (ctx: AppContext, dialog: PickerDialog): void => {
    const total = dialog.items.length;
    if (total === 0) return;
    const to = Math.max(0, Math.min(total - 1, next(dialog.selected, pickerRows(ctx.pageSize()), total)));
    if (to !== dialog.selected) ctx.store.dispatch({ type: 'dialog/open', dialog: { ...dialog, selected: to } });
  };
}

function pickAt(ctx: AppContext, dialog: PickerDialog, index: number): void {
  const item = dialog.items[index];
  if (item) acceptPicker(ctx, item.value);
}

/** 1-9: the n-th item of those on screen; other keys (j, k, g, G) are bindings. */
function pickShown(text: string): ((ctx: AppContext, dialog: PickerDialog) => void) | null {
  if (!/^[1-9]$/.test(text)) return null;
  return (ctx: AppContext, dialog: PickerDialog): void => {
    const first = pickerWindow(dialog.selected, dialog.items.length, pickerRows(ctx.pageSize()));
    pickAt(ctx, dialog, first + Number(text) - 1);
  };
}

/** The text views (help, members, detail): scrolled by the navigation commands, closed. */
function textView<D extends TextDialog>(total: (ctx: AppContext, dialog: D) => number) {
  const scroll =
    (next: (scroll: number, page: number, total: number) => number) =>
    (ctx: AppContext, dialog: D): void => {
      const page = Math.max(1, ctx.pageSize());
      const lines = total(ctx, dialog);
      const to = Math.max(0, Math.min(Math.max(0, lines - page), next(dialog.scroll, page, lines)));
      ctx.store.dispatch({ type: 'dialog/open', dialog: { ...dialog, scroll: to } });
    };
  return {
    up: scroll((at) => at - 1),
    down: scroll((at) => at + 1),
    'page-up': scroll((at, page) => at - page),
    'page-down': scroll((at, page) => at + page),
    top: scroll(() => 0),
    bottom: scroll((_at, _page, lines) => lines),
    'dialog-cancel': closeText,
    'dialog-no': closeText,
    'dialog-close': closeText,
  };
}

const CONFIRM = {
  commands: {
    'dialog-force': (ctx: AppContext) => acceptConfirm(ctx, true),
    'dialog-yes': (ctx: AppContext) => acceptConfirm(ctx, false),
    'dialog-accept': (ctx: AppContext) => acceptConfirm(ctx, false),
    'dialog-cancel': (ctx: AppContext, d: ConfirmDialog) => (d.back ? ctx.store.dispatch({ type: 'dialog/open', dialog: d.back }) : close(ctx)),
    'dialog-no': (ctx: AppContext, d: ConfirmDialog) => (d.back ? ctx.store.dispatch({ type: 'dialog/open', dialog: d.back }) : close(ctx)),
  },
};

type Edit = (value: string) => string;
const eraseAll: Edit = () => '';
const eraseChar: Edit = (value) => value.slice(0, -1);
const eraseWord: Edit = (value) => value.replace(/\S+\s*$/, '');

function editPrompt(edit: Edit): ViewAction<'prompt'> {
  return (ctx, dialog) => {
    const value = edit(dialog.value);
    if (value !== dialog.value) ctx.store.dispatch({ type: 'dialog/open', dialog: { ...dialog, value, error: null } });
  };
}

function editFilter(edit: Edit): ViewAction<'filter'> {
  return (ctx, dialog) => {
    const current = ctx.store.getState().ui.panes[dialog.pane].filter;
    const value = edit(current);
    if (value !== current) ctx.store.dispatch({ type: 'ui/filter', pane: dialog.pane, filter: value });
  };
}

/** Arrows leave the filter input (keeping the filter) and move in the list. */
const leaveFilter: ViewAction<'filter'> = (ctx) => {
  closeDialog(ctx);
  return 'pass';
};

export const VIEW_KEYS: { readonly [V in DialogView]: ViewKeys<V> } = {
  help: { commands: { ...textView((ctx) => helpLines(ctx.store.getState().readOnly).length), help: close } },
  members: { commands: { ...textView((ctx) => ctx.store.getState().members?.length ?? 0), members: close } },
  detail: {
    // The graphs' lines count too (their number does not depend on the width).
    commands: textView((ctx, dialog: DetailDialog) => (dialog.detail ? detailLines(dialog.detail).length + historyLines(ctx.store.history?.series(dialog.key), 0, 80).length : 0)),
  },
  history: { commands: textView((_ctx, dialog: HistoryDialog) => dialog.lines.length) },
  confirm: CONFIRM,
  'confirm-force': CONFIRM,
  prompt: {
    text: (text) => editPrompt((value) => value + text),
    commands: {
      'dialog-accept': (ctx) => acceptPrompt(ctx),
      'dialog-cancel': (ctx, d: PromptDialog) => (d.back ? ctx.store.dispatch({ type: 'dialog/open', dialog: d.back }) : close(ctx)),
      'dialog-erase': editPrompt(eraseAll),
      'erase-char': editPrompt(eraseChar),
      'erase-word': editPrompt(eraseWord),
    },
  },
  // The picker's cursor is the store's `selected`; a digit picks the n-th item shown.
  picker: {
    text: (text) => pickShown(text),
    commands: {
      'dialog-accept': (ctx, dialog: PickerDialog) => pickAt(ctx, dialog, dialog.selected),
      up: movePick((at, _page, total) => (at - 1 + total) % total),
      down: movePick((at, _page, total) => (at + 1) % total),
      'page-up': movePick((at, page) => at - page),
      'page-down': movePick((at, page) => at + page),
      top: movePick(() => 0),
      bottom: movePick((_at, _page, total) => total - 1),
      'dialog-cancel': close,
    },
  },
  logs: { commands: LOGS_KEYS },
  'log-search': { text: typeInSearch, commands: LOG_SEARCH_KEYS },
  events: { commands: EVENTS_KEYS },
  snapshots: { commands: SNAPSHOTS_KEYS },
  files: { commands: FILES_KEYS },
  'event-filter': { text: typeInFilter, commands: EVENT_FILTER_KEYS },
  warnings: { commands: WARNINGS_KEYS },
  resources: { commands: RESOURCES_KEYS },
  filter: {
    text: (text) => editFilter((value) => value + text),
    commands: {
      'dialog-accept': close,
      'dialog-cancel': (ctx, dialog: FilterDialog) => {
        ctx.store.dispatch({ type: 'ui/filter', pane: dialog.pane, filter: dialog.previous });
        closeDialog(ctx);
      },
      'dialog-erase': editFilter(eraseAll),
      'erase-char': editFilter(eraseChar),
      'erase-word': editFilter(eraseWord),
      up: leaveFilter,
      down: leaveFilter,
    },
  },
};

/** A key in view V: printable text first where the view takes it, then the view's bindings. */
function inView<V extends DialogView>(view: V, dialog: DialogIn<V>, key: KeyPress, ctx: AppContext): boolean {
  const keys: ViewKeys<V> = VIEW_KEYS[view];
  let action: ViewAction<V> | null = null;
  if (key.text !== '' && keys.text) action = keys.text(key.text);
  if (action === null) {
    const id = findInView(key.name, view);
    if (id !== null && !isAllowed(command(id), ctx.store.getState().readOnly)) {
      // A view's key that changes the server (the snapshots view's) is refused as a pane's is.
      status(ctx, `Read-only mode: ${command(id).description.split(' (')[0].toLowerCase()} refused`, 'error');
      return true;
    }
    if (id !== null) action = keys.commands[id];
  }
  return action?.(ctx, dialog) !== 'pass';
}

function handleDialog(dialog: Dialog, key: KeyPress, ctx: AppContext): boolean {
  switch (dialog.kind) {
    case 'help':
      return inView('help', dialog, key, ctx);
    case 'members':
      return inView('members', dialog, key, ctx);
    case 'detail':
      return inView('detail', dialog, key, ctx);
    case 'history':
      return inView('history', dialog, key, ctx);
    case 'confirm':
      return inView(confirmView(dialog), dialog, key, ctx);
    case 'prompt':
      return inView('prompt', dialog, key, ctx);
    case 'picker':
      return inView('picker', dialog, key, ctx);
    case 'filter':
      return inView('filter', dialog, key, ctx);
    case 'logs':
      return dialog.searching ? inView('log-search', dialog, key, ctx) : inView('logs', dialog, key, ctx);
    case 'snapshots':
      return inView('snapshots', dialog, key, ctx);
    case 'events':
      return dialog.filtering ? inView('event-filter', dialog, key, ctx) : inView('events', dialog, key, ctx);
    case 'warnings':
      return inView('warnings', dialog, key, ctx);
    case 'resources':
      return inView('resources', dialog, key, ctx);
    case 'files':
      return inView('files', dialog, key, ctx);
    default: {
      // A dialog kind without keys does not compile.
      const none: never = dialog;
      return none;
    }
  }
}

const BUILTIN: KeyHandler[] = [
  {
    name: 'anywhere',
    priority: 1000,
    handle(key, ctx) {
      const c = findAnywhere(key.name);
      if (!c) return false;
      runCommand(c, ctx);
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
