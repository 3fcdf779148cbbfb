// The Sessions pane's data: the session holder's list (src/sessions), replaced whole on every push.
// A session's scope is the holder's, not the project's: a project or remote switch keeps them.
import type { Handlers } from './shared.js';
import { dropRows } from './shared.js';

export type SessionState = 'attached' | 'detached' | 'exited' | 'lost';

/** One background session as the holder describes it (src/sessions/types.ts names it SessionInfo). */
export interface SessionRow {
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

export const heldSessionReducers: Handlers<'sessions/loaded'> = {
  'sessions/loaded': (state, action) => {
    const sessions: Record<string, SessionRow> = {};
    for (const s of action.sessions) sessions[s.id] = s;
    const gone = Object.keys(state.sessions).filter((id) => !(id in sessions));
    const next = { ...state, sessions };
    return gone.length ? dropRows(state, next, 'sessions', gone) : next;
  },
};
