// The controller's event stream (`/1.0/events`, lifecycle and operation frames): opened before the
// first list so nothing that happens during it is missed. Its frames go to the controller, a
// reconnect (frames were missed) re-lists, and its status goes to the store. A stream that drops
// after it was connected makes the REST API be asked at once whether the daemon is still there.
import type { EventStream, LxdApi } from '../lxd/api.js';
import { errorText, isNetworkError } from '../lxd/errors.js';
import type { EventType, LxdEvent } from '../lxd/types.js';
import type { Action, Store } from './state.js';

export interface EventStreamContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  allProjects: boolean;
  dispatch(action: Action): void;
  stopped(): boolean;
  onEvent(event: LxdEvent): void;
  /** After a reconnect: events were missed. */
  relist(): Promise<void>;
  onNetworkError(err: unknown): void;
}

export interface ControllerEvents {
  open(): void;
  /** Unsubscribes and closes the stream (for good: stop). */
  close(): void;
  /** The open stream, or null. */
  current(): EventStream | null;
}

export function createEventStream(ctx: EventStreamContext): ControllerEvents {
  const { api, store, now, dispatch } = ctx;
  let events: EventStream | null = null;
  let unsubscribe: (() => void)[] = [];

  return {
    open() {
      try {
        // Every project where the connection may see them, for the events view (the controller
        // keeps other projects' frames away from the panes).
        // The daemon's log lines too where nothing restricts the connection: LXD refuses `logging`
        // (403) to a restricted certificate, and the stream would never open.
        const unrestricted = api.seesEveryProject === true;
        const everyProject = ctx.allProjects || unrestricted;
        const types: EventType[] = unrestricted ? ['lifecycle', 'operation', 'logging'] : ['lifecycle', 'operation'];
        events = api.events({ types, ...(everyProject ? { allProjects: true } : {}) });
      } catch (err) {
        dispatch({ type: 'events/status', status: 'disconnected', error: errorText(err), at: now() });
        return;
      }
      const stream = events;
      let wasConnected = stream.status === 'connected';
      unsubscribe = [
        stream.onEvent((e) => ctx.onEvent(e)),
        stream.onReconnect(() => void ctx.relist()),
        stream.onStatus((status, error) => {
          if (ctx.stopped()) return;
          dispatch({ type: 'events/status', status, error: error ? errorText(error) : null, at: now() });
          // The stream dropped: ask the REST API (`GET /1.0`) whether the daemon is still there.
          // If not, the connection reads down (banner, the fleet's "offline") and the quick retries
          // begin, instead of waiting on the stream's slower backoff with nothing polled to notice.
          if (status === 'disconnected' && wasConnected && store.getState().connection.rest !== 'down') {
            api.server(true).catch((err: unknown) => {
              if (isNetworkError(err)) ctx.onNetworkError(err);
            });
          }
          wasConnected = status === 'connected';
        }),
      ];
      dispatch({ type: 'events/status', status: stream.status, at: now() });
    },
    close() {
      for (const off of unsubscribe) {
        try {
          off();
        } catch {
          // ignore
        }
      }
      unsubscribe = [];
      try {
        events?.close();
      } catch {
        // ignore
      }
      events = null;
    },
    current: () => events,
  };
}
