// A small in-memory LxdApi for controller orchestration tests: records calls, lets a test hold,
// fail or script answers. Not a model of the daemon (integration tests use the real ones).
import type { EventStream, EventStreamStatus, InstanceStateEntry, LxdApi, MetricsAnswer, MetricsOptions, ScopeOptions } from '../../../src/lxd/api.js';
import type { InstanceFigures } from '../../../src/lxd/metrics.js';
import type { Instance, InstanceState, LxdEvent, Operation, OperationOutcome, ServerInfo } from '../../../src/lxd/types.js';
import { inst, op, running, STOPPED_STATE } from './helpers.js';

export const netError = (msg = 'connect ENOENT /var/tmp/x/unix.socket') => Object.assign(new Error(msg), { code: 'ENOENT' });
export const httpError = (msg: string, status = 400) => Object.assign(new Error(msg), { status });

export class FakeStream implements EventStream {
  status: EventStreamStatus = 'connected';
  closed = false;
  private events = new Set<(e: LxdEvent) => void>();
  private reconnects = new Set<() => void>();
  private statuses = new Set<(s: EventStreamStatus, e?: Error) => void>();
  constructor(readonly opts: unknown) {}
  onEvent(h: (e: LxdEvent) => void) {
    this.events.add(h);
    return () => this.events.delete(h);
  }
  onReconnect(h: () => void) {
    this.reconnects.add(h);
    return () => this.reconnects.delete(h);
  }
  onStatus(h: (s: EventStreamStatus, e?: Error) => void) {
    this.statuses.add(h);
    return () => this.statuses.delete(h);
  }
  close() {
    this.closed = true;
  }
  emit(e: LxdEvent) {
    for (const h of this.events) h(e);
  }
  reconnect() {
    for (const h of this.statuses) h('disconnected', new Error('socket hang up'));
    for (const h of this.statuses) h('connected');
    for (const h of this.reconnects) h();
  }
}

type Outcome = Pick<OperationOutcome, 'status' | 'err'>;

export class FakeApi implements LxdApi {
  readonly project = 'default';
  /** As a unix socket's client: the events stream asks for every project. */
  seesEveryProject = false;
  calls: string[] = [];
  instances = new Map<string, Instance>();
  streams: FakeStream[] = [];
  /** Set to make every call fail with this error (e.g. netError()). */
  failAll: Error | null = null;
  /** Per-method failure (thrown once per call while set). */
  fail: Partial<Record<string, Error>> = {};
  /** Outcome of waitOperation for operation ids with this prefix ('' = all). */
  outcomes: { prefix: string; outcome: Outcome }[] = [];
  /** Held instanceState answers: a test resolves them. */
  holdState = false;
  held: (() => void)[] = [];
  inFlightState = 0;
  maxInFlightState = 0;
  cpu = new Map<string, number>();
  private opSeq = 0;
  waitGate: Promise<void> | null = null;

  constructor(...names: [string, string][]) {
    for (const [name, status] of names) this.instances.set(name, inst(name, status));
  }

  private call(name: string, detail = ''): void {
    this.calls.push(detail ? `${name} ${detail}` : name);
    if (this.failAll) throw this.failAll;
    const f = this.fail[name];
    if (f) throw f;
  }
  count(prefix: string): number {
    return this.calls.filter((c) => c === prefix || c.startsWith(prefix + ' ')).length;
  }
  private newOp(description: string, name: string): Operation {
    return op(`op${++this.opSeq}-${description.split(' ')[0].toLowerCase()}`, 'Running', {
      description,
      resources: { instances: [`/1.0/instances/${name}`] },
    });
  }

