// The three panes. Each is a pure "model" (state + size → table) and a thin component rendering it;
// the models are what the app also uses to know which instance rows are on screen.
import React from 'react';
import Spinner from 'ink-spinner';
import { Text } from 'ink';
import {
  PANES,
  selectImageRows,
  selectInstanceRows,
  selectOperationRows,
  selectRowKeys,
  selectSessionRows,
  selectSelectedKey,
  selectSnapshotCount,
  type HistoryReader,
  type InstanceRow,
  type PaneId,
  type State,
} from '../store/index.js';
import { headerCells, layoutColumns, naturalWidths, type ColumnSpec, type LaidColumn } from './columns.js';
import {
  IMAGE_COLUMNS,
  OPERATION_COLUMNS,
  HISTORY_CELLS,
  imageCells,
  instanceCells,
  instanceColumns,
  isOperationRunning,
  operationCells,
} from './cells.js';
import { fit, width as textWidth } from './format.js';
import { cpuSparkline } from './history-draw.js';
import { GUTTER, Table, windowStart, type TableRow } from './Table.js';
import { statusColor, tint, useTheme } from './theme.js';
import { shownKey } from '../keys/registry.js';
import { SESSION_COLUMNS, sessionCells, sessionColor } from './session-cells.js';

export interface PaneModel {
  pane: PaneId;
  columns: LaidColumn[];
  header: Record<string, string>;
  /** The rows on screen: `start` to `start + height` of the pane's rows. */
  rows: TableRow[];
  /** How many rows the pane has (after its filter). */
  total: number;
  selectedKey: string | null;
  start: number;
  height: number;
  width: number;
  /** Keys of the rows on screen. */
  visibleKeys: string[];
  emptyText: string;
}

/** A pane's rows: every key in display order, and the table row at an index (made on demand). */
interface RowSource {
  keys: readonly string[];
  row(index: number): TableRow;
}

function fromRows(rows: TableRow[]): RowSource {
  return { keys: rows.map((r) => r.key), row: (i) => rows[i] };
}

function model(
  state: State,
  pane: PaneId,
  specs: readonly ColumnSpec[],
  source: RowSource,
  width: number,
  height: number,
  emptyText: string,
  /** Natural column widths (over every row's cells). */
  natural: Record<string, number>,
): PaneModel {
  const p = state.ui.panes[pane];
  const columns = layoutColumns(specs, Math.max(1, width - GUTTER), natural);
  const selectedKey = selectSelectedKey(state, pane);
  const total = source.keys.length;
  const index = selectedKey === null ? -1 : source.keys.indexOf(selectedKey);
  const start = windowStart(p.scroll, index, height, total);
  const rows: TableRow[] = [];
  for (let i = start; i < Math.min(total, start + Math.max(0, height)); i++) rows.push(source.row(i));
  return {
    pane,
    columns,
    header: headerCells(columns, p.sort as { column: string; direction: 'asc' | 'desc' }),
    rows,
    total,
    selectedKey,
    start,
    height,
    width,
    visibleKeys: rows.map((r) => r.key),
    emptyText,
  };
}

/**
 * Natural widths of the instance columns that can grow (name, status, IPv4, location: the others
 * have a fixed width), straight from the rows, without formatting every cell. Memoised on the row
 * list, which the store keeps while nothing in it changed.
 */
