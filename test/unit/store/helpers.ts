// Builders shaped like the daemons' JSON (see docs/lxd-api.md) for store tests.
import type { Image, Instance, InstanceState, LifecycleEvent, Operation, OperationEvent } from '../../../src/lxd/types.js';
import { reduce } from '../../../src/store/reducers.js';
import { createInitialState, type Action, type State } from '../../../src/store/state.js';

export function inst(name: string, status = 'Running', extra: Partial<Instance> = {}): Instance {
  return {
    name,
    status,
    status_code: status === 'Running' ? 103 : status === 'Frozen' ? 110 : 102,
    type: 'container',
    architecture: 'x86_64',
    created_at: '2024-05-01T10:00:00Z',
    last_used_at: '2024-05-01T10:00:00Z',
    location: 'none',
    project: 'default',
    profiles: ['default'],
    config: {},
    devices: {},
    ...extra,
  };
}

export function running(opts: { cpu?: number; mem?: number; rx?: number; tx?: number; procs?: number; ip?: string } = {}): InstanceState {
  return {
    status: 'Running',
    status_code: 103,
    cpu: { usage: opts.cpu ?? 0 },
    memory: { usage: opts.mem ?? 1024, usage_peak: 2048 },
    network: {
      lo: {
        addresses: [{ family: 'inet', address: '127.0.0.1', netmask: '8', scope: 'local' }],
        counters: { bytes_received: 1e9, bytes_sent: 1e9 },
      },
      eth0: {
        addresses: opts.ip ? [{ family: 'inet', address: opts.ip, netmask: '24', scope: 'global' }] : [],
        counters: { bytes_received: opts.rx ?? 0, bytes_sent: opts.tx ?? 0 },
      },
    },
    disk: {},
    pid: 1234,
    processes: opts.procs ?? 3,
  };
}

export const STOPPED_STATE: InstanceState = {
  status: 'Stopped',
  status_code: 102,
  cpu: { usage: 0 },
  memory: { usage: 0 },
  network: null,
  disk: {},
  pid: 0,
  processes: 0,
};

export function op(id: string, status = 'Running', extra: Partial<Operation> = {}): Operation {
  const codes: Record<string, number> = { Running: 103, Success: 200, Failure: 400, Cancelled: 401 };
  return {
    id,
    class: 'task',
    description: 'Starting instance',
    created_at: '2024-05-01T10:00:00Z',
    updated_at: '2024-05-01T10:00:00Z',
    status,
    status_code: codes[status] ?? 103,
    resources: { instances: ['/1.0/instances/web1'] },
    metadata: null,
    may_cancel: false,
    err: '',
    location: 'none',
    ...extra,
  };
}

export function image(fingerprint: string, alias: string | null, extra: Partial<Image> = {}): Image {
  return {
    fingerprint,
    aliases: alias ? [{ name: alias, description: '' }] : [],
    properties: { os: 'busybox', release: '1.35' },
    public: false,
    architecture: 'x86_64',
    type: 'container',
    size: 1000,
    created_at: '2024-05-01T10:00:00Z',
    uploaded_at: '2024-05-01T10:00:00Z',
    ...extra,
  };
}

export function lifecycle(action: string, source: string, extra: Partial<LifecycleEvent['metadata']> = {}, project = 'default'): LifecycleEvent {
  return {
    type: 'lifecycle',
    timestamp: '2024-05-01T10:00:00Z',
    location: 'none',
    project,
    metadata: { action, source, context: {}, ...extra },
  };
}

export function opEvent(operation: Operation): OperationEvent {
  return { type: 'operation', timestamp: '2024-05-01T10:00:00Z', location: 'none', project: 'default', metadata: operation };
}

export function apply(state: State, ...actions: Action[]): State {
  return actions.reduce(reduce, state);
}

export function withInstances(...instances: Instance[]): State {
  return apply(createInitialState(), { type: 'instances/loaded', instances, project: null, at: 1 });
}
