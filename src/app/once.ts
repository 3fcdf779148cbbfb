// `lxtop --once`: one list, one state read per running instance (bounded concurrency), snapshot
// counts, then the instances table as plain text — the same cells the TUI shows. Rates need two
// samples, so CPU %, RX and TX read `-` here, like the first frame of the TUI.
//
// What it costs. The daemon: each state read makes it fork a helper into the instance for the
// network figures (~0.1 s of its CPU per running instance, the bulk of the wall time; `lxc list`
// pays the same inside its one recursion=2 request); the snapshot counts come from the storage
// pools' volume lists, one request per pool (snapshot-counts.ts), with a request per instance only
// for instances those lists do not show. lxtop: no Ink, React or undici in this path
// (test/faults/once-modules.test.ts); the store gets the list and every sample in two updates.
import type { LxdApi } from '../lxd/api.js';
import type { Instance, InstanceState, Snapshot } from '../lxd/types.js';
// The store itself, not store/index.js: that brings the controller and the sampler, for the views.
import { instanceKey, type SampleEntry, type Store } from '../store/state.js';
import { createStore } from '../store/store.js';
import { plainInstancesTable } from '../views/plain.js';
import { snapshotsFromVolumes, type VolumeLister } from './snapshot-counts.js';

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

/** State reads at once: the daemon forks a helper for each; more at once only queue there. */
const STATE_CONCURRENCY = 8;

const isRunning = (i: Instance) => i.status === 'Running' || i.status === 'Frozen';

function canListVolumes(api: LxdApi): api is LxdApi & VolumeLister {
  return typeof (api as Partial<VolumeLister>).request === 'function';
}

/** A store with what `--once` prints: the list, one state read per running instance, snapshot counts. */
export async function loadOnce(api: LxdApi, opts: { allProjects?: boolean } = {}, now: () => number = Date.now): Promise<Store> {
  const store = createStore();
  if (opts.allProjects) store.dispatch({ type: 'session/set', allProjects: true });
  store.dispatch({ type: 'server/loaded', server: await api.server() });
  const instances = await api.listInstances({ allProjects: opts.allProjects });
  const listedAt = now();
  const projectOf = (inst: Instance) => inst.project || api.project;

  const samples: SampleEntry[] = [];
  const readStates = mapLimit(instances.filter(isRunning), STATE_CONCURRENCY, async (inst) => {
    const state: InstanceState | null = await api.instanceState(inst.name, { project: projectOf(inst) }).catch(() => null);
    if (state) samples.push({ key: instanceKey(projectOf(inst), inst.name), state, at: now() });
  });

  // Snapshots: those the list carried, else the pools' volume lists, else one request each.
  const snapshots = new Map<Instance, Snapshot[] | null>();
  const readSnapshots = (async () => {
    const unknown = instances.filter((i) => !Array.isArray(i.snapshots));
    const fromVolumes = canListVolumes(api)
      ? await snapshotsFromVolumes(api, unknown, opts).catch(() => new Map<string, string[]>())
      : new Map<string, string[]>();
    const rest: Instance[] = [];
    for (const inst of unknown) {
      const names = fromVolumes.get(instanceKey(projectOf(inst), inst.name));
      if (names) snapshots.set(inst, names.map((name) => ({ name, created_at: '', stateful: false })));
      else rest.push(inst);
    }
    await mapLimit(rest, STATE_CONCURRENCY, async (inst) => {
      snapshots.set(inst, await api.listSnapshots(inst.name, { project: projectOf(inst) }).catch(() => null));
    });
  })();
  await Promise.all([readStates, readSnapshots]);

  const listed = instances.map((inst) => {
    const s = snapshots.get(inst);
    return s ? { ...inst, snapshots: s } : inst;
  });
  store.dispatch({ type: 'instances/loaded', instances: listed, project: opts.allProjects ? null : api.project, at: listedAt });
  if (samples.length > 0) store.dispatch({ type: 'instance/samples', samples });
  return store;
}
