// Shared by the view tests: states built from recorded daemon JSON (test/fixtures/) when present,
// else from small hand-written objects; a controller that records calls; an App renderer.
import type { SessionActions } from '../../../src/app/context.js';
import React from 'react';
import { existsSync, readFileSync } from 'node:fs';
import { render } from 'ink-testing-library';
import { App } from '../../../src/app/App.js';
import {
  createStore,
  instanceKey,
  type Controller,
  type Store,
} from '../../../src/store/index.js';
import type { Image, Instance, InstanceState, Operation, ServerInfo } from '../../../src/lxd/types.js';

export const NOW = Date.parse('2025-01-15T12:00:00Z');

export function makeInstance(name: string, patch: Partial<Instance> = {}): Instance {
  return {
    name,
    status: 'Stopped',
    status_code: 102,
    type: 'container',
    architecture: 'x86_64',
    created_at: '2025-01-15T10:00:00Z',
    last_used_at: '2025-01-15T11:00:00Z',
    location: 'none',
    project: 'default',
    description: '',
    profiles: ['default'],
    config: { 'image.os': 'busybox' },
    devices: {},
    expanded_devices: { root: { type: 'disk', path: '/', pool: 'default' } },
    snapshots: null,
    ...patch,
  };
}

export function makeState(cpuNs: number, memory: number, rx = 0, tx = 0, processes = 3): InstanceState {
  return {
    status: 'Running',
    status_code: 103,
    cpu: { usage: cpuNs },
    memory: { usage: memory, usage_peak: memory },
    network: {
      eth0: {
        addresses: [{ family: 'inet', address: '10.1.2.3', netmask: '24', scope: 'global' }],
        counters: { bytes_received: rx, bytes_sent: tx },
        state: 'up',
        type: 'broadcast',
      },
    },
    disk: {},
    pid: 1234,
    processes,
  };
}

export function makeImage(fingerprint: string, alias: string | null, patch: Partial<Image> = {}): Image {
  return {
    fingerprint,
    aliases: alias ? [{ name: alias, description: '' }] : [],
    properties: { os: 'Debian', release: 'bookworm', description: `${alias ?? 'image'} description` },
    public: false,
    architecture: 'x86_64',
    type: 'container',
    size: 1_500_000,
    created_at: '2025-01-10T08:00:00Z',
    uploaded_at: '2025-01-10T09:30:00Z',
    ...patch,
  };
}

export function makeOperation(id: string, patch: Partial<Operation> = {}): Operation {
  return {
    id,
    class: 'task',
    description: 'Starting instance',
    created_at: '2025-01-15T11:59:50Z',
    updated_at: '2025-01-15T11:59:50Z',
    status: 'Running',
    status_code: 103,
    resources: { instances: ['/1.0/instances/web1'] },
    metadata: null,
    may_cancel: false,
    err: '',
    location: 'none',
    ...patch,
  };
}

export const SERVER: ServerInfo = {
  kind: 'lxd',
  version: '5.0.2',
  apiExtensions: [],
  auth: 'trusted',
  serverName: 'host',
  clustered: false,
  certificateFingerprint: null,
  project: 'default',
  raw: {},
};

/** Recorded JSON from a real daemon, or null when the fixture was not recorded yet. */
export function fixture<T>(daemon: 'lxd' | 'incus', name: string): T | null {
  const path = new URL(`../../fixtures/${daemon}/${name}`, import.meta.url);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export interface Scenario {
  instances?: Instance[];
  images?: Image[];
  operations?: Operation[];
  /** Two samples per running instance: [first, second] (5 s apart). */
  samples?: Record<string, [InstanceState, InstanceState]>;
  readOnly?: boolean;
  server?: ServerInfo;
}

export function storeWith(s: Scenario): Store {
  const store = createStore({ readOnly: s.readOnly });
  store.dispatch({ type: 'server/loaded', server: s.server ?? SERVER });
  store.dispatch({ type: 'rest/ok', at: NOW - 10_000 });
  store.dispatch({ type: 'events/status', status: 'connected', at: NOW - 10_000 });
  store.dispatch({ type: 'instances/loaded', instances: s.instances ?? [], project: 'default', at: NOW - 10_000 });
  store.dispatch({ type: 'images/loaded', images: s.images ?? [] });
  store.dispatch({ type: 'operations/loaded', operations: s.operations ?? [], at: NOW - 10_000 });
  for (const [name, [a, b]] of Object.entries(s.samples ?? {})) {
    store.dispatch({ type: 'instance/sample', key: instanceKey('default', name), state: a, at: NOW - 5000 });
    store.dispatch({ type: 'instance/sample', key: instanceKey('default', name), state: b, at: NOW });
  }
  return store;
}

export interface Call {
  method: string;
  args: unknown[];
}

/** A controller that records every call and resolves at once. */
export function recordingController(store: Store, calls: Call[] = []): Controller & { calls: Call[] } {
  const ok = async () => ({ ok: true });
  const record =
    (method: string, result: (...args: unknown[]) => unknown = ok) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return result(...args);
    };
  const c = {
    calls,
    start: record('start', async () => undefined),
    stop: record('stop', () => undefined),
    pause: record('pause', () => undefined),
    resume: record('resume', () => undefined),
    refresh: record('refresh', async () => undefined),
    setVisible: (keys: readonly string[]) => {
      calls.push({ method: 'setVisible', args: [keys] });
    },
    startInstances: record('startInstances'),
    stopInstances: record('stopInstances'),
    forceStopInstances: record('forceStopInstances'),
    restartInstances: record('restartInstances'),
    freezeInstances: record('freezeInstances'),
    unfreezeInstances: record('unfreezeInstances'),
    deleteInstances: record('deleteInstances'),
    snapshot: record('snapshot'),
    restore: record('restore'),
    deleteSnapshot: record('deleteSnapshot'),
    rename: record('rename'),
    createInstance: record('createInstance'),
    deleteImage: record('deleteImage'),
    cancelOperation: record('cancelOperation'),
    setMetersShown: record('setMetersShown', () => undefined),
    refreshWarnings: record('refreshWarnings', async () => undefined),
    setWarningStatus: record('setWarningStatus'),
    deleteWarning: record('deleteWarning'),
    listSnapshots: record('listSnapshots', async () => [
      { name: 'snap0', created_at: '2025-01-14T10:00:00Z', stateful: false },
      { name: 'snap1', created_at: '2025-01-15T10:00:00Z', stateful: false },
    ]),
    instanceDetail: record('instanceDetail', async (key: unknown) => {
      const inst = store.getState().instances[key as string];
      return inst ? { instance: inst, etag: null, state: null, snapshots: [] } : null;
    }),
  };
  return c as unknown as Controller & { calls: Call[] };
}

