// The session slice: read-only, paused, every project; the status line; cluster members; and a
// new scope (another project or server), which starts the data and the panes afresh.
import { createInitialState } from '../state.js';
import type { Handlers } from './shared.js';

export const sessionReducers: Handlers<'status/set' | 'status/clear' | 'scope/reset' | 'members/loaded' | 'session/set'> = {
  'status/set': (state, action) => ({ ...state, status: { text: action.text, level: action.level, at: action.at } }),
  'status/clear': (state) => (state.status === null ? state : { ...state, status: null }),
  'scope/reset': (state, action) => {
    // The session (read-only), the server and the connection carry over; the rest was the old scope's.
    const initial = createInitialState({ readOnly: state.readOnly });
    // A way of looking (the history column) is not the scope's, nor are the background sessions
    // (the holder's).
    const fresh = { ...(state.ui.historyColumn ? { ...initial, ui: { ...initial.ui, historyColumn: true } } : initial), sessions: state.sessions };
    if (action.server) return { ...fresh, paused: state.paused, allProjects: action.allProjects };
    return { ...fresh, server: state.server, connection: state.connection, paused: state.paused, allProjects: action.allProjects, members: state.members, meters: state.meters, warnings: state.warnings };
  },
  'members/loaded': (state, action) => ({ ...state, members: action.members }),
  'session/set': (state, action) => ({
    ...state,
    readOnly: action.readOnly ?? state.readOnly,
    paused: action.paused ?? state.paused,
    allProjects: action.allProjects ?? state.allProjects,
  }),
};
