// The REST connection as the controller sees it. A network error marks it down (the banner, the
// fleet's "offline") and retries by re-listing until the daemon answers; the first answer marks it
// up again and lets an event stream that is waiting out its own backoff connect at once.
import type { EventStream } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import type { Action, Store } from './state.js';
import type { Timers } from './timers.js';

// Retries while the daemon is unreachable cost one `GET /1.0` each (a refused connect on the unix
// socket): cheap enough to keep them close together, so lxtop is back within half a second of
// the daemon answering again, however long it was away. Hence one fixed delay, no backoff.
export const RETRY_MS = 500;

export interface ConnectionContext {
  store: Store;
  now: () => number;
  dispatch(action: Action): void;
  stopped(): boolean;
  /** Running and not paused: a retry is scheduled (else the resume re-lists). */
  active(): boolean;
  /** The controller's timers: this part uses the one named `retry`. */
  timers: Timers;
  /** The retry: a full re-list (its `GET /1.0` says whether the daemon answers). */
  relist(): Promise<void>;
  /** The event stream, when one is open. */
  events(): EventStream | null;
}

export interface Connection {
  /** The daemon did not answer: down, and a retry in RETRY_MS (one at a time). */
  onNetworkError(err: unknown): void;
  /** The daemon answered. */
  onRestOk(): void;
}

export function createConnection(ctx: ConnectionContext): Connection {
  const { store, now, dispatch, timers } = ctx;
  return {
    onNetworkError(err) {
      if (ctx.stopped()) return;
      if (timers.has('retry') && store.getState().connection.rest === 'down') return;
      dispatch({ type: 'rest/down', error: errorText(err), at: now(), nextRetryAt: ctx.active() ? now() + RETRY_MS : null });
      timers.schedule('retry', RETRY_MS, () => void ctx.relist());
    },
    onRestOk() {
      timers.clear('retry');
      dispatch({ type: 'rest/ok', at: now() });
      // The daemon answers: an event stream waiting out its backoff may connect now.
      const events = ctx.events();
      if (events && events.status === 'disconnected') {
        try {
          events.reconnectNow?.();
        } catch {
          // the stream's own retries carry on
        }
      }
    },
  };
}
