// The Sessions pane's columns and the text of its cells (pure).
import type { SessionRow } from '../store/index.js';
import { sessionStateText } from '../store/index.js';
import type { ColumnSpec } from './columns.js';
import { formatDuration } from './format.js';

export const SESSION_COLUMNS: readonly ColumnSpec[] = [
  { id: 'id', title: 'ID', min: 3, max: 12, priority: 0 },
  { id: 'instance', title: 'INSTANCE', min: 8, max: 24, priority: 0, sort: 'instance' },
  { id: 'remote', title: 'REMOTE', min: 6, max: 20, priority: 4 },
  { id: 'project', title: 'PROJECT', min: 7, max: 16, priority: 5 },
  { id: 'command', title: 'COMMAND', min: 7, max: 40, priority: 2, greedy: true },
  { id: 'started', title: 'STARTED', min: 9, align: 'right', priority: 3, sort: 'started' },
  { id: 'output', title: 'OUTPUT', min: 7, align: 'right', priority: 6, sort: 'output' },
  { id: 'state', title: 'STATE', min: 8, max: 60, priority: 1, sort: 'state', greedy: true },
];

export function sessionCells(s: SessionRow, now: number): Record<string, string> {
  return {
    id: s.name ? `${s.id} ${s.name}` : s.id,
    instance: s.instance,
    remote: s.remote || 'local',
    project: s.project,
    command: s.command,
    started: `${formatDuration(Math.max(0, now - s.started))} ago`,
    output: s.lastOutput ? outputAge(now - s.lastOutput) : '-',
    state: sessionStateText(s),
  };
}

/**
 * "Last output" as the pane knows it can be ~10 s behind for a session printing every second: the
 * holder reads a detached session every 2 s and tells the list at most every 5-7 s, and the pane's
 * 5 s tick draws between two lists. So an age under RECENT_MS is "now": seconds there are noise
 * (at 10 s a line-a-second session flickered between "now" and "11s").
 */
const RECENT_MS = 15_000;
const outputAge = (ms: number) => (ms < RECENT_MS ? 'now' : formatDuration(ms));

export function sessionColor(s: SessionRow): string | undefined {
  if (s.state === 'attached') return 'green';
  if (s.state === 'lost') return 'red';
  if (s.state === 'exited') return s.exitCode === 0 ? 'gray' : 'yellow';
  return undefined;
}
