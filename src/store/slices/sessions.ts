// The Sessions pane's data: the session holder's list (src/sessions), replaced whole on every push.
// A session's scope is the holder's, not the project's: a project or remote switch keeps them.
import type { Handlers } from './shared.js';
import { dropRows } from './shared.js';

/** One background session as the holder describes it (src/sessions/types.ts SessionInfo). */
export interface SessionRow {
  id: string;
  name: string;
  instance: string;
  remote: string;
  project: string;
  command: string;
  kind: 'exec' | 'console';
  started: number;
  lastOutput: number;
  state: 'attached' | 'detached' | 'exited' | 'lost';
  exitCode: number | null;
  reason: string;
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
