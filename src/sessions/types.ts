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

// A session as the holder lists it: the store's row type, so the protocol and the Sessions pane
// cannot drift apart (store/slices/sessions.ts holds the fields and their meaning).
import type { SessionRow } from '../store/slices/sessions.js';
export type { SessionState } from '../store/slices/sessions.js';
export type SessionInfo = SessionRow;

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
  /** A line the screen starts with (the TUI's "shell in X (type … to detach)"): the attach's redraw keeps it. */
  banner?: string;
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
