// The resources views' model (pure): the dialog the store keeps while profiles (6), networks (7),
// storage pools (8) or one pool's volumes are listed, the columns of each kind and their lines, and
// the detail view's lines (the object as YAML).
import { stringify } from 'yaml';
import type { ResourceKind, ResourceRow } from '../lxd/resources.js';
import { formatLine, headerCells, layoutColumns, naturalWidths, type ColumnSpec } from './columns.js';
import { formatBytes, formatPercent } from './format.js';

export interface ResourcesDialog {
  kind: 'resources';
  what: ResourceKind;
  /** The pool whose volumes are listed (what: volumes). */
  pool?: string;
  loading: boolean;
  error: string | null;
  items: readonly ResourceRow[];
  selected: number;
  scroll: number;
}

declare module '../store/state.js' {
  interface DialogKinds {
    resources: ResourcesDialog;
  }
}

export const RESOURCE_TITLES: Record<ResourceKind, string> = {
  profiles: 'Profiles',
  networks: 'Networks',
  pools: 'Storage pools',
  volumes: 'Volumes',
};

/** The singular, for prompts and messages. */
export const RESOURCE_NOUN: Record<ResourceKind, string> = {
  profiles: 'profile',
  networks: 'network',
  pools: 'storage pool',
  volumes: 'volume',
};

const NAME: ColumnSpec = { id: 'name', title: 'NAME', min: 8, max: 40, priority: 0 };
const USED_BY: ColumnSpec = { id: 'usedBy', title: 'USED BY', min: 7, max: 7, priority: 2, align: 'right' };
const DESCRIPTION: ColumnSpec = { id: 'description', title: 'DESCRIPTION', min: 11, max: 60, priority: 6, greedy: true };

export const RESOURCE_COLUMNS: Record<ResourceKind, readonly ColumnSpec[]> = {
  profiles: [NAME, USED_BY, DESCRIPTION],
  networks: [
    NAME,
    { id: 'type', title: 'TYPE', min: 8, max: 10, priority: 1 },
    { id: 'managed', title: 'MANAGED', min: 7, max: 7, priority: 3 },
    { id: 'status', title: 'STATUS', min: 7, max: 12, priority: 4 },
    USED_BY,
    DESCRIPTION,
  ],
  pools: [
    NAME,
    { id: 'driver', title: 'DRIVER', min: 6, max: 8, priority: 1 },
    { id: 'status', title: 'STATUS', min: 7, max: 12, priority: 4 },
    { id: 'used', title: 'USED', min: 8, max: 8, priority: 2, align: 'right' },
    { id: 'total', title: 'TOTAL', min: 8, max: 8, priority: 2, align: 'right' },
    { id: 'percent', title: 'USE%', min: 5, max: 6, priority: 3, align: 'right' },
    USED_BY,
    DESCRIPTION,
  ],
  volumes: [
    { id: 'type', title: 'TYPE', min: 6, max: 16, priority: 1 },
    NAME,
    { id: 'content', title: 'CONTENT', min: 10, max: 10, priority: 3 },
    USED_BY,
    { id: 'location', title: 'MEMBER', min: 6, max: 16, priority: 5 },
    DESCRIPTION,
  ],
};

export function resourceCells(row: ResourceRow): Record<string, string> {
  const space = row.space;
  return {
    name: row.name,
    usedBy: String(row.usedBy),
    description: row.description || '',
    type: row.type || '-',
    managed: row.managed ? 'yes' : 'no',
    status: row.status || '-',
    driver: row.driver || '-',
    used: space ? formatBytes(space.used) : '-',
    total: space ? formatBytes(space.total) : '-',
    percent: space ? formatPercent((100 * space.used) / space.total) : '-',
    content: row.contentType || '-',
    location: row.location || '-',
  };
}

/** The header and the rows' lines at `width` (the member column only where volumes have one). */
export function resourceLines(what: ResourceKind, rows: readonly ResourceRow[], width: number): { header: string; lines: string[] } {
  const all = RESOURCE_COLUMNS[what];
  const specs = what === 'volumes' && !rows.some((r) => r.location !== '' && r.location !== 'none') ? all.filter((c) => c.id !== 'location') : all;
  const cells = rows.map(resourceCells);
  const columns = layoutColumns(specs, Math.max(1, width), naturalWidths(specs, cells));
  return { header: formatLine(columns, headerCells(columns, null)), lines: cells.map((c) => formatLine(columns, c)) };
}

/** The view's title line: what, where, how many, and how the read went. */
export function resourcesTitle(d: ResourcesDialog): string {
  const what = d.what === 'volumes' ? `Volumes of pool ${d.pool ?? ''}` : RESOURCE_TITLES[d.what];
  const state = d.error ? `  error: ${d.error}` : d.loading ? '  reading…' : '';
  return `${what}: ${d.items.length}${state}`;
}

/** The detail view's lines: the object as the daemon gives it, in YAML. */
export function resourceDetailLines(object: Record<string, unknown>): string[] {
  return stringify(object, { indent: 2, lineWidth: 0 }).trimEnd().split('\n');
}

/** The selection kept in range after a reload, and the scroll that shows it. */
export function clampSelection(selected: number, scroll: number, total: number, page: number): { selected: number; scroll: number } {
  const s = Math.max(0, Math.min(selected, total - 1));
  const p = Math.max(1, page);
  const top = s < scroll ? s : s >= scroll + p ? s - p + 1 : Math.min(scroll, Math.max(0, total - p));
  return { selected: s, scroll: Math.max(0, top) };
}
