// The daemon budget counts the controller's reads besides sampling too: re-lists, single
// instances, snapshot lists and cluster members go through this wrapper, which charges each to the
// sampler's bucket by kind (cost.ts) once it has answered.
import type { LxdApi } from '../lxd/api.js';
import type { RequestKind } from './cost.js';

const METERED: Partial<Record<keyof LxdApi, RequestKind>> = {
  server: 'other',
  listInstances: 'list',
  listImages: 'list',
  listOperations: 'list',
  listProjects: 'other',
  listClusterMembers: 'other',
  getInstance: 'other',
  listSnapshots: 'other',
  // The header's meters and the warnings (host-meters.ts, warnings.ts).
  hostResources: 'other',
  memberState: 'other',
  storagePools: 'other',
  poolUse: 'other',
  listWarnings: 'other',
};

/** The API with each metered read timed by `track` (called at its start, its result at its end). */
export function meter(api: LxdApi, track: (kind: RequestKind) => () => void): LxdApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      const kind = typeof prop === 'string' ? METERED[prop as keyof LxdApi] : undefined;
      if (!kind || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const done = track(kind);
        const p = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        // `server()` is cached by the client: an answer at once cost nothing.
        void Promise.resolve(p).then(done, done);
        return p;
      };
    },
  });
}
