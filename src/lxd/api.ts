// The contract between lxd/ and the rest of lxtop. The store, views and console depend on these
// interfaces only, never on HTTP; `LxdClient` in client.ts implements them against a real daemon.
import type {
  ClusterMember,
  EventType,
  Image,
  ImageAlias,
  Instance,
  InstanceState,
  LxdEvent,
  Operation,
  OperationOutcome,
  Project,
  ServerInfo,
  Snapshot,
} from './types.js';
import type { InstanceFigures } from './metrics.js';
import type { LogText } from './logs.js';
import type { InstanceFiles } from './files.js';
import type { Editable, EditTarget } from './editable.js';
import type { CallOptions, LxdResponse } from './request.js';
import type { HostFigures, PoolUse, Warning } from './host.js';

export interface ScopeOptions {
  /** Project to act in; default: the client's project. */
  project?: string;
  /** List across every project (list calls only). */
  allProjects?: boolean;
}

export type StateAction = 'start' | 'stop' | 'restart' | 'freeze' | 'unfreeze';

export interface CreateInstanceOptions {
  name: string;
  /** Image alias or fingerprint on this server, or an image this server pulls from another one. */
  image: { alias: string } | { fingerprint: string } | { remote: import('./launch.js').RemoteImageSource };
  type?: 'container' | 'virtual-machine';
  profiles?: string[];
  config?: Record<string, string>;
  /** Cluster member to place the instance on (`?target=`). */
  target?: string;
  project?: string;
}

export interface ExecOptions {
  command: string[];
  interactive: boolean;
  width?: number;
  height?: number;
  environment?: Record<string, string>;
  user?: number;
  group?: number;
  cwd?: string;
  project?: string;
}

/** A started exec operation: its id and the websocket secrets (`0`, `1`, `2`, `control`). */
export interface ExecSession {
  operation: Operation;
  fds: Record<string, string>;
}

export interface EventStreamOptions {
  types?: EventType[];
  project?: string;
  allProjects?: boolean;
}

export type EventStreamStatus = 'connecting' | 'connected' | 'disconnected';

/** A live `/1.0/events` subscription that reconnects by itself with capped backoff. */
export interface EventStream {
  /** Every frame, typed; unknown types are delivered too (type string is whatever arrived). */
  onEvent(handler: (event: LxdEvent) => void): () => void;
  /** Called after a reconnect (not the first connect): events were missed, re-list everything. */
  onReconnect(handler: () => void): () => void;
  onStatus(handler: (status: EventStreamStatus, error?: Error) => void): () => void;
  readonly status: EventStreamStatus;
  /**
   * While disconnected: try again now rather than at the end of the backoff (the caller knows the
   * daemon is back, e.g. a REST call just succeeded). No-op otherwise.
   */
  reconnectNow?(): void;
  close(): void;
}

/** One instance of a `recursion=2` list, reduced to what a poll round needs. */
export interface InstanceStateEntry {
  name: string;
  project: string;
  status: string;
  /** Null when the entry carried no state object. */
  state: InstanceState | null;
  /** Snapshot count when the entry listed them (null: not listed). */
  snapshots: number | null;
}

/** Where `metrics()` reads: one project (default: the client's), every project, one cluster member. */
export interface MetricsOptions {
  project?: string;
  /** Every project in one request (no `?project=`): the daemon merges its per-project caches. */
  allProjects?: boolean;
  /** Cluster member (`?target=`): a member's metrics cover only the instances it runs. */
  target?: string;
  /** Deadline for the answer, ms (default: the transport's, 30 s). */
  timeoutMs?: number;
}

/** One `GET /1.0/metrics` answer, parsed (see metrics.ts for what the figures mean). */
export interface MetricsAnswer {
  /** Epoch ms the request left and the answer was complete (the time base: see store/metrics-time.ts). */
  sentAt: number;
  receivedAt: number;
  /** Every running instance the answer covers, with its figures. */
  instances: InstanceFigures[];
  /** Size of the text, bytes. */
  bytes: number;
}

export interface LxdApi {
  /** `GET /1.0`, cached after the first call; `refresh` forces a new read. */
  server(refresh?: boolean): Promise<ServerInfo>;
  /** The project this client acts in by default. */
  readonly project: string;
  /** An object's editable fields and ETag (`lxtop edit`: src/lxd/editable.ts). */
  readEditable?(target: EditTarget): Promise<Editable>;
  /** Writes them back with If-Match (412 when the object changed since it was read). */
  writeEditable?(target: EditTarget, body: Record<string, unknown>, etag: string | null): Promise<void>;
  /** One plain request, envelope parsed (profiles, networks, storage: src/lxd/resources.ts). */
  request?<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<LxdResponse<T>>;
  /** Every project is open to it: a unix socket (local or forwarded over ssh) has no certificate to
   *  restrict it, where an HTTPS client's may be (and the server then refuses `all-projects`). */
  readonly seesEveryProject?: boolean;

