// The typed LXD / Incus client: every call of LxdApi as one REST request through request.ts, with
// the path and query chosen by the server's api_extensions (see capabilities.ts).
import type WebSocket from 'ws';
import type {
  CreateInstanceOptions,
  EventStream,
  EventStreamOptions,
  ExecOptions,
  ExecSession,
  InstanceStateEntry,
  LxdApi,
  MetricsAnswer,
  MetricsOptions,
  ScopeOptions,
  StateAction,
} from './api.js';
import { EXT, hasExtension, instancesPath, parseServerInfo } from './capabilities.js';
import { launchBody } from './launch.js';
import { readEditable, writeEditable, type Editable, type EditTarget } from './editable.js';
import { LxdError } from './errors.js';
import { LxdEventStream, type EventStreamTuning } from './events.js';
import { logFileNames, readLogText, type LogText } from './logs.js';
import { instanceFiles, type InstanceFiles } from './files.js';
import { parseMemberState, parsePoolUse, parseResources, parseWarnings, type HostFigures, type PoolUse, type Warning } from './host.js';
import { instanceFigures, MetricsParseError, parseMetricsText } from './metrics.js';
import { checkInstanceName } from './names.js';
import { isObject, normalizeImages, normalizeInstance, normalizeInstances, normalizeSnapshots, normalizeState } from './normalize.js';
import { flattenOperations, outcomeOf } from './operations.js';
import { call, parseResponse, type CallOptions, type LxdResponse } from './request.js';
import { loadWebSocket, type Transport } from './transport.js';
import type {
  ClusterMember,
  Image,
  ImageAlias,
  Instance,
  InstanceState,
  Operation,
  OperationOutcome,
  Project,
  ServerInfo,
  Snapshot,
} from './types.js';

export interface LxdClientOptions {
  /** Default project (`default`). */
  project?: string;
  /** Event stream backoff and liveness settings (tests shorten them). */
  events?: EventStreamTuning;
}

type Query = Record<string, string | undefined>;

