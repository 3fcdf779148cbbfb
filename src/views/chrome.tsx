// The frame around the panes: header, connection-lost banner, status line, hint bar, and the
// "terminal too small" notice. Small presentational components over plain props.
import React from 'react';
import { Box, Text } from 'ink';
import type { FleetRemote, StatusCounts, State } from '../store/index.js';
import { shownKey, type Hint } from '../keys/registry.js';
import { countParts, countsText } from './counts.js';
import { fit, formatClock, width as textWidth } from './format.js';
import { statusColor, tint, useTheme } from './theme.js';
import { warningsLabel } from './meters.js';

export function serverLabel(state: State): string {
  const s = state.server;
  if (!s) return state.connection.rest === 'down' ? 'not connected' : 'connecting…';
  const kind = s.kind === 'incus' ? 'Incus' : 'LXD';
  return `${kind} ${s.version}${s.clustered ? ` (cluster: ${s.serverName})` : ''}`;
}

export function connectionLabel(state: State): string {
  const c = state.connection;
  if (c.rest === 'down') return 'disconnected';
  if (c.rest === 'connecting') return 'connecting';
  if (c.events === 'connected') return 'live';
  if (c.eventsLost || c.events === 'disconnected') return 'events down';
  return 'events connecting';
}

export { countParts, countsText } from './counts.js';

/** One remote of the fleet view in the header: its server and its own connection state. */
export function fleetRemoteLabel(r: FleetRemote): { text: string; color: string } {
  const server = r.server ? ` ${r.server.kind === 'incus' ? 'Incus' : 'LXD'} ${r.server.version}` : '';
  const c = r.connection;
  if (c.rest === 'down' || (c.rest === 'connecting' && r.error)) return { text: `${r.name} offline`, color: 'red' };
  if (c.rest === 'connecting') return { text: `${r.name} connecting…`, color: 'yellow' };
  if (c.events !== 'connected') return { text: `${r.name}${server} events down`, color: 'yellow' };
  return { text: `${r.name}${server} live`, color: 'green' };
}

function fleetConnection(fleet: readonly FleetRemote[]): string {
  const up = fleet.filter((r) => r.connection.rest === 'ok').length;
  return up === fleet.length ? 'live' : `${up}/${fleet.length} remotes up`;
}

/** `2s`, `500ms`, `64s`, `4m16s`. */
export function formatPeriod(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 100) / 10;
  if (s < 120) return `${s}s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${whole % 60 ? `${whole % 60}s` : ''}`;
}

/**
 * How fresh the figures are: `figures 14:02:31 every 64s (selected 2s)`. The time is when the
 * oldest figures on screen were measured (at the earliest), so it stays true without a redraw
 * every second; `events only` with a zero daemon budget; '' before the controller said anything.
 */
export function samplingText(state: State): string {
  const s = state.sampling;
  if (!s) return '';
  if (!(s.budget > 0)) return 'events only';
  const parts: string[] = [];
  parts.push(`figures ${s.figuresAt === null ? '-' : formatClock(s.figuresAt)}`);
  if (s.refreshMs !== null) parts.push(`every ${formatPeriod(s.refreshMs)}`);
  if (s.selectedMs !== null && s.refreshMs !== null && s.selectedMs !== s.refreshMs) parts.push(`(selected ${formatPeriod(s.selectedMs)})`);
  return parts.join(' ');
}

export interface HeaderProps {
  state: State;
  counts: StatusCounts;
  remote: string;
  width: number;
}

export function Header({ state, counts, remote, width }: HeaderProps): React.JSX.Element {
  const theme = useTheme();
  const project = state.allProjects ? 'all projects' : state.server?.project ?? '';
  const conn = state.fleet ? fleetConnection(state.fleet) : connectionLabel(state);
  const connColor = conn === 'live' ? 'green' : conn === 'disconnected' ? 'red' : 'yellow';
  const left = `lxtop  ${serverLabel(state)}  ${remote}${project ? (state.allProjects ? `  ${project}` : `  project ${project}`) : ''}`;
  const ro = state.readOnly ? '  READ-ONLY' : '';
  const warn = warningsLabel(state) ? `  ${warningsLabel(state)}` : '';
  const line2Left = countsText(counts);
  // The figures' time before the connection; the last event's only where it fits.
  const figures = state.fleet ? '' : samplingText(state);
  const head = figures ? `${figures}  ` : '';
  const fullEvent = `  last event ${formatClock(state.connection.lastEventAt)}`;
  const fits = (right: string) => textWidth(line2Left) + 2 + textWidth(right) <= width;
  const lastEvent = !figures || fits(`${head}${conn}${fullEvent}`) ? fullEvent : '';
  const line2Right = `${head}${conn}${lastEvent}`;
  const pad2 = Math.max(2, width - textWidth(line2Left) - textWidth(line2Right));
  const parts = countParts(counts);
  return (
    <Box flexDirection="column" width={width}>
      {state.fleet ? (
        <FleetLine fleet={state.fleet} width={width} ro={ro} />
      ) : (
        <Text wrap="truncate">
          <Text bold>{fit(left, Math.max(0, width - ro.length - textWidth(warn)))}</Text>
          <Text color={tint(theme, 'yellow')}>{warn}</Text>
          <Text color={tint(theme, 'yellow')} bold>
            {ro}
          </Text>
        </Text>
      )}
      <Text wrap="truncate">
        <Text>{`${counts.total} instance${counts.total === 1 ? '' : 's'}${parts.length ? ': ' : ''}`}</Text>
        {parts.map(([status, n], i) => (
          <Text key={status} color={tint(theme, statusColor(status))}>
            {i > 0 ? ', ' : ''}
            {`${n} ${status}`}
          </Text>
        ))}
        <Text>{' '.repeat(pad2)}</Text>
        {head ? <Text dimColor>{head}</Text> : null}
        <Text color={tint(theme, connColor)}>{conn}</Text>
        <Text dimColor>{lastEvent}</Text>
      </Text>
    </Box>
  );
}

