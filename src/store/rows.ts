// Rows the selectors produce (see selectors.ts).
import type { Progress } from '../lxd/progress.js';
import type { Image, Instance } from '../lxd/types.js';
import type { ImageKey, InstanceKey, OperationKey, TrackedOperation } from './state.js';

export interface InstanceMetrics {
  /** Percent of one CPU (can exceed 100 on several cores); null until two samples exist. */
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryPeakBytes: number | null;
  memoryTotalBytes: number | null;
  /** Bytes/s summed over interfaces except `lo`; null until two samples exist. */
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  processes: number | null;
  /** First global IPv4 address, excluding `lo`. */
  ipv4: string | null;
  diskBytes: number | null;
}

export interface InstanceRow {
  key: InstanceKey;
  instance: Instance;
  metrics: InstanceMetrics;
  marked: boolean;
}

export interface ImageRow {
  key: ImageKey;
  image: Image;
  /** First alias name, or '' */
  alias: string;
  os: string;
  marked: boolean;
}

export interface OperationRow {
  key: OperationKey;
  tracked: TrackedOperation;
  /** Instance names from `resources.instances` (URLs reduced to names). */
  instances: string[];
  /** The daemon's progress figures (src/lxd/progress.ts), null when it sends none. */
  progress: Progress | null;
}

export type StatusCounts = Record<string, number> & { total: number };
