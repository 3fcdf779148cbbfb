// `lxtop --once`: one list, one state read per running instance (bounded concurrency), snapshot
// counts, then the instances table as plain text — the same cells the TUI shows. Rates need two
// samples, so CPU %, RX and TX read `-` here, like the first frame of the TUI.
import type { LxdApi } from '../lxd/api.js';
import { createStore, instanceKey, type Store } from '../store/index.js';
import { plainInstancesTable } from '../views/plain.js';

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runOnce(
  api: LxdApi,
  opts: { allProjects?: boolean } = {},
  now: () => number = Date.now,
): Promise<string> {
  const store = await loadOnce(api, opts, now);
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  return plainInstancesTable(store.getState(), now(), width);
}

/** A store with what `--once` prints: the list, one state read per running instance, snapshot counts. */
export async function loadOnce(api: LxdApi, opts: { allProjects?: boolean } = {}, now: () => number = Date.now): Promise<Store> {
  const store = createStore();
  if (opts.allProjects) store.dispatch({ type: 'session/set', allProjects: true });
  store.dispatch({ type: 'server/loaded', server: await api.server() });
  const instances = await api.listInstances({ allProjects: opts.allProjects });
  store.dispatch({ type: 'instances/loaded', instances, project: opts.allProjects ? null : api.project, at: now() });
  await mapLimit(instances, 8, async (inst) => {
    const project = inst.project || api.project;
    const key = instanceKey(project, inst.name);
    const [state, snapshots] = await Promise.all([
      inst.status === 'Running' || inst.status === 'Frozen'
        ? api.instanceState(inst.name, { project }).catch(() => null)
        : Promise.resolve(null),
      Array.isArray(inst.snapshots) ? Promise.resolve(inst.snapshots) : api.listSnapshots(inst.name, { project }).catch(() => null),
    ]);
    if (state) store.dispatch({ type: 'instance/sample', key, state, at: now() });
    if (snapshots && !Array.isArray(inst.snapshots)) {
      store.dispatch({ type: 'instance/upsert', instance: { ...inst, snapshots } });
    }
  });
  return store;
}
