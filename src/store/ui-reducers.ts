// The UI slice reducer: focus, selection by key, scroll, filter, sort, marks, the open dialog.
import type { Action, PaneId, PaneUi, SortDirection, UiState } from './state.js';
import { PANES } from './state.js';

export const SORT_COLUMNS: { [P in PaneId]: readonly string[] } = {
  instances: ['name', 'status', 'cpu', 'memory', 'rx', 'tx', 'processes', 'age'],
  images: ['alias', 'fingerprint', 'os', 'size', 'created', 'type'],
  operations: ['created', 'status', 'description', 'class'],
  sessions: ['started', 'instance', 'state', 'output'],
};

/** First direction when a column is chosen: figures biggest first (htop), text A→Z, age youngest first. */
export function defaultDirection(column: string): SortDirection {
  return ['cpu', 'memory', 'rx', 'tx', 'processes', 'size', 'created'].includes(column) ? 'desc' : 'asc';
}

function setPane(ui: UiState, pane: PaneId, patch: Partial<PaneUi<string>>): UiState {
  const current = ui.panes[pane] as PaneUi<string>;
  let changed = false;
  for (const [k, v] of Object.entries(patch)) {
    if ((current as unknown as Record<string, unknown>)[k] !== v) changed = true;
  }
  if (!changed) return ui;
  return { ...ui, panes: { ...ui.panes, [pane]: { ...current, ...patch } } };
}

function isPane(pane: unknown): pane is PaneId {
  return typeof pane === 'string' && (PANES as readonly string[]).includes(pane);
}

export function reduceUi(ui: UiState, action: Action): UiState {
  switch (action.type) {
    case 'ui/focus':
      return isPane(action.pane) && ui.focus !== action.pane ? { ...ui, focus: action.pane } : ui;
    case 'ui/select':
      return isPane(action.pane) ? setPane(ui, action.pane, { selected: action.key }) : ui;
    case 'ui/scroll':
      return isPane(action.pane)
        ? setPane(ui, action.pane, { scroll: Math.max(0, Math.floor(action.scroll) || 0) })
        : ui;
    case 'ui/filter':
      return isPane(action.pane) ? setPane(ui, action.pane, { filter: action.filter ?? '', scroll: 0 }) : ui;
    case 'ui/sort': {
      if (!isPane(action.pane) || !SORT_COLUMNS[action.pane].includes(action.column)) return ui;
      const current = ui.panes[action.pane].sort;
      const direction: SortDirection =
        action.direction ??
        (current.column === action.column
          ? current.direction === 'asc'
            ? 'desc'
            : 'asc'
          : defaultDirection(action.column));
      if (current.column === action.column && current.direction === direction) return ui;
      return setPane(ui, action.pane, { sort: { column: action.column, direction } });
    }
    case 'ui/mark': {
      if (!isPane(action.pane)) return ui;
      const marked = ui.panes[action.pane].marked;
      const next = marked.includes(action.key) ? marked.filter((k) => k !== action.key) : [...marked, action.key];
      return setPane(ui, action.pane, { marked: next });
    }
    case 'ui/marks': {
      if (!isPane(action.pane)) return ui;
      const marked = ui.panes[action.pane].marked;
      if (marked.length === 0 && action.keys.length === 0) return ui;
      return setPane(ui, action.pane, { marked: [...new Set(action.keys)] });
    }
    case 'ui/history-column': {
      const on = typeof action.on === 'boolean' ? action.on : !ui.historyColumn;
      return on === Boolean(ui.historyColumn) ? ui : { ...ui, historyColumn: on };
    }
    case 'dialog/open':
      return action.dialog && typeof action.dialog === 'object' ? { ...ui, dialog: action.dialog } : ui;
    case 'dialog/close':
      return ui.dialog === null ? ui : { ...ui, dialog: null };
    default:
      return ui;
  }
}

/** A row changed its key (rename): the cursor and the marks follow it. */
export function renameKeyInUi(ui: UiState, pane: PaneId, oldKey: string, newKey: string): UiState {
  const p = ui.panes[pane];
  const selected = p.selected === oldKey ? newKey : p.selected;
  const marked = p.marked.includes(oldKey) ? p.marked.map((k) => (k === oldKey ? newKey : k)) : p.marked;
  let next = setPane(ui, pane, { selected, marked });
  const dialog = next.dialog;
  if (pane === 'instances' && dialog && dialog.kind === 'detail' && dialog.key === oldKey) {
    next = { ...next, dialog: { ...dialog, key: newKey } };
  }
  return next;
}

/** Rows are gone: drop their marks. The selection stays (selectors fall back to a neighbour). */
export function dropKeysFromUi(ui: UiState, pane: PaneId, keys: readonly string[]): UiState {
  const p = ui.panes[pane];
  if (!p.marked.some((k) => keys.includes(k))) return ui;
  return setPane(ui, pane, { marked: p.marked.filter((k) => !keys.includes(k)) });
}
