// createStore: the state container outside React. `useSyncExternalStore(store.subscribe, store.getState)`.
import { createHistory, type History } from './history.js';
import { reduce } from './reducers.js';
import { createInitialState, type Action, type Listener, type State, type Store } from './state.js';

export interface CreateStoreOptions {
  initial?: State;
  readOnly?: boolean;
  /** Where a throwing listener's error goes (default: rethrown after every listener ran). */
  onListenerError?: (error: unknown) => void;
  /** Where the samples' history is recorded (default: a new one, 30 minutes). */
  history?: History;
}

export function createStore(opts: CreateStoreOptions = {}): Store {
  let state = opts.initial ?? createInitialState({ readOnly: opts.readOnly });
  const listeners = new Set<Listener>();
  const history = opts.history ?? createHistory();
  history.record(state);
  return {
    getState: () => state,
    history,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(action: Action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      // Before the listeners: what they draw from the new state has its history point.
      history.record(state);
      let failure: { error: unknown } | null = null;
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch (error) {
          if (opts.onListenerError) opts.onListenerError(error);
          else failure ??= { error };
        }
      }
      if (failure) throw failure.error;
    },
  };
}
