// The pure reducer: reduce(state, action) → state. Data actions go to the slice reducers in
// slices/ (connection, instances, samples, images, operations, session: one handler per action
// type, every data action handled, checked by the compiler); UI actions to ui-reducers.ts; event
// frames become data actions in events.ts. Never throws on odd server data.
import { eventActions } from './events.js';
import { eventRow, recordEvent } from './event-log.js';
import { connectionReducers, setConnection } from './slices/connection.js';
import { imageReducers } from './slices/images.js';
import { instanceReducers } from './slices/instances.js';
import { operationReducers } from './slices/operations.js';
import { sampleReducers } from './slices/samples.js';
import { sessionReducers } from './slices/session.js';
import { hostReducers } from './slices/host.js';
import { heldSessionReducers } from './slices/sessions.js';
import type { DataAction, Handlers } from './slices/shared.js';
import { reduceUi } from './ui-reducers.js';
import type { Action, State } from './state.js';

const DATA: Handlers<DataAction['type']> = {
  ...connectionReducers,
  ...instanceReducers,
  ...sampleReducers,
  ...imageReducers,
  ...operationReducers,
  ...sessionReducers,
  ...hostReducers,
  ...heldSessionReducers,
  event: (state, action) => {
    const seq = (state.eventLog[0]?.seq ?? 0) + 1;
    // A frame that is not an object (odd server data) is not recorded.
    const recorded = action.event !== null && typeof action.event === 'object' ? { ...state, eventLog: recordEvent(state.eventLog, eventRow(action.event, seq, action.at)) } : state;
    let next = setConnection(recorded, { lastEventAt: action.at });
    if (action.recordOnly) return next;
    for (const a of eventActions(state, action.event, action.at)) next = reduceData(next, a);
    return next;
  },
};

function reduceData(state: State, action: Action): State {
  const handler = Object.hasOwn(DATA, action.type) ? DATA[action.type as DataAction['type']] : undefined;
  return handler ? handler(state, action as never) : state;
}

/** The store's reducer. Unknown actions return the same state object. */
export function reduce(state: State, action: Action): State {
  if (!action || typeof action !== 'object') return state;
  if (action.type.startsWith('ui/') || action.type.startsWith('dialog/')) {
    return withUi(state, reduceUi(state.ui, action));
  }
  return reduceData(state, action);
}

function withUi(state: State, ui: State['ui']): State {
  return ui === state.ui ? state : { ...state, ui };
}
