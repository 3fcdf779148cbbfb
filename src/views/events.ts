// The events view's model (pure): the dialog the store keeps while the flight recorder is open
// (E), the rows it shows (the log filtered, memoised on the log and the filter), and a row's cells.
import type { EventRow } from '../store/event-log.js';
import { eventTime, filterEvents } from '../store/event-log.js';
import { fit } from './format.js';

export interface EventsDialog {
  kind: 'events';
  /** The selected row, counted in the filtered rows from the newest. */
  selected: number;
  /** The first row shown. */
  scroll: number;
  filter: string;
  /** Typing the filter (`/`). */
  filtering: boolean;
}

declare module '../store/state.js' {
  interface DialogKinds {
    events: EventsDialog;
  }
}

// The filters typed on one log, each with its rows: a key that extends the filter searches the
// rows of the one before (every match of "ab" is a match of "a", smart case too), and backspace
// finds its rows made. A new event makes a new log and starts afresh.
let memo: { log: readonly EventRow[]; rows: Map<string, readonly EventRow[]> } | null = null;

/** The rows shown: the log filtered (one filter per change of the log or the filter). */
export function shownEvents(log: readonly EventRow[], filter: string): readonly EventRow[] {
  if (!memo || memo.log !== log) memo = { log, rows: new Map([['', log]]) };
  const made = memo.rows.get(filter);
  if (made) return made;
  let base = log;
  for (let n = filter.length - 1; n > 0; n--) {
    const prefix = memo.rows.get(filter.slice(0, n));
    if (prefix) {
      base = prefix;
      break;
    }
  }
  const rows = filterEvents(base, filter);
  memo.rows.set(filter, rows);
  return rows;
}

/** Which optional columns show: the member (when any row has one) and the remote (the fleet). */
export interface EventColumns {
  members: boolean;
  remotes: boolean;
}

type Cells = Record<'time' | 'remote' | 'location' | 'project' | 'instance' | 'type' | 'action' | 'requestor' | 'detail', string>;

/** Column widths: time, remote and member when shown, project, instance, type, action, requestor; the detail takes the rest. */
export function eventHeader(width: number, cols: EventColumns): string {
  return eventCells({ time: 'TIME', remote: 'REMOTE', location: 'MEMBER', project: 'PROJECT', instance: 'INSTANCE', type: 'TYPE', action: 'ACTION', requestor: 'REQUESTOR', detail: 'DETAIL' }, width, cols);
}

const lines = new WeakMap<EventRow, { width: number; cols: string; line: string }>();

/** A row's line, made once per row and width (a filter key redraws a page of rows already made). */
export function eventLineCells(r: EventRow, width: number, cols: EventColumns): string {
  const made = lines.get(r);
  const shape = `${cols.members} ${cols.remotes}`;
  if (made && made.width === width && made.cols === shape) return made.line;
  const line = eventCells({ time: eventTime(r.at), remote: r.remote ?? '', location: r.location, project: r.project, instance: r.instance || '-', type: r.type, action: r.action, requestor: r.requestor, detail: r.detail }, width, cols);
  lines.set(r, { width, cols: shape, line });
  return line;
}

function eventCells(c: Cells, width: number, cols: EventColumns): string {
  const fixed = [
    fit(c.time, 12),
    ...(cols.remotes ? [fit(c.remote, 10)] : []),
    ...(cols.members ? [fit(c.location, 10)] : []),
    fit(c.project, 12),
    fit(c.instance, 20),
    fit(c.type, 9),
    fit(c.action, 26),
    fit(c.requestor, 20),
  ].join(' ');
  return fit(`${fixed} ${c.detail}`, Math.max(0, width));
}
