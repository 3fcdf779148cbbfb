// The two parts of undici lxtop uses, its Agent and request(), taken from undici's own files:
// undici's index also loads fetch, WebSocket, the caches, cookies and the mock agents (and through
// them Node's internal copy of undici), about a third of lxtop's CPU before its first frame.
// Types: undici-lib.d.ts.
import Agent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import type { Dispatcher } from 'undici';

export { Agent };

/** undici's `request(url, { dispatcher, ... })`, which splits the URL the same way. */
export function request(
  url: string,
  opts: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher },
): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = opts;
  const parsed = new URL(url);
  return apiRequest.call(dispatcher, { ...rest, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}
