// The connection slice: the server's info, the REST API's and the event stream's state.
import type { ConnectionState, State } from '../state.js';
import type { Handlers } from './shared.js';

/** `reconnecting` follows from the rest: REST down, or the event stream lost. */
export function setConnection(state: State, patch: Partial<ConnectionState>): State {
  const connection = { ...state.connection, ...patch };
  connection.reconnecting = connection.rest === 'down' || connection.eventsLost;
  return { ...state, connection };
}

export const connectionReducers: Handlers<'server/loaded' | 'rest/ok' | 'rest/down' | 'events/status'> = {
  'server/loaded': (state, action) => ({ ...state, server: action.server }),
  'rest/ok': (state) => {
    if (state.connection.rest === 'ok' && state.connection.nextRetryAt === null) return state;
    return setConnection(state, { rest: 'ok', nextRetryAt: null });
  },
  'rest/down': (state, action) =>
    setConnection(state, {
      rest: 'down',
      lastError: action.error,
      lastErrorAt: action.at,
      nextRetryAt: action.nextRetryAt,
    }),
  'events/status': (state, action) =>
    setConnection(state, {
      events: action.status,
      eventsError: action.error ?? (action.status === 'connected' ? null : state.connection.eventsError),
      eventsLost:
        action.status === 'connected' ? false : action.status === 'disconnected' ? true : state.connection.eventsLost,
    }),
};
