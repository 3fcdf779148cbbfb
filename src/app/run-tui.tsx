// The full-screen session: alternate screen, Ink mounted on the store, and the hand-off to the exec
// console (unmount Ink, leave the alternate screen, run the console, print its result briefly,
// come back and remount with the same store — the UI state lives there, so the panes are exactly
// as they were). The terminal is restored on every way out (see ../terminal.ts).
import React from 'react';
import { render, type Instance as InkInstance } from 'ink';
import type { LxdApi } from '../lxd/api.js';
import { parseInstanceKey, type Controller, type SessionRow, type Store } from '../store/index.js';
import {
  enterFullScreen,
  holdRawMode,
  installRestoreHandlers,
  leaveFullScreen,
  restoreTerminal,
} from '../terminal.js';
import { App } from './App.js';
import type { ConsoleRequest } from './commands.js';
import type { ExecLineOptions } from './exec-line.js';
import { describeDetachSequence } from '../console/detach.js';
import { inkStdout } from '../patches/ink-stdout.js';
import type { HandOverTask, ProjectScope, RemoteChoice } from './context.js';
import { failureText } from './explain.js';
import { projectPicker } from './cluster-flows.js';

export interface ConsoleOutcome {
  exitCode: number | null;
  message: string;
  reason: string;
}

type Io = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };

/** The session holder as the TUI uses it (src/sessions/tui.ts TuiSessions; injected, loaded after the first frame). */
export interface TuiSessionsPort {
  subscribe(onList: (list: SessionRow[]) => void): void;
  run(start: { instance: string; project?: string; command?: string[]; options?: ExecLineOptions; kind?: 'console' }, io: Io, detach?: string): Promise<ConsoleOutcome & { id?: string }>;
  attach(id: string, io: Io, detach?: string): Promise<ConsoleOutcome>;
  rename(id: string, name: string): Promise<void>;
  close(id: string): Promise<string>;
  history(id: string): Promise<string[]>;
  broadcast(starts: { instance: string; project?: string }[], io: Io, detach?: string): Promise<{ ok: boolean; message: string }>;
  stop(): void;
}