  async server(): Promise<ServerInfo> {
    this.call('server');
    return { kind: 'lxd', version: '5.0.2', apiExtensions: this.extensions, auth: 'trusted', serverName: 'fake', clustered: false, certificateFingerprint: null, project: 'default', raw: {} };
  }
  async listInstances() {
    this.call('listInstances');
    return [...this.instances.values()];
  }
  async getInstance(name: string) {
    this.call('getInstance', name);
    const i = this.instances.get(name);
    if (!i) throw httpError('Instance not found', 404);
    return { instance: i, etag: 'e1' };
  }
  async instanceState(name: string): Promise<InstanceState> {
    this.call('instanceState', name);
    this.inFlightState++;
    this.maxInFlightState = Math.max(this.maxInFlightState, this.inFlightState);
    try {
      if (this.holdState) await new Promise<void>((r) => this.held.push(r));
      // A daemon on 2 CPUs: more answers at once take longer each.
      if (this.stateMs > 0) await new Promise((r) => setTimeout(r, this.stateMs * Math.max(1, this.inFlightState / 2)));
      const i = this.instances.get(name);
      if (!i) throw httpError('Instance not found', 404);
      const cpu = (this.cpu.get(name) ?? 0) + 1e9;
      this.cpu.set(name, cpu);
      return i.status === 'Running' ? running({ cpu }) : STOPPED_STATE;
    } finally {
      this.inFlightState--;
    }
  }
  /** Present after enableStateList(): the states of the running instances in one call. */
  listInstanceStates?: (opts?: ScopeOptions & { runningOnly?: boolean }) => Promise<InstanceStateEntry[] | null>;
  /** Snapshot counts the state list reports (absent: none listed). */
  listedSnapshots = new Map<string, number>();

  /** 'ok': like a filtered recursion=2 list; 'null': a server without it; 'stateless': entries lack state. */
  enableStateList(mode: 'ok' | 'null' | 'stateless' = 'ok'): void {
    this.listInstanceStates = async (opts) => {
      this.call('listInstanceStates', JSON.stringify(opts ?? {}));
      if (mode === 'null') return null;
      const out: InstanceStateEntry[] = [];
      for (const i of this.instances.values()) {
        if (opts?.runningOnly && i.status !== 'Running') continue;
        const cpu = (this.cpu.get(i.name) ?? 0) + 1e9;
        this.cpu.set(i.name, cpu);
        out.push({
          name: i.name,
          project: i.project || 'default',
          status: i.status,
          state: mode === 'stateless' ? null : i.status === 'Running' ? running({ cpu }) : STOPPED_STATE,
          snapshots: this.listedSnapshots.get(i.name) ?? null,
        });
      }
      return out;
    };
  }

  /** Present after enableMetrics(). */
  metrics?: (opts?: MetricsOptions) => Promise<MetricsAnswer>;
  /** Extensions `server()` reports (enableMetrics adds `metrics`). */
  extensions: string[] = [];
  /** Metrics computations the fake daemon made (cache misses). */
  metricsComputed = 0;
  /** Latency (ms, fake timers) of an answer computed for the request, and of a cache hit. */
  metricsColdMs = 2000;
  metricsHitMs = 5;
  /** Latency of a `/state` answer, ms (fake timers); 0: at once. */
  stateMs = 0;

  /**
   * `/1.0/metrics` like LXD 5.0: one computation serves every request for 8 s (cacheMs); a request
   * during a computation waits for it. CPU seconds grow by `cpuPerSecond` of wall time, the network
   * counters with it; `idle`: no counter moves (every computation the same figures).
   * 'refuse': 403; 'malformed': a protocol error; 'slow': answers after `slowMs`.
   */
  enableMetrics(mode: 'ok' | 'refuse' | 'malformed' | 'slow' = 'ok', opts: { cacheMs?: number; cpuPerSecond?: number; slowMs?: number; idle?: boolean } = {}): void {
    this.extensions = [...new Set([...this.extensions, 'metrics', 'projects'])];
    const cacheMs = opts.cacheMs ?? 8000;
    const rate = opts.idle ? 0 : (opts.cpuPerSecond ?? 0.5);
    const net = opts.idle ? 0 : 1;
    let cache: { until: number; figures: InstanceFigures[] } | null = null;
    let computing: Promise<void> | null = null;
    this.metrics = async (o) => {
      this.call('metrics', JSON.stringify(o ?? {}));
      const sentAt = Date.now();
      if (mode === 'refuse') throw Object.assign(new Error('not authorized'), { status: 403, kind: 'http' });
      if (mode === 'malformed') throw Object.assign(new Error('GET /1.0/metrics: the answer is not OpenMetrics text'), { kind: 'protocol' });
      if (mode === 'slow') await new Promise((r) => setTimeout(r, opts.slowMs ?? 60_000));
      if (computing) await computing;
      if (!cache || cache.until <= Date.now()) {
        computing = new Promise<void>((r) => setTimeout(r, this.metricsColdMs));
        await computing;
        computing = null;
        this.metricsComputed++;
        const at = Date.now();
        cache = {
          until: at + cacheMs,
          figures: [...this.instances.values()]
            .filter((i) => i.status === 'Running')
            .map((i) => ({
              project: i.project || 'default',
              name: i.name,
              type: 'container',
              cpuSeconds: (at / 1000) * rate,
              memoryBytes: 1000,
              memoryTotalBytes: 1e9,
              swapBytes: 0,
              network: { eth0: { rx: at * net, tx: (at / 2) * net } },
              processes: 3,
            })),
        };
      } else {
        await new Promise((r) => setTimeout(r, this.metricsHitMs));
      }
      return { sentAt, receivedAt: Date.now(), instances: cache.figures, bytes: 1000 };
    };
  }