/** The fleet view's first header line: every remote with its own state, offline ones in red. */
function FleetLine({ fleet, width, ro }: { fleet: readonly FleetRemote[]; width: number; ro: string }): React.JSX.Element {
  const theme = useTheme();
  const labels = fleet.map(fleetRemoteLabel);
  const used = textWidth('lxtop  fleet') + labels.reduce((n, l) => n + 2 + textWidth(l.text), 0) + ro.length;
  return (
    <Text wrap="truncate">
      <Text bold>lxtop  fleet</Text>
      {labels.map((l, i) => (
        <Text key={fleet[i].name} color={tint(theme, l.color)}>{`  ${l.text}`}</Text>
      ))}
      <Text>{' '.repeat(Math.max(0, width - used))}</Text>
      <Text color={tint(theme, 'yellow')} bold>
        {ro}
      </Text>
    </Text>
  );
}

export function Banner({ text, width }: { text: string; width: number }): React.JSX.Element {
  const theme = useTheme();
  return (
    <Text inverse color={tint(theme, 'red')} bold wrap="truncate">
      {fit(`! ${text}`, width)}
    </Text>
  );
}

export function StatusLine({ state, width }: { state: State; width: number }): React.JSX.Element {
  const theme = useTheme();
  const s = state.status;
  if (!s) return <Text> </Text>;
  const time = formatClock(s.at);
  return (
    <Text wrap="truncate" color={tint(theme, s.level === 'error' ? 'red' : undefined)}>
      {fit(`${time} ${s.level === 'error' ? 'error: ' : ''}${s.text}`, width)}
    </Text>
  );
}

/** The last hint lines made (the same few every frame). */
const hintCache = new Map<string, string>();

/** `s start  x stop  …  ? help  q quit`: dropped from the middle when narrow, help and quit kept. */
export function hintText(hints: readonly Hint[], width: number): string {
  const items = hints.map((h) => `${h.key} ${h.label}`);
  const cacheKey = `${width}\u0000${items.join('\u0001')}\u0000${hints.map((h) => h.id).join('\u0001')}`;
  const known = hintCache.get(cacheKey);
  if (known !== undefined) return known;
  const kept = (h: Hint) => h.id === 'help' || h.id === 'quit';
  const keep = items.filter((_, i) => kept(hints[i]));
  const rest = items.filter((_, i) => !kept(hints[i]));
  const tail = keep.join('  ');
  const tailWidth = tail ? textWidth(tail) + 2 : 0;
  let out = '';
  let outWidth = 0;
  for (const item of rest) {
    // Widths add up: the width of `out  item` is out's, plus two, plus item's.
    const nextWidth = out ? outWidth + 2 + textWidth(item) : textWidth(item);
    if (nextWidth + tailWidth > width) break;
    out = out ? `${out}  ${item}` : item;
    outWidth = nextWidth;
  }
  const text = [out, tail].filter(Boolean).join('  ');
  if (hintCache.size > 64) hintCache.clear();
  hintCache.set(cacheKey, text);
  return text;
}

export function HintBar({ hints, width }: { hints: readonly Hint[]; width: number }): React.JSX.Element {
  const text = hintText(hints, width);
  // Keys bold, labels dim: readable with and without colour.
  const parts = text.split('  ');
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => {
        const sp = p.indexOf(' ');
        return (
          <Text key={`${i}-${p}`}>
            {i > 0 ? '  ' : ''}
            <Text bold>{sp < 0 ? p : p.slice(0, sp)}</Text>
            <Text dimColor>{sp < 0 ? '' : p.slice(sp)}</Text>
          </Text>
        );
      })}
    </Text>
  );
}

export const MIN_COLS = 40;
export const MIN_ROWS = 10;

export function TooSmall({ cols, rows }: { cols: number; rows: number }): React.JSX.Element {
  const lines = ['Terminal too small', `${cols}x${rows}, need ${MIN_COLS}x${MIN_ROWS}`, `${shownKey('quit')} quits`];
  return (
    <Box flexDirection="column" width={Math.max(1, cols)} height={Math.max(1, rows - 1)}>
      {lines.slice(0, Math.max(1, rows - 1)).map((l) => (
        <Text key={l} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}
