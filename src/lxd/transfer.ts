// Copy, move and publish: instances between names, servers and cluster members, and into images.
// Each call starts the daemon's operation and returns it; `finish` (wait.ts) waits for the end.
// What the daemons expect here, and the traps, are in docs/lxd-api.md ("Copy, move, publish").
import { EXT, hasExtension, instancesPath } from './capabilities.js';
import type { LxdClient } from './client.js';
import { LxdError } from './errors.js';
import { checkInstanceName } from './names.js';
import { isObject } from './normalize.js';
import type { Operation } from './types.js';

const seg = encodeURIComponent;

/** An instance, or one of its snapshots (`snapshot` set). */
export interface Source {
  name: string;
  snapshot?: string;
  project?: string;
}

async function query(client: LxdClient, project: string | undefined, extra: Record<string, string | undefined> = {}): Promise<string> {
  const info = await client.server();
  const q: Record<string, string | undefined> = { ...extra };
  if (hasExtension(info, EXT.projects)) q.project = project ?? client.project;
  const parts = Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => `${seg(k)}=${seg(v)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

async function operation(client: LxdClient, method: string, path: string, body: unknown): Promise<Operation> {
  const res = await client.request<Operation>(method, path, { body });
  if (res.type !== 'async' || !isObject(res.metadata)) {
    throw new LxdError(`${method} ${path}: expected an operation, got a ${res.type} answer`, { kind: 'protocol', status: res.status, method, path });
  }
  return res.metadata;
}

const sourcePath = (s: Source): string => (s.snapshot ? `${s.name}/${s.snapshot}` : s.name);

/** The source's record: an instance's, or a snapshot's (config, devices, profiles as they were). */
async function readSource(client: LxdClient, source: Source): Promise<Record<string, unknown>> {
  const instPath = `${instancesPath(await client.server())}/${seg(source.name)}`;
  const path = `${source.snapshot ? `${instPath}/snapshots/${seg(source.snapshot)}` : instPath}${await query(client, source.project)}`;
  const read = await client.request<unknown>('GET', path);
  return isObject(read.metadata) ? read.metadata : {};
}

/** What the new instance takes from the source: LXD 5.0 copies none of it by itself (no root disk). */
function fromSource(inst: Record<string, unknown>, keepVolatile: boolean): Record<string, unknown> {
  const config = isObject(inst.config) ? (inst.config as Record<string, string>) : {};
  return {
    architecture: inst.architecture,
    config: keepVolatile ? config : copiedConfig(config),
    devices: isObject(inst.devices) ? inst.devices : {},
    profiles: Array.isArray(inst.profiles) ? inst.profiles : ['default'],
    ephemeral: inst.ephemeral === true,
    description: typeof inst.description === 'string' ? inst.description : '',
  };
}

/** `POST /1.0/instances` with source type copy, on the same server. */
export async function copyInstance(client: LxdClient, source: Source, name: string): Promise<Operation> {
  const info = await client.server();
  checkInstanceName(name, info.kind);
  const inst = await readSource(client, source);
  // As lxc copy: the volatile keys stay behind (a new MAC address, a new idmap).
  const body = { ...fromSource(inst, false), name, source: { type: 'copy', source: sourcePath(source), instance_only: source.snapshot !== undefined } };
  return operation(client, 'POST', `${instancesPath(info)}${await query(client, source.project)}`, body);
}

/** Moves a stopped instance to another cluster member (`?target=`, migration within the cluster). */
export async function moveToMember(client: LxdClient, name: string, member: string, project?: string): Promise<Operation> {
  const info = await client.server();
  const path = `${instancesPath(info)}/${seg(name)}${await query(client, project, { target: member })}`;
  return operation(client, 'POST', path, { name, migration: true, live: false });
}

/** Publishes an instance (stopped) or a snapshot as an image with an alias. */
export async function publishImage(client: LxdClient, source: Source, alias: string): Promise<Operation> {
  const info = await client.server();
  const type = source.snapshot ? 'snapshot' : hasExtension(info, EXT.instances) ? 'instance' : 'container';
  const body: Record<string, unknown> = { source: { type, name: sourcePath(source) }, public: false };
  if (alias !== '') body.aliases = [{ name: alias, description: '' }];
  return operation(client, 'POST', `/1.0/images${await query(client, source.project)}`, body);
}

/** Config keys a copy to another server leaves behind (as lxc copy does): per-instance volatile state. */
function copiedConfig(config: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (!k.startsWith('volatile.') || k === 'volatile.base_image') out[k] = v;
  return out;
}

/** The HTTPS address the other daemon reaches the source at: the client's URL, else the server's own. */
export async function reachableUrl(client: LxdClient): Promise<string> {
  const e = client.transport.endpoint;
  if (e.kind === 'https') return e.url.replace(/\/+$/, '');
  const env = ((await client.server()).raw.environment ?? {}) as Record<string, unknown>;
  const addresses = Array.isArray(env.addresses) ? env.addresses.filter((a): a is string => typeof a === 'string' && a !== '') : [];
  if (addresses.length === 0) {
    throw new LxdError('the source server listens on no network address (core.https_address is not set): the other server cannot pull from it', { kind: 'protocol', local: true });
  }
  return `https://${addresses[0]}`;
}

export interface RemoteCopy {
  /** The target's operation (creating the instance); its progress is the transfer's. */
  target: Operation;
  /** The source's operation (sending it); cancelled if the target's fails to start. */
  source: Operation;
}

/**
 * Copies an instance (or a snapshot) to another server in pull mode, lxtop driving both ends: the
 * source opens a migration operation (websocket secrets), the target connects to it over HTTPS,
 * checking the source's certificate. Config, devices and profiles are the source's.
 */
export async function copyToRemote(from: LxdClient, source: Source, to: LxdClient, name: string, project?: string): Promise<RemoteCopy> {
  const [fromInfo, toInfo] = await Promise.all([from.server(), to.server()]);
  checkInstanceName(name, toInfo.kind);
  const instPath = `${instancesPath(fromInfo)}/${seg(source.name)}`;
  const inst = await readSource(from, source);
  const env = (fromInfo.raw.environment ?? {}) as Record<string, unknown>;
  const certificate = typeof env.certificate === 'string' ? env.certificate : '';
  const url = await reachableUrl(from);
  const sendPath = `${source.snapshot ? `${instPath}/snapshots/${seg(source.snapshot)}` : instPath}${await query(from, source.project)}`;
  const sending = await operation(from, 'POST', sendPath, { name: source.name, migration: true, live: false, instance_only: source.snapshot === undefined ? false : undefined });
  const secrets = isObject(sending.metadata) ? sending.metadata : {};
  const body: Record<string, unknown> = {
    ...fromSource(inst, false),
    name,
    source: {
      type: 'migration',
      mode: 'pull',
      operation: `${url}/1.0/operations/${seg(sending.id)}`,
      certificate,
      secrets,
      instance_only: source.snapshot !== undefined,
      live: false,
    },
  };
  if (typeof inst.type === 'string' && hasExtension(toInfo, EXT.instances)) body.type = inst.type;
  try {
    const target = await operation(to, 'POST', `${instancesPath(toInfo)}${await query(to, project)}`, body);
    return { target, source: sending };
  } catch (err) {
    await from.cancelOperation(sending.id).catch(() => undefined);
    throw err;
  }
}