  async createInstance(o: { name: string; image: unknown }) {
    this.call('createInstance', `${o.name} ${JSON.stringify(o.image)}`);
    this.instances.set(o.name, inst(o.name, 'Stopped'));
    return this.newOp('Creating instance', o.name);
  }
  async changeState(name: string, action: string, opts?: { force?: boolean }) {
    this.call('changeState', `${name} ${action}${opts?.force ? ' force' : ''}`);
    return this.newOp(`${action} instance`, name);
  }
  async renameInstance(name: string, newName: string) {
    this.call('renameInstance', `${name} ${newName}`);
    const i = this.instances.get(name);
    if (i) {
      this.instances.delete(name);
      this.instances.set(newName, { ...i, name: newName });
    }
    return this.newOp('Renaming instance', name);
  }
  async deleteInstance(name: string) {
    this.call('deleteInstance', name);
    return this.newOp('Deleting instance', name);
  }
  async listSnapshots(name: string) {
    this.call('listSnapshots', name);
    return [{ name: 'snap0', created_at: '2024-01-01T00:00:00Z', stateful: false }];
  }
  async createSnapshot(name: string, s: string) {
    this.call('createSnapshot', `${name} ${s}`);
    return this.newOp('Snapshotting instance', name);
  }
  async restoreSnapshot(name: string, s: string) {
    this.call('restoreSnapshot', `${name} ${s}`);
    return this.newOp('Restoring snapshot', name);
  }
  async deleteSnapshot(name: string, s: string) {
    this.call('deleteSnapshot', `${name} ${s}`);
    return this.newOp('Deleting snapshot', name);
  }
  async listImages() {
    this.call('listImages');
    return [];
  }
  async listImageAliases() {
    this.call('listImageAliases');
    return [];
  }
  async deleteImage(fp: string) {
    this.call('deleteImage', fp);
    return this.newOp('Deleting image', fp);
  }
  async listOperations() {
    this.call('listOperations');
    return [];
  }
  async getOperation(id: string) {
    this.call('getOperation', id);
    return op(id, 'Cancelled');
  }
  async waitOperation(id: string): Promise<OperationOutcome> {
    this.call('waitOperation', id);
    if (this.waitGate) await this.waitGate;
    const o = this.outcomes.find((x) => id.includes(x.prefix))?.outcome ?? { status: 'Success', err: '' };
    return { ...o, returnCode: null, operation: op(id, o.status, { err: o.err }) };
  }
  async cancelOperation(id: string) {
    this.call('cancelOperation', id);
  }
  async listProjects() {
    this.call('listProjects');
    return [];
  }
  async listClusterMembers() {
    return [];
  }
  async exec(): Promise<never> {
    throw new Error('not in the fake');
  }
  async operationWebsocket(): Promise<never> {
    throw new Error('not in the fake');
  }
  events(opts?: unknown): EventStream {
    this.calls.push('events ' + JSON.stringify(opts));
    const s = new FakeStream(opts);
    this.streams.push(s);
    return s;
  }
  async close() {}
}
