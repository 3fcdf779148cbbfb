// The root component: reads the store through useSyncExternalStore, lays out header, tabs, the
// focused pane (or a dialog), status line and hints in exactly rows-1 lines (see docs/ARCHITECTURE.md: a root
// one row shorter than the terminal lets Ink redraw only the changed lines), and feeds keys to the
// handler chain.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useStdin, useStdout } from 'ink';
import { guardInputListeners } from '../patches/ink-input-guard.js';
import { footerText } from '../keys/footers.js';
import { hintsFor } from '../keys/registry.js';
import { CLEAR_SCREEN } from '../terminal.js';
import {
  selectBanner,
  selectImageRows,
  selectOperationRows,
  selectInstanceRows,
  selectStatusCounts,
  warmInstanceSearch,
  type Controller,
  type State,
  type Store,
} from '../store/index.js';
import { Banner, Header, HintBar, MIN_COLS, MIN_ROWS, StatusLine, TooSmall, samplingText } from '../views/chrome.js';
import {
  ConfirmView,
  DetailView,
  HelpView,
  PickerView,
  PromptView,
  dialogView,
  dialogWidth,
} from '../views/dialogs.js';
import { fit, formatClock } from '../views/format.js';
import { PaneView, Tabs, imagesModel, instancesModel, operationsModel, type PaneModel } from '../views/panes.js';
import { MembersView } from '../views/members.js';
import { ThemeContext, themeFromEnv, type Theme } from '../views/theme.js';
import '../views/dialog-kinds.js';
import '../patches/ink-output.js';
import { acceptPicker, type AppContext, type ConsoleRequest } from './commands.js';
import type { RemoteChoice, Scope } from './context.js';
import { handleKey } from './handle-key.js';

