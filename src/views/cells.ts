// Pure presentation: a resource row from the selectors → the text of its table cells. Tested
// against JSON recorded from the real daemons (test/fixtures/).
import { progressText } from '../store/progress-text.js';
import type { ImageRow, InstanceRow, OperationRow } from '../store/index.js';
import type { ColumnSpec } from './columns.js';
import { formatAge, formatBytes, formatDate, formatPercent, formatRate } from './format.js';

export const INSTANCE_COLUMNS: readonly ColumnSpec[] = [
  { id: 'remote', title: 'REMOTE', min: 6, max: 20, priority: 1 },
  { id: 'project', title: 'PROJECT', min: 7, max: 20, priority: 1 },
  { id: 'name', title: 'NAME', min: 8, max: 32, priority: 0, sort: 'name', greedy: true },
  { id: 'status', title: 'STATUS', min: 7, max: 8, priority: 1, sort: 'status' },
  { id: 'type', title: 'TYPE', min: 4, priority: 7 },
  { id: 'cpu', title: 'CPU%', min: 6, align: 'right', priority: 2, sort: 'cpu' },
  // Shown with H: the last HISTORY_CELLS samples of CPU % (history-draw.ts), newest on the right.
  { id: 'history', title: 'CPU HIST', min: 12, align: 'right', priority: 2 },
  { id: 'memory', title: 'MEM', min: 8, align: 'right', priority: 3, sort: 'memory' },
  { id: 'rx', title: 'RX', min: 10, align: 'right', priority: 6, sort: 'rx' },
  { id: 'tx', title: 'TX', min: 10, align: 'right', priority: 6, sort: 'tx' },
  { id: 'processes', title: 'PROCS', min: 5, align: 'right', priority: 5, sort: 'processes' },
  { id: 'ipv4', title: 'IPV4', min: 7, max: 15, priority: 4 },
  { id: 'location', title: 'LOCATION', min: 8, max: 20, priority: 10 },
  { id: 'snapshots', title: 'SNAPS', min: 5, align: 'right', priority: 9 },
  { id: 'age', title: 'AGE', min: 4, align: 'right', priority: 8, sort: 'age' },
];

/** Samples in the CPU history cell: the column's width. */
export const HISTORY_CELLS = 12;

/**
 * LOCATION only means something on a cluster, PROJECT only when every project is listed, REMOTE
 * only in the fleet view, the CPU history when asked for (H).
 */
export function instanceColumns(clustered: boolean, allProjects = false, fleet = false, history = false): readonly ColumnSpec[] {
  return INSTANCE_COLUMNS.filter(
    (c) =>
      (c.id !== 'location' || clustered) &&
      (c.id !== 'project' || allProjects) &&
      (c.id !== 'remote' || fleet) &&
      (c.id !== 'history' || history),
  );
}

export function instanceType(type: string | undefined): string {
  if (type === 'container') return 'CT';
  if (type === 'virtual-machine') return 'VM';
  return type || '-';
}

export function instanceCells(row: InstanceRow, now: number, snapshotCount?: number | null): Record<string, string> {
  const i = row.instance;
  const m = row.metrics;
  const running = i.status === 'Running' || i.status === 'Frozen';
  const count = snapshotCount ?? (Array.isArray(i.snapshots) ? i.snapshots.length : null);
  return {
    remote: i.remote ?? '-',
    project: i.project || 'default',
    name: i.name,
    status: i.status || 'Unknown',
    type: instanceType(i.type),
    cpu: running ? formatPercent(m.cpuPercent) : '-',
    memory: running ? formatBytes(m.memoryBytes) : '-',
    rx: running ? formatRate(m.rxBytesPerSec) : '-',
    tx: running ? formatRate(m.txBytesPerSec) : '-',
    processes: running && m.processes !== null ? String(m.processes) : '-',
    ipv4: m.ipv4 ?? '-',
    location: i.location && i.location !== 'none' ? i.location : '-',
    snapshots: count === null ? '-' : String(count),
    age: formatAge(i.created_at, now),
  };
}

