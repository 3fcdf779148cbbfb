// The fleet's store: what the views see is one `Store`. Its UI slice (focus, selection, filter,
// dialogs, the views' own status lines) lives in a store of its own; the data comes from each
// remote's store, joined by merge.ts. The views only dispatch UI and status actions.
import { createStore, type HistoryReader, type Listener, type State, type Store } from '../store/index.js';
import { splitFleetKey } from './keys.js';
import { createFleetMerger, type FleetSource } from './merge.js';

export interface FleetMember {
  name: string;
  addr: string;
  store: Store;
}

export function createFleetStore(members: readonly FleetMember[], opts: { readOnly?: boolean } = {}): Store {
  const ui = createStore({ readOnly: opts.readOnly });
  const merge = createFleetMerger(members.map((m) => m.name));
  const sources = (): FleetSource[] =>
    members.map((m) => ({ name: m.name, addr: m.addr, state: m.store.getState() }));
  const byName = new Map(members.map((m) => [m.name, m.store]));
  // Each remote's store records its own history; a fleet key names the remote's.
  const history: HistoryReader = {
    get version() {
      return members.reduce((n, m) => n + (m.store.history?.version ?? 0), 0);
    },
    series(key) {
      const split = splitFleetKey(key);
      return split ? byName.get(split.remote)?.history?.series(split.key) : undefined;
    },
  };
  return {
    getState: (): State => merge(ui.getState(), sources()),
    history,
    subscribe(listener: Listener) {
      const off = [ui, ...members.map((m) => m.store)].map((s) => s.subscribe(listener));
      return () => off.forEach((f) => f());
    },
    dispatch(action) {
      // Clearing the status line clears every remote's too, or an older one would show again.
      if (action.type === 'status/clear') for (const m of members) m.store.dispatch(action);
      if (action.type === 'session/set') for (const m of members) m.store.dispatch(action);
      ui.dispatch(action);
    },
  };
}
