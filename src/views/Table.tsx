// A table of one-line rows: a header, a window of rows around the selection, a `>` cursor and `*`
// marks in a two-column gutter, inverse video on the selected row. Presentational only.
import React from 'react';
import { Box, Text } from 'ink';
import { GAP, formatLine, type LaidColumn } from './columns.js';
import { fit } from './format.js';
import { tint, useTheme } from './theme.js';

export interface TableRow {
  key: string;
  cells: Record<string, string>;
  marked?: boolean;
  /** Colour per column id (ignored under NO_COLOR). */
  colors?: Record<string, string | undefined>;
  /** Replaces a cell's text with a node of the same width (e.g. a spinner + status). */
  nodes?: Record<string, React.ReactNode>;
}

export interface TableProps {
  columns: readonly LaidColumn[];
  header: Record<string, string>;
  rows: readonly TableRow[];
  selectedKey: string | null;
  /** First row shown (already clamped with `windowStart`). */
  start: number;
  /** Lines for rows (header not included). */
  height: number;
  width: number;
  emptyText: string;
  focused?: boolean;
}

export const GUTTER = 2;

/** The first row to show so that the selected row is visible. */
export function windowStart(scroll: number, selectedIndex: number, height: number, total: number): number {
  if (height <= 0 || total <= 0) return 0;
  let start = Math.min(Math.max(0, scroll), Math.max(0, total - height));
  if (selectedIndex >= 0) {
    if (selectedIndex < start) start = selectedIndex;
    else if (selectedIndex >= start + height) start = selectedIndex - height + 1;
  }
  return start;
}

export function Table(props: TableProps): React.JSX.Element {
  const theme = useTheme();
  const { columns, rows, height, width } = props;
  const visible = rows.slice(props.start, props.start + Math.max(0, height));
  const headerLine = fit(' '.repeat(GUTTER) + formatLine(columns, props.header), width);
  const lines: React.ReactNode[] = visible.map((row) => {
    const selected = row.key === props.selectedKey;
    const gutter = `${selected ? '>' : ' '}${row.marked ? '*' : ' '}`;
    const parts: React.ReactNode[] = [];
    columns.forEach((c, i) => {
      const sep = i > 0 ? ' '.repeat(GAP) : '';
      const node = row.nodes?.[c.spec.id];
      const text = fit(row.cells[c.spec.id] ?? '', c.width, c.spec.align);
      parts.push(
        <Text key={c.spec.id} color={tint(theme, row.colors?.[c.spec.id])}>
          {sep}
          {node ?? text}
        </Text>,
      );
    });
    const used = GUTTER + columns.reduce((n, c, i) => n + c.width + (i > 0 ? GAP : 0), 0);
    return (
      <Text key={row.key} inverse={selected && props.focused !== false} bold={row.marked} wrap="truncate">
        <Text color={tint(theme, row.marked ? 'yellow' : undefined)}>{gutter}</Text>
        {parts}
        {used < width ? ' '.repeat(width - used) : ''}
      </Text>
    );
  });
  const filler = Math.max(0, height - lines.length);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold wrap="truncate">
        {headerLine}
      </Text>
      {rows.length === 0 ? <Text dimColor>{fit(`  ${props.emptyText}`, width)}</Text> : lines}
      {filler > 0 && rows.length > 0 ? <Box height={filler} /> : null}
    </Box>
  );
}
