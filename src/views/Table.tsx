// A table of one-line rows: a header, a window of rows around the selection, a `>` cursor and `*`
// marks in a two-column gutter, inverse video on the selected row. Presentational only.
import React from 'react';
import { Box, Text } from 'ink';
import { GAP, formatLine, type LaidColumn } from './columns.js';
import { fit } from './format.js';
import { useTheme } from './theme.js';

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
  /** The rows on screen (see `windowStart`). */
  rows: readonly TableRow[];
  selectedKey: string | null;
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

interface Segment {
  text: string;
  color?: string;
  node?: React.ReactNode;
}

/** A row as few text runs as possible: uncoloured cells merged, one run per colour change. */
export function rowSegments(row: TableRow, columns: readonly LaidColumn[], width: number, color: boolean): Segment[] {
  const segments: Segment[] = [];
  let used = GUTTER;
  columns.forEach((c, i) => {
    const sep = i > 0 ? ' '.repeat(GAP) : '';
    const text = fit(row.cells[c.spec.id] ?? '', c.width, c.spec.align);
    used += c.width + sep.length;
    const node = row.nodes?.[c.spec.id];
    const tinted = color ? row.colors?.[c.spec.id] : undefined;
    const last = segments[segments.length - 1];
    if (node !== undefined) {
      if (sep) segments.push({ text: sep });
      segments.push({ text: '', node, color: tinted });
    } else if (last && last.node === undefined && last.color === tinted) {
      last.text += sep + text;
    } else if (tinted) {
      if (sep) {
        if (last && last.node === undefined && last.color === undefined) last.text += sep;
        else segments.push({ text: sep });
      }
      segments.push({ text, color: tinted });
    } else segments.push({ text: sep + text });
  });
  if (used < width) {
    const last = segments[segments.length - 1];
    const pad = ' '.repeat(width - used);
    if (last && last.node === undefined && last.color === undefined) last.text += pad;
    else segments.push({ text: pad });
  }
  return segments;
}

interface RowLineProps {
  gutter: string;
  segments: Segment[];
  /** Identity of the content: equal signatures render the same. */
  signature: string;
  inverse: boolean;
  marked: boolean;
  color: boolean;
}

/** One table line; skipped by React when its content did not change. */
const RowLine = React.memo(
  function RowLine({ gutter, segments, inverse, marked, color }: RowLineProps): React.JSX.Element {
    return (
      <Text inverse={inverse} bold={marked} wrap="truncate">
        {color && marked ? <Text color="yellow">{gutter}</Text> : gutter}
        {segments.map((seg, i) =>
          seg.node !== undefined || seg.color !== undefined ? (
            <Text key={i} color={seg.color}>
              {seg.node ?? seg.text}
            </Text>
          ) : (
            seg.text
          ),
        )}
      </Text>
    );
  },
  (a, b) =>
    a.signature === b.signature &&
    a.gutter === b.gutter &&
    a.inverse === b.inverse &&
    a.marked === b.marked &&
    a.color === b.color &&
    !a.segments.some((s) => s.node !== undefined),
);

/** A row's segments and their signature, for the columns, width and colour they were made for. */
const laidRows = new WeakMap<TableRow, { layout: string; segments: Segment[]; signature: string }>();

/** What a row's segments depend on besides the row: the columns, their widths, the width, colour. */
function layoutKey(columns: readonly LaidColumn[], width: number, color: boolean): string {
  return `${width}\u0000${color}\u0000${columns.map((c) => `${c.spec.id}:${c.width}:${c.spec.align ?? ''}`).join(',')}`;
}

function laidRow(row: TableRow, columns: readonly LaidColumn[], width: number, color: boolean, layout: string): { segments: Segment[]; signature: string } {
  const known = laidRows.get(row);
  if (known && known.layout === layout) return known;
  const segments = rowSegments(row, columns, width, color);
  const laid = { layout, segments, signature: segments.map((s) => `${s.color ?? ''}\u0000${s.text}`).join('\u0001') };
  // Rows with nodes (a spinner) are drawn afresh every time.
  if (!segments.some((seg) => seg.node !== undefined)) laidRows.set(row, laid);
  return laid;
}

export function Table(props: TableProps): React.JSX.Element {
  const theme = useTheme();
  const { columns, rows, height, width } = props;
  const visible = rows.slice(0, Math.max(0, height));
  const headerLine = fit(' '.repeat(GUTTER) + formatLine(columns, props.header), width);
  const layout = layoutKey(columns, width, theme.color);
  const lines = visible.map((row, i) => {
    const selected = row.key === props.selectedKey;
    const { segments, signature } = laidRow(row, columns, width, theme.color, layout);
    return (
      <RowLine
        key={i}
        gutter={`${selected ? '>' : ' '}${row.marked ? '*' : ' '}`}
        segments={segments}
        signature={signature}
        inverse={selected && props.focused !== false}
        marked={row.marked === true}
        color={theme.color}
      />
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
