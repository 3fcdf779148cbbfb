// The state of the TUI, outside React, and the contracts around it: the action union the reducers
// accept, the `Store` (useSyncExternalStore-compatible) and the `Controller` the views call.
// Everything here is plain data: times are epoch milliseconds carried by the actions, so reducers
// stay pure. Additive changes only: the views code against these types.
import type { EventRow } from './event-log.js';
import type { HistoryReader } from './history.js';
import type { EventStreamStatus } from '../lxd/api.js';
import type { HostFigures, Warning } from '../lxd/host.js';
import type { ClusterMember, Image, Instance, InstanceState, LxdEvent, Operation, ServerInfo } from '../lxd/types.js';
import type { ConfirmDialog, DetailDialog, HelpDialog, PickerDialog, PromptDialog } from './dialogs.js';

// ---------------------------------------------------------------------------------------------
// Keys

/** `project/name`: instances are keyed by project and name (project names cannot contain `/`). */
export type InstanceKey = string;

export function instanceKey(project: string, name: string): InstanceKey {
  return `${project}/${name}`;
}

/** A key in the fleet view, which prefixes every remote's keys with `remote:` (src/fleet/keys.ts). */
export function fleetKey(remote: string, key: string): string {
  return `${remote}:${key}`;
}

export function parseInstanceKey(key: InstanceKey): { project: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { project: 'default', name: key };
  return { project: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Images are keyed by fingerprint, operations by id. */
export type ImageKey = string;
export type OperationKey = string;

// ---------------------------------------------------------------------------------------------
// Data slices

export type RestStatus = 'connecting' | 'ok' | 'down';

export interface ConnectionState {
  rest: RestStatus;
  /** The last REST error text, verbatim; kept after recovery for the log/detail, cleared by nothing. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** When the controller will try again while `rest` is down. */
  nextRetryAt: number | null;
  events: EventStreamStatus;
  eventsError: string | null;
  /** Time (ms) the last event frame arrived. */
  lastEventAt: number | null;
  /** The event stream dropped and has not come back yet. */
  eventsLost: boolean;
  /** Show the "reconnecting…" banner: REST down, or the event stream lost after it was connected. */
  reconnecting: boolean;
  /** Time of the last successful full list. */
  lastSyncAt: number | null;
}

/** Where a sample's figures come from: a `GET …/state` (the default) or `/1.0/metrics`. */
export type SampleSource = 'state' | 'metrics';

/**
 * One `GET …/state` answer and the wall time (ms) it arrived; or one instance's figures from
 * `/1.0/metrics` shaped as a state (no addresses, no disk usage) at the time the daemon computed
 * them (see metrics-time.ts).
 */
export interface StateSample {
  at: number;
  state: InstanceState;
  /** Absent: `state`. */
  source?: SampleSource;
  /** The figures may be as old as this (a metrics cache hit: the computation time is a range); absent: `at`. */
  earliest?: number;
}

/** One entry of `instance/samples`. */
export interface SampleEntry {
  key: InstanceKey;
  state: InstanceState;
  at: number;
  snapshots?: number | null;
  /** Absent: `state`. Metrics samples never change an instance's status (they may be cached). */
  source?: SampleSource;
  earliest?: number;
}

/**
 * The last two samples of an instance: rates come from these, never stored twice. `prev` and
 * `last` always come from the same source (the two count CPU a little differently); the latest
 * sample of the other source is kept beside them: IPv4 and disk usage exist only in `/state`, and
 * a metrics sample is the baseline of the next when `/state` sampling of the row stops.
 */
export interface SamplePair {
  prev: StateSample | null;
  last: StateSample;
  /** The latest `/state` sample when `last` comes from the metrics. */
  state?: StateSample;
  /** The latest metrics sample when `last` comes from `/state`. */
  metrics?: StateSample;
}

/** How the figures are sampled now (set by the controller's sampler; the header shows it). */
export interface SamplingStatus {
  /** The daemon budget, a fraction of one core (0: events only, nothing sampled). */
  budget: number;
  /** How the visible rows' figures are read. */
  via: 'metrics' | 'state' | 'none';
  /** The rows' effective refresh, ms (null: none). */
  refreshMs: number | null;
  /** The selected instance's refresh, ms (null: none). */
  selectedMs: number | null;
  /** When the oldest figures on screen were measured, at the earliest (epoch ms); null: none shown. */
  figuresAt: number | null;
}

export type OperationOutcomeStatus = 'Success' | 'Failure' | 'Cancelled';

export interface TrackedOperation {
  operation: Operation;
  firstSeenAt: number;
  /** Set when the operation reached Success/Failure/Cancelled; pruned a few seconds later. */
  finishedAt: number | null;
  outcome: OperationOutcomeStatus | null;
}

export type StatusLevel = 'info' | 'error';

export interface StatusLine {
  text: string;
  level: StatusLevel;
  at: number;
}

import type { SessionRow } from './slices/sessions.js';

export type { SessionRow } from './slices/sessions.js';

// ---------------------------------------------------------------------------------------------
// UI slice: everything needed to put the panes back exactly after the exec console remounts Ink.

export type PaneId = 'instances' | 'images' | 'operations' | 'sessions';
/** The panes in their one order: the tab line, Tab / Shift-Tab, keys 1 2 3 5. */
export const PANES: readonly PaneId[] = ['instances', 'images', 'operations', 'sessions'];

export type InstanceSortColumn = 'name' | 'status' | 'cpu' | 'memory' | 'rx' | 'tx' | 'processes' | 'age';
export type ImageSortColumn = 'alias' | 'fingerprint' | 'os' | 'size' | 'created' | 'type';
export type OperationSortColumn = 'created' | 'status' | 'description' | 'class';
export type SessionSortColumn = 'started' | 'instance' | 'state' | 'output';
export interface SortColumns {
  instances: InstanceSortColumn;
  images: ImageSortColumn;
  operations: OperationSortColumn;
  sessions: SessionSortColumn;
}
export type SortDirection = 'asc' | 'desc';

export interface PaneUi<C extends string> {
  /** Selected row by key, not index: live updates do not move the cursor. */
  selected: string | null;
  /** First visible row index. */
  scroll: number;
  filter: string;
  sort: { column: C; direction: SortDirection };
  /** Marked rows (space) for bulk actions. */
  marked: readonly string[];
}

export type {
  CommandIntent,
  ConfirmDialog,
  ConfirmIntent,
  DetailDialog,
  HelpDialog,
  InstanceDetail,
  PickerDialog,
  PickerIntent,
  PickerItem,
  PromptDialog,
  PromptIntent,
} from './dialogs.js';

/**
 * The dialog kinds, as a map so other modules can add kinds without editing this file:
 *   declare module '../store/state.js' { interface DialogKinds { mine: MyDialog } }
 * (each added type must have `kind: 'mine'`).
 */
export interface DialogKinds {
  confirm: ConfirmDialog;
  prompt: PromptDialog;
  picker: PickerDialog;
  detail: DetailDialog;
  help: HelpDialog;
}
export type Dialog = DialogKinds[keyof DialogKinds];

export interface UiState {
  focus: PaneId;
  panes: { [P in PaneId]: PaneUi<SortColumns[P]> };
  dialog: Dialog | null;
  /** The instances table shows the CPU history column (H); absent: hidden. */
  historyColumn?: boolean;
}

/** One remote of the fleet view (several remotes in one table): its own server and connection. */
export interface FleetRemote {
  name: string;
  /** Where it is: `unix:/path` or the HTTPS URL. */
  addr: string;
  server: ServerInfo | null;
  connection: ConnectionState;
  instances: number;
  /** While it is not answering: why (the server's or the network's words), else null. */
  error: string | null;
}

// ---------------------------------------------------------------------------------------------
// The whole state

/** One meter of the header: the server (name '') or a cluster member (host-meters.ts). */
export interface HostMeter {
  name: string;
  /** `offline`: the member list says so (nothing asked of it); `error`: its answer failed. */
  status: 'ok' | 'offline' | 'error';
  /** The member list's status or the error, for `offline` and `error`. */
  detail: string;
  figures: HostFigures | null;
}

export interface State {
  server: ServerInfo | null;
  connection: ConnectionState;
  /** Set by the app from its options; actions are refused in the controller when true. */
  readOnly: boolean;
  /** The exec console has the terminal: the controller is paused. */
  paused: boolean;
  /** Listing every project (`--all-projects`): the instances table shows a PROJECT column. */
  allProjects: boolean;
  /** Cluster members (`GET /1.0/cluster/members`); null until listed or when not clustered. */
  members: readonly ClusterMember[] | null;
  /** The fleet view: every remote in the table (instance keys are then `remote:project/name`); null otherwise. */
  fleet: readonly FleetRemote[] | null;
  instances: Readonly<Record<InstanceKey, Instance>>;
  samples: Readonly<Record<InstanceKey, SamplePair>>;
  /** How the figures are sampled (null: no controller has said yet). */
  sampling: SamplingStatus | null;
  /** Snapshots per instance, when known (fetched for visible rows, refreshed on snapshot events). */
  snapshotCounts: Readonly<Record<InstanceKey, number>>;
  images: Readonly<Record<ImageKey, Image>>;
  operations: Readonly<Record<OperationKey, TrackedOperation>>;
  status: StatusLine | null;
  /** The flight recorder: every event frame as a row, newest first, the last 10,000 (event-log.ts). */
  eventLog: readonly EventRow[];
  /** The header's meters, one per member (one for a standalone server); null until read. */
  meters: readonly HostMeter[] | null;
  /** `/1.0/warnings`; null until listed or where the server has none (no `warnings` extension). */
  warnings: readonly Warning[] | null;
  /** The session holder's sessions (src/sessions), as it last pushed them; by id. */
  sessions: Readonly<Record<string, SessionRow>>;
  ui: UiState;
}

// ---------------------------------------------------------------------------------------------
// Actions

export type Action =
  // data from the controller
  | { type: 'server/loaded'; server: ServerInfo }
  | { type: 'rest/ok'; at: number }
  | { type: 'rest/down'; error: string; at: number; nextRetryAt: number | null }
  | { type: 'events/status'; status: EventStreamStatus; error?: string | null; at: number }
  | { type: 'event'; event: LxdEvent; at: number; /** Another project's frame: the events view's, nothing else's. */ recordOnly?: boolean }
  /** Full list: replaces the instances of `project` (null: every project). */
  | { type: 'instances/loaded'; instances: Instance[]; project: string | null; at: number }
  | { type: 'instance/upsert'; instance: Instance }
  | { type: 'instance/removed'; key: InstanceKey }
  | { type: 'instance/renamed'; key: InstanceKey; newName: string }
  | { type: 'instance/status'; key: InstanceKey; status: string }
  | { type: 'instance/sample'; key: InstanceKey; state: InstanceState; at: number }
  /**
   * A poll round's samples in one update (one frame): each as `instance/sample`; `snapshots` (a
   * count from a `recursion=2` list) fills the count only when none is known yet.
   */
  | { type: 'instance/samples'; samples: readonly SampleEntry[] }
  | { type: 'instance/snapshots'; key: InstanceKey; count: number }
  | { type: 'sampling/status'; status: SamplingStatus | null }
  | { type: 'images/loaded'; images: Image[] }
  | { type: 'members/loaded'; members: ClusterMember[] }
  | { type: 'meters/loaded'; meters: readonly HostMeter[] }
  | { type: 'warnings/loaded'; warnings: readonly Warning[] }
  /** Another project (or every project): the data and the panes start afresh for the new scope. */
  | { type: 'scope/reset'; allProjects: boolean; /** Another server: its info and members are not known yet. */ server?: boolean }
  | { type: 'image/removed'; fingerprint: string }
  | { type: 'operations/loaded'; operations: Operation[]; at: number }
  | { type: 'operation/upsert'; operation: Operation; at: number }
  /** Drop finished operations older than `olderThanMs`. */
  | { type: 'operations/prune'; at: number; olderThanMs?: number }
  | { type: 'status/set'; text: string; level: StatusLevel; at: number }
  | { type: 'status/clear' }
  | { type: 'session/set'; readOnly?: boolean; paused?: boolean; allProjects?: boolean }
  /** The session holder's list (the whole of it, pushed on every change). */
  | { type: 'sessions/loaded'; sessions: readonly SessionRow[] }
  // UI
  | { type: 'ui/focus'; pane: PaneId }
  | { type: 'ui/select'; pane: PaneId; key: string | null }
  | { type: 'ui/scroll'; pane: PaneId; scroll: number }
  | { type: 'ui/filter'; pane: PaneId; filter: string }
  /** Same column again toggles the direction unless `direction` is given. */
  | { type: 'ui/sort'; pane: PaneId; column: string; direction?: SortDirection }
  | { type: 'ui/mark'; pane: PaneId; key: string }
  | { type: 'ui/marks'; pane: PaneId; keys: readonly string[] }
  /** Shows or hides the instances table's CPU history column (absent `on`: toggles). */
  | { type: 'ui/history-column'; on?: boolean }
  | { type: 'dialog/open'; dialog: Dialog }
  | { type: 'dialog/close' };

// ---------------------------------------------------------------------------------------------
// Store contract (the controller's is in controller-types.ts, rows in rows.ts; re-exported here)

export type { ActionResult, Controller, ControllerOptions } from './controller-types.js';
export type { ImageRow, InstanceMetrics, InstanceRow, OperationRow, StatusCounts } from './rows.js';

export type Listener = () => void;

/** `useSyncExternalStore(store.subscribe, store.getState)` works as is. */
export interface Store {
  getState(): State;
  subscribe(listener: Listener): () => void;
  dispatch(action: Action): void;
  /** Each instance's recent figures (history.ts), recorded from the samples as they are reduced. */
  history?: HistoryReader;
}

// ---------------------------------------------------------------------------------------------
// Initial state

const DEFAULT_SORT: { [P in PaneId]: { column: SortColumns[P]; direction: SortDirection } } = {
  instances: { column: 'name', direction: 'asc' },
  images: { column: 'alias', direction: 'asc' },
  operations: { column: 'created', direction: 'desc' },
  sessions: { column: 'started', direction: 'asc' },
};

function emptyPane<P extends PaneId>(pane: P): PaneUi<SortColumns[P]> {
  return { selected: null, scroll: 0, filter: '', sort: { ...DEFAULT_SORT[pane] }, marked: [] };
}

export function createInitialState(opts: { readOnly?: boolean } = {}): State {
  return {
    server: null,
    connection: {
      rest: 'connecting',
      lastError: null,
      lastErrorAt: null,
      nextRetryAt: null,
      events: 'connecting',
      eventsError: null,
      lastEventAt: null,
      eventsLost: false,
      reconnecting: false,
      lastSyncAt: null,
    },
    readOnly: opts.readOnly ?? false,
    paused: false,
    allProjects: false,
    members: null,
    fleet: null,
    instances: {},
    samples: {},
    sampling: null,
    snapshotCounts: {},
    images: {},
    operations: {},
    status: null,
    eventLog: [],
    meters: null,
    warnings: null,
    sessions: {},
    ui: {
      focus: 'instances',
      panes: { instances: emptyPane('instances'), images: emptyPane('images'), operations: emptyPane('operations'), sessions: emptyPane('sessions') },
      dialog: null,
    },
  };
}