function withQuery(path: string, query: Query): string {
  const parts = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length === 0 ? path : `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

const seg = encodeURIComponent;

/** A meter read forwarded to a member that just went away waits this long, not the transport's 30 s. */
const METER_TIMEOUT_MS = 10_000;

/** A sync answer whose metadata is not the object the call is for. */
function notA(what: string, method: string, path: string, status: number): LxdError {
  return new LxdError(`${method} ${path}: the answer is not ${what} (HTTP ${status})`, { kind: 'protocol', status, method, path });
}

/** A list answer: servers send `null` for an empty list now and then. */
function list<T>(meta: unknown): T[] {
  return Array.isArray(meta) ? (meta as T[]) : [];
}

export class LxdClient implements LxdApi {
  readonly project: string;
  readonly transport: Transport;
  private info: Promise<ServerInfo> | null = null;
  private readonly streams = new Set<LxdEventStream>();
  private readonly eventTuning: EventStreamTuning | undefined;
  /** The server refused `all-projects` lists (a restricted certificate): lists go project by project. */
  private allProjectsRefused = false;

  get seesEveryProject(): boolean {
    return this.transport.endpoint.kind === 'unix';
  }

  constructor(transport: Transport, opts: LxdClientOptions = {}) {
    this.transport = transport;
    this.project = opts.project ?? 'default';
    this.eventTuning = opts.events;
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** One request, envelope parsed; for calls LxdApi does not cover. */
  request<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<LxdResponse<T>> {
    return call<T>(this.transport, method, path, opts);
  }

  private async get<T>(path: string, opts?: CallOptions): Promise<T> {
    return (await this.request<T>('GET', path, opts)).metadata;
  }

  /** A call that must start an operation (202 async); returns the operation. */
  private async operation(method: string, path: string, body?: unknown): Promise<Operation> {
    const res = await this.request<Operation>(method, path, body === undefined ? {} : { body });
    if (res.type !== 'async' || res.metadata === null || typeof res.metadata !== 'object') {
      throw new LxdError(`${method} ${path}: expected an operation, got a ${res.type} answer`, {
        kind: 'protocol',
        status: res.status,
        method,
        path,
      });
    }
    return res.metadata;
  }

  /** `?project=` for one project; nothing on servers without projects (there is only `default`). */
  private async projectQuery(project: string | undefined): Promise<Query> {
    const p = project ?? this.project;
    const info = await this.server();
    if (hasExtension(info, EXT.projects)) return { project: p };
    if (p !== 'default') {
      throw new LxdError(`this server has no projects (API extension "projects" missing): cannot use project "${p}"`, {
        kind: 'protocol',
        local: true,
      });
    }
    return {};
  }

  /**
   * A list call in one project or across all. Servers without the all-projects query for this
   * collection are asked project by project, so `allProjects` means the same everywhere.
   */
  private async scopedList<T>(base: string, query: Query, opts: ScopeOptions | undefined, allExt: string): Promise<T[]> {
    const info = await this.server();
    if (!opts?.allProjects || !hasExtension(info, EXT.projects)) {
      return list<T>(await this.get(withQuery(base, { ...query, ...(await this.projectQuery(opts?.project)) })));
    }
    if (hasExtension(info, allExt) && !this.allProjectsRefused) {
      try {
        return list<T>(await this.get(withQuery(base, { ...query, 'all-projects': 'true' })));
      } catch (err) {
        // LXD refuses `all-projects` (403) to a certificate restricted to some projects, and lists
        // only those in /1.0/projects: ask each of them, from now on (docs/lxd-api.md).
        if (!(err instanceof LxdError && err.is(403))) throw err;
        this.allProjectsRefused = true;
      }
    }
    const projects = await this.listProjects();
    const lists = await Promise.all(projects.map((p) => this.get(withQuery(base, { ...query, project: p.name }))));
    return lists.flatMap((l) => list<T>(l));
  }

  private async instancePath(name: string, rest = ''): Promise<string> {
    return `${instancesPath(await this.server())}/${seg(name)}${rest}`;
  }

  // --- server ---------------------------------------------------------------------------------

  /** `GET /1.0`'s metadata read by someone else just now (the socket's probe): taken as this client's. */
  knowServer(metadata: unknown): void {
    try {
      this.info = Promise.resolve({ ...parseServerInfo(metadata, this.project), project: this.project });
    } catch {
      // not an answer to take: server() asks itself, and says what is wrong
    }
  }

  server(refresh = false): Promise<ServerInfo> {
    if (refresh || this.info === null) {
      // `GET /1.0` is not project-scoped (its environment.project reads "default"): the project
      // this client shows is its own.
      const p = this.get<unknown>('/1.0').then((meta) => ({ ...parseServerInfo(meta, this.project), project: this.project }));
      // A failed read is not cached: the next call tries again.
      p.catch(() => {
        if (this.info === p) this.info = null;
      });
      this.info = p;
    }
    return this.info;
  }

  // --- editing (lxtop edit) -------------------------------------------------------------------

  readEditable(target: EditTarget): Promise<Editable> {
    return readEditable(this, target);
  }

  writeEditable(target: EditTarget, body: Record<string, unknown>, etag: string | null): Promise<void> {
    return writeEditable(this, target, body, etag);
  }

  // --- instances ------------------------------------------------------------------------------

  async listInstances(opts?: ScopeOptions): Promise<Instance[]> {
    const info = await this.server();
    const items = await this.scopedList<unknown>(instancesPath(info), { recursion: '1' }, opts, EXT.instanceAllProjects);
    // Legacy /1.0/containers objects lack type / project / location; entries that are not
    // instances are dropped (see normalize.ts).
    return normalizeInstances(items, opts?.project ?? this.project);
  }

  async getInstance(name: string, opts?: ScopeOptions): Promise<{ instance: Instance; etag: string | null }> {
    const path = withQuery(await this.instancePath(name), await this.projectQuery(opts?.project));
    const res = await this.request<unknown>('GET', path);
    const instance = normalizeInstance(res.metadata, opts?.project ?? this.project);
    if (instance === null) throw notA('an instance', 'GET', path, res.status);
    return { instance, etag: res.etag };
  }

  /**
   * PATCH an instance's config (`description`, `config`, `devices`, `profiles`). With `etag` (from
   * getInstance) the server refuses the change if the instance changed meanwhile (HTTP 412).
   */
  async patchInstance(
    name: string,
    patch: Partial<Pick<Instance, 'description' | 'config' | 'devices' | 'profiles'>>,
    opts?: ScopeOptions & { etag?: string | null },
  ): Promise<void> {
    const path = withQuery(await this.instancePath(name), await this.projectQuery(opts?.project));
    await this.request('PATCH', path, { body: patch, ifMatch: opts?.etag ?? null });
  }

  async instanceState(name: string, opts?: ScopeOptions): Promise<InstanceState> {
    const path = withQuery(await this.instancePath(name, '/state'), await this.projectQuery(opts?.project));
    const res = await this.request<unknown>('GET', path);
    const state = normalizeState(res.metadata);
    if (state === null) throw notA('an instance state', 'GET', path, res.status);
    return state;
  }

  /**
   * One `GET /1.0/instances?recursion=2` (`filter=status eq Running` with `runningOnly` on servers
   * with `api_filtering`): in lxtop's process one list of 50 running instances costs ~2-3 ms of
   * CPU where 50 single `…/state` requests cost ~40 ms (the daemon's work is about the same: it
   * builds the full record of every instance in the scope, filtered or not, stopped ones included).
   * Null on servers without `container_full`.
   */
  async listInstanceStates(opts?: ScopeOptions & { runningOnly?: boolean }): Promise<InstanceStateEntry[] | null> {
    const info = await this.server();
    if (!hasExtension(info, EXT.instanceFull)) return null;
    const query: Query = { recursion: '2' };
    if (opts?.runningOnly && hasExtension(info, EXT.apiFiltering)) query.filter = 'status eq Running';
    const items = await this.scopedList<unknown>(instancesPath(info), query, opts, EXT.instanceAllProjects);
    const fallbackProject = opts?.project ?? this.project;
    const out: InstanceStateEntry[] = [];
    for (const v of items) {
      if (!isObject(v) || typeof v.name !== 'string' || v.name === '') continue;
      out.push({
        name: v.name,
        project: typeof v.project === 'string' && v.project !== '' ? v.project : fallbackProject,
        status: typeof v.status === 'string' ? v.status : '',
        state: normalizeState(v.state),
        // recursion=2 sends `snapshots: null` for an instance without any (a Go nil slice).
        snapshots: Array.isArray(v.snapshots) ? v.snapshots.length : 'snapshots' in v && v.snapshots === null ? 0 : null,
      });
    }
    return out;
  }

  /**
   * `GET /1.0/metrics`: one project (`?project=`), every project (no query: the daemon merges its
   * per-project caches), on one cluster member (`?target=`). The answer is OpenMetrics text, not
   * an envelope; a refusal is an error envelope (403, 404) like any other call's.
   */
  async metrics(opts: MetricsOptions = {}): Promise<MetricsAnswer> {
    const info = await this.server();
    if (!hasExtension(info, EXT.metrics)) {
      throw new LxdError('this server has no metrics (API extension "metrics" missing)', { kind: 'protocol', local: true });
    }
    const query: Query = opts.allProjects || !hasExtension(info, EXT.projects) ? {} : await this.projectQuery(opts.project);
    if (opts.target !== undefined && opts.target !== '') query.target = opts.target;
    const path = withQuery('/1.0/metrics', query);
    const sentAt = Date.now();
    const raw = await this.transport.request('GET', path, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
    const receivedAt = Date.now();
    // An error envelope (or anything that is not text/plain with a 2xx status): read as any call's.
    const type = String(raw.headers['content-type'] ?? '');
    if (raw.status >= 400 || type.includes('application/json')) {
      parseResponse(raw, 'GET', path); // throws the server's own error
      throw new LxdError(`GET ${path}: the answer is an LXD envelope, not metrics (HTTP ${raw.status})`, { kind: 'protocol', status: raw.status, method: 'GET', path });
    }
    let samples;
    try {
      samples = parseMetricsText(raw.text);
    } catch (err) {
      const why = err instanceof MetricsParseError ? err.message : String(err);
      throw new LxdError(`GET ${path}: the answer is not OpenMetrics text: ${why} (HTTP ${raw.status})`, {
        kind: 'protocol',
        status: raw.status,
        method: 'GET',
        path,
        cause: err,
      });
    }
    const instances = instanceFigures(samples, opts.project ?? this.project);
    return { sentAt, receivedAt, instances, bytes: raw.text.length };
  }

  async createInstance(opts: CreateInstanceOptions): Promise<Operation> {
    const info = await this.server();
    checkInstanceName(opts.name, info.kind);
    const { image } = opts;
    const body = launchBody(
      { name: opts.name, image: 'remote' in image ? '' : image, remote: 'remote' in image ? image.remote : undefined, vm: opts.type === 'virtual-machine', profiles: opts.profiles, config: opts.config },
      info,
    );
    const query = { ...(await this.projectQuery(opts.project)), target: opts.target };
    return this.operation('POST', withQuery(instancesPath(info), query), body);
  }

  async changeState(
    name: string,
    action: StateAction,
    opts?: ScopeOptions & { force?: boolean; timeout?: number },
  ): Promise<Operation> {
    const path = withQuery(await this.instancePath(name, '/state'), await this.projectQuery(opts?.project));
    return this.operation('PUT', path, { action, timeout: opts?.timeout ?? 30, force: opts?.force ?? false, stateful: false });
  }

  async renameInstance(name: string, newName: string, opts?: ScopeOptions): Promise<Operation> {
    checkInstanceName(newName, (await this.server()).kind);
    const path = withQuery(await this.instancePath(name), await this.projectQuery(opts?.project));
    return this.operation('POST', path, { name: newName });
  }

  async deleteInstance(name: string, opts?: ScopeOptions): Promise<Operation> {
    const path = withQuery(await this.instancePath(name), await this.projectQuery(opts?.project));
    return this.operation('DELETE', path);
  }

  // --- logs (logs.ts) -------------------------------------------------------------------------

  async instanceLogs(name: string, opts?: ScopeOptions): Promise<string[]> {
    const path = withQuery(await this.instancePath(name, '/logs'), await this.projectQuery(opts?.project));
    return logFileNames(await this.get<unknown>(path));
  }

  async instanceLog(name: string, file: string, opts?: ScopeOptions & { from?: number }): Promise<LogText> {
    const path = withQuery(await this.instancePath(name, `/logs/${seg(file)}`), await this.projectQuery(opts?.project));
    return readLogText(this.transport, path, opts?.from ?? 0);
  }

  /** The instance's files (files.ts): browse, pull, push, delete, streamed. */
  instanceFiles(name: string, opts?: ScopeOptions): InstanceFiles {
    checkInstanceName(name);
    return instanceFiles({
      transport: this.transport,
      name,
      path: () => this.instancePath(name, '/files'),
      query: async () => Object.entries(await this.projectQuery(opts?.project)).map(([k, v]) => `&${k}=${seg(v ?? '')}`).join(''),
      head: async () => hasExtension(await this.server(), 'instance_file_head'),
      sftpPath: async () => withQuery(await this.instancePath(name, '/sftp'), await this.projectQuery(opts?.project)),
    });
  }

  async consoleLog(name: string, opts?: ScopeOptions): Promise<LogText> {
    if (!hasExtension(await this.server(), EXT.console)) {
      throw new LxdError('this server has no console log (API extension "console" missing)', { kind: 'protocol', local: true });
    }
    const path = withQuery(await this.instancePath(name, '/console'), await this.projectQuery(opts?.project));
    return readLogText(this.transport, path);
  }

  async console(name: string, opts: ScopeOptions & { width: number; height: number }): Promise<ExecSession> {
    void loadWebSocket().catch(() => undefined);
    if (!hasExtension(await this.server(), EXT.console)) {
      throw new LxdError('this server has no instance console (API extension "console" missing)', { kind: 'protocol', local: true });
    }
    const path = withQuery(await this.instancePath(name, '/console'), await this.projectQuery(opts.project));
    const operation = await this.operation('POST', path, { width: opts.width, height: opts.height, type: 'console' });
    const fds = (operation.metadata?.fds ?? null) as Record<string, string> | null;
    if (fds === null || typeof fds !== 'object') {
      throw new LxdError(`console of ${name}: the operation carries no websocket secrets`, { kind: 'protocol', path });
    }
    return { operation, fds };
  }

  // --- snapshots ------------------------------------------------------------------------------

  async listSnapshots(name: string, opts?: ScopeOptions): Promise<Snapshot[]> {
    const query = { recursion: '1', ...(await this.projectQuery(opts?.project)) };
    // Older servers name snapshots `<instance>/<snapshot>` (normalize.ts keeps the last part).
    return normalizeSnapshots(await this.get(withQuery(await this.instancePath(name, '/snapshots'), query)));
  }

  async createSnapshot(name: string, snapshot: string, opts?: ScopeOptions & { stateful?: boolean }): Promise<Operation> {
    const path = withQuery(await this.instancePath(name, '/snapshots'), await this.projectQuery(opts?.project));
    return this.operation('POST', path, { name: snapshot, stateful: opts?.stateful ?? false });
  }

  async renameSnapshot(name: string, snapshot: string, newName: string, opts?: ScopeOptions): Promise<Operation> {
    const path = withQuery(await this.instancePath(name, `/snapshots/${seg(snapshot)}`), await this.projectQuery(opts?.project));
    return this.operation('POST', path, { name: newName });
  }

  async restoreSnapshot(name: string, snapshot: string, opts?: ScopeOptions): Promise<Operation> {
    const path = withQuery(await this.instancePath(name), await this.projectQuery(opts?.project));
    return this.operation('PUT', path, { restore: snapshot });
  }

  async deleteSnapshot(name: string, snapshot: string, opts?: ScopeOptions): Promise<Operation> {
    const path = withQuery(await this.instancePath(name, `/snapshots/${seg(snapshot)}`), await this.projectQuery(opts?.project));
    return this.operation('DELETE', path);
  }

  // --- images ---------------------------------------------------------------------------------

  async listImages(opts?: ScopeOptions): Promise<Image[]> {
    return normalizeImages(await this.scopedList<unknown>('/1.0/images', { recursion: '1' }, opts, EXT.imagesAllProjects));
  }

  async listImageAliases(opts?: ScopeOptions): Promise<ImageAlias[]> {
    const query = { recursion: '1', ...(await this.projectQuery(opts?.project)) };
    return list<unknown>(await this.get(withQuery('/1.0/images/aliases', query))).filter(isObject) as unknown as ImageAlias[];
  }

  async deleteImage(fingerprint: string, opts?: ScopeOptions): Promise<Operation> {
    return this.operation('DELETE', withQuery(`/1.0/images/${seg(fingerprint)}`, await this.projectQuery(opts?.project)));
  }

  // --- operations -----------------------------------------------------------------------------

  async listOperations(opts?: ScopeOptions): Promise<Operation[]> {
    const info = await this.server();
    const query = { recursion: '1' };
    if (!opts?.allProjects || !hasExtension(info, EXT.projects)) {
      return flattenOperations(await this.get(withQuery('/1.0/operations', { ...query, ...(await this.projectQuery(opts?.project)) })));
    }
    if (hasExtension(info, EXT.operationsAllProjects)) {
      return flattenOperations(await this.get(withQuery('/1.0/operations', { ...query, 'all-projects': 'true' })));
    }
    const projects = await this.listProjects();
    const maps = await Promise.all(projects.map((p) => this.get(withQuery('/1.0/operations', { ...query, project: p.name }))));
    return maps.flatMap(flattenOperations);
  }

  getOperation(id: string): Promise<Operation> {
    return this.get(`/1.0/operations/${seg(id)}`);
  }

  /**
   * LXD answers `/wait` with the operation (Running when the timeout passed). Incus answers HTTP
   * 200 with an error body on failure and on timeout, and drops the metadata (exec `return`): the
   * operation itself then tells the outcome.
   */
  async waitOperation(id: string, timeoutSeconds = 30): Promise<OperationOutcome> {
    const seconds = Math.max(0, Math.floor(timeoutSeconds));
    const path = `/1.0/operations/${seg(id)}/wait?timeout=${seconds}`;
    try {
      return outcomeOf(await this.get<Operation>(path, { timeoutMs: (seconds + 15) * 1000 }));
    } catch (waitErr) {
      if (!(waitErr instanceof LxdError) || waitErr.kind !== 'http') throw waitErr;
      let op: Operation;
      try {
        op = await this.getOperation(id);
      } catch (getErr) {
        // Gone as well: an unknown operation stays an error; a failure whose record vanished is a Failure.
        if (getErr instanceof LxdError && getErr.is(404) && !waitErr.is(404)) {
          return { status: 'Failure', err: waitErr.message, returnCode: null, operation: null };
        }
        throw waitErr;
      }
      const outcome = outcomeOf(op);
      return outcome.status === 'Failure' && outcome.err === '' ? { ...outcome, err: waitErr.message } : outcome;
    }
  }

  async cancelOperation(id: string): Promise<void> {
    await this.request('DELETE', `/1.0/operations/${seg(id)}`);
  }

  // --- projects and cluster -------------------------------------------------------------------

  async listProjects(): Promise<Project[]> {
    const info = await this.server();
    // A server without projects has exactly one, implicit: `default`.
    if (!hasExtension(info, EXT.projects)) return [{ name: 'default', description: '', config: {} }];
    return list<Project>(await this.get('/1.0/projects?recursion=1'));
  }

  async listClusterMembers(): Promise<ClusterMember[]> {
    const info = await this.server();
    if (!hasExtension(info, EXT.clustering) || !info.clustered) return [];
    return list<ClusterMember>(await this.get('/1.0/cluster/members?recursion=1'));
  }

  // --- host meters and warnings (host.ts) -------------------------------------------------------

  private async needs(ext: string, what: string): Promise<void> {
    if (!hasExtension(await this.server(), ext)) {
      throw new LxdError(`this server has no ${what} (API extension "${ext}" missing)`, { kind: 'protocol', local: true });
    }
  }

  async hostResources(target?: string): Promise<HostFigures> {
    await this.needs(EXT.resources, 'resources');
    return parseResources(await this.get(withQuery('/1.0/resources', { target }), { timeoutMs: METER_TIMEOUT_MS }));
  }

  async memberState(name: string): Promise<HostFigures> {
    await this.needs(EXT.memberState, 'cluster member state');
    return parseMemberState(await this.get(`/1.0/cluster/members/${seg(name)}/state`, { timeoutMs: METER_TIMEOUT_MS }));
  }

  async storagePools(): Promise<string[]> {
    const urls = list<unknown>(await this.get('/1.0/storage-pools'));
    return urls.filter((u): u is string => typeof u === 'string').map((u) => decodeURIComponent(u.slice(u.lastIndexOf('/') + 1)));
  }

  async poolUse(pool: string, target?: string): Promise<PoolUse | null> {
    await this.needs(EXT.resources, 'resources');
    return parsePoolUse(pool, await this.get(withQuery(`/1.0/storage-pools/${seg(pool)}/resources`, { target }), { timeoutMs: METER_TIMEOUT_MS }));
  }

  async listWarnings(): Promise<Warning[]> {
    await this.needs(EXT.warnings, 'warnings');
    return parseWarnings(await this.get('/1.0/warnings?recursion=1'));
  }

  async setWarningStatus(uuid: string, status: 'acknowledged' | 'new'): Promise<void> {
    await this.request('PUT', `/1.0/warnings/${seg(uuid)}`, { body: { status } });
  }

  async deleteWarning(uuid: string): Promise<void> {
    await this.request('DELETE', `/1.0/warnings/${seg(uuid)}`);
  }

  // --- exec -----------------------------------------------------------------------------------

  async exec(name: string, opts: ExecOptions): Promise<ExecSession> {
    // Its websockets follow at once: `ws` loads while the daemon answers this request.
    void loadWebSocket().catch(() => undefined);
    const info = await this.server();
    const body: Record<string, unknown> = {
      command: opts.command,
      environment: opts.environment ?? {},
      interactive: opts.interactive,
      'wait-for-websocket': true,
      'record-output': false,
    };
    if (opts.interactive) {
      body.width = opts.width ?? 80;
      body.height = opts.height ?? 24;
    }
    const wantsUser = opts.user !== undefined || opts.group !== undefined || opts.cwd !== undefined;
    if (wantsUser && !hasExtension(info, EXT.execUserGroupCwd)) {
      throw new LxdError('this server cannot run exec as another user or in another directory (API extension "container_exec_user_group_cwd" missing)', {
        kind: 'protocol',
        local: true,
      });
    }
    if (opts.user !== undefined) body.user = opts.user;
    if (opts.group !== undefined) body.group = opts.group;
    if (opts.cwd !== undefined) body.cwd = opts.cwd;
    const path = withQuery(await this.instancePath(name, '/exec'), await this.projectQuery(opts.project));
    const operation = await this.operation('POST', path, body);
    const fds = (operation.metadata?.fds ?? null) as Record<string, string> | null;
    if (fds === null || typeof fds !== 'object') {
      throw new LxdError(`exec on ${name}: the operation carries no websocket secrets`, { kind: 'protocol', path });
    }
    return { operation, fds };
  }

  operationWebsocket(operationId: string, secret: string, attach?: (ws: WebSocket) => void): Promise<WebSocket> {
    return this.transport.openWebsocket(`/1.0/operations/${seg(operationId)}/websocket?secret=${seg(secret)}`, attach);
  }

  // --- events ---------------------------------------------------------------------------------

  events(opts: EventStreamOptions = {}): EventStream {
    const types = (opts.types ?? ['lifecycle', 'operation']).join(',');
    // The path is resolved at every (re)connect: it needs the server's extensions.
    const path = async () => {
      if (opts.allProjects) return withQuery('/1.0/events', { type: types, 'all-projects': 'true' });
      return withQuery('/1.0/events', { type: types, ...(await this.projectQuery(opts.project)) });
    };
    const stream = new LxdEventStream(this.transport, path, this.eventTuning);
    this.streams.add(stream);
    stream.onStatus((status) => {
      if (status === 'disconnected' && stream.closed) this.streams.delete(stream);
    });
    return stream;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.close();
    this.streams.clear();
    await this.transport.close();
  }
}