const instanceNatural = (() => {
  let lastRows: readonly InstanceRow[] | null = null;
  let last: Record<string, number> = {};
  type Widths = [number, number, number, number, number];
  /** The widest name, status, project, location and remote (fleet view) of `lastRows`. */
  let lastFixed: Widths = [0, 0, 0, 0, 0];
  // Per instance object: the widths of its name, status, project, location and remote cells.
  const widths = new WeakMap<object, Widths>();
  const sameInstances = (a: readonly InstanceRow[], b: readonly InstanceRow[]) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i].instance !== b[i].instance) return false;
    return true;
  };
  return (rows: readonly InstanceRow[], specs: readonly ColumnSpec[]): Record<string, number> => {
    if (rows === lastRows) return last;
    let ipv4 = textWidth('IPV4') + 1;
    for (const r of rows) {
      const ip = r.metrics.ipv4;
      if (typeof ip === 'string') ipv4 = Math.max(ipv4, textWidth(ip));
    }
    // A poll round changes metrics only: the same instances, in the same order, keep their widths.
    if (!lastRows || !sameInstances(rows, lastRows)) {
      const fixed: Widths = [textWidth('NAME') + 1, textWidth('STATUS') + 1, textWidth('PROJECT') + 1, textWidth('LOCATION') + 1, textWidth('REMOTE') + 1];
      for (const r of rows) {
        const i = r.instance;
        let w = widths.get(i);
        if (w === undefined) {
          w = [
            textWidth(i.name),
            textWidth(i.status || 'Unknown'),
            textWidth(i.project || 'default'),
            textWidth(i.location && i.location !== 'none' ? i.location : '-'),
            textWidth(i.remote ?? '-'),
          ];
          widths.set(i, w);
        }
        for (let k = 0; k < 5; k++) if (w[k] > fixed[k]) fixed[k] = w[k];
      }
      lastFixed = fixed;
    }
    const out: Record<string, number> = {};
    for (const s of specs) out[s.id] = textWidth(s.title) + 1;
    [out.name, out.status, out.project, out.location, out.remote] = lastFixed;
    out.ipv4 = ipv4;
    lastRows = rows;
    last = out;
    return out;
  };
})();

/**
 * The table row of an instance row. Cells are formatted when a row is drawn (only the rows on
 * screen): at thousands of instances, formatting every row for every frame was most of a key's
 * cost. Kept while the row, the clock, the snapshot counts and (with the CPU history column) the
 * length of the row's history are the same (a cursor move; another row's sample): the sparkline
 * changes only with a sample of its own, which makes a new row, or when its points leave the window.
 */
const instanceTableRow = (() => {
  // Per store row: its table row, for the clock, the snapshot counts and the history it was made with.
  const made = new WeakMap<InstanceRow, { now: number; counts: State['snapshotCounts']; points: number; row: TableRow }>();
  return (r: InstanceRow, now: number, state: State, history: HistoryReader | null): TableRow => {
    const counts = state.snapshotCounts;
    const points = history ? (history.series(r.key)?.length ?? 0) : -1;
    const known = made.get(r);
    if (known && known.now === now && known.counts === counts && known.points === points) return known.row;
    let cells: Record<string, string> | null = null;
    const row: TableRow = {
      key: r.key,
      marked: r.marked,
      get cells() {
        if (cells) return cells;
        cells = instanceCells(r, now, selectSnapshotCount(state, r.key));
        if (history) cells.history = cpuSparkline(history.series(r.key), HISTORY_CELLS, state.samples[r.key]?.last.at ?? Infinity);
        return cells;
      },
      colors: { status: statusColor(r.instance.status) },
    };
    made.set(r, { now, counts, points, row });
    return row;
  };
})();

/** The instances pane; `history` draws the CPU history column when the UI shows it (H). */
export function instancesModel(state: State, width: number, height: number, now: number, history?: HistoryReader): PaneModel {
  const filter = state.ui.panes.instances.filter;
  const all = selectInstanceRows(state);
  const shown = state.ui.historyColumn ? (history ?? null) : null;
  const source: RowSource = { keys: selectRowKeys(state, 'instances'), row: (i) => instanceTableRow(all[i], now, state, shown) };
  const loading = state.connection.lastSyncAt === null && state.connection.rest !== 'down';
  const empty = filter ? `no instance matches "${filter}"` : loading ? 'loading…' : 'no instances';
  const specs = instanceColumns(state.server?.clustered ?? false, state.allProjects, Boolean(state.fleet), Boolean(state.ui.historyColumn));
  return model(state, 'instances', specs, source, width, height, empty, instanceNatural(all, specs));
}

