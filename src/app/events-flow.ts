// The events view (E): the flight recorder over the panes. j/k move the selection, / filters as
// typed, Enter goes to the selected event's instance in the instances table.
import { fleetKey, instanceKey } from '../store/index.js';
import { shownEvents, type EventsDialog } from '../views/events.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { listMoves } from './list-keys.js';

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize());

export function openEvents(ctx: AppContext): void {
  openDialog(ctx, { kind: 'events', selected: 0, scroll: 0, filter: '', filtering: false });
}

type EventsAction = (ctx: AppContext, d: EventsDialog) => void;

/** Moves the selection (kept on the page). */
function move(next: (at: number, page: number, total: number) => number): EventsAction {
  return (ctx, d) => {
    const total = shownEvents(ctx.store.getState().eventLog, d.filter).length;
    if (total === 0) return;
    const p = Math.max(1, page(ctx) - 1); // the header row
    const selected = Math.max(0, Math.min(total - 1, next(d.selected, p, total)));
    const scroll = selected < d.scroll ? selected : selected >= d.scroll + p ? selected - p + 1 : d.scroll;
    openDialog(ctx, { ...d, selected, scroll });
  };
}

function editFilter(edit: (f: string) => string): EventsAction {
  return (ctx, d) => {
    const filter = edit(d.filter);
    if (filter !== d.filter) openDialog(ctx, { ...d, filter, selected: 0, scroll: 0 });
  };
}

/** Enter: the instances table, its filter cleared if it hid the instance, the row selected. */
const jump: EventsAction = (ctx, d) => {
  const state = ctx.store.getState();
  const row = shownEvents(state.eventLog, d.filter)[d.selected];
  if (!row || row.instance === '') {
    status(ctx, 'events: this event is not about an instance', 'error');
    return;
  }
  const own = instanceKey(row.project, row.instance);
  const key = row.remote === undefined ? own : fleetKey(row.remote, own);
  if (!state.instances[key]) {
    const shown = state.allProjects ? null : (state.server?.project ?? null);
    const why = shown !== null && row.project !== shown ? `is in project ${row.project} (O switches project)` : 'is not in the table (deleted?)';
    status(ctx, `events: ${row.instance} ${why}`, 'error');
    return;
  }
  closeDialog(ctx);
  ctx.store.dispatch({ type: 'ui/focus', pane: 'instances' });
  if (state.ui.panes.instances.filter !== '') ctx.store.dispatch({ type: 'ui/filter', pane: 'instances', filter: '' });
  ctx.store.dispatch({ type: 'ui/select', pane: 'instances', key });
};

export const EVENTS_KEYS = {
  ...listMoves(move),
  'log-search': (ctx, d) => openDialog(ctx, { ...d, filtering: true }),
  'event-jump': jump,
  events: (ctx) => closeDialog(ctx),
  'dialog-cancel': (ctx) => closeDialog(ctx),
} satisfies Record<string, EventsAction>;

export const EVENT_FILTER_KEYS = {
  'dialog-accept': (ctx, d) => openDialog(ctx, { ...d, filtering: false }),
  'dialog-cancel': (ctx, d) => openDialog(ctx, { ...d, filtering: false, filter: '', selected: 0, scroll: 0 }),
  'dialog-erase': editFilter(() => ''),
  'erase-char': editFilter((f) => f.slice(0, -1)),
  'erase-word': editFilter((f) => f.replace(/\S+\s*$/, '')),
} satisfies Record<string, EventsAction>;

export const typeInFilter = (text: string): EventsAction => editFilter((f) => f + text);
