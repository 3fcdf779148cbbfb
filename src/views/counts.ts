// Instance counts by status, as the header says them (no Ink here: the first paint uses it too).
import type { StatusCounts } from '../store/index.js';

const STATUS_ORDER = ['Running', 'Frozen', 'Stopped', 'Error'];

/** Counts by status, busiest statuses first: `[['Running', 3], ['Stopped', 2]]`. */
export function countParts(counts: StatusCounts): [string, number][] {
  const names = Object.keys(counts).filter((k) => k !== 'total');
  const rank = (s: string) => (STATUS_ORDER.indexOf(s) < 0 ? 99 : STATUS_ORDER.indexOf(s));
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((n) => [n, counts[n]]);
}

/** `5 instances: 3 Running, 2 Stopped` */
export function countsText(counts: StatusCounts): string {
  const parts = countParts(counts).map(([s, n]) => `${n} ${s}`);
  return `${counts.total} instance${counts.total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