export const IMAGE_COLUMNS: readonly ColumnSpec[] = [
  { id: 'alias', title: 'ALIAS', min: 8, max: 24, priority: 0, sort: 'alias' },
  { id: 'fingerprint', title: 'FINGERPRINT', min: 12, priority: 1, sort: 'fingerprint' },
  { id: 'os', title: 'OS', min: 8, max: 20, priority: 3, sort: 'os' },
  { id: 'description', title: 'DESCRIPTION', min: 11, max: 40, priority: 6, greedy: true },
  { id: 'architecture', title: 'ARCH', min: 6, max: 8, priority: 5 },
  { id: 'type', title: 'TYPE', min: 4, priority: 4, sort: 'type' },
  { id: 'size', title: 'SIZE', min: 8, align: 'right', priority: 2, sort: 'size' },
  { id: 'uploaded', title: 'UPLOADED', min: 16, priority: 7, sort: 'created' },
];

export function imageCells(row: ImageRow): Record<string, string> {
  const img = row.image;
  const aliases = (img.aliases ?? []).map((a) => a?.name).filter((n): n is string => typeof n === 'string' && n !== '');
  return {
    alias: aliases.length > 1 ? `${aliases[0]} +${aliases.length - 1}` : aliases[0] ?? '-',
    fingerprint: (img.fingerprint ?? '').slice(0, 12),
    os: row.os || '-',
    description: img.properties?.description || '-',
    architecture: img.architecture || '-',
    type: instanceType(img.type),
    size: formatBytes(img.size),
    uploaded: formatDate(img.uploaded_at || img.created_at),
  };
}

export const OPERATION_COLUMNS: readonly ColumnSpec[] = [
  { id: 'description', title: 'DESCRIPTION', min: 12, max: 32, priority: 0, sort: 'description', greedy: true },
  { id: 'status', title: 'STATUS', min: 9, max: 11, priority: 1, sort: 'status' },
  { id: 'progress', title: 'PROGRESS', min: 8, max: 24, priority: 3 },
  { id: 'resources', title: 'RESOURCES', min: 9, max: 30, priority: 2 },
  { id: 'age', title: 'AGE', min: 4, align: 'right', priority: 4, sort: 'created' },
  { id: 'error', title: 'ERROR', min: 5, max: 80, priority: 5, greedy: true },
];

/** `/1.0/instances/web/snapshots/s1?project=p` → `web/s1`; images and others by their last segment. */
export function operationResources(op: { resources: Record<string, string[]> | null }): string[] {
  const out: string[] = [];
  const res = op.resources ?? {};
  const urls = Array.isArray(res.instances) ? res.instances : Array.isArray(res.containers) ? res.containers : [];
  for (const url of urls) {
    if (typeof url !== 'string') continue;
    const parts = url.split('?')[0].split('/').filter(Boolean);
    const at = parts.findIndex((p) => p === 'instances' || p === 'containers');
    const rest = (at >= 0 ? parts.slice(at + 1) : parts.slice(-1)).filter((p) => p !== 'snapshots');
    const name = rest.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    }).join('/');
    if (name && !out.includes(name)) out.push(name);
  }
  for (const [kind, list] of Object.entries(res)) {
    if (kind === 'instances' || kind === 'containers' || !Array.isArray(list)) continue;
    for (const url of list) {
      const last = typeof url === 'string' ? url.split('?')[0].split('/').filter(Boolean).pop() : undefined;
      if (last) out.push(`${kind.replace(/s$/, '')} ${kind === 'images' ? last.slice(0, 12) : last}`);
    }
  }
  return out;
}

export function operationCells(row: OperationRow, now: number): Record<string, string> {
  const op = row.tracked.operation;
  const created = op.created_at || null;
  return {
    description: op.description || op.class || '-',
    status: op.status || '-',
    // No figures: '-' (STATUS already spins while it runs); a finished one keeps its last percentage.
    progress: row.progress === null ? '-' : row.tracked.finishedAt === null ? progressText(row.progress, now) : row.progress.percent !== null ? `${Math.round(row.progress.percent)}%` : '-',
    resources: operationResources(op).join(', ') || '-',
    age: created ? formatAge(created, now) : formatAge(new Date(row.tracked.firstSeenAt).toISOString(), now),
    error: op.err || '',
  };
}

export function isOperationRunning(row: OperationRow): boolean {
  return row.tracked.finishedAt === null;
}
