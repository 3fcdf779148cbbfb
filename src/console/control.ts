// Messages for the exec control websocket. The server parses width/height with strconv.Atoi:
// they must be JSON strings, numbers are silently ignored (see docs/lxd-api.md, Exec).

export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;

/** A terminal dimension as the server wants it: a positive integer, else the fallback. */
export function dimension(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value < 1) return fallback;
  return Math.min(Math.floor(value), 65535);
}

export function resizeMessage(cols: number | undefined, rows: number | undefined): string {
  return JSON.stringify({
    command: 'window-resize',
    args: { width: String(dimension(cols, DEFAULT_COLS)), height: String(dimension(rows, DEFAULT_ROWS)) },
  });
}

export function signalMessage(signal: number): string {
  return JSON.stringify({ command: 'signal', signal });
}

/** Linux signal numbers for the signals lxtop forwards. */
export const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
  SIGCONT: 18,
};
