// Cluster members for the members pane: listed on start, every MEMBERS_EVERY_MS while the daemon
// answers, and at once when an event says one was added, removed, updated or renamed. Nothing is
// asked of a standalone server; calls made while one is in flight share it.
import type { LxdApi } from '../lxd/api.js';
import type { LxdEvent } from '../lxd/types.js';
import type { Action, Store } from './state.js';

/** Cluster members change rarely (and events say when): a slow poll is enough. */
export const MEMBERS_EVERY_MS = 10_000;

export interface MembersContext {
  api: LxdApi;
  store: Store;
  dispatch(action: Action): void;
  stopped(): boolean;
  /** Network → connection down; anything else → the status line. */
  report(err: unknown, what: string): void;
}

export interface Members {
  refresh(): Promise<void>;
  /** A `cluster-member-*` lifecycle event refreshes the list. */
  onEvent(event: LxdEvent): void;
}

export function createMembers(ctx: MembersContext): Members {
  let inFlight: Promise<void> | null = null;
  function refresh(): Promise<void> {
    if (ctx.stopped() || !ctx.store.getState().server?.clustered) return Promise.resolve();
    inFlight ??= ctx.api
      .listClusterMembers()
      .then((members) => {
        if (!ctx.stopped()) ctx.dispatch({ type: 'members/loaded', members: members ?? [] });
      })
      .catch((err) => ctx.report(err, 'cluster members'))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }
  return {
    refresh,
    onEvent(e) {
      // cluster-member-added/-removed/-updated/-renamed: the members pane follows at once.
      const action = e.type === 'lifecycle' ? (e.metadata as { action?: unknown } | undefined)?.action : undefined;
      if (typeof action === 'string' && action.startsWith('cluster-member-')) void refresh();
    },
  };
}
