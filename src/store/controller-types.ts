// The controller contract: what the views call. Implemented by controller.ts (createController).
import type { Snapshot } from '../lxd/types.js';
import type { InstanceDetail, InstanceKey } from './state.js';
import type { InstanceLogText, LogKind } from './logs.js';
import type { ResourcesPort } from './resources.js';
import type { InstanceFiles } from '../lxd/files.js';

/** What every controller action resolves to; it never rejects. `error` is the server's text. */
export interface ActionResult {
  ok: boolean;
  error?: string;
}

export interface ControllerOptions {
  /** The fastest any figure refreshes, ms (default 2000): the selected instance's `/state` period. */
  interval?: number;
  /**
   * The daemon budget: the CPU lxtop's sampling may cost each daemon, a fraction of one core
   * (default 0.1; 0: events only, nothing sampled). See sampler.ts and cost.ts.
   */
  daemonBudget?: number;
  /** The way the visible rows are read, whatever is fresher within the budget (tests, benchmarks). */
  sampleVia?: 'metrics' | 'state';
  /** CPUs of the daemon's host (a metrics computation runs that parallel; default 2). */
  serverCores?: number;
  /**
   * Share fresh `/state` samples with the user's other lxtops watching the same daemon (files in
   * $XDG_RUNTIME_DIR/lxtop, shared-samples.ts): the daemon's socket path or URL. Absent: no sharing.
   */
  shareKey?: string;
  /** Concurrent `instanceState` requests (default 8). */
  stateConcurrency?: number;
  /** Refuse every action with a status-line message; nothing reaches the API. */
  readOnly?: boolean;
  /** Safety-net re-list period, ms (default 30000). */
  relistInterval?: number;
  /** List every project (instances keyed by project anyway). */
  allProjects?: boolean;
  /** Seconds to wait for an operation (bounded `waitOperation`, default 60). */
  operationTimeout?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Added to a refusal (401/403) in the status line: which certificate, and what to do. */
  refusalHint?: string | null;
}

export interface Controller {
  /** Subscribe to events, then list everything; resolves after the first list (never rejects). */
  start(): Promise<void>;
  /** For exit: clears every timer and closes the event stream. */
  stop(): void;
  /** Exec console: stop every timer (the event stream stays open). */
  pause(): void;
  /** After the console: restart the timers and re-list once. */
  resume(): void;
  /** Full re-list now (e.g. a refresh key). */
  refresh(): Promise<void>;
  /** The instance rows on screen; only those (when Running) are polled for state. */
  setVisible(keys: readonly InstanceKey[]): void;

  startInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  stopInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  forceStopInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  restartInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  freezeInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  unfreezeInstances(keys: readonly InstanceKey[]): Promise<ActionResult>;
  /** `force`: a running instance is stopped with --force first, then deleted. */
  deleteInstances(keys: readonly InstanceKey[], opts?: { force?: boolean }): Promise<ActionResult>;
  snapshot(key: InstanceKey, name: string): Promise<ActionResult>;
  restore(key: InstanceKey, snapshot: string): Promise<ActionResult>;
  deleteSnapshot(key: InstanceKey, snapshot: string): Promise<ActionResult>;
  renameSnapshot?(key: InstanceKey, snapshot: string, newName: string): Promise<ActionResult>;
  /** Sets the instance's config keys (snapshots.schedule, …); the others stay. */
  setConfig?(key: InstanceKey, config: Record<string, string>): Promise<ActionResult>;
  rename(key: InstanceKey, newName: string): Promise<ActionResult>;
  /** Copy, move, publish, export, import (src/store/transfers.ts); absent: not on this connection. */
  transfers?: import('./transfers.js').TransferActions;
  /** Creates then starts (LXD 5 ignores `start` on create). `image`: alias or fingerprint; `target`: cluster member. */
  createInstance(
    name: string,
    image: string,
    opts?: {
      project?: string;
      start?: boolean;
      target?: string;
      vm?: boolean;
      profiles?: string[];
      config?: Record<string, string>;
      userData?: string;
      /** The image is on another server, which this daemon pulls it from (`image` is its fingerprint there). */
      remote?: import('../lxd/launch.js').RemoteImageSource;
    },
  ): Promise<ActionResult>;
  deleteImage(fingerprint: string): Promise<ActionResult>;
  cancelOperation(id: string): Promise<ActionResult>;
  /** The server's project names (the project switcher); null on error (status line). */
  listProjects?(): Promise<string[] | null>;
  /** Lists the cluster members into the store now (clustered servers; optional: test doubles). */
  refreshMembers?(): Promise<void>;
  /** The header shows the host meters (they are read only then); optional: test doubles. */
  setMetersShown?(shown: boolean): void;
  /** Lists `/1.0/warnings` into the store now. */
  refreshWarnings?(): Promise<void>;
  /** Acknowledge a warning (or set it back to new); refused in read-only mode. */
  setWarningStatus?(uuid: string, status: 'acknowledged' | 'new'): Promise<ActionResult>;
  /** Delete a warning (the caller asked first); refused in read-only mode. */
  deleteWarning?(uuid: string): Promise<ActionResult>;
  /** Null on error (the error is in the status line). */
  listSnapshots(key: InstanceKey): Promise<Snapshot[] | null>;
  /** Full instance + state + snapshots for the detail view; null on error (status line). */
  instanceDetail(key: InstanceKey): Promise<InstanceDetail | null>;
  /** A reader of the instance's log or console log for the logs view (rejects with the server's error). */
  instanceLog?(key: InstanceKey, kind: LogKind): (from: number) => Promise<InstanceLogText>;
  /** Profiles, networks, storage and the instance knobs (resources.ts); absent: a fake or the fleet. */
  resources?: ResourcesPort;
  /** The instance's files for the files view (null: this connection cannot reach them). */
  instanceFiles?(key: InstanceKey): InstanceFiles | null;
}
