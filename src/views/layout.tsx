// The screen, top to bottom, in exactly rows-1 lines (a root one row shorter than the terminal
// lets Ink redraw only the changed lines): header, tabs, the connection banner, the body (the
// focused pane, or a text view over it: help, members, detail; a confirmation, prompt or picker
// drawn over the pane), the status line, and the bottom line (the view's footer, the filter input,
// or the hints). Plain props in, no state of its own: the App owns the state and the keys.
import React from 'react';
import { Box, Text } from 'ink';
import { footerText } from '../keys/footers.js';
import { hintsFor } from '../keys/registry.js';
import { selectBanner, selectImageRows, selectInstanceRows, selectOperationRows, selectSessionRows, selectStatusCounts, type HistoryReader, type State } from '../store/index.js';
import { Banner, Header, HintBar, StatusLine } from './chrome.js';
import { ConfirmView, DetailView, HelpView, HistoryView, PickerView, PromptView, dialogView, dialogWidth } from './dialogs.js';
import { fit } from './format.js';
import { MembersView } from './members.js';
import { PaneView, Tabs, type PaneModel } from './panes.js';
import './dialog-kinds.js';
import { LogsView } from './logs-view.js';
import { EventsView } from './events-view.js';
import { SnapshotsView } from './snapshots-view.js';
import { FilesView } from './files-view.js';
import { Meters, meterLines } from './meters.js';
import { WarningsView } from './warnings.js';
import { ResourcesView } from './resources-view.js';

/** Lines around the body: header 2, tabs 1, status 1, hints 1. */
export const CHROME_LINES = 5;

/** The body's height in lines (at least 1): the screen less the chrome, the banner and the meters. */
export function bodyHeight(rows: number, banner: boolean, meters = 0): number {
  return Math.max(1, rows - 1 - CHROME_LINES - (banner ? 1 : 0) - meters);
}

export interface LayoutProps {
  state: State;
  /** The header's remote label. */
  remote: string;
  cols: number;
  rows: number;
  /** The focused pane's rows, fitted to the body. */
  model: PaneModel;
  /** The samples' history (the detail view's graphs) and the clock its time axis ends at (absent: the newest point). */
  history?: HistoryReader;
  now?: number;
}

export function Layout({ state, remote, cols, rows, model, history, now }: LayoutProps): React.JSX.Element {
  const banner = selectBanner(state);
  const meters = meterLines(state.meters, cols, rows);
  const height = bodyHeight(rows, Boolean(banner), meters);
  const dialog = state.ui.dialog;
  const counts = {
    instances: selectInstanceRows(state).length,
    images: selectImageRows(state).length,
    operations: selectOperationRows(state).length,
    sessions: selectSessionRows(state).length,
  };
  let body: React.ReactNode;
  let overlay: React.ReactNode = null;
  if (dialog?.kind === 'help') {
    body = <HelpView scroll={dialog.scroll} readOnly={state.readOnly} width={cols} height={height} />;
  } else if (dialog?.kind === 'members') {
    body = <MembersView members={state.members} scroll={dialog.scroll} width={cols} height={height} />;
  } else if (dialog?.kind === 'detail') {
    body = <DetailView dialog={dialog} width={cols} height={height} series={history?.series(dialog.key)} now={now ?? 0} />;
  } else if (dialog?.kind === 'history') {
    body = <HistoryView dialog={dialog} width={cols} height={height} />;
  } else if (dialog?.kind === 'events') {
    body = <EventsView dialog={dialog} log={state.eventLog} width={cols} height={height} />;
  } else if (dialog?.kind === 'snapshots') {
    body = <SnapshotsView dialog={dialog} config={state.instances[dialog.key]?.config ?? {}} width={cols} height={height} />;
  } else if (dialog?.kind === 'files') {
    body = <FilesView dialog={dialog} width={cols} height={height} />;
  } else if (dialog?.kind === 'warnings') {
    body = <WarningsView dialog={dialog} warnings={state.warnings} width={cols} height={height} />;
  } else if (dialog?.kind === 'resources') {
    body = <ResourcesView dialog={dialog} width={cols} height={height} />;
  } else if (dialog?.kind === 'logs') {
    body = <LogsView dialog={dialog} width={cols} height={height} />;
  } else {
    body = <PaneView model={model} />;
    if (dialog?.kind === 'confirm') overlay = <ConfirmView dialog={dialog} width={cols} />;
    else if (dialog?.kind === 'prompt') overlay = <PromptView dialog={dialog} width={cols} />;
    else if (dialog?.kind === 'picker') overlay = <PickerView dialog={dialog} width={cols} height={height - 1} />;
  }

  const bottom =
    dialog?.kind === 'help' || dialog?.kind === 'detail' || dialog?.kind === 'members' || dialog?.kind === 'snapshots' || dialog?.kind === 'files' || dialog?.kind === 'history' ? (
      <Text dimColor wrap="truncate">
        {footerText(dialog.kind)}
      </Text>
    ) : dialog?.kind === 'events' ? (
      dialog.filtering ? (
        <Text wrap="truncate">
          <Text bold>{`/${dialog.filter}`}</Text>
          <Text inverse> </Text>
          <Text dimColor>{fit(`  ${footerText('event-filter')}`, Math.max(0, cols - dialog.filter.length - 2))}</Text>
        </Text>
      ) : (
        <Text dimColor wrap="truncate">
          {footerText('events')}
        </Text>
      )
    ) : dialog?.kind === 'logs' ? (
      dialog.searching ? (
        <Text wrap="truncate">
          <Text bold>{`/${dialog.query}`}</Text>
          <Text inverse> </Text>
          <Text dimColor>{fit(`  ${footerText('log-search')}`, Math.max(0, cols - dialog.query.length - 2))}</Text>
        </Text>
      ) : (
        <Text dimColor wrap="truncate">
          {footerText('logs')}
        </Text>
      )
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
    <Box flexDirection="column" width={cols} height={rows - 1}>
      <Header state={state} counts={selectStatusCounts(state)} remote={remote} width={cols} />
      {meters > 0 && state.meters ? <Meters meters={state.meters} cols={cols} lines={meters} /> : null}
      <Tabs state={state} counts={counts} width={cols} />
      {banner ? <Banner text={banner} width={cols} /> : null}
      <Box flexDirection="column" height={height} width={cols}>
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
  );
}