  listInstances(opts?: ScopeOptions): Promise<Instance[]>;
  getInstance(name: string, opts?: ScopeOptions): Promise<{ instance: Instance; etag: string | null }>;
  instanceState(name: string, opts?: ScopeOptions): Promise<InstanceState>;
  /**
   * The state of every instance in the scope in one request (`recursion=2`; with `runningOnly`,
   * only running ones where the server can filter). Null when the server cannot list states (no
   * `container_full`): ask `instanceState` per instance. Optional: fakes may leave it out.
   */
  listInstanceStates?(opts?: ScopeOptions & { runningOnly?: boolean }): Promise<InstanceStateEntry[] | null>;
  /**
   * `GET /1.0/metrics`, parsed into per-instance figures (CPU seconds, memory, network byte
   * counters, processes; no IPv4, no disk usage). Rejects with an LxdError: `http` when the server
   * refuses (403 for a certificate that may not read metrics, 404 on a server without them),
   * `protocol` for an answer that is not OpenMetrics text (or a server without the `metrics`
   * extension: `local`, nothing sent), `network` / `timeout` as any call. Optional: fakes may leave it out.
   */
  metrics?(opts?: MetricsOptions): Promise<MetricsAnswer>;
  createInstance(opts: CreateInstanceOptions): Promise<Operation>;
  /** PUT state. `force` only for stop; `timeout` in seconds for graceful stop. */
  changeState(
    name: string,
    action: StateAction,
    opts?: ScopeOptions & { force?: boolean; timeout?: number },
  ): Promise<Operation>;
  renameInstance(name: string, newName: string, opts?: ScopeOptions): Promise<Operation>;
  deleteInstance(name: string, opts?: ScopeOptions): Promise<Operation>;

  listSnapshots(name: string, opts?: ScopeOptions): Promise<Snapshot[]>;
  createSnapshot(name: string, snapshot: string, opts?: ScopeOptions & { stateful?: boolean }): Promise<Operation>;
  restoreSnapshot(name: string, snapshot: string, opts?: ScopeOptions): Promise<Operation>;
  deleteSnapshot(name: string, snapshot: string, opts?: ScopeOptions): Promise<Operation>;
  renameSnapshot?(name: string, snapshot: string, newName: string, opts?: ScopeOptions): Promise<Operation>;
  /** PATCH the instance's config keys (the rest stays). */
  patchInstance?(name: string, patch: { config?: Record<string, string>; profiles?: string[] }, opts?: ScopeOptions & { etag?: string | null }): Promise<void>;

  listImages(opts?: ScopeOptions): Promise<Image[]>;
  listImageAliases(opts?: ScopeOptions): Promise<ImageAlias[]>;
  deleteImage(fingerprint: string, opts?: ScopeOptions): Promise<Operation>;

  listOperations(opts?: ScopeOptions): Promise<Operation[]>;
  getOperation(id: string): Promise<Operation>;
  /** Waits at most `timeoutSeconds` (bounded; default 30). Same outcome shape on LXD and Incus. */
  waitOperation(id: string, timeoutSeconds?: number): Promise<OperationOutcome>;
  cancelOperation(id: string): Promise<void>;

  listProjects(): Promise<Project[]>;
  /** Empty when the server is not clustered. */
  listClusterMembers(): Promise<ClusterMember[]>;

  exec(name: string, opts: ExecOptions): Promise<ExecSession>;
  /**
   * Opens `/1.0/operations/<id>/websocket?secret=…` (a `ws` WebSocket, binaryType nodebuffer).
   * Add message listeners in `attach` (run in the 'open' event): a short command's whole output can
   * arrive with the 101 answer and is emitted before the returned promise's continuation runs.
   */
  operationWebsocket(
    operationId: string,
    secret: string,
    attach?: (ws: import('ws').WebSocket) => void,
  ): Promise<import('ws').WebSocket>;

  /** The names of an instance's log files (`lxc.log`, `lxc.conf`, `qemu.log`…). Optional: fakes may leave it out. */
  instanceLogs?(name: string, opts?: ScopeOptions): Promise<string[]>;
  /** One log file's text from byte `from` on (see logs.ts: ranges, a rotated file). */
  instanceLog?(name: string, file: string, opts?: ScopeOptions & { from?: number }): Promise<LogText>;
  /** The instance's files: list, stat, pull, push (streamed), delete (files.ts). */
  instanceFiles?(name: string, opts?: ScopeOptions): InstanceFiles;
  /** The console log (`lxc console --show-log`), whole; extension `console`. */
  consoleLog?(name: string, opts?: ScopeOptions): Promise<LogText>;
  /**
   * Attaches to the instance's console (`POST …/console`, type console; extension `console`): an
   * operation whose websockets are fd "0" (both ways) and "control" (window-resize), as exec's.
   */
  console?(name: string, opts: ScopeOptions & { width: number; height: number }): Promise<ExecSession>;

  /**
   * The header's meters (host.ts), each gated on its extension (a server without it: rejects with
   * a `local` LxdError, nothing sent). `target`: a cluster member. Optional: fakes may leave them out.
   */
  hostResources?(target?: string): Promise<HostFigures>;
  /** A cluster member's load, processes and pools in one answer (`cluster_member_state`). */
  memberState?(name: string): Promise<HostFigures>;
  /** The storage pools' names. */
  storagePools?(): Promise<string[]>;
  /** A pool's space on this server or on `target`; null when its answer has none. */
  poolUse?(pool: string, target?: string): Promise<PoolUse | null>;
  /** `GET /1.0/warnings?recursion=1` (extension `warnings`), every project. */
  listWarnings?(): Promise<Warning[]>;
  /** `PUT /1.0/warnings/UUID` with the status (`acknowledged`, or `new` again). */
  setWarningStatus?(uuid: string, status: 'acknowledged' | 'new'): Promise<void>;
  deleteWarning?(uuid: string): Promise<void>;

  events(opts?: EventStreamOptions): EventStream;
  close(): Promise<void>;
}