export interface AppProps {
  store: Store;
  controller: Controller;
  /** `unix:/path/to/unix.socket` or a remote's name: shown in the header. */
  remote: string;
  onQuit(): void;
  onConsole(request: ConsoleRequest): void;
  /** The project switcher chose another scope (absent: no switcher). */
  onScope?(scope: Scope): void;
  /** The remote switcher: the configured remotes, and the choice (both absent: no switcher). */
  listRemotes?(): Promise<RemoteChoice[]>;
  onRemote?(name: string): void;
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

/**
 * Changes a person waits for (an instance changed status, the connection dropped, a status line,
 * anything in the UI slice) are drawn at once; the rest (metrics samples, snapshot counts,
 * operation progress, the last-event clock) may wait for the next coalesced frame.
 */
export function isUrgent(prev: State, next: State): boolean {
  const a = prev.connection;
  const b = next.connection;
  return (
    prev.instances !== next.instances ||
    prev.ui !== next.ui ||
    prev.status !== next.status ||
    prev.server !== next.server ||
    // Rare, and drawn outside the table the frame key covers: the members view, the fleet header.
    prev.members !== next.members ||
    prev.fleet !== next.fleet ||
    prev.readOnly !== next.readOnly ||
    prev.paused !== next.paused ||
    a.rest !== b.rest ||
    a.events !== b.events ||
    a.eventsLost !== b.eventsLost ||
    a.reconnecting !== b.reconnecting
  );
}

/**
 * The store's state for React, with background changes coalesced (see `coalesceMs`); `flush`
 * draws the latest state now (after a key).
 */
export function useCoalescedState(
  store: Store,
  delayMs: number,
  /** For coalesced changes: a key of what the state draws; an unchanged key skips the frame. */
  frameKey?: (state: State) => string,
): [State, () => void] {
  const [state, setState] = useState(store.getState);
  const shown = useRef(state);
  /** The key of the last state drawn, computed lazily (null: not computed). */
  const shownKey = useRef<string | null>(null);
  const keyOf = useRef(frameKey);
  keyOf.current = frameKey;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** When the oldest change not drawn yet arrived (ms), or null. */
  const pendingSince = useRef<number | null>(null);
  const flush = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    pendingSince.current = null;
    shown.current = store.getState();
    shownKey.current = null;
    setState(shown.current);
  }, [store]);
  const flushIfChanged = useCallback(() => {
    timer.current = null;
    pendingSince.current = null;
    const next = store.getState();
    if (next === shown.current) return;
    // A frame costs Ink the whole screen's worth of work even when nothing on it changed.
    const key = keyOf.current;
    if (key && !isUrgent(shown.current, next)) {
      shownKey.current ??= key(shown.current);
      const nextKey = key(next);
      if (nextKey === shownKey.current) {
        shown.current = next;
        return;
      }
    }
    flush();
  }, [store, flush]);
  useEffect(() => {
    const maxWait = Math.max(500, delayMs * 5);
    const unsubscribe = store.subscribe(() => {
      if (delayMs <= 0 || isUrgent(shown.current, store.getState())) {
        flush();
        return;
      }
      // Debounced: wait for a quiet gap, but never longer than maxWait after the first change.
      const now = Date.now();
      pendingSince.current ??= now;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = setTimeout(flushIfChanged, Math.max(0, Math.min(delayMs, pendingSince.current + maxWait - now)));
    });
    flush();
    return () => {
      unsubscribe();
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [store, delayMs, flush]);
  return [state, flush];
}

/** Lines around the body: header 2, tabs 1, status 1, hints 1. */
export const CHROME_LINES = 5;

/**
 * The terminal's size, following resizes. On a resize the screen is wiped and the last frame drawn
 * again whole, through Ink's own `write` (it clears log-update's memory of the last frame, writes,
 * then redraws that frame from scratch): Ink's incremental renderer would otherwise rewrite only
 * the lines that differ, and the unchanged ones would stay wiped (`ink.clear()` does not do it: it
 * restores that memory). The next frame, at the new size, is then diffed against what is really
 * on screen. A shrink below the last frame's height is handled by Ink itself (clear and redraw).
 */
export function useTerminalSize(fixed: { cols?: number; rows?: number }): { cols: number; rows: number } {
  const { stdout, write } = useStdout();
  const read = () => ({ cols: fixed.cols ?? (stdout.columns || 80), rows: fixed.rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed.cols !== undefined && fixed.rows !== undefined) return;
    const onResize = () => {
      write(CLEAR_SCREEN);
      setSize(read());
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, write, fixed.cols, fixed.rows]);
  return fixed.cols !== undefined && fixed.rows !== undefined ? { cols: fixed.cols, rows: fixed.rows } : size;
}

/** A clock that ticks every `ms` (ages in the tables); a fixed clock in tests. A tick that
 *  `unchanged(at)` says would draw the same frame is skipped (a frame costs Ink the whole screen). */
function useNow(ms: number, fixed?: () => number, unchanged?: { current: (at: number) => boolean }): number {
  const [now, setNow] = useState(() => (fixed ?? Date.now)());
  useEffect(() => {
    if (fixed) return;
    const t = setInterval(() => {
      const at = Date.now();
      if (!unchanged?.current(at)) setNow(at);
    }, ms);
    return () => clearInterval(t);
  }, [ms, fixed]);
  return fixed ? fixed() : now;
}

/** Subscribes to Ink's keypress stream (each event is one key or one paste). */
function KeyInput({ onKey }: { onKey(raw: string): void }): null {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const ref = useRef(onKey);
  ref.current = onKey;
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    guardInputListeners(emitter);
    const listener = (raw: string) => ref.current(raw);
    emitter.on('input', listener);
    return () => {
      emitter.off('input', listener);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
  return null;
}

function bodyModel(state: State, cols: number, tableRows: number, now: number, instances: PaneModel): PaneModel {
  if (state.ui.focus === 'images') return imagesModel(state, cols, tableRows);
  if (state.ui.focus === 'operations') return operationsModel(state, cols, tableRows, now);
  return instances;
}

export function App(props: AppProps): React.JSX.Element {
  const { store, controller } = props;
  const { cols, rows } = useTerminalSize({ cols: props.cols, rows: props.rows });
  const frameKey = useRef<(s: State, at?: number) => string>(() => '');
  const tickUnchanged = useRef((at: number) => at < 0);
  const [state, flush] = useCoalescedState(store, props.coalesceMs ?? 80, (s) => frameKey.current(s));
  // Ages: seconds matter only in the operations pane; elsewhere a slow tick keeps redraws rare (an
  // exec session anywhere on the daemon is a running operation: ticking for it cost 3 % of a core).
  const now = useNow(state.ui.focus === 'operations' ? 1000 : 15_000, props.now, tickUnchanged);
  const theme = useMemo(() => props.theme ?? themeFromEnv(), [props.theme]);

  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const banner = selectBanner(state);
  const bodyHeight = Math.max(1, rows - 1 - CHROME_LINES - (banner ? 1 : 0));
  const tableRows = Math.max(1, bodyHeight - 1);
  // What the changes that may wait (samples, counts, operations, images, the event clock) can alter
  // on screen: equal keys draw equal frames.
  frameKey.current = (s: State, at = now) => {
    if (tooSmall) return '';
    const m =
      s.ui.focus === 'images'
        ? imagesModel(s, cols, tableRows)
        : s.ui.focus === 'operations'
          ? operationsModel(s, cols, tableRows, at, false)
          : instancesModel(s, cols, tableRows, at);
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
      ...rowsText,
    ].join('\u0002');
  };
  // The slow tick (ages) draws only when an age on screen changes; the operations pane's spinner and dialogs always.
  tickUnchanged.current = (at) => {
    const s = store.getState();
    return s.ui.focus !== 'operations' && !s.ui.dialog && frameKey.current(s, at) === frameKey.current(s);
  };
  const instances = instancesModel(state, cols, tableRows, now);
  const model = bodyModel(state, cols, tableRows, now, instances);

  const pageRef = useRef(tableRows);
  pageRef.current = state.ui.dialog?.kind === 'help' || state.ui.dialog?.kind === 'detail' || state.ui.dialog?.kind === 'members' ? bodyHeight - 1 : tableRows;
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
      pageSize: () => pageRef.current,
      now: () => (props.now ?? Date.now)(),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, controller, props.onQuit, props.onConsole, props.onScope, props.listRemotes, props.onRemote, props.remote, props.now],
  );

  // Only the instance rows on screen are polled for state.
  const visible = tooSmall ? '' : instances.visibleKeys.join('\n');
  useEffect(() => {
    controller.setVisible(visible ? visible.split('\n') : []);
  }, [controller, visible]);

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

  if (tooSmall) {
    return (
      <ThemeContext.Provider value={theme}>
        <KeyInput onKey={onKey} />
        <TooSmall cols={cols} rows={rows} />
      </ThemeContext.Provider>
    );
  }

  const dialog = state.ui.dialog;
  const counts = {
    instances: selectInstanceRows(state).length,
    images: selectImageRows(state).length,
    operations: selectOperationRows(state).length,
  };
  let body: React.ReactNode;
  let overlay: React.ReactNode = null;
  if (dialog?.kind === 'help') {
    body = <HelpView scroll={dialog.scroll} readOnly={state.readOnly} width={cols} height={bodyHeight} />;
  } else if (dialog?.kind === 'members') {
    body = <MembersView members={state.members} scroll={dialog.scroll} width={cols} height={bodyHeight} />;
  } else if (dialog?.kind === 'detail') {
    body = <DetailView dialog={dialog} width={cols} height={bodyHeight} />;
  } else {
    body = <PaneView model={model} />;
    if (dialog?.kind === 'confirm') overlay = <ConfirmView dialog={dialog} width={cols} />;
    else if (dialog?.kind === 'prompt') overlay = <PromptView dialog={dialog} width={cols} />;
    else if (dialog?.kind === 'picker') {
      overlay = (
        <PickerView
          dialog={dialog}
          width={cols}
          height={bodyHeight - 1}
          onSelect={(value) => acceptPicker(ctx, value)}
          onHighlight={(selected) => {
            const d = store.getState().ui.dialog;
            if (d && d.kind === 'picker' && d.selected !== selected) store.dispatch({ type: 'dialog/open', dialog: { ...d, selected } });
          }}
        />
      );
    }
  }

  const bottom =
    dialog?.kind === 'help' || dialog?.kind === 'detail' || dialog?.kind === 'members' ? (
      <Text dimColor wrap="truncate">
        {footerText(dialog.kind)}
      </Text>
    ) : dialog?.kind === 'filter' ? (
      <Text wrap="truncate">
        <Text bold>{`/${state.ui.panes[dialog.pane].filter}`}</Text>
        <Text inverse> </Text>
        <Text dimColor>{fit(`  ${footerText('filter')}`, Math.max(0, cols - state.ui.panes[dialog.pane].filter.length - 2))}</Text>
      </Text>
    ) : (
      <HintBar hints={hintsFor(dialog ? dialogView(dialog) : state.ui.focus, state.readOnly)} width={cols} />
    );

  return (
    <ThemeContext.Provider value={theme}>
      <KeyInput onKey={onKey} />
      <Box flexDirection="column" width={cols} height={rows - 1}>
        <Header state={state} counts={selectStatusCounts(state)} remote={props.remote} width={cols} />
        <Tabs state={state} counts={counts} width={cols} />
        {banner ? <Banner text={banner} width={cols} /> : null}
        <Box flexDirection="column" height={bodyHeight} width={cols}>
          {body}
          {overlay ? (
            <Box position="absolute" marginTop={2} marginLeft={Math.max(0, Math.floor((cols - dialogWidth(cols)) / 2))}>
              {overlay}
            </Box>
          ) : null}
        </Box>
        <StatusLine state={state} width={cols} />
        {bottom}
      </Box>
    </ThemeContext.Provider>
  );
}