export function imagesModel(state: State, width: number, height: number): PaneModel {
  const filter = state.ui.panes.images.filter;
  const rows = selectImageRows(state).map((r) => ({ key: r.key, marked: r.marked, cells: imageCells(r) }));
  const natural = naturalWidths(IMAGE_COLUMNS, rows.map((r) => r.cells));
  return model(state, 'images', IMAGE_COLUMNS, fromRows(rows), width, height, filter ? `no image matches "${filter}"` : 'no images', natural);
}

export function operationsModel(state: State, width: number, height: number, now: number, spinner = true): PaneModel {
  const filter = state.ui.panes.operations.filter;
  const rows = selectOperationRows(state).map((r) => {
    const cells = operationCells(r, now);
    const running = isOperationRunning(r);
    return {
      key: r.key,
      cells,
      colors: { status: statusColor(r.tracked.operation.status), error: 'red' },
      running,
    };
  });
  const natural = naturalWidths(OPERATION_COLUMNS, rows.map((r) => r.cells));
  const m = model(state, 'operations', OPERATION_COLUMNS, fromRows(rows), width, height, filter ? `no operation matches "${filter}"` : 'no operations', natural);
  if (spinner) {
    const statusWidth = m.columns.find((c) => c.spec.id === 'status')?.width ?? 0;
    for (const row of m.rows as (TableRow & { running?: boolean })[]) {
      if (row.running && statusWidth >= 3) {
        row.nodes = {
          status: (
            <>
              <Spinner type="dots" /> {fit(row.cells.status, statusWidth - 2)}
            </>
          ),
        };
      }
    }
  }
  return m;
}

export function sessionsModel(state: State, width: number, height: number, now: number): PaneModel {
  const filter = state.ui.panes.sessions.filter;
  const rows = selectSessionRows(state).map((s) => ({ key: s.key, cells: sessionCells(s, now), colors: { state: sessionColor(s) } }));
  const natural = naturalWidths(SESSION_COLUMNS, rows.map((r) => r.cells));
  const empty = filter ? `no session matches "${filter}"` : `no sessions: ${shownKey('exec')} or ${shownKey('exec-command')} on an instance starts one`;
  return model(state, 'sessions', SESSION_COLUMNS, fromRows(rows), width, height, empty, natural);
}

export function PaneView({ model: m, focused = true }: { model: PaneModel; focused?: boolean }): React.JSX.Element {
  return (
    <Table
      columns={m.columns}
      header={m.header}
      rows={m.rows}
      selectedKey={m.selectedKey}
      height={m.height}
      width={m.width}
      emptyText={m.emptyText}
      focused={focused}
    />
  );
}

const PANE_TITLES: Record<PaneId, string> = { instances: 'Instances', images: 'Images', operations: 'Operations', sessions: 'Sessions' };

/** The tab line, the panes in their order (PANES; each with its key from the registry): `[1 Instances 12]  2 Images 3  3 Operations 1⟳`. */
export function Tabs({
  state,
  counts,
  width,
}: {
  state: State;
  counts: Record<PaneId, number>;
  width: number;
}): React.JSX.Element {
  const theme = useTheme();
  const tabs = PANES.map((id) => ({ id, label: `${shownKey(`pane-${id}`)} ${PANE_TITLES[id]} ${counts[id]}` }));
  const p = state.ui.panes[state.ui.focus];
  const extras: string[] = [];
  extras.push(`sort ${p.sort.column}${p.sort.direction === 'asc' ? '↑' : '↓'}`);
  if (p.filter) extras.push(`filter /${p.filter}`);
  if (p.marked.length) extras.push(`${p.marked.length} marked`);
  const right = extras.join('  ');
  const used = tabs.reduce((n, t) => n + t.label.length + 3, 0);
  return (
    <Text wrap="truncate">
      {tabs.map((t) => {
        const on = t.id === state.ui.focus;
        return (
          <Text key={t.id} bold={on} inverse={on} color={tint(theme, on ? undefined : 'gray')}>
            {on ? `[${t.label}]` : ` ${t.label} `}
            {' '}
          </Text>
        );
      })}
      <Text>{' '.repeat(Math.max(1, width - used - right.length))}</Text>
      <Text color={tint(theme, p.filter ? 'yellow' : undefined)}>{right}</Text>
    </Text>
  );
}
