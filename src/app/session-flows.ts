// The Sessions pane's commands (attach, history, rename, close) and the answers to their dialogs.
// The sessions themselves live in the session holder (src/sessions); the app reaches them through
// ctx.sessions, injected by run-tui.tsx (absent: sessions are not available, say so).
import { selectSelectedKey, selectSessionRows, sessionStateText } from '../store/index.js';
import { openDialog, status, type AppContext } from './context.js';

import type { HistoryDialog } from '../views/dialog-kinds.js';

function selected(ctx: AppContext): string | null {
  const id = selectSelectedKey(ctx.store.getState(), 'sessions');
  if (id === null) status(ctx, 'No session: e or : on an instance starts one (it goes on when you detach)');
  return id;
}

function running(ctx: AppContext, id: string): boolean {
  const s = ctx.store.getState().sessions[id];
  return s !== undefined && (s.state === 'attached' || s.state === 'detached');
}

function available(ctx: AppContext): NonNullable<AppContext['sessions']> | null {
  if (!ctx.sessions) status(ctx, 'Sessions are not available here', 'error');
  return ctx.sessions ?? null;
}

/** C: the selected instance's console, as a session (needs the holder: not in the fleet view). */
export function openInstanceConsole(ctx: AppContext): void {
  const key = selectedInstanceKey(ctx);
  if (key === null) return;
  if (!available(ctx)) return;
  const inst = ctx.store.getState().instances[key];
  if (inst && inst.status !== 'Running') {
    status(ctx, `${inst.name} is ${inst.status.toLowerCase()}: its console is there once it runs`, 'error');
    return;
  }
  ctx.console({ key, kind: 'console' });
}

function selectedInstanceKey(ctx: AppContext): string | null {
  const key = selectSelectedKey(ctx.store.getState(), 'instances');
  if (key === null) status(ctx, 'No instance selected');
  return key;
}

export function attachSelected(ctx: AppContext): void {
  const id = selected(ctx);
  const sessions = available(ctx);
  if (id === null || !sessions) return;
  const s = ctx.store.getState().sessions[id];
  if (!running(ctx, id)) {
    status(ctx, `Session ${id} has ended (${s ? sessionStateText(s) : 'gone'}): l shows its output, c removes it`, 'error');
    return;
  }
  sessions.attach(id);
}

export function openHistory(ctx: AppContext): void {
  const id = selected(ctx);
  const sessions = available(ctx);
  if (id === null || !sessions) return;
  const s = ctx.store.getState().sessions[id];
  const title = `Session ${id}${s?.name ? ` (${s.name})` : ''}: ${s?.command ?? ''} in ${s?.instance ?? ''}`;
  const dialog: HistoryDialog = { kind: 'history', id, title, loading: true, error: null, lines: [], scroll: 0 };
  openDialog(ctx, dialog);
  const still = (): boolean => {
    const d = ctx.store.getState().ui.dialog;
    return d?.kind === 'history' && d.id === id;
  };
  sessions.history(id).then(
    (lines) => {
      if (!still()) return;
      // Opened at the end, as a terminal's scrollback is.
      const scroll = Math.max(0, lines.length - Math.max(1, ctx.pageSize()));
      openDialog(ctx, { ...dialog, loading: false, lines, scroll });
    },
    (err: unknown) => still() && openDialog(ctx, { ...dialog, loading: false, error: err instanceof Error ? err.message : String(err) }),
  );
}

export function askSessionRename(ctx: AppContext): void {
  const id = selected(ctx);
  if (id === null || !available(ctx)) return;
  const current = ctx.store.getState().sessions[id]?.name ?? '';
  openDialog(ctx, { kind: 'prompt', title: `Name session ${id}`, label: 'Name', value: current, hint: 'empty: no name', intent: { command: 'session-rename', id } });
}

export function renameSession(ctx: AppContext, id: string, name: string): void {
  void ctx.sessions?.rename(id, name).then(
    () => status(ctx, name ? `Session ${id} is named ${name}` : `Session ${id} has no name now`),
    (err: unknown) => status(ctx, `Session ${id}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
  );
}

export function validateSessionName(name: string): string | null {
  if (name === '') return null;
  return /^[A-Za-z][A-Za-z0-9._-]{0,31}$/.test(name) ? null : 'A letter, then up to 31 letters, digits, ".", "_" or "-"';
}

export function askSessionClose(ctx: AppContext): void {
  const id = selected(ctx);
  if (id === null || !available(ctx)) return;
  if (!running(ctx, id)) {
    closeSession(ctx, id);
    return;
  }
  const s = ctx.store.getState().sessions[id];
  openDialog(ctx, {
    kind: 'confirm',
    title: `Close session ${id}`,
    message: `"${s?.command ?? ''}" still runs in ${s?.instance ?? ''}. Close it (SIGHUP, then SIGKILL after a second)?`,
    dangerous: true,
    intent: { command: 'session-close', id },
  });
}

export function closeSession(ctx: AppContext, id: string): void {
  void ctx.sessions?.close(id).then(
    (op) => status(ctx, op === 'closing' ? `Closing session ${id}…` : `Session ${id} removed`),
    (err: unknown) => status(ctx, `Session ${id}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
  );
}

/** Rows in the pane, for the tab line. */
export function sessionCount(ctx: AppContext): number {
  return selectSessionRows(ctx.store.getState()).length;
}
