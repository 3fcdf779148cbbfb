// What each registry command does in the normal (no dialog) context: navigation, panes, sorting,
// filter, marks, and the lifecycle commands (see flows.ts for those that ask first). Read-only
// refusals happen here, before anything opens or reaches the controller.
import { command as commandById, type Command } from '../keys/registry.js';
import {
  SORT_COLUMNS,
  defaultDirection,
  selectRowKeys,
  selectSelectedKey,
  type PaneId,
  type State,
} from '../store/index.js';
import { windowStart } from '../views/Table.js';
import { askProject, askRemote } from './cluster-flows.js';
import { openDialog, status, type AppContext } from './context.js';
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

const PANE_ORDER: readonly PaneId[] = ['instances', 'images', 'operations'];

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

/** Runs a registry command in the normal (no dialog) context. Read-only refusals happen here. */
export function runCommand(c: Command, ctx: AppContext): void {
  const state = ctx.store.getState();
  if (c.mutating && state.readOnly) {
    status(ctx, `Read-only mode: ${c.description.split(' (')[0].toLowerCase()} refused`, 'error');
    return;
  }
  const page = Math.max(1, ctx.pageSize());
  switch (c.id) {
    case 'quit': return ctx.quit();
    case 'help': return openDialog(ctx, { kind: 'help', scroll: 0 });
    case 'pane-next':
    case 'pane-prev': {
      const i = PANE_ORDER.indexOf(state.ui.focus);
      return focus(ctx, PANE_ORDER[(i + (c.id === 'pane-next' ? 1 : -1) + PANE_ORDER.length) % PANE_ORDER.length]);
    }
    case 'pane-instances': return focus(ctx, 'instances');
    case 'pane-images': return focus(ctx, 'images');
    case 'pane-operations': return focus(ctx, 'operations');
    case 'project': return void askProject(ctx);
    case 'remote': return void askRemote(ctx, ctx.remoteLabel?.() ?? '');
    case 'members':
      if (!state.server?.clustered) return status(ctx, 'Not a cluster: no members to show');
      void ctx.controller.refreshMembers?.();
      return openDialog(ctx, { kind: 'members', scroll: 0 });
    case 'up': return move(ctx, -1);
    case 'down': return move(ctx, 1);
    case 'page-up': return move(ctx, -page);
    case 'page-down': return move(ctx, page);
    case 'top': return move(ctx, 'top');
    case 'bottom': return move(ctx, 'bottom');
    case 'filter': {
      const pane = state.ui.focus;
      return openDialog(ctx, { kind: 'filter', pane, previous: state.ui.panes[pane].filter });
    }
    case 'sort-next': return cycleSort(ctx, 1);
    case 'sort-prev': return cycleSort(ctx, -1);
    case 'sort-reverse': {
      const pane = state.ui.focus;
      const sort = state.ui.panes[pane].sort;
      ctx.store.dispatch({ type: 'ui/sort', pane, column: sort.column, direction: sort.direction === 'asc' ? 'desc' : 'asc' });
      return;
    }
    case 'mark': return toggleMark(ctx);
    case 'clear': return clear(ctx);
    case 'refresh':
      status(ctx, 'Refreshing…');
      void ctx.controller.refresh().then(() => {
        if (ctx.store.getState().status?.text === 'Refreshing…') status(ctx, 'Refreshed');
      });
      return;
    case 'detail': return openDetail(ctx);
    case 'start': return bulk(ctx, 'start', 'Starting', (k) => ctx.controller.startInstances(k));
    case 'stop': return bulk(ctx, 'stop', 'Stopping', (k) => ctx.controller.stopInstances(k));
    case 'force-stop': return askForceStop(ctx);
    case 'restart': return bulk(ctx, 'restart', 'Restarting', (k) => ctx.controller.restartInstances(k));
    case 'freeze': return freezeToggle(ctx);
    case 'exec': return openConsole(ctx);
    case 'exec-command': return askExecCommand(ctx);
    case 'snapshot': return askSnapshot(ctx);
    case 'restore': return void askRestore(ctx);
    case 'rename': return askRename(ctx);
    case 'delete': return askDelete(ctx);
    case 'new': return askNew(ctx);
    case 'image-new': {
      const fp = selectSelectedKey(state, 'images');
      if (fp) askNewName(ctx, fp);
      return;
    }
    case 'image-delete': return askImageDelete(ctx);
    case 'operation-cancel': return cancelOperation(ctx);
    default:
      return;
  }
}

export function runCommandId(id: string, ctx: AppContext): void {
  runCommand(commandById(id), ctx);
}

