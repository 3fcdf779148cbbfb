// Shapes of the LXD / Incus REST API as lxtop reads them. Fields the servers may omit or send as
// null are typed that way on purpose: callers must cope (see docs/lxd-api.md).

export type ServerKind = 'lxd' | 'incus';

export interface ServerInfo {
  kind: ServerKind;
  version: string;
  apiExtensions: string[];
  auth: 'trusted' | 'untrusted' | string;
  serverName: string;
  clustered: boolean;
  certificateFingerprint: string | null;
  project: string;
  /** Raw `GET /1.0` metadata, for what is not lifted above. */
  raw: Record<string, unknown>;
}

export interface Instance {
  name: string;
  status: string; // Running, Stopped, Frozen, Error, ...
  status_code: number;
  type: 'container' | 'virtual-machine' | string;
  architecture: string;
  created_at: string;
  last_used_at?: string;
  location: string; // "none" unless clustered
  project: string;
  description?: string;
  ephemeral?: boolean;
  stateful?: boolean;
  profiles: string[];
  config: Record<string, string>;
  devices: Record<string, Record<string, string>>;
  expanded_config?: Record<string, string>;
  expanded_devices?: Record<string, Record<string, string>>;
  /** Only with recursion=2; may be null. */
  snapshots?: Snapshot[] | null;
  state?: InstanceState | null;
  /** lxtop's own, not the server's: the remote it came from, in the fleet view. */
  remote?: string;
}

export interface NetworkAddress {
  family: 'inet' | 'inet6' | string;
  address: string;
  netmask: string;
  scope: string;
}

export interface NetworkState {
  addresses: NetworkAddress[] | null;
  counters: {
    bytes_received: number;
    bytes_sent: number;
    packets_received?: number;
    packets_sent?: number;
  } | null;
  hwaddr?: string;
  host_name?: string;
  mtu?: number;
  state?: string;
  type?: string;
}

export interface InstanceState {
  status: string;
  status_code: number;
  cpu: { usage: number } | null;
  memory: { usage: number; usage_peak?: number; total?: number; swap_usage?: number } | null;
  network: Record<string, NetworkState> | null;
  disk: Record<string, { usage: number; total?: number }> | null;
  pid: number;
  processes: number;
}

export interface Snapshot {
  name: string;
  created_at: string;
  expires_at?: string;
  stateful: boolean;
  size?: number;
}

export interface ImageAlias {
  name: string;
  description?: string;
  target?: string;
  type?: string;
}

export interface Image {
  fingerprint: string;
  aliases: ImageAlias[] | null;
  properties: Record<string, string> | null;
  public: boolean;
  architecture: string;
  type: 'container' | 'virtual-machine' | string;
  size: number;
  filename?: string;
  created_at: string;
  uploaded_at: string;
  last_used_at?: string;
  expires_at?: string;
  auto_update?: boolean;
  cached?: boolean;
  project?: string;
}

export type OperationClass = 'task' | 'websocket' | 'token';

export interface Operation {
  id: string;
  class: OperationClass | string;
  description: string;
  created_at: string;
  updated_at: string;
  status: string; // Running, Success, Failure, Cancelled, ...
  status_code: number;
  resources: Record<string, string[]> | null;
  metadata: Record<string, unknown> | null;
  may_cancel: boolean;
  err: string;
  location: string;
  project?: string;
}

/** What waiting for an operation tells, the same on LXD and Incus. */
export interface OperationOutcome {
  status: 'Success' | 'Failure' | 'Cancelled' | 'Running';
  /** Server's error text, '' on success. */
  err: string;
  /** Exec operations: `metadata.return`, else null. */
  returnCode: number | null;
  operation: Operation | null;
}

export interface Project {
  name: string;
  description: string;
  config: Record<string, string>;
  used_by?: string[] | null;
}

export interface ClusterMember {
  server_name: string;
  url: string;
  status: string; // Online, Offline, Evacuated, Blocked
  message: string;
  roles: string[] | null;
  architecture: string;
  failure_domain?: string;
  database?: boolean;
}

export type EventType = 'lifecycle' | 'operation' | 'logging';

export interface LifecycleEvent {
  type: 'lifecycle';
  timestamp: string;
  location?: string;
  project?: string;
  metadata: {
    action: string; // instance-started, instance-renamed, ...
    source: string; // /1.0/instances/x or /1.0/instances/x/snapshots/s (may carry ?project=)
    context?: Record<string, unknown> | null;
    requestor?: Record<string, unknown> | null;
    name?: string;
    project?: string;
  };
}

export interface OperationEvent {
  type: 'operation';
  timestamp: string;
  location?: string;
  project?: string;
  metadata: Operation;
}

export interface LoggingEvent {
  type: 'logging';
  timestamp: string;
  location?: string;
  project?: string;
  metadata: { message: string; level: string; context?: Record<string, string> };
}

export type LxdEvent = LifecycleEvent | OperationEvent | LoggingEvent;
