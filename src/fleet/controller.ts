// The fleet's controller: each remote keeps its own controller (events, polling, retries), so one
// unreachable remote never holds up the others. This one routes what the views ask for by the
// remote in the key, and answers for all of them at once where the views ask for several.
import type { ActionResult, Controller, InstanceKey } from '../store/index.js';
import { groupByRemote, splitFleetKey } from './keys.js';

export interface FleetControllerMember {
  name: string;
  controller: Controller;
}

type Bulk = 'startInstances' | 'stopInstances' | 'forceStopInstances' | 'restartInstances' | 'freezeInstances' | 'unfreezeInstances';

const noRemote = (key: string): ActionResult => ({ ok: false, error: `${key}: not an instance of a known remote` });

export function createFleetController(members: readonly FleetControllerMember[]): Controller {
  const byName = new Map(members.map((m) => [m.name, m.controller]));
  const all = () => members.map((m) => m.controller);

  /** The remote's controller and its own key, or null. */
  function route(key: string): { controller: Controller; key: string } | null {
    const split = splitFleetKey(key);
    const controller = split && byName.get(split.remote);
    return controller && split ? { controller, key: split.key } : null;
  }

  async function each(keys: readonly InstanceKey[], run: (c: Controller, keys: string[]) => Promise<ActionResult>): Promise<ActionResult> {
    const groups = [...groupByRemote(keys)].filter(([remote]) => byName.has(remote));
    const results = await Promise.all(groups.map(async ([remote, own]) => ({ remote, result: await run(byName.get(remote)!, own) })));
    const failed = results.filter((r) => !r.result.ok);
    if (failed.length === 0) return { ok: true };
    return { ok: false, error: failed.map((f) => `${f.remote}: ${f.result.error ?? 'failed'}`).join('; ') };
  }

  const bulk = (method: Bulk) => (keys: readonly InstanceKey[]) => each(keys, (c, own) => c[method](own));

  const one = async <T>(key: string, run: (c: Controller, key: string) => Promise<T>, fallback: T): Promise<T> => {
    const r = route(key);
    return r ? run(r.controller, r.key) : fallback;
  };

  return {
    async start() {
      await Promise.all(all().map((c) => c.start()));
    },
    stop: () => all().forEach((c) => c.stop()),
    pause: () => all().forEach((c) => c.pause()),
    resume: () => all().forEach((c) => c.resume()),
    async refresh() {
      await Promise.all(all().map((c) => c.refresh()));
    },
    setVisible(keys) {
      const groups = groupByRemote(keys);
      for (const m of members) m.controller.setVisible(groups.get(m.name) ?? []);
    },
    startInstances: bulk('startInstances'),
    stopInstances: bulk('stopInstances'),
    forceStopInstances: bulk('forceStopInstances'),
    restartInstances: bulk('restartInstances'),
    freezeInstances: bulk('freezeInstances'),
    unfreezeInstances: bulk('unfreezeInstances'),
    deleteInstances: (keys, opts) => each(keys, (c, own) => c.deleteInstances(own, opts)),
    snapshot: (key, name) => one(key, (c, k) => c.snapshot(k, name), noRemote(key)),
    restore: (key, snapshot) => one(key, (c, k) => c.restore(k, snapshot), noRemote(key)),
    deleteSnapshot: (key, snapshot) => one(key, (c, k) => c.deleteSnapshot(k, snapshot), noRemote(key)),
    rename: (key, newName) => one(key, (c, k) => c.rename(k, newName), noRemote(key)),
    // The image picker's values are fleet image keys: the instance is made on the image's remote.
    createInstance: (name, image, opts) => one(image, (c, fp) => c.createInstance(name, fp, opts), noRemote(image)),
    deleteImage: (key) => one(key, (c, fp) => c.deleteImage(fp), noRemote(key)),
    cancelOperation: (key) => one(key, (c, id) => c.cancelOperation(id), noRemote(key)),
    listSnapshots: (key) => one(key, (c, k) => c.listSnapshots(k), null),
    instanceDetail: (key) => one(key, (c, k) => c.instanceDetail(k), null),
    instanceLog(key, kind) {
      const r = route(key);
      const read = r?.controller.instanceLog?.(r.key, kind);
      return read ?? (() => Promise.reject(new Error(`${key}: not an instance of a known remote`)));
    },
    instanceFiles(key) {
      const r = route(key);
      return r?.controller.instanceFiles?.(r.key) ?? null;
    },
  };
}
