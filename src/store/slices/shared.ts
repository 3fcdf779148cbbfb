// What the slice reducers share: the handler map's type, and the helpers for records keyed by row.
import { selectRowKeys } from '../selectors.js';
import type { Action, PaneId, State } from '../state.js';
import { dropKeysFromUi, reduceUi } from '../ui-reducers.js';

/** The data actions (UI and dialog actions go to ui-reducers.ts). */
export type DataAction = Exclude<Action, { type: `ui/${string}` | `dialog/${string}` }>;

/** A slice's reducers, one per action type it handles; each returns the same state when nothing changed. */
export type Handlers<T extends DataAction['type']> = {
  [K in T]: (state: State, action: Extract<DataAction, { type: K }>) => State;
};

export function withoutKeys<T>(record: Readonly<Record<string, T>>, drop: (key: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(record)) if (!drop(k)) out[k] = v;
  return out;
}

export function isRunningStatus(status: string): boolean {
  return status === 'Running' || status === 'Frozen';
}

/** Rows left: their marks go, and a cursor on one of them moves to its neighbour in the view. */
export function dropRows(prev: State, next: State, pane: PaneId, gone: readonly string[]): State {
  let ui = dropKeysFromUi(next.ui, pane, gone);
  const selected = prev.ui.panes[pane].selected;
  if (selected !== null && gone.includes(selected)) {
    const keys = selectRowKeys(prev, pane);
    const i = keys.indexOf(selected);
    const alive = (k: string) => !gone.includes(k);
    const neighbour = i < 0 ? null : (keys.slice(i + 1).find(alive) ?? keys.slice(0, i).reverse().find(alive) ?? null);
    ui = reduceUi(ui, { type: 'ui/select', pane, key: neighbour });
  }
  return ui === next.ui ? next : { ...next, ui };
}