export function renderApp(store: Store, opts: { cols?: number; rows?: number; calls?: Call[]; coalesceMs?: number; sessions?: Partial<SessionActions> } = {}) {
  const controller = recordingController(store, opts.calls);
  const events = { quit: 0, consoles: [] as { key: string; command?: string[] }[] };
  const r = render(
    <App
      store={store}
      controller={controller}
      remote="unix:/test.socket"
      cols={opts.cols ?? 100}
      rows={opts.rows ?? 24}
      now={() => NOW}
      theme={{ color: false }}
      coalesceMs={opts.coalesceMs ?? 0}
      onQuit={() => {
        events.quit++;
      }}
      onConsole={(req) => {
        events.consoles.push(req);
      }}
      sessions={opts.sessions ? { attach: () => {}, rename: async () => {}, close: async () => 'closed', history: async () => [], ...opts.sessions } : undefined}
    />,
  );
  const frame = () => r.lastFrame() ?? '';
  return { ...r, controller, events, frame };
}

/**
 * Writes keys one by one, letting Ink and React settle after each: a lone Esc is flushed by Ink on
 * a setImmediate, React renders in a microtask, passive effects (a picker's key listener) run on
 * the scheduler's next macrotask: a few turns of the event loop, then a short pause.
 */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await settle(10);
  }
}

export function settle(ms = 25): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  ctrlC: '\x03',
  ctrlU: '\x15',
  pageDown: '\x1b[6~',
  space: ' ',
  delete: '\x1b[3~',
};

export interface Fixtures {
  server: ServerInfo;
  instances: Instance[];
  images: Image[];
  operations: Operation[];
  /** Two `…/state` answers of one running instance and when each arrived. */
  samples: { at: number; state: InstanceState }[];
  runningName: string | null;
}

/** The JSON the store engineer recorded from a real daemon (test/fixtures/<daemon>/), or null. */
export function loadFixtures(daemon: 'lxd' | 'incus'): Fixtures | null {
  type Envelope<T> = { metadata: T };
  const instances = fixture<Envelope<Instance[]>>(daemon, 'instances.json');
  const images = fixture<Envelope<Image[]>>(daemon, 'images.json');
  const ops = fixture<Envelope<Record<string, Operation[]>>>(daemon, 'operations.json');
  const server = fixture<Envelope<{ environment: { server?: string; server_version?: string; server_name?: string; server_clustered?: boolean } }>>(
    daemon,
    'server.json',
  );
  const running = fixture<{ samples: { at: number; response: Envelope<InstanceState> }[] }>(daemon, 'state-running.json');
  if (!instances || !images || !ops || !server) return null;
  const env = server.metadata.environment ?? {};
  const list = instances.metadata ?? [];
  return {
    server: {
      ...SERVER,
      kind: env.server === 'incus' ? 'incus' : 'lxd',
      version: env.server_version ?? '?',
      serverName: env.server_name ?? 'host',
      clustered: env.server_clustered === true,
    },
    instances: list,
    images: images.metadata ?? [],
    operations: Object.values(ops.metadata ?? {}).flat(),
    samples: (running?.samples ?? []).map((s) => ({ at: s.at, state: s.response.metadata })),
    runningName: list.find((i) => i.status === 'Running')?.name ?? null,
  };
}

/** A store loaded with recorded fixtures; the running instance gets its two recorded samples. */
export function storeFromFixtures(f: Fixtures, opts: { readOnly?: boolean } = {}): Store {
  const store = storeWith({ instances: f.instances, images: f.images, operations: f.operations, server: f.server, readOnly: opts.readOnly });
  if (f.runningName && f.samples.length >= 2) {
    const key = instanceKey(f.instances.find((i) => i.name === f.runningName)?.project || 'default', f.runningName);
    for (const s of f.samples.slice(0, 2)) store.dispatch({ type: 'instance/sample', key, state: s.state, at: s.at });
  }
  return store;
}
