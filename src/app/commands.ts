// What each registry command does in the normal (no dialog) context: navigation, panes, sorting,
// filter, marks, and the lifecycle commands (see flows.ts for those that ask first). Read-only
// refusals happen here, before anything opens or reaches the controller.
import { openWarnings } from './warnings-flow.js';
import { isAllowed, type PaneCommand, type PaneCommandId } from '../keys/registry.js';
import {
  PANES,
  SORT_COLUMNS,
  defaultDirection,
  selectRowKeys,
  selectSelectedKey,
  type PaneId,
  type State,
} from '../store/index.js';
import { windowStart } from '../views/Table.js';
import { askProject, askRemote } from './cluster-flows.js';
import { openLogs } from './logs-flow.js';
import { openEvents } from './events-flow.js';
import { openSnapshots } from './snapshots-flow.js';
import { openResources } from './resources-flow.js';
import { editSelectedInstance } from './edit-flow.js';
import { openKnobs } from './knobs-flow.js';
import { openFiles } from './files-flow.js';
import { askCopy, askExport, askImport, askMove, askPublish } from './copy-flow.js';
import { openDialog, status, type AppContext } from './context.js';
import { askSessionClose, askSessionRename, attachSelected, openHistory, openInstanceConsole } from './session-flows.js';
import { openBroadcast } from './broadcast-flow.js';
import {
  askDelete,
  askExecCommand,
  askForceStop,
  askImageDelete,
  askNew,
  askNewName,
  askRename,
  askRestore,
  askSnapshot,
  bulk,
  cancelOperation,
  freezeToggle,
  openConsole,
  openDetail,
} from './flows.js';

export type { AppContext, ConsoleRequest } from './context.js';
export { closeDialog } from './context.js';
export { acceptConfirm, acceptPicker, acceptPrompt, validatePrompt } from './flows.js';

/** Moves the selection of `pane` to row `index` (clamped) and keeps it in the window. */
export function selectIndex(ctx: AppContext, pane: PaneId, index: number): void {
  const state = ctx.store.getState();
  const keys = selectRowKeys(state, pane);
  if (keys.length === 0) return;
  const i = Math.max(0, Math.min(keys.length - 1, index));
  ctx.store.dispatch({ type: 'ui/select', pane, key: keys[i] });
  const page = Math.max(1, ctx.pageSize());
  ctx.store.dispatch({ type: 'ui/scroll', pane, scroll: windowStart(state.ui.panes[pane].scroll, i, page, keys.length) });
}

function currentIndex(state: State, pane: PaneId): number {
  const sel = selectSelectedKey(state, pane);
  return sel === null ? 0 : Math.max(0, selectRowKeys(state, pane).indexOf(sel));
}

function move(ctx: AppContext, delta: number | 'top' | 'bottom'): void {
  const state = ctx.store.getState();
  const pane = state.ui.focus;
  const total = selectRowKeys(state, pane).length;
  const index = delta === 'top' ? 0 : delta === 'bottom' ? total - 1 : currentIndex(state, pane) + delta;
  selectIndex(ctx, pane, index);
}

function focus(ctx: AppContext, pane: PaneId): void {
  ctx.store.dispatch({ type: 'ui/focus', pane });
}

function cycleSort(ctx: AppContext, step: 1 | -1): void {
  const state = ctx.store.getState();
  const pane = state.ui.focus;
  const columns = SORT_COLUMNS[pane];
  const current = columns.indexOf(state.ui.panes[pane].sort.column);
  const column = columns[(current + step + columns.length) % columns.length];
  ctx.store.dispatch({ type: 'ui/sort', pane, column, direction: defaultDirection(column) });
}

function toggleMark(ctx: AppContext): void {
  const state = ctx.store.getState();
  const pane = state.ui.focus;
  if (pane === 'operations') {
    status(ctx, 'operations cannot be marked', 'error');
    return;
  }
  const key = selectSelectedKey(state, pane);
  if (!key) return;
  ctx.store.dispatch({ type: 'ui/mark', pane, key });
  move(ctx, 1);
}

function clear(ctx: AppContext): void {
  const state = ctx.store.getState();
  const pane = state.ui.focus;
  const p = state.ui.panes[pane];
  if (p.filter) ctx.store.dispatch({ type: 'ui/filter', pane, filter: '' });
  if (p.marked.length) ctx.store.dispatch({ type: 'ui/marks', pane, keys: [] });
}

function reverseSort(ctx: AppContext, state: State): void {
  const pane = state.ui.focus;
  const sort = state.ui.panes[pane].sort;
  ctx.store.dispatch({ type: 'ui/sort', pane, column: sort.column, direction: sort.direction === 'asc' ? 'desc' : 'asc' });
}

function cyclePane(ctx: AppContext, state: State, step: 1 | -1): void {
  const i = PANES.indexOf(state.ui.focus);
  focus(ctx, PANES[(i + step + PANES.length) % PANES.length]);
}

