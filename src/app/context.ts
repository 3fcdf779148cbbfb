// What commands and dialog flows work with: the store, the controller, and the app's callbacks.
import type { Controller, Dialog, InstanceKey, Store } from '../store/index.js';
import type { ExecLineOptions } from './exec-line.js';
import '../views/dialog-kinds.js';

export interface ConsoleRequest {
  key: InstanceKey;
  /** Empty/undefined: the instance's shell. */
  command?: string[];
  /** From the `:` line: user, group, working directory, environment. */
  options?: ExecLineOptions;
  /** 'console': the instance's console (C), not a command. */
  kind?: 'console';
}

export interface AppContext {
  store: Store;
  controller: Controller;
  quit(): void;
  /** Hand the terminal to the exec console for this instance. */
  console(request: ConsoleRequest): void;
  /** Rows shown per page in the focused pane. */
  pageSize(): number;
  now(): number;
  /** Switch to another project, or every project (absent: the app cannot switch). */
  switchScope?(scope: ProjectScope): void;
  /** The configured remotes, for the remote switcher (absent: no switcher). */
  listRemotes?(): Promise<RemoteChoice[]>;
  /** The header's remote label (the picker selects the current remote by it). */
  remoteLabel?(): string;
  /** Reconnect to another remote. */
  switchRemote?(name: string): void;
  /** A client of another configured remote, beside this one (a copy to it); the caller closes it. */
  openRemote?(name: string): Promise<import('../lxd/api.js').LxdApi>;
  /** The background sessions (the Sessions pane; absent: not available). */
  sessions?: SessionActions;
  /**
   * Hand the whole terminal to a task (an editor, a file transfer's prompt): the panes come back
   * with its result in the status line (absent: the app cannot, as in tests without a terminal).
   */
  handOver?(task: HandOverTask): void;
}

/** Something that needs the terminal for itself for a while (run-tui.tsx hands it over). */
export interface HandOverTask {
  /** One line printed on the normal screen before the task starts. */
  title: string;
  /** Its outcome: `ok` false shows the message as an error. */
  run(): Promise<{ ok: boolean; message: string }>;
}

/** What the Sessions pane asks of the session holder (src/sessions/tui.ts, through run-tui.tsx). */
export interface SessionActions {
  /** Hand the terminal to the session (like console()). */
  attach(id: string): void;
  rename(id: string, name: string): Promise<void>;
  /** Resolves with 'closing' (SIGHUP sent) or 'closed' (an ended session removed). */
  close(id: string): Promise<string>;
  history(id: string): Promise<string[]>;
  /** Type into many: a session in each instance and the keystrokes to all (run it in handOver). */
  broadcast(keys: string[]): Promise<{ ok: boolean; message: string }>;
}

export interface RemoteChoice {
  name: string;
  /** Where it is: `unix:/path` or the HTTPS URL. */
  addr: string;
}

/** What the instances table lists: one project, or every project (the keys registry's `Scope` is where a key works). */
export type ProjectScope = { project: string } | { allProjects: true };

export function status(ctx: AppContext, text: string, level: 'info' | 'error' = 'info'): void {
  ctx.store.dispatch({ type: 'status/set', text, level, at: ctx.now() });
}

export function openDialog(ctx: AppContext, dialog: Dialog): void {
  ctx.store.dispatch({ type: 'dialog/open', dialog });
}

export function closeDialog(ctx: AppContext): void {
  ctx.store.dispatch({ type: 'dialog/close' });
}
