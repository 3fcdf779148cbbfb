// Profiles, networks, storage pools and their volumes: listed, read whole, created and deleted
// through the client's plain `request` (the same envelope and errors as every call). Profiles,
// networks and volumes are asked in the client's project (`?project=`): the daemon answers from the
// default project where the project does not have that feature of its own. Pools are global.
import { EXT, hasExtension } from './capabilities.js';
import { LxdError } from './errors.js';
import { isObject } from './normalize.js';
import { parsePoolUse, type PoolUse } from './host.js';
import type { EditClient, EditTarget } from './editable.js';

export type ResourceKind = 'profiles' | 'networks' | 'pools' | 'volumes';

/** One row of a resources list, as the views need it (the whole object is read for the detail). */
export interface ResourceRow {
  name: string;
  description: string;
  /** Network: its type (bridge, physical…); volume: its type (custom, container, image…). */
  type: string;
  /** Network and pool: Created, Pending, Errored… ('' where the daemon gives none). */
  status: string;
  /** Pool: its driver (dir, zfs, btrfs…). */
  driver: string;
  /** Volume: filesystem, block or iso. */
  contentType: string;
  /** Network: lxd manages it (false: a host interface lxd only shows). */
  managed: boolean;
  usedBy: number;
  /** Pool: its space (null: not read, or its answer has none). */
  space: PoolUse | null;
  /** Cluster member of a volume ('' on a standalone server). */
  location: string;
}

const seg = encodeURIComponent;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The row of one list entry (a `recursion=1` object); null when it is not one. */
export function resourceRow(v: unknown): ResourceRow | null {
  if (!isObject(v) || typeof v.name !== 'string' || v.name === '') return null;
  return {
    name: v.name,
    description: str(v.description),
    type: str(v.type),
    status: str(v.status),
    driver: str(v.driver),
    contentType: str(v.content_type),
    managed: v.managed === true,
    usedBy: Array.isArray(v.used_by) ? v.used_by.length : 0,
    space: null,
    location: str(v.location),
  };
}

async function projectQuery(client: EditClient, sep: '?' | '&'): Promise<string> {
  const info = await client.server();
  if (!hasExtension(info, EXT.projects) || client.project === 'default') return '';
  return `${sep}project=${seg(client.project)}`;
}

/** The collection's path (with its project where it has one). */
async function collection(client: EditClient, kind: ResourceKind, pool?: string): Promise<string> {
  switch (kind) {
    case 'profiles':
      return `/1.0/profiles${await projectQuery(client, '?')}`;
    case 'networks':
      return `/1.0/networks${await projectQuery(client, '?')}`;
    case 'pools':
      return '/1.0/storage-pools';
    case 'volumes':
      return `/1.0/storage-pools/${seg(pool ?? '')}/volumes${await projectQuery(client, '?')}`;
  }
}

function withRecursion(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}recursion=1`;
}

/** A list, by name; a pool's space is read beside it (one `/resources` a pool, in parallel). */
export async function listResources(client: EditClient, kind: ResourceKind, pool?: string): Promise<ResourceRow[]> {
  const path = withRecursion(await collection(client, kind, pool));
  const res = await client.request<unknown>('GET', path);
  if (!Array.isArray(res.metadata)) throw new LxdError(`GET ${path}: the answer is not a list`, { kind: 'protocol', status: res.status, method: 'GET', path });
  const rows = res.metadata.map(resourceRow).filter((r): r is ResourceRow => r !== null);
  if (kind === 'pools' && hasExtension(await client.server(), EXT.resources)) {
    await Promise.all(
      rows.map(async (r) => {
        try {
          const use = await client.request<unknown>('GET', `/1.0/storage-pools/${seg(r.name)}/resources`);
          r.space = parsePoolUse(r.name, use.metadata);
        } catch {
          r.space = null; // a pool whose source is gone still lists
        }
      }),
    );
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
}

/** What `lxtop edit` and the detail view name an object of a list. Volumes: custom ones only. */
export function editTarget(kind: ResourceKind, row: Pick<ResourceRow, 'name' | 'type'> & { location?: string }, pool?: string): EditTarget | null {
  switch (kind) {
    case 'profiles':
      return { kind: 'profile', name: row.name };
    case 'networks':
      return { kind: 'network', name: row.name };
    case 'pools':
      return { kind: 'storage-pool', name: row.name };
    case 'volumes':
      // On a cluster a local pool's volume is on one member: asked there.
      if (row.type !== 'custom' || !pool) return null;
      return { kind: 'storage-volume', name: row.name, pool, ...(row.location && row.location !== 'none' ? { target: row.location } : {}) };
  }
}

/** One object's path (for the detail and the delete). */
async function objectPath(client: EditClient, t: EditTarget): Promise<string> {
  const q = t.kind === 'storage-pool' || t.kind === 'project' ? '' : await projectQuery(client, '?');
  switch (t.kind) {
    case 'profile':
      return `/1.0/profiles/${seg(t.name)}${q}`;
    case 'network':
      return `/1.0/networks/${seg(t.name)}${q}`;
    case 'storage-pool':
      return `/1.0/storage-pools/${seg(t.name)}`;
    case 'storage-volume': {
      const target = t.target ? `${q ? '&' : '?'}target=${seg(t.target)}` : '';
      return `/1.0/storage-pools/${seg(t.pool ?? '')}/volumes/custom/${seg(t.name)}${q}${target}`;
    }
    case 'project':
      return `/1.0/projects/${seg(t.name)}`;
    case 'instance':
      throw new Error('instances are not resources');
  }
}

/** The whole object, as the daemon gives it. */
export async function readResource(client: EditClient, t: EditTarget): Promise<Record<string, unknown>> {
  const path = await objectPath(client, t);
  const res = await client.request<unknown>('GET', path);
  if (!isObject(res.metadata)) throw new LxdError(`GET ${path}: the answer is not an object`, { kind: 'protocol', status: res.status, method: 'GET', path });
  return res.metadata as Record<string, unknown>;
}

/** An operation's failure as the server's refusal (volume creation may be one). */
async function settle(client: EditClient, res: { type: string; metadata: unknown }, what: string): Promise<void> {
  if (res.type !== 'async') return;
  const id = isObject(res.metadata) && typeof res.metadata.id === 'string' ? res.metadata.id : null;
  if (id === null) return;
  const outcome = await client.waitOperation(id, 60);
  if (outcome.status !== 'Success') throw new LxdError(outcome.err || `${what}: the operation ended ${outcome.status}`, { kind: 'http', status: 400 });
}

/**
 * Creates a profile, a bridge (the daemon picks its addresses unless `config` says, and refuses
 * when it finds no free subnet), a `dir` pool (its source in the daemon's own directory unless
 * `source` is given) or a custom filesystem volume, each with `config`.
 */
export async function createResource(client: EditClient, kind: ResourceKind, name: string, pool?: string, config: Record<string, string> = {}): Promise<void> {
  const path = await collection(client, kind, pool);
  const body: Record<string, unknown> =
    kind === 'profiles'
      ? { name, description: '', config, devices: {} }
      : kind === 'networks'
        ? { name, type: 'bridge', config }
        : kind === 'pools'
          ? { name, driver: 'dir', config }
          : { name, type: 'custom', content_type: 'filesystem', config };
  await settle(client, await client.request('POST', path, { body }), `create ${name}`);
}

export async function deleteResource(client: EditClient, t: EditTarget): Promise<void> {
  const path = await objectPath(client, t);
  await settle(client, await client.request('DELETE', path), `delete ${t.name}`);
}