function showMembers(ctx: AppContext, state: State): void {
  if (!state.server?.clustered) return status(ctx, 'Not a cluster: no members to show');
  void ctx.controller.refreshMembers?.();
  openDialog(ctx, { kind: 'members', scroll: 0 });
}

function refresh(ctx: AppContext): void {
  status(ctx, 'Refreshing…');
  void ctx.controller.refresh().then(() => {
    if (ctx.store.getState().status?.text === 'Refreshing…') status(ctx, 'Refreshed');
  });
}

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize());

/** What a pane command does, given the state when its key came. */
type PaneAction = (ctx: AppContext, state: State) => void;

/**
 * Every command that works in a pane, by id (the registry's scope global, instances, images or
 * operations): a command missing here, or an id the registry does not have, does not compile.
 */
export const PANE_ACTIONS: { readonly [I in PaneCommandId]: PaneAction } = {
  quit: (ctx) => ctx.quit(),
  help: (ctx) => openDialog(ctx, { kind: 'help', scroll: 0 }),
  'pane-next': (ctx, state) => cyclePane(ctx, state, 1),
  'pane-prev': (ctx, state) => cyclePane(ctx, state, -1),
  'pane-instances': (ctx) => focus(ctx, 'instances'),
  'pane-images': (ctx) => focus(ctx, 'images'),
  'pane-operations': (ctx) => focus(ctx, 'operations'),
  'pane-sessions': (ctx) => focus(ctx, 'sessions'),
  project: (ctx) => void askProject(ctx),
  remote: (ctx) => void askRemote(ctx, ctx.remoteLabel?.() ?? ''),
  members: showMembers,
  events: openEvents,
  warnings: (ctx) => openWarnings(ctx),
  profiles: (ctx) => openResources(ctx, 'profiles'),
  networks: (ctx) => openResources(ctx, 'networks'),
  storage: (ctx) => openResources(ctx, 'pools'),
  up: (ctx) => move(ctx, -1),
  down: (ctx) => move(ctx, 1),
  'page-up': (ctx) => move(ctx, -page(ctx)),
  'page-down': (ctx) => move(ctx, page(ctx)),
  top: (ctx) => move(ctx, 'top'),
  bottom: (ctx) => move(ctx, 'bottom'),
  filter: (ctx, state) => openDialog(ctx, { kind: 'filter', pane: state.ui.focus, previous: state.ui.panes[state.ui.focus].filter }),
  'sort-next': (ctx) => cycleSort(ctx, 1),
  'sort-prev': (ctx) => cycleSort(ctx, -1),
  'sort-reverse': reverseSort,
  mark: toggleMark,
  clear,
  refresh,
  detail: openDetail,
  logs: (ctx) => openLogs(ctx),
  'history-column': (ctx, state) => {
    ctx.store.dispatch({ type: 'ui/history-column' });
    status(ctx, state.ui.historyColumn ? 'CPU history column hidden' : 'CPU history column shown (H hides it)');
  },
  start: (ctx) => bulk(ctx, 'start', 'Starting', (k) => ctx.controller.startInstances(k)),
  stop: (ctx) => bulk(ctx, 'stop', 'Stopping', (k) => ctx.controller.stopInstances(k)),
  'force-stop': askForceStop,
  restart: (ctx) => bulk(ctx, 'restart', 'Restarting', (k) => ctx.controller.restartInstances(k)),
  freeze: freezeToggle,
  exec: (ctx) => openConsole(ctx),
  'exec-command': askExecCommand,
  'instance-console': openInstanceConsole,
  broadcast: openBroadcast,
  snapshot: askSnapshot,
  restore: (ctx) => void askRestore(ctx),
  snapshots: (ctx) => openSnapshots(ctx),
  files: (ctx) => openFiles(ctx),
  rename: askRename,
  delete: askDelete,
  new: (ctx) => void askNew(ctx),
  edit: editSelectedInstance,
  knobs: (ctx) => void openKnobs(ctx),
  copy: (ctx) => void askCopy(ctx),
  move: askMove,
  publish: (ctx) => askPublish(ctx),
  export: askExport,
  import: askImport,
  'image-new': (ctx, state) => {
    const fp = selectSelectedKey(state, 'images');
    if (fp) askNewName(ctx, fp);
  },
  'image-delete': askImageDelete,
  'operation-cancel': cancelOperation,
  'session-attach': attachSelected,
  'session-history': openHistory,
  'session-rename': askSessionRename,
  'session-close': askSessionClose,
};

/** Runs a registry command in a pane (no dialog open). Read-only refusals happen here. */
export function runCommand(c: PaneCommand, ctx: AppContext): void {
  const state = ctx.store.getState();
  if (!isAllowed(c, state.readOnly)) {
    status(ctx, `Read-only mode: ${c.description.split(' (')[0].toLowerCase()} refused`, 'error');
    return;
  }
  PANE_ACTIONS[c.id](ctx, state);
}