export interface TuiOptions {
  api: LxdApi;
  store: Store;
  controller: Controller;
  remote: string;
  /** The exec console (src/console runConsole); injected so the app does not depend on it at load. */
  runConsole(api: LxdApi, opts: ExecLineOptions & { instance: string; command?: string[]; project?: string; detach?: string }): Promise<ConsoleOutcome>;
  /** The console's detach sequence (--detach; undefined: ~.). */
  detach?: string;
  /** Consoles as background sessions (absent: the direct console, ended when left). */
  sessions?: TuiSessionsPort;
  /**
   * The project switcher: an API and a controller for the new scope (the store is reset first).
   * Absent: no switcher in the app.
   */
  switchScope?(scope: ProjectScope, store: Store, api: LxdApi): { api: LxdApi; controller: Controller };
  /** The remote switcher: the configured remotes, and a connection to one (throws: refused). */
  remotes?: {
    list(): Promise<RemoteChoice[]>;
    /**
     * `note`: why another project than the remote's is shown (a restricted certificate); `choices`:
     * the projects it may use, offered in the switcher at once.
     */
    connect(name: string, store: Store): Promise<RemoteConnection>;
    /** A client of the remote beside the current connection (a copy to it); the caller closes it. */
    open?(name: string): Promise<LxdApi>;
  };
  /**
   * The fleet view: the API of the instance's remote and the remote's own key (absent: `api`,
   * keys as they are).
   */
  route?(key: string): { api: LxdApi; key: string } | null;
  /** How long the console's result stays on the normal screen before the TUI comes back, ms. */
  resultPauseMs?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export interface RemoteConnection {
  api: LxdApi;
  controller: Controller;
  label: string;
  note?: string | null;
  choices?: string[] | null;
}

type MountOutcome =
  | { kind: 'quit' }
  | { kind: 'console'; request: ConsoleRequest }
  | { kind: 'attach'; id: string }
  | { kind: 'handover'; task: HandOverTask }
  | { kind: 'scope'; scope: ProjectScope }
  | { kind: 'remote'; next: RemoteConnection }
  | { kind: 'crash'; error: unknown };

/** How long O waits for a remote to answer before giving up on it. */
const REMOTE_CONNECT_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runTui(opts: TuiOptions): Promise<number> {
  const { store, api } = opts;
  // The project switcher replaces the controller (and the scoped API it drives): always read it here.
  const current = { api: opts.api, controller: opts.controller, remote: opts.remote };
  /** The base API of the remote in use (the project switcher derives its clients from it). */
  let base = opts.api;
  const stdout = opts.stdout ?? process.stdout;
  const inkOut = inkStdout(stdout);
  const stdin = opts.stdin ?? process.stdin;
  installRestoreHandlers(() => current.controller.stop());

  let ink: InkInstance | null = null;
  /**
   * O: connect to the chosen remote while the panes stay up (keys work, the status line says
   * "Connecting…"); one that refuses, or does not answer in time, leaves the current one as it was.
   */
  let connecting: string | null = null;
  const connectRemote = async (name: string) => {
    if (connecting) {
      store.dispatch({ type: 'status/set', text: `Still connecting to ${connecting}…`, level: 'info', at: Date.now() });
      return null;
    }
    connecting = name;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${REMOTE_CONNECT_TIMEOUT_MS / 1000} s`)), REMOTE_CONNECT_TIMEOUT_MS);
    });
    const attempt = opts.remotes!.connect(name, store);
    try {
      return await Promise.race([attempt, timeout]);
    } catch (err) {
      // A connection that arrives after the timeout is closed, not leaked.
      void attempt.then((late) => late.api.close(), () => undefined);
      const text = err instanceof Error ? err.message : String(err);
      store.dispatch({ type: 'status/set', text: `${name}: ${text}`, level: 'error', at: Date.now() });
      return null;
    } finally {
      clearTimeout(timer);
      connecting = null;
    }
  };

  const sessionActions = opts.sessions
    ? {
        attach: (id: string) => attachTo?.(id),
        rename: (id: string, name: string) => opts.sessions!.rename(id, name),
        close: (id: string) => opts.sessions!.close(id),
        history: (id: string) => opts.sessions!.history(id),
        broadcast: async (keys: string[]) => {
          // The fleet view's instances are on other remotes than the one the holder reaches.
          if (opts.route) return { ok: false, message: 'typing into many needs the session holder (not in the fleet view)' };
          const starts = keys.map((k) => {
            const { name, project } = parseInstanceKey(k);
            return { instance: name, project };
          });
          const r = await opts.sessions!.broadcast(starts, { stdin, stdout }, opts.detach);
          return { ok: r.ok, message: r.message };
        },
      }
    : undefined;
  let attachTo: ((id: string) => void) | null = null;
  opts.sessions?.subscribe((list) => store.dispatch({ type: 'sessions/loaded', sessions: list }));

  const mount = () =>
    new Promise<MountOutcome>((resolve) => {
      let done = false;
      attachTo = (id) => finish({ kind: 'attach', id });
      const finish = (outcome: MountOutcome) => {
        if (done) return;
        done = true;
        // Not from inside Ink's input dispatch.
        setImmediate(() => {
          // Across a project or remote switch the terminal stays raw (holdRawMode says why).
          const switching = outcome.kind === 'scope' || outcome.kind === 'remote';
          if (switching) holdRawMode(stdin);
          ink?.unmount();
          ink = null;
          resolve(outcome);
        });
      };
      ink = render(
        <App
          store={store}
          controller={current.controller}
          remote={current.remote}
          onQuit={() => finish({ kind: 'quit' })}
          onConsole={(request) => finish({ kind: 'console', request })}
          sessions={sessionActions}
          onHandOver={(task) => finish({ kind: 'handover', task })}
          onScope={opts.switchScope ? (scope) => finish({ kind: 'scope', scope }) : undefined}
          listRemotes={opts.remotes?.list}
          openRemote={opts.remotes?.open}
          onRemote={opts.remotes ? (name) => void connectRemote(name).then((next) => next && finish({ kind: 'remote', next })) : undefined}
        />,
        {
          stdout: inkOut,
          stdin,
          exitOnCtrlC: false,
          patchConsole: false,
          incrementalRendering: true,
          maxFps: 30,
        },
      );
      // A render error unmounts Ink (its error boundary): leave cleanly, with the error printed
      // after the terminal is back.
      ink.waitUntilExit().then(
        () => finish({ kind: 'quit' }),
        (error: unknown) => finish({ kind: 'crash', error }),
      );
    });

  enterFullScreen();
  void current.controller.start();
  let crash: { error: unknown } | null = null;
  try {
    for (;;) {
      const outcome = await mount();
      if (outcome.kind === 'quit') break;
      if (outcome.kind === 'crash') {
        crash = { error: outcome.error };
        break;
      }
      if (outcome.kind === 'scope' && opts.switchScope) {
        // Old scope out (its events and timers stopped), store afresh, new controller in.
        current.controller.stop();
        store.dispatch({ type: 'scope/reset', allProjects: 'allProjects' in outcome.scope });
        Object.assign(current, opts.switchScope(outcome.scope, store, base));
        void current.controller.start();
        continue;
      }
      if (outcome.kind === 'remote') {
        // Already connected (connectRemote): the old remote out, store afresh, the new one in.
        const { next } = outcome;
        current.controller.stop();
        if (base !== opts.api) void base.close().catch(() => undefined);
        store.dispatch({ type: 'scope/reset', allProjects: false, server: true });
        if (next.note) store.dispatch({ type: 'status/set', text: next.note, level: 'info', at: Date.now() });
        if (next.choices) store.dispatch({ type: 'dialog/open', dialog: projectPicker(next.choices, next.api.project) });
        base = next.api;
        Object.assign(current, { api: next.api, controller: next.controller, remote: next.label });
        void current.controller.start();
        continue;
      }
      if (outcome.kind === 'console') await consoleSession({ ...opts, ...current }, outcome.request, stdout);
      if (outcome.kind === 'attach') await attachSession({ ...opts, ...current }, outcome.id, stdout);
      if (outcome.kind === 'handover') await handOver({ ...opts, ...current }, outcome.task, stdout);
    }
  } finally {
    current.controller.stop();
    opts.sessions?.stop();
    restoreTerminal();
  }
  await Promise.race([Promise.all([api.close(), base !== api ? base.close() : null]).catch(() => undefined), sleep(500)]);
  if (crash) {
    const e = crash.error;
    process.stderr.write(`lxtop: unexpected error: ${failureText(e).replace(/^lxtop: /, '')}`);
    return 1;
  }
  return 0;
}

async function consoleSession(opts: TuiOptions, request: ConsoleRequest, stdout: NodeJS.WriteStream): Promise<void> {
  const { store, controller } = opts;
  const routed = opts.route ? opts.route(request.key) : { api: opts.api, key: request.key };
  if (!routed) {
    store.dispatch({ type: 'status/set', text: `${request.key}: its remote is not connected`, level: 'error', at: Date.now() });
    return;
  }
  const { api } = routed;
  const { name, project } = parseInstanceKey(routed.key);
  controller.pause();
  leaveFullScreen();
  const what = request.kind === 'console' ? 'console' : request.command?.length ? request.command.join(' ') : 'shell';
  const banner = `lxtop: ${what} in ${name}${detachHint(opts.detach)}`;
  stdout.write(`${banner}\r\n`);
  let result: ConsoleOutcome;
  try {
    // A session in the holder when the instance's remote is the one the holder can reach (the
    // fleet view's other remotes are not): it goes on after a detach, and after lxtop.
    const io = { stdin: opts.stdin ?? process.stdin, stdout };
    const start = { instance: name, project, command: request.command, options: request.options, kind: request.kind, banner };
    if (request.kind === 'console' && (!opts.sessions || opts.route)) throw new Error('the instance console needs the session holder (not in the fleet view)');
    result = opts.sessions && !opts.route
      ? await opts.sessions.run(start, io, opts.detach)
      : await opts.runConsole(api, { ...request.options, instance: name, command: request.command, project, detach: opts.detach });
  } catch (err) {
    result = { exitCode: null, reason: 'lost', message: err instanceof Error ? err.message : String(err) };
  }
  await afterConsole(opts, `${name}: ${result.message}`, result, stdout);
}

/** The result on the normal screen briefly and in the status line, then the panes again. */
async function afterConsole(opts: TuiOptions, text: string, result: ConsoleOutcome, stdout: NodeJS.WriteStream): Promise<void> {
  stdout.write(`\r\nlxtop: ${result.message}\r\n`);
  const fine = result.reason === 'detached' || (result.reason === 'exited' && (result.exitCode ?? 0) === 0);
  opts.store.dispatch({ type: 'status/set', text, level: fine ? 'info' : 'error', at: Date.now() });
  await sleep(result.reason === 'detached' ? Math.min(400, opts.resultPauseMs ?? 400) : (opts.resultPauseMs ?? 1200));
  enterFullScreen();
  opts.controller.resume();
}

/** The Sessions pane's attach: the terminal to a held session until it detaches or ends. */
async function attachSession(opts: TuiOptions, id: string, stdout: NodeJS.WriteStream): Promise<void> {
  if (!opts.sessions) return;
  opts.controller.pause();
  leaveFullScreen();
  let result: ConsoleOutcome;
  try {
    result = await opts.sessions.attach(id, { stdin: opts.stdin ?? process.stdin, stdout }, opts.detach);
  } catch (err) {
    result = { exitCode: null, reason: 'lost', message: err instanceof Error ? err.message : String(err) };
  }
  await afterConsole(opts, `session ${id}: ${result.message}`, result, stdout);
}

/** The terminal to a task (an editor) on the normal screen, cooked; then the panes as they were. */
async function handOver(opts: TuiOptions, task: HandOverTask, stdout: NodeJS.WriteStream): Promise<void> {
  opts.controller.pause();
  leaveFullScreen();
  const stdin = opts.stdin ?? process.stdin;
  // Ink left the input raw and paused: the task's child (an editor) gets the terminal as a shell would give it.
  try {
    if (stdin.isTTY) stdin.setRawMode(false);
  } catch {
    // not a terminal
  }
  stdout.write(`lxtop: ${task.title}\r\n`);
  let outcome: { ok: boolean; message: string };
  try {
    outcome = await task.run();
  } catch (err) {
    outcome = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  opts.store.dispatch({ type: 'status/set', text: outcome.message, level: outcome.ok ? 'info' : 'error', at: Date.now() });
  // A task that read stdin itself (TerminalGuard) leaves its stream's listener bookkeeping to a
  // nextTick: Ink's 'readable' listener added before that runs never hears a key. One turn of the
  // event loop first.
  await new Promise((r) => setImmediate(r));
  enterFullScreen();
  opts.controller.resume();
}

/** How to leave the console, as the banner says it. */
export function detachHint(spec: string | undefined): string {
  const how = describeDetachSequence(spec);
  return how === null ? '' : ` (type ${how} to detach)`;
}
