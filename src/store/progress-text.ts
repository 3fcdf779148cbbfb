// A long operation's progress as text (the operations pane, the status line, the command line): a bar with the percentage and the rate when the daemon gives
// them (src/lxd/progress.ts), the bytes and rate when it gives no percentage, a spinner when nothing.
import type { Progress } from '../lxd/progress.js';

const SPINNER = ['|', '/', '-', '\\'];

/** "12.3MB/s" (decimal units, as lxc writes them). */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(v >= 100 ? 0 : 1)}${units[i]}`;
}

/** `[####------]` for 0-100 over `width` cells (ASCII: reads the same without colour or Unicode). */
export function bar(percent: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const full = Math.round((Math.max(0, Math.min(100, percent)) / 100) * inner);
  return `[${'#'.repeat(full)}${'-'.repeat(inner - full)}]`;
}

/** One frame of the spinner, turning once a quarter second. */
export function spinner(now: number): string {
  return SPINNER[Math.floor(now / 250) % SPINNER.length];
}

/** `[####------] 45% 12.3MB/s`, `12.3MB 4.5MB/s`, or the spinner (running, no figures). */
export function progressText(p: Progress | null, now: number, barWidth = 10): string {
  if (p === null) return spinner(now);
  const parts: string[] = [];
  if (p.percent !== null) parts.push(bar(p.percent, barWidth), `${Math.round(p.percent)}%`);
  else if (p.done !== null) parts.push(`${spinner(now)} ${formatBytes(p.done)}`);
  else parts.push(spinner(now));
  if (p.speed !== null) parts.push(formatRate(p.speed));
  return parts.join(' ');
}
