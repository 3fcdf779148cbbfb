// The server's warnings (`/1.0/warnings`, extension `warnings`): listed on start, every
// WARNINGS_EVERY_MS, at once on a `warning-*` lifecycle event (acknowledged, reset, deleted: the
// daemons send no event when one is raised), and after lxtop's own changes. A list costs the
// daemon ~0.002 s (bench/host-meters.mjs): once a minute is nothing against the budget.
// Acknowledging and deleting change the server: refused in read-only mode before any request.
import type { LxdApi } from '../lxd/api.js';
import { EXT, hasExtension } from '../lxd/capabilities.js';
import { errorText, isNetworkError, isRefusal } from '../lxd/errors.js';
import type { LxdEvent } from '../lxd/types.js';
import type { Action, ActionResult, Store } from './state.js';

export const WARNINGS_EVERY_MS = 60_000;

export interface WarningsContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  readOnly: boolean;
  dispatch(action: Action): void;
  stopped(): boolean;
  onNetworkError(err: unknown): void;
}

export interface Warnings {
  refresh(): Promise<void>;
  onEvent(event: LxdEvent): void;
  setStatus(uuid: string, status: 'acknowledged' | 'new'): Promise<ActionResult>;
  remove(uuid: string): Promise<ActionResult>;
}

export function createWarnings(ctx: WarningsContext): Warnings {
  const { api, store } = ctx;
  let inFlight: Promise<void> | null = null;
  /** The certificate may not list warnings (a restricted one: 403): not asked again, nothing said. */
  let refused = false;

  function refresh(): Promise<void> {
    const server = store.getState().server;
    if (refused || ctx.stopped() || !server || !api.listWarnings || !hasExtension(server, EXT.warnings)) return Promise.resolve();
    inFlight ??= api
      .listWarnings()
      .then((warnings) => {
        if (!ctx.stopped()) ctx.dispatch({ type: 'warnings/loaded', warnings });
      })
      .catch((err) => {
        if (isNetworkError(err)) ctx.onNetworkError(err);
        else if (isRefusal(err) || /not authorized/i.test(errorText(err))) refused = true;
        else ctx.dispatch({ type: 'status/set', text: `warnings: ${errorText(err)}`, level: 'error', at: ctx.now() });
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  async function change(what: string, run: () => Promise<void> | undefined): Promise<ActionResult> {
    const status = (text: string, level: 'info' | 'error') => ctx.dispatch({ type: 'status/set', text, level, at: ctx.now() });
    if (ctx.readOnly) {
      status(`Read-only mode: ${what} refused`, 'error');
      return { ok: false, error: `Read-only mode: ${what} refused` };
    }
    try {
      const p = run();
      if (!p) throw new Error('this server has no warnings');
      await p;
      status(`${what[0].toUpperCase()}${what.slice(1)}: done`, 'info');
      return { ok: true };
    } catch (err) {
      if (isNetworkError(err)) ctx.onNetworkError(err);
      status(`${what}: ${errorText(err)}`, 'error');
      return { ok: false, error: errorText(err) };
    } finally {
      await refresh();
    }
  }

  return {
    refresh,
    onEvent(e) {
      const action = e.type === 'lifecycle' ? (e.metadata as { action?: unknown } | undefined)?.action : undefined;
      if (typeof action === 'string' && action.startsWith('warning-')) void refresh();
    },
    setStatus: (uuid, status) => change(status === 'new' ? 'reset warning' : 'acknowledge warning', () => api.setWarningStatus?.(uuid, status)),
    remove: (uuid) => change('delete warning', () => api.deleteWarning?.(uuid)),
  };
}
