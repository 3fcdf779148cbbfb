// A remote's controller before the remote has answered: the fleet starts at once with every
// remote, and one that is not reachable yet gets its real controller when it first answers.
// Until then reads are empty and actions are refused with the reason.
import type { ActionResult, Controller, InstanceKey } from '../store/index.js';

export interface DeferredController {
  controller: Controller;
  /** The real controller: started now if the fleet is running, with the visible rows so far. */
  attach(real: Controller): void;
  /** Stopped (quit): nothing to attach any more. */
  readonly stopped: boolean;
}

export function createDeferredController(name: string): DeferredController {
  let real: Controller | null = null;
  let started = false;
  let stopped = false;
  let paused = false;
  let visible: readonly InstanceKey[] = [];
  const refused = async (): Promise<ActionResult> => ({ ok: false, error: `${name} is not connected` });
  const act =
    <A extends unknown[]>(run: (c: Controller, ...args: A) => Promise<ActionResult>) =>
    (...args: A): Promise<ActionResult> =>
      real ? run(real, ...args) : refused();

  const controller: Controller = {
    async start() {
      started = true;
      if (real) await real.start();
    },
    stop() {
      stopped = true;
      real?.stop();
    },
    pause() {
      paused = true;
      real?.pause();
    },
    resume() {
      paused = false;
      real?.resume();
    },
    async refresh() {
      if (real) await real.refresh();
    },
    setVisible(keys) {
      visible = keys;
      real?.setVisible(keys);
    },
    startInstances: act((c, keys: readonly InstanceKey[]) => c.startInstances(keys)),
    stopInstances: act((c, keys: readonly InstanceKey[]) => c.stopInstances(keys)),
    forceStopInstances: act((c, keys: readonly InstanceKey[]) => c.forceStopInstances(keys)),
    restartInstances: act((c, keys: readonly InstanceKey[]) => c.restartInstances(keys)),
    freezeInstances: act((c, keys: readonly InstanceKey[]) => c.freezeInstances(keys)),
    unfreezeInstances: act((c, keys: readonly InstanceKey[]) => c.unfreezeInstances(keys)),
    deleteInstances: act((c, keys: readonly InstanceKey[], opts?: { force?: boolean }) => c.deleteInstances(keys, opts)),
    snapshot: act((c, key: InstanceKey, snap: string) => c.snapshot(key, snap)),
    restore: act((c, key: InstanceKey, snap: string) => c.restore(key, snap)),
    deleteSnapshot: act((c, key: InstanceKey, snap: string) => c.deleteSnapshot(key, snap)),
    rename: act((c, key: InstanceKey, newName: string) => c.rename(key, newName)),
    createInstance: act((c, n: string, image: string, opts?: { project?: string; start?: boolean; target?: string }) =>
      c.createInstance(n, image, opts),
    ),
    deleteImage: act((c, fp: string) => c.deleteImage(fp)),
    cancelOperation: act((c, id: string) => c.cancelOperation(id)),
    listSnapshots: async (key) => (real ? real.listSnapshots(key) : null),
    instanceDetail: async (key) => (real ? real.instanceDetail(key) : null),
    instanceLog: (key, kind) => (from) => {
      const read = real?.instanceLog?.(key, kind);
      return read ? read(from) : Promise.reject(new Error('not connected yet'));
    },
  };

  return {
    controller,
    get stopped() {
      return stopped;
    },
    attach(next) {
      if (stopped) {
        next.stop();
        return;
      }
      real = next;
      next.setVisible(visible);
      if (started) {
        void next.start().then(() => {
          if (paused) next.pause();
        });
      }
    },
  };
}
