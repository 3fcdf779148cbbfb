// Answers made to fit types.ts. A daemon (or a proxy, or a bug) may send `null` where a list or an
// object belongs, list entries that are not objects, or a name that is not a string; the views
// call `.map`, `.sort` and `.includes` on what types.ts promises. Here every list becomes a list
// of objects, every record an object, names strings; fields typed `| null` stay null when they
// are. Everything else is passed through untouched (scalars are checked where they are used).
import type { Image, ImageAlias, Instance, InstanceState, NetworkState, Operation, Snapshot } from './types.js';

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const record = <T>(v: unknown): Record<string, T> => (isObject(v) ? (v as Record<string, T>) : {});
/** A record whose values are all records (devices: name → key → value). */
function records(v: unknown): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (isObject(x)) out[k] = x as Record<string, string>;
  return out;
}

function normalizeSnapshot(v: unknown): Snapshot | null {
  if (!isObject(v) || typeof v.name !== 'string') return null;
  // Older servers name snapshots `<instance>/<snapshot>`.
  const name = v.name.includes('/') ? v.name.slice(v.name.lastIndexOf('/') + 1) : v.name;
  return { ...v, name, created_at: str(v.created_at), stateful: v.stateful === true } as Snapshot;
}

export function normalizeSnapshots(v: unknown): Snapshot[] {
  return objects(v).map(normalizeSnapshot).filter((s): s is Snapshot => s !== null);
}

function normalizeNetwork(v: unknown): Record<string, NetworkState> | null {
  if (!isObject(v)) return null;
  const out: Record<string, NetworkState> = {};
  for (const [name, iface] of Object.entries(v)) {
    if (!isObject(iface)) continue;
    out[name] = {
      ...iface,
      addresses: Array.isArray(iface.addresses) ? (objects(iface.addresses) as unknown as NetworkState['addresses']) : null,
      counters: isObject(iface.counters) ? (iface.counters as NetworkState['counters']) : null,
    } as NetworkState;
  }
  return out;
}

/** A state answer; null when it is not an object at all. */
export function normalizeState(v: unknown): InstanceState | null {
  if (!isObject(v)) return null;
  const disk = isObject(v.disk) ? (records(v.disk) as unknown as InstanceState['disk']) : null;
  return {
    ...v,
    cpu: isObject(v.cpu) ? (v.cpu as InstanceState['cpu']) : null,
    memory: isObject(v.memory) ? (v.memory as InstanceState['memory']) : null,
    network: normalizeNetwork(v.network),
    disk,
  } as InstanceState;
}

/** An instance, with `project` when it has none; null when it has no name. */
export function normalizeInstance(v: unknown, project: string): Instance | null {
  if (!isObject(v) || typeof v.name !== 'string' || v.name === '') return null;
  const inst: Obj = {
    ...v,
    type: str(v.type) || 'container',
    project: str(v.project) || project,
    location: str(v.location) || 'none',
    profiles: strings(v.profiles),
    config: record<string>(v.config),
    devices: records(v.devices),
  };
  if ('expanded_config' in v) inst.expanded_config = isObject(v.expanded_config) ? v.expanded_config : undefined;
  if ('expanded_devices' in v) inst.expanded_devices = isObject(v.expanded_devices) ? records(v.expanded_devices) : undefined;
  if ('snapshots' in v) inst.snapshots = Array.isArray(v.snapshots) ? normalizeSnapshots(v.snapshots) : null;
  if ('state' in v) inst.state = normalizeState(v.state);
  return inst as unknown as Instance;
}

export function normalizeInstances(v: unknown, project: string): Instance[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => normalizeInstance(x, project)).filter((i): i is Instance => i !== null);
}

function normalizeImage(v: unknown): Image | null {
  if (!isObject(v)) return null;
  return {
    ...v,
    fingerprint: str(v.fingerprint),
    aliases: Array.isArray(v.aliases) ? (objects(v.aliases) as unknown as ImageAlias[]) : null,
    properties: isObject(v.properties) ? (v.properties as Record<string, string>) : null,
  } as Image;
}

export function normalizeImages(v: unknown): Image[] {
  return objects(v).map(normalizeImage).filter((i): i is Image => i !== null);
}

/** An operation (it must have a string id); resources as lists of strings, metadata an object. */
export function normalizeOperation(v: unknown): Operation | null {
  if (!isObject(v) || typeof v.id !== 'string') return null;
  let resources: Record<string, string[]> | null = null;
  if (isObject(v.resources)) {
    resources = {};
    for (const [kind, list] of Object.entries(v.resources)) if (Array.isArray(list)) resources[kind] = strings(list);
  }
  return { ...v, resources, metadata: isObject(v.metadata) ? v.metadata : null } as Operation;
}
