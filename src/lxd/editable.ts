// The objects `lxc config edit`, `lxc profile edit` and their kin edit: where each lives, which of
// its fields are the editable ones (what PUT takes), read with their ETag and written back with
// `If-Match`, so a change made meanwhile by anyone else is refused (412) instead of overwritten.
import { EXT, hasExtension, instancesPath } from './capabilities.js';
import { LxdError } from './errors.js';
import { isObject } from './normalize.js';
import type { OperationOutcome, ServerInfo } from './types.js';
import type { LxdResponse, CallOptions } from './request.js';

export type EditKind = 'instance' | 'profile' | 'network' | 'storage-pool' | 'storage-volume' | 'project';

export interface EditTarget {
  kind: EditKind;
  name: string;
  /** The storage pool of a volume. */
  pool?: string;
  /** The project (instances, profiles, networks, volumes); default: the client's. */
  project?: string;
  /** The cluster member a volume of a local pool (dir, zfs…) lives on (`?target=`). */
  target?: string;
}

export interface Editable {
  body: Record<string, unknown>;
  etag: string | null;
}

/** The fields each kind's PUT takes, in the order `lxc … edit` shows them. */
export const EDITABLE_FIELDS: Record<EditKind, readonly string[]> = {
  instance: ['architecture', 'config', 'devices', 'ephemeral', 'profiles', 'stateful', 'description'],
  profile: ['config', 'description', 'devices'],
  network: ['config', 'description'],
  'storage-pool': ['config', 'description'],
  'storage-volume': ['config', 'description'],
  project: ['config', 'description'],
};

/** What an error message calls it: `instance c1`, `storage volume default/v1`. */
export function describeTarget(t: EditTarget): string {
  const kind = t.kind.replace('-', ' ');
  return t.kind === 'storage-volume' ? `${kind} ${t.pool}/${t.name}` : `${kind} ${t.name}`;
}

/** The edit file's name: `instance-c1`, `storage-volume-default-v1`. */
export function editStem(t: EditTarget): string {
  return `${t.kind}-${t.pool ? `${t.pool}-` : ''}${t.name}`;
}

/** The part of a client this needs (LxdClient). */
export interface EditClient {
  readonly project: string;
  server(): Promise<ServerInfo>;
  request<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<LxdResponse<T>>;
  waitOperation(id: string, timeoutSeconds?: number): Promise<OperationOutcome>;
}

const seg = encodeURIComponent;

async function pathOf(client: EditClient, t: EditTarget): Promise<string> {
  const info = await client.server();
  const projects = hasExtension(info, EXT.projects);
  const project = t.project ?? client.project;
  const query = [projects && project !== 'default' ? `project=${seg(project)}` : '', t.target ? `target=${seg(t.target)}` : ''].filter(Boolean).join('&');
  const scoped = (path: string) => (query ? `${path}?${query}` : path);
  switch (t.kind) {
    case 'instance':
      return scoped(`${instancesPath(info)}/${seg(t.name)}`);
    case 'profile':
      return scoped(`/1.0/profiles/${seg(t.name)}`);
    case 'network':
      return scoped(`/1.0/networks/${seg(t.name)}`);
    case 'storage-pool':
      return `/1.0/storage-pools/${seg(t.name)}`;
    case 'storage-volume':
      return scoped(`/1.0/storage-pools/${seg(t.pool ?? '')}/volumes/custom/${seg(t.name)}`);
    case 'project':
      return `/1.0/projects/${seg(t.name)}`;
  }
}

/** The editable fields of the object, with the ETag to write them back with. */
export async function readEditable(client: EditClient, t: EditTarget): Promise<Editable> {
  const path = await pathOf(client, t);
  const res = await client.request<unknown>('GET', path);
  if (!isObject(res.metadata)) throw new LxdError(`GET ${path}: the answer is not an object`, { kind: 'protocol', status: res.status, method: 'GET', path });
  const all = res.metadata as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const f of EDITABLE_FIELDS[t.kind]) if (f in all) body[f] = all[f];
  return { body, etag: res.etag };
}

/**
 * Writes the fields back with `If-Match: etag` (412 when the object changed since it was read).
 * An instance's PUT is an operation: its failure is thrown as the server's refusal.
 */
export async function writeEditable(client: EditClient, t: EditTarget, body: Record<string, unknown>, etag: string | null): Promise<void> {
  const path = await pathOf(client, t);
  const res = await client.request<unknown>('PUT', path, { body, ifMatch: etag });
  if (res.type !== 'async') return;
  const id = isObject(res.metadata) && typeof res.metadata.id === 'string' ? res.metadata.id : null;
  if (id === null) return;
  const outcome = await client.waitOperation(id, 60);
  if (outcome.status !== 'Success') {
    throw new LxdError(outcome.err || `PUT ${path}: the operation ended ${outcome.status}`, { kind: 'http', status: 400, method: 'PUT', path });
  }
}
