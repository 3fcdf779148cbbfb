// What the holder and its clients say to each other about sessions (the messages travel as JSON
// frames, frames.ts).

/** How the holder reaches the daemon: the same words the command line takes. */
export interface SessionTarget {
  /** `--socket PATH`. */
  socket?: string;
  /** `REMOTE:` or `--remote` (a configured remote, or an `ssh://` / https address). */
  remote?: string;
  project?: string;
}

export type SessionState = 'attached' | 'detached' | 'exited' | 'lost';

export interface SessionInfo {
  id: string;
  /** Given with rename; empty until then. */
  name: string;
  instance: string;
  /** The remote as the user named it ('' : the local daemon). */
  remote: string;
  project: string;
  /** The command line, or "shell". */
  command: string;
  kind: 'exec' | 'console';
  /** ms since the epoch. */
  started: number;
  /** ms since the epoch; 0 before any output. */
  lastOutput: number;
  state: SessionState;
  /** For exited: the command's exit code (null when unknown). */
  exitCode: number | null;
  /** For exited and lost: why, in words. */
  reason: string;
  /** How many clients are attached. */
  clients: number;
}

export interface StartRequest {
  target: SessionTarget;
  instance: string;
  command?: string[];
  user?: number;
  group?: number;
  cwd?: string;
  env?: Record<string, string>;
  cols: number;
  rows: number;
  /** TERM for the remote PTY. */
  term: string;
  /** 'console': the instance's console (its log first), not a command. */
  kind?: 'exec' | 'console';
}

/** The state column's words: `detached`, `exited (0)`, `lost: connection lost: …`. */
export function stateText(s: SessionInfo): string {
  if (s.state === 'exited') return s.exitCode === null ? `exited: ${s.reason}` : `exited (${s.exitCode})`;
  if (s.state === 'lost') return `lost: ${s.reason}`;
  return s.state;
}

export function isRunning(s: Pick<SessionInfo, 'state'>): boolean {
  return s.state === 'attached' || s.state === 'detached';
}
