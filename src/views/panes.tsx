// The three panes. Each is a pure "model" (state + size → table) and a thin component rendering it;
// the models are what the app also uses to know which instance rows are on screen.
import React from 'react';
import Spinner from 'ink-spinner';
import { Text } from 'ink';
import {
  selectImageRows,
  selectInstanceRows,
  selectOperationRows,
  selectSelectedKey,
  selectSnapshotCount,
  type PaneId,
  type State,
} from '../store/index.js';
import { headerCells, layoutColumns, naturalWidths, type ColumnSpec, type LaidColumn } from './columns.js';
import {
  IMAGE_COLUMNS,
  OPERATION_COLUMNS,
  imageCells,
  instanceCells,
  instanceColumns,
  isOperationRunning,
  operationCells,
} from './cells.js';
import { fit } from './format.js';
import { GUTTER, Table, windowStart, type TableRow } from './Table.js';
import { statusColor, tint, useTheme } from './theme.js';

export interface PaneModel {
  pane: PaneId;
  columns: LaidColumn[];
  header: Record<string, string>;
  rows: TableRow[];
  selectedKey: string | null;
  start: number;
  height: number;
  width: number;
  /** Keys of the rows on screen. */
  visibleKeys: string[];
  emptyText: string;
}

function model(
  state: State,
  pane: PaneId,
  specs: readonly ColumnSpec[],
  rows: TableRow[],
  width: number,
  height: number,
  emptyText: string,
): PaneModel {
  const p = state.ui.panes[pane];
  const columns = layoutColumns(specs, Math.max(1, width - GUTTER), naturalWidths(specs, rows.map((r) => r.cells)));
  const selectedKey = selectSelectedKey(state, pane);
  const index = selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey);
  const start = windowStart(p.scroll, index, height, rows.length);
  return {
    pane,
    columns,
    header: headerCells(columns, p.sort as { column: string; direction: 'asc' | 'desc' }),
    rows,
    selectedKey,
    start,
    height,
    width,
    visibleKeys: rows.slice(start, start + height).map((r) => r.key),
    emptyText,
  };
}

export function instancesModel(state: State, width: number, height: number, now: number): PaneModel {
  const filter = state.ui.panes.instances.filter;
  const rows = selectInstanceRows(state).map((r) => ({
    key: r.key,
    marked: r.marked,
    cells: instanceCells(r, now, selectSnapshotCount(state, r.key)),
    colors: { status: statusColor(r.instance.status) },
  }));
  const loading = state.connection.lastSyncAt === null && state.connection.rest !== 'down';
  const empty = filter ? `no instance matches "${filter}"` : loading ? 'loading…' : 'no instances';
  return model(state, 'instances', instanceColumns(state.server?.clustered ?? false), rows, width, height, empty);
}

export function imagesModel(state: State, width: number, height: number): PaneModel {
  const filter = state.ui.panes.images.filter;
  const rows = selectImageRows(state).map((r) => ({ key: r.key, marked: r.marked, cells: imageCells(r) }));
  return model(state, 'images', IMAGE_COLUMNS, rows, width, height, filter ? `no image matches "${filter}"` : 'no images');
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
  const m = model(state, 'operations', OPERATION_COLUMNS, rows, width, height, filter ? `no operation matches "${filter}"` : 'no operations');
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

export function PaneView({ model: m, focused = true }: { model: PaneModel; focused?: boolean }): React.JSX.Element {
  return (
    <Table
      columns={m.columns}
      header={m.header}
      rows={m.rows}
      selectedKey={m.selectedKey}
      start={m.start}
      height={m.height}
      width={m.width}
      emptyText={m.emptyText}
      focused={focused}
    />
  );
}

/** The tab line: `[1 Instances 12]  2 Images 3  3 Operations 1⟳`. */
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
  const tabs: { id: PaneId; label: string }[] = [
    { id: 'instances', label: `1 Instances ${counts.instances}` },
    { id: 'images', label: `2 Images ${counts.images}` },
    { id: 'operations', label: `3 Operations ${counts.operations}` },
  ];
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
