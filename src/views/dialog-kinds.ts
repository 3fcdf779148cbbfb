// Dialog kinds the app adds to the store's map (see DialogKinds in src/store/state.ts).
import type { Dialog, PaneId } from '../store/index.js';

/** `/` typing a filter: the pane's filter updates live; Esc puts `previous` back. */
export interface FilterDialog {
  kind: 'filter';
  pane: PaneId;
  previous: string;
}

/** Key 4 on a clustered server: the cluster members, over the body (like help). */
export interface MembersDialog {
  kind: 'members';
  scroll: number;
}

/** l in the Sessions pane: a session's output so far, scrolled like a text view. */
export interface HistoryDialog {
  kind: 'history';
  id: string;
  title: string;
  loading: boolean;
  error: string | null;
  lines: readonly string[];
  scroll: number;
  /** Closed: back to this view (a detail asked from a list over the panes), not the pane. */
  back?: Dialog;
}

declare module '../store/state.js' {
  interface DialogKinds {
    filter: FilterDialog;
    members: MembersDialog;
    history: HistoryDialog;
  }
}
