// createStore: the state container outside React. `useSyncExternalStore(store.subscribe, store.getState)`.
import { reduce } from './reducers.js';
import { createInitialState, type Action, type Listener, type State, type Store } from './state.js';

export interface CreateStoreOptions {
  initial?: State;
  readOnly?: boolean;
  /** Where a throwing listener's error goes (default: rethrown after every listener ran). */
  onListenerError?: (error: unknown) => void;
}

export function createStore(opts: CreateStoreOptions = {}): Store {
  let state = opts.initial ?? createInitialState({ readOnly: opts.readOnly });
  const listeners = new Set<Listener>();
  return {
    getState: () => state,
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
