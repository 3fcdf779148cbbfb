// The root component: the store's state (coalesced, see use-coalesced-state.ts), the terminal's
// size and the clock in, the screen (views/layout.tsx: exactly rows-1 lines, see
// docs/ARCHITECTURE.md) out, and every key through the handler chain (handle-key.ts). State and
// wiring only: what is drawn where is the layout's.
import React, { useEffect, useMemo, useRef } from 'react';
import {
  selectBanner,
  selectImageRows,
  selectOperationRows,
  warmInstanceSearch,
  type Controller,
  type HistoryReader,
  type State,
  type Store,
} from '../store/index.js';
import { MIN_COLS, MIN_ROWS, TooSmall, samplingText } from '../views/chrome.js';
import { formatClock } from '../views/format.js';
import { bodyHeight as bodyHeightOf, Layout } from '../views/layout.js';
import { meterLines, metersFit, metersKey } from '../views/meters.js';
import { imagesModel, instancesModel, operationsModel, sessionsModel, type PaneModel } from '../views/panes.js';
import { ThemeContext, themeFromEnv, type Theme } from '../views/theme.js';
import '../views/dialog-kinds.js';
import '../patches/ink-output.js';
import type { AppContext, ConsoleRequest } from './commands.js';
import type { HandOverTask, ProjectScope, RemoteChoice, SessionActions } from './context.js';
import { handleKey } from './handle-key.js';
import { KeyInput } from './key-input.js';
import { useCoalescedState } from './use-coalesced-state.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  store: Store;
  controller: Controller;
  /** `unix:/path/to/unix.socket` or a remote's name: shown in the header. */
  remote: string;
  onQuit(): void;
  onConsole(request: ConsoleRequest): void;
  /** The project switcher chose another scope (absent: no switcher). */
  onScope?(scope: ProjectScope): void;
  /** The remote switcher: the configured remotes, and the choice (both absent: no switcher). */
  listRemotes?(): Promise<RemoteChoice[]>;
  onRemote?(name: string): void;
  /** A client of another configured remote (a copy to it; absent: copies stay on this server). */
  openRemote?(name: string): Promise<import('../lxd/api.js').LxdApi>;
  /** The background sessions (the Sessions pane's keys; absent: not available). */
  sessions?: SessionActions;
  /** Hand the terminal to a task (an editor); absent: not available. */
  onHandOver?(task: HandOverTask): void;
  /** Fixed size (tests); by default the terminal's, following resizes. */
  cols?: number;
  rows?: number;
  /** Fixed clock (tests). */
  now?: () => number;
  theme?: Theme;
  /**
   * Store changes that may wait are drawn once they have been quiet for this many ms, and at most
   * ~half a second after the first of them (a poll round's samples arrive one by one: one frame
   * for the round, not one per instance). Keys and urgent changes draw at once.
   * Default 80; 0 draws every change at once.
   */
  coalesceMs?: number;
}

function bodyModel(state: State, cols: number, tableRows: number, now: number, instances: PaneModel): PaneModel {
  if (state.ui.focus === 'images') return imagesModel(state, cols, tableRows);
  if (state.ui.focus === 'operations') return operationsModel(state, cols, tableRows, now);
  if (state.ui.focus === 'sessions') return sessionsModel(state, cols, tableRows, now);
  return instances;
}

/**
 * What the changes that may wait (samples, counts, operations, images, the event clock) can alter
 * on screen, at clock `at`: equal keys draw equal frames.
 */
function frameKeyOf(s: State, cols: number, tableRows: number, at: number, history?: HistoryReader): string {
  const m =
    s.ui.focus === 'images'
      ? imagesModel(s, cols, tableRows)
      : s.ui.focus === 'operations'
        ? operationsModel(s, cols, tableRows, at, false)
        : s.ui.focus === 'sessions'
          ? sessionsModel(s, cols, tableRows, at)
          : instancesModel(s, cols, tableRows, at, history);
  const rowsText = m.rows.map((r) => Object.values(r.cells).join('\u0001'));
  const running = Object.values(s.operations).some((o) => o.finishedAt === null);
  return [
    formatClock(s.connection.lastEventAt),
    samplingText(s),
    m.total,
    selectImageRows(s).length,
    selectOperationRows(s).length,
    running,
    selectBanner(s) ?? '',
    // The detail view's graphs move with every sample of its instance.
    s.ui.dialog?.kind === 'detail' ? (s.samples[s.ui.dialog.key]?.last.at ?? '') : '',
    metersKey(s),
    ...rowsText,
  ].join('\u0002');
}

