// The host meters under the header (like htop's): one line per cluster member (one for a
// standalone server) with memory, load average, storage pools and CPU count as the server reports
// them (store/host-meters.ts). What a server does not report is left out, never guessed: no
// daemon reports the host's CPU use, so there is no CPU bar. A member the cluster calls offline
// says so. Meters are the first thing to go when the terminal is small.
import React from 'react';
import { Box, Text } from 'ink';
import type { HostMeter, State } from '../store/index.js';
import { fit, formatBytes, width as textWidth } from './format.js';
import { tint, useTheme } from './theme.js';

/** Lines the body keeps at least before any meter is drawn. */
const MIN_BODY = 10;
const MIN_COLS = 50;
/** Above this many, the last line says how many more (the members view lists them all). */
const MAX_LINES = 8;

/** How many lines the meters take at this size (0: none shown, nothing read). */
export function meterLines(meters: readonly HostMeter[] | null, cols: number, rows: number): number {
  if (!meters || meters.length === 0 || cols < MIN_COLS) return 0;
  const room = Math.min(MAX_LINES, rows - 1 - 5 - MIN_BODY);
  return Math.max(0, Math.min(meters.length, room));
}

/** Whether a terminal of this size shows meters at all (a standalone server's one line). */
export function metersFit(cols: number, rows: number): boolean {
  return cols >= MIN_COLS && rows - 1 - 5 - MIN_BODY >= 1;
}

function bar(label: string, fraction: number, tail: string, barWidth: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  if (barWidth <= 0) return `${label.trimEnd()} ${tail}`;
  const n = Math.round(f * barWidth);
  return `${label}[${'|'.repeat(n)}${' '.repeat(barWidth - n)}] ${tail}`;
}

const pct = (used: number, total: number) => `${Math.round((used / total) * 100)}%`;

/** The parts of one meter after its name, most important first (the line drops the tail). */
export function meterParts(m: HostMeter, barWidth: number): string[] {
  if (m.status === 'offline') return [`offline (${m.detail || 'Offline'})`];
  if (m.status === 'error') return [`unreachable: ${m.detail}`];
  const f = m.figures;
  if (!f) return ['…'];
  const parts: string[] = [];
  if (f.memUsed !== null && f.memTotal !== null) {
    parts.push(bar(f.memWithCache ? 'mem+cache ' : 'mem ', f.memUsed / f.memTotal, `${formatBytes(f.memUsed)}/${formatBytes(f.memTotal)}`, barWidth));
  }
  if (f.load) parts.push(`load ${f.load.map((l) => l.toFixed(2)).join(' ')}`);
  for (const p of f.pools) parts.push(bar(`pool ${p.name} `, p.used / p.total, pct(p.used, p.total), Math.min(barWidth, 6)));
  if (f.cpus !== null) parts.push(`${f.cpus} CPU${f.cpus === 1 ? '' : 's'}`);
  if (f.processes !== null) parts.push(`${f.processes} procs`);
  return parts.length ? parts : ['no figures from this server'];
}

/** One meter line at `width`: the name padded to `nameWidth`, then as many parts as fit. */
export function meterText(m: HostMeter, width: number, nameWidth: number): string {
  const barWidth = width >= 110 ? 12 : width >= 80 ? 8 : 0;
  const name = fit(m.name || 'host', nameWidth);
  let out = name;
  for (const part of meterParts(m, barWidth)) {
    const next = `${out}  ${part}`;
    if (textWidth(next) > width) break;
    out = next;
  }
  return fit(out, width);
}

/** The header's warnings count: `3 warnings (2 new)`; '' where there are none or no source. */
export function warningsLabel(state: Pick<State, 'warnings'>): string {
  const w = state.warnings;
  if (!w || w.length === 0) return '';
  const fresh = w.filter((x) => x.status === 'new').length;
  return `${w.length} warning${w.length === 1 ? '' : 's'}${fresh ? ` (${fresh} new)` : ''}`;
}

/** Everything the meters draw, for the App's frame key. */
export function metersKey(state: Pick<State, 'meters' | 'warnings'>): string {
  return `${JSON.stringify(state.meters)}${warningsLabel(state)}`;
}

export function Meters({ meters, cols, lines }: { meters: readonly HostMeter[]; cols: number; lines: number }): React.JSX.Element | null {
  const theme = useTheme();
  if (lines <= 0) return null;
  const more = meters.length > lines ? meters.length - (lines - 1) : 0;
  const shown = more ? meters.slice(0, lines - 1) : meters.slice(0, lines);
  const nameWidth = Math.min(16, Math.max(4, ...shown.map((m) => textWidth(m.name || 'host'))));
  return (
    <Box flexDirection="column" width={cols}>
      {shown.map((m) => (
        <Text key={m.name} wrap="truncate" color={tint(theme, m.status === 'offline' ? 'red' : m.status === 'error' ? 'yellow' : undefined)}>
          {meterText(m, cols, nameWidth)}
        </Text>
      ))}
      {more ? (
        <Text dimColor wrap="truncate">
          {fit(`+${more} more members (4 lists them)`, cols)}
        </Text>
      ) : null}
    </Box>
  );
}
