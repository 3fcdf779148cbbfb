// The warnings view (W): the server's `/1.0/warnings`, new ones first, then by when last seen;
// the selected one in inverse video with a `>`. `a` acknowledges (or sets back to new), `d`
// deletes after asking (both refused and hidden in read-only mode: src/app/warnings-flow.ts).
import React from 'react';
import { Box, Text } from 'ink';
import type { Warning } from '../lxd/host.js';
import { formatLine, headerCells, layoutColumns, naturalWidths, type ColumnSpec } from './columns.js';
import { fit, formatDate } from './format.js';

export interface WarningsDialog {
  kind: 'warnings';
  /** The selected row, counted in `shownWarnings`. */
  selected: number;
  scroll: number;
}

declare module '../store/state.js' {
  interface DialogKinds {
    warnings: WarningsDialog;
  }
}

const RANK: Record<string, number> = { new: 0, acknowledged: 1, resolved: 2 };

let memo: { list: readonly Warning[]; rows: readonly Warning[] } | null = null;

/** The rows in the view's order: new, acknowledged, resolved; within each the last seen first. */
export function shownWarnings(list: readonly Warning[] | null): readonly Warning[] {
  if (!list) return [];
  if (memo?.list === list) return memo.rows;
  const rows = [...list].sort((a, b) => (RANK[a.status] ?? 3) - (RANK[b.status] ?? 3) || b.lastSeen.localeCompare(a.lastSeen) || a.uuid.localeCompare(b.uuid));
  memo = { list, rows };
  return rows;
}

export const WARNING_COLUMNS: readonly ColumnSpec[] = [
  { id: 'status', title: 'STATUS', min: 6, max: 12, priority: 0 },
  { id: 'severity', title: 'SEVERITY', min: 8, max: 8, priority: 3 },
  { id: 'count', title: 'COUNT', min: 5, max: 6, priority: 4, align: 'right' },
  { id: 'location', title: 'MEMBER', min: 6, max: 12, priority: 5 },
  { id: 'project', title: 'PROJECT', min: 7, max: 12, priority: 6 },
  { id: 'type', title: 'TYPE', min: 10, max: 40, priority: 1 },
  { id: 'message', title: 'MESSAGE', min: 10, max: 60, priority: 2, greedy: true },
  { id: 'last', title: 'LAST SEEN', min: 16, max: 16, priority: 7 },
];

export function warningCells(w: Warning): Record<string, string> {
  return {
    status: w.status,
    severity: w.severity || '-',
    count: String(w.count),
    location: w.location || '-',
    project: w.project || '-',
    type: w.type || '-',
    message: w.message || '-',
    last: formatDate(w.lastSeen),
  };
}

/** The header and the rows' lines at `width` (the member column only on a cluster). */
export function warningLines(rows: readonly Warning[], width: number): { header: string; lines: string[] } {
  const specs = rows.some((w) => w.location !== '') ? WARNING_COLUMNS : WARNING_COLUMNS.filter((c) => c.id !== 'location');
  const cells = rows.map(warningCells);
  const columns = layoutColumns(specs, Math.max(1, width), naturalWidths(specs, cells));
  return { header: formatLine(columns, headerCells(columns, null)), lines: cells.map((c) => formatLine(columns, c)) };
}

export function WarningsView({ dialog, warnings, width, height }: { dialog: WarningsDialog; warnings: readonly Warning[] | null; width: number; height: number }): React.JSX.Element {
  const rows = shownWarnings(warnings);
  const page = Math.max(1, height - 2);
  const shown = rows.slice(dialog.scroll, dialog.scroll + page);
  const fresh = rows.filter((w) => w.status === 'new').length;
  const title = warnings === null ? 'Warnings (loading…)' : `Warnings ${rows.length}, ${fresh} new`;
  const { header, lines } = warningLines(shown, width - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {fit(title, width)}
      </Text>
      <Text bold wrap="truncate">{` ${header}`}</Text>
      {shown.length === 0 ? (
        <Text wrap="truncate">{fit(warnings === null ? ' loading…' : ' no warnings', width)}</Text>
      ) : (
        shown.map((w, i) => {
          const selected = dialog.scroll + i === dialog.selected;
          return (
            <Text key={w.uuid} inverse={selected} wrap="truncate" dimColor={!selected && w.status !== 'new'}>
              {`${selected ? '>' : ' '}${lines[i]}`}
            </Text>
          );
        })
      )}
    </Box>
  );
}