export function App(props: AppProps): React.JSX.Element {
  const { store, controller } = props;
  const { cols, rows } = useTerminalSize({ cols: props.cols, rows: props.rows });
  const frameKey = useRef<(s: State, at?: number) => string>(() => '');
  const tickUnchanged = useRef((at: number) => at < 0);
  const [state, flush] = useCoalescedState(store, props.coalesceMs ?? 80, (s) => frameKey.current(s));
  // Ages: seconds matter only in the operations pane; elsewhere a slow tick keeps redraws rare (an
  // exec session anywhere on the daemon is a running operation: ticking for it cost 3 % of a core).
  // The Sessions pane's ages (started, last output) every 5 s: its list comes every 5 s at most too.
  const now = useNow(state.ui.focus === 'operations' ? 1000 : state.ui.focus === 'sessions' ? 5000 : 15_000, props.now, tickUnchanged);
  const theme = useMemo(() => props.theme ?? themeFromEnv(), [props.theme]);

  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const bodyHeight = bodyHeightOf(rows, Boolean(selectBanner(state)), meterLines(state.meters, cols, rows));
  const tableRows = Math.max(1, bodyHeight - 1);
  frameKey.current = (s: State, at = now) => (tooSmall ? '' : frameKeyOf(s, cols, tableRows, at, store.history));
  // The slow tick (ages) draws only when an age on screen changes; the operations pane's spinner and dialogs always.
  tickUnchanged.current = (at) => {
    const s = store.getState();
    return s.ui.focus !== 'operations' && !s.ui.dialog && frameKey.current(s, at) === frameKey.current(s);
  };
  const instances = instancesModel(state, cols, tableRows, now, store.history);
  const model = bodyModel(state, cols, tableRows, now, instances);

  const pageRef = useRef(tableRows);
  const textView = ['help', 'detail', 'members', 'logs', 'events', 'warnings', 'history', 'snapshots', 'resources', 'files'].includes(state.ui.dialog?.kind ?? '');
  pageRef.current = textView ? bodyHeight - 1 : tableRows;
  const ctx: AppContext = useMemo(
    () => ({
      store,
      controller,
      quit: () => props.onQuit(),
      console: (request) => props.onConsole(request),
      switchScope: props.onScope ? (scope) => props.onScope?.(scope) : undefined,
      listRemotes: props.listRemotes,
      switchRemote: props.onRemote ? (name) => props.onRemote?.(name) : undefined,
      remoteLabel: () => props.remote,
      openRemote: props.openRemote,
      sessions: props.sessions,
      handOver: props.onHandOver ? (task) => props.onHandOver?.(task) : undefined,
      pageSize: () => pageRef.current,
      now: () => (props.now ?? Date.now)(),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, controller, props.onQuit, props.onConsole, props.onScope, props.listRemotes, props.onRemote, props.openRemote, props.remote, props.now, props.sessions, props.onHandOver],
  );

  // Only the instance rows on screen are polled for state (none while another pane is shown).
  const visible = tooSmall || state.ui.focus !== 'instances' ? '' : instances.visibleKeys.join('\n');
  useEffect(() => {
    controller.setVisible(visible ? visible.split('\n') : []);
  }, [controller, visible]);

  // The host meters are read only while the header has room for them.
  const metersShown = !tooSmall && metersFit(cols, rows);
  useEffect(() => {
    controller.setMetersShown?.(metersShown);
  }, [controller, metersShown]);

  // In a quiet moment after a list: what the filter matches, so the first keystroke of a filter
  // does not prepare it for every instance.
  const listed = state.instances;
  useEffect(() => {
    const t = setTimeout(() => warmInstanceSearch(listed), 300);
    return () => clearTimeout(t);
  }, [listed]);

  const onKey = (raw: string) => {
    handleKey(raw, ctx);
    flush();
  };

  return (
    <ThemeContext.Provider value={theme}>
      <KeyInput onKey={onKey} />
      {tooSmall ? (
        <TooSmall cols={cols} rows={rows} />
      ) : (
        <Layout
          state={state}
          remote={props.remote}
          cols={cols}
          rows={rows}
          model={model}
          history={store.history}
          now={now}
        />
      )}
    </ThemeContext.Provider>
  );
}
