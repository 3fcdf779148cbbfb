// Pure drawing of the history (src/store/history.ts) with the terminal's own characters: the
// table's sparkline (one block element per sample) and the detail view's graphs (block elements in
// eighths of a line, a time axis, the scale written out). No colour: the height is the meaning, so
// it reads the same under NO_COLOR.
import type { HistoryMetric, HistorySeries } from '../store/index.js';
import { formatBytes, formatPercent, formatRate } from './format.js';

/** One eighth of a cell to eight eighths. */
export const BLOCKS = '▁▂▃▄▅▆▇█';

/** One character per value, newest last: ▁ for 0 up to █ for `max` (and above); a space where unknown. */
export function sparkline(values: readonly number[], max: number): string {
  let out = '';
  for (const v of values) {
    if (!Number.isFinite(v)) out += ' ';
    else out += BLOCKS[max > 0 ? Math.min(7, Math.max(0, Math.round((v / max) * 7))) : 0];
  }
  return out;
}

/** The last `count` values of `metric` up to time `until`, oldest first. */
export function lastValues(series: HistorySeries | undefined, metric: HistoryMetric, count: number, until = Infinity): number[] {
  if (!series) return [];
  let end = series.length;
  while (end > 0 && series.at(end - 1) > until) end--;
  const out: number[] = [];
  for (let i = Math.max(0, end - count); i < end; i++) out.push(series.value(metric, i));
  return out;
}

/**
 * The table's CPU history cell: the last `count` samples up to `until` (the sample the row's
 * figures come from, so a state draws the same cell whenever it is drawn), on a scale of one core
 * (or more when above).
 */
export function cpuSparkline(series: HistorySeries | undefined, count: number, until = Infinity): string {
  const values = lastValues(series, 'cpu', count, until);
  if (!values.some(Number.isFinite)) return '-';
  return sparkline(values, Math.max(100, ...values.filter(Number.isFinite)));
}

/**
 * Each column's value over [from, to]: the largest sample whose time falls in the column's slot
 * (`columns` equal slots, the last one closed), NaN where there is none.
 */
export function graphPoints(series: HistorySeries | undefined, metric: HistoryMetric, from: number, to: number, columns: number): number[] {
  const out = new Array<number>(Math.max(0, columns)).fill(Number.NaN);
  if (!series || columns <= 0 || to <= from) return out;
  for (let i = 0; i < series.length; i++) {
    const at = series.at(i);
    if (at < from || at > to) continue;
    const v = series.value(metric, i);
    if (!Number.isFinite(v)) continue;
    const c = Math.min(columns - 1, Math.floor(((at - from) / (to - from)) * columns));
    if (!(out[c] >= v)) out[c] = v;
  }
  return out;
}

/**
 * Points as `height` lines of block elements, top line first: a column is filled to v/max of the
 * height in eighths; a known value draws at least ▁ (0 is not "no data"), an unknown one nothing.
 */
export function graphRows(points: readonly number[], max: number, height: number): string[] {
  const eighths = points.map((v) => {
    if (!Number.isFinite(v)) return 0;
    const e = max > 0 ? Math.round((Math.min(v, max) / max) * height * 8) : 0;
    return Math.max(1, e);
  });
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    let line = '';
    for (const e of eighths) {
      const fill = e - r * 8;
      line += fill >= 8 ? '█' : fill <= 0 ? ' ' : BLOCKS[fill - 1];
    }
    rows.push(line);
  }
  return rows;
}

/** `30s`, `5m`, `2m30s`. */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
}

/** The time axes the graphs use: the shortest that holds the oldest point, at most the window. */
export const SPANS_MS = [60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000];

export function graphSpan(series: HistorySeries | undefined, to: number): number {
  const age = series && series.length ? to - series.at(0) : 0;
  return SPANS_MS.find((s) => s >= age) ?? SPANS_MS[SPANS_MS.length - 1];
}

/** `└-5m────-2m30s────now`: `columns` wide after the corner, the middle label when there is room. */
export function timeAxis(spanMs: number, columns: number): string {
  const left = `-${formatSpan(spanMs)}`;
  const right = 'now';
  const line = Array.from('─'.repeat(Math.max(0, columns)));
  const put = (text: string, at: number) => {
    for (let i = 0; i < text.length && at + i < line.length; i++) if (at + i >= 0) line[at + i] = text[i];
  };
  if (columns >= left.length + right.length + 1) put(left, 0);
  const mid = `-${formatSpan(spanMs / 2)}`;
  if (columns >= left.length + mid.length + right.length + 6) put(mid, Math.floor(columns / 2 - mid.length / 2));
  put(right, columns - right.length);
  return `└${line.join('')}`;
}

export interface GraphSpec {
  metric: HistoryMetric;
  title: string;
  format(v: number): string;
  /** The scale is at least this (CPU: one core). */
  floor?: number;
}

/** One graph: a title with the scale and the last value, `height` lines of columns, the time axis. */
export function graphLines(
  spec: GraphSpec,
  series: HistorySeries | undefined,
  to: number,
  spanMs: number,
  width: number,
  height: number,
  indent = '  ',
): string[] {
  const columns = Math.max(1, width - indent.length - 1);
  const points = graphPoints(series, spec.metric, to - spanMs, to, columns);
  const known = points.filter(Number.isFinite);
  const max = Math.max(spec.floor ?? 0, ...known);
  const last = series && series.length ? series.value(spec.metric, series.length - 1) : Number.NaN;
  const title = `${indent}${spec.title}  max ${spec.format(max)}  now ${Number.isFinite(last) ? spec.format(last) : '-'}`;
  return [title, ...graphRows(points, max, height).map((r) => `${indent}│${r}`), `${indent}${timeAxis(spanMs, columns)}`];
}

export const GRAPHS: readonly GraphSpec[] = [
  { metric: 'cpu', title: 'CPU %', format: formatPercent, floor: 100 },
  { metric: 'memory', title: 'Memory', format: formatBytes },
  { metric: 'rx', title: 'RX', format: formatRate },
  { metric: 'tx', title: 'TX', format: formatRate },
];

/** Lines of each graph's column. */
export const GRAPH_HEIGHT = 3;

/**
 * The detail view's History section: the four graphs on one time axis ending at `now` (or at the
 * newest point, when the clock is behind it), `width` columns wide.
 */
export function historyLines(series: HistorySeries | undefined, now: number, width: number): string[] {
  if (!series || series.length === 0) return ['History', '  (no samples yet: figures are sampled while the instance runs)', ''];
  const to = Math.max(now, series.at(series.length - 1));
  const span = graphSpan(series, to);
  const out = [`History (the last ${formatSpan(span)}, ${series.length} samples)`];
  for (const spec of GRAPHS) out.push(...graphLines(spec, series, to, span, width, GRAPH_HEIGHT));
  out.push('');
  return out;
}
