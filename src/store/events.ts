// Event frames → store actions (pure), and the follow-ups the controller performs for an event
// (fetch an instance the store does not know, re-read the image list, refresh snapshots).
import type { Instance, LifecycleEvent, LxdEvent, Operation } from '../lxd/types.js';
import { instanceKey, type Action, type InstanceKey, type State } from './state.js';

export type SourceRef =
  | { kind: 'instance'; name: string; project: string | null }
  | { kind: 'snapshot'; name: string; snapshot: string; project: string | null }
  | { kind: 'image'; fingerprint: string; project: string | null }
  | { kind: 'image-alias'; alias: string; project: string | null }
  | { kind: 'other'; project: string | null };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `/1.0/instances/x`, `/1.0/instances/x/snapshots/s`, `/1.0/images/<fp>`, each maybe with `?project=`. */
export function parseSource(source: unknown): SourceRef {
  if (typeof source !== 'string') return { kind: 'other', project: null };
  const q = source.indexOf('?');
  const path = q >= 0 ? source.slice(0, q) : source;
  const project = q >= 0 ? new URLSearchParams(source.slice(q + 1)).get('project') : null;
  const parts = path.split('/').filter((p) => p.length > 0);
  // parts[0] = '1.0'
  const [, collection, a, sub, b] = parts;
  if ((collection === 'instances' || collection === 'containers' || collection === 'virtual-machines') && a) {
    if (sub === 'snapshots' && b) return { kind: 'snapshot', name: decode(a), snapshot: decode(b), project };
    return { kind: 'instance', name: decode(a), project };
  }
  if (collection === 'images' && a) {
    if (a === 'aliases') return sub ? { kind: 'image-alias', alias: decode(sub), project } : { kind: 'other', project };
    return { kind: 'image', fingerprint: decode(a), project };
  }
  return { kind: 'other', project };
}

/** The event's project: the frame's `project`, else `?project=` of the source, else metadata, else default. */
export function eventProject(event: { project?: string; metadata?: unknown }, ref?: SourceRef): string {
  if (typeof event.project === 'string' && event.project !== '') return event.project;
  if (ref?.project) return ref.project;
  const meta = event.metadata as { project?: unknown } | null | undefined;
  if (meta && typeof meta.project === 'string' && meta.project !== '') return meta.project;
  return 'default';
}

const STATUS_FOR_ACTION: Record<string, string> = {
  'instance-started': 'Running',
  'instance-restarted': 'Running',
  'instance-resumed': 'Running',
  'instance-stopped': 'Stopped',
  'instance-shutdown': 'Stopped',
  'instance-paused': 'Frozen',
};

/** Actions that change the instance in ways only a re-read can tell. */
const REFETCH_ACTIONS = new Set(['instance-created', 'instance-restored', 'instance-updated']);

function isLifecycle(event: LxdEvent): event is LifecycleEvent {
  return event.type === 'lifecycle' && !!event.metadata && typeof event.metadata === 'object';
}

function isOperationEvent(event: LxdEvent): event is LxdEvent & { metadata: Operation } {
  const op = event.metadata as Partial<Operation> | null;
  return event.type === 'operation' && !!op && typeof op === 'object' && typeof op.id === 'string';
}

/** The store changes an event means, given the state before it. Unknown events: none. */
export function eventActions(state: State, event: LxdEvent, at: number): Action[] {
  if (!event || typeof event !== 'object') return [];
  if (isOperationEvent(event)) return [{ type: 'operation/upsert', operation: event.metadata, at }];
  if (!isLifecycle(event)) return [];
  const action = event.metadata.action;
  if (typeof action !== 'string') return [];
  const ref = parseSource(event.metadata.source);
  const project = eventProject(event, ref);
  if (ref.kind === 'instance') {
    const key = instanceKey(project, ref.name);
    const status = STATUS_FOR_ACTION[action];
    if (status) return state.instances[key] ? [{ type: 'instance/status', key, status }] : [];
    if (action === 'instance-deleted') return [{ type: 'instance/removed', key }];
    if (action === 'instance-renamed') {
      const oldName = event.metadata.context?.old_name;
      if (typeof oldName !== 'string' || oldName === '') return [];
      const oldKey = instanceKey(project, oldName);
      return state.instances[oldKey] ? [{ type: 'instance/renamed', key: oldKey, newName: ref.name }] : [];
    }
    return [];
  }
  if (ref.kind === 'image' && action === 'image-deleted') {
    return [{ type: 'image/removed', fingerprint: ref.fingerprint }];
  }
  return [];
}

export interface FollowUps {
  /** Instances to GET and upsert (unknown to the store, or changed beyond status). */
  fetchInstances: InstanceKey[];
  /** Re-read the image list. */
  refreshImages: boolean;
  /** Instances whose snapshot list changed. */
  snapshotsChanged: InstanceKey[];
}

export const NO_FOLLOW_UPS: FollowUps = Object.freeze({ fetchInstances: [], refreshImages: false, snapshotsChanged: [] }) as FollowUps;

/** What the controller must fetch because of an event, judged on the state before the event. */
export function eventFollowUps(state: State, event: LxdEvent): FollowUps {
  if (!event || typeof event !== 'object' || !isLifecycle(event)) return NO_FOLLOW_UPS;
  const action = event.metadata.action;
  if (typeof action !== 'string') return NO_FOLLOW_UPS;
  const ref = parseSource(event.metadata.source);
  const project = eventProject(event, ref);
  if (ref.kind === 'instance') {
    const key = instanceKey(project, ref.name);
    const known = !!state.instances[key];
    if (action === 'instance-deleted') return NO_FOLLOW_UPS;
    if (action === 'instance-renamed') {
      const oldName = event.metadata.context?.old_name;
      const oldKnown = typeof oldName === 'string' && !!state.instances[instanceKey(project, oldName)];
      return oldKnown || known ? NO_FOLLOW_UPS : { ...NO_FOLLOW_UPS, fetchInstances: [key] };
    }
    if (REFETCH_ACTIONS.has(action) || (!known && (action in STATUS_FOR_ACTION))) {
      return { ...NO_FOLLOW_UPS, fetchInstances: [key] };
    }
    return NO_FOLLOW_UPS;
  }
  if (ref.kind === 'snapshot' && action.startsWith('instance-snapshot-')) {
    return { ...NO_FOLLOW_UPS, snapshotsChanged: [instanceKey(project, ref.name)] };
  }
  if ((ref.kind === 'image' || ref.kind === 'image-alias') && action.startsWith('image-') && action !== 'image-deleted') {
    return { ...NO_FOLLOW_UPS, refreshImages: true };
  }
  return NO_FOLLOW_UPS;
}

/** Status code for the statuses events imply (what LXD reports for them). */
const STATUS_CODES: Record<string, number> = { Running: 103, Stopped: 102, Frozen: 110, Error: 112 };

export function withStatus(instance: Instance, status: string): Instance {
  if (instance.status === status) return instance;
  return { ...instance, status, status_code: STATUS_CODES[status] ?? instance.status_code };
}
