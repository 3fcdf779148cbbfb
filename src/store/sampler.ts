// Sampling within the daemon budget: the controller's figures (CPU, memory, network, processes,
// IPv4, disk) for the rows on screen, at the periods plan.ts chooses from the costs cost.ts learns.
//
//   selected   `/state` of the selected instance (or the one the detail view shows) every 2 s;
//              the detail view's state follows each sample
//   bulk       per cluster member (one daemon, one budget each): `/1.0/metrics` for the scope
//              (its figures go to every running instance it lists, on screen or not), or rounds
//              of `/state` (one `recursion=2` list where it pays, see usesStateList) for the
//              visible running rows, oldest figures first, as many as the budget allows
//   slow       with metrics: one `/state` at a time for IPv4 and disk usage, round-robin
//   events     a started / restarted / resumed row on screen gets a `/state` 3 s later (its IPv4)
// Every request is charged to its daemon's bucket (cost.ts) at its estimated cost, the ones the
// controller makes besides (re-lists, snapshot counts, members) too; a sample whose cost the
// bucket cannot cover waits for the next slot. Periodic reads start on wall-clock multiples of
// their period, so lxtops that watch one daemon meet on the same slots: the daemon's metrics cache
// serves them one computation, and `/state` samples are shared through shared-samples.ts.
// Metrics that the server refuses (403, 404, an answer that is not OpenMetrics) are not asked
// again for 10 minutes: `/state` serves meanwhile; figures never block the panes (a slow answer
// only leaves them older, and the header says how old).
import type { InstanceStateEntry, LxdApi } from '../lxd/api.js';
import { errorText, httpStatus, isNetworkError } from '../lxd/errors.js';
import { figuresFingerprint, type InstanceFigures } from '../lxd/metrics.js';
import type { InstanceState, LxdEvent } from '../lxd/types.js';
import { CostModel, DaemonBudget, type RequestKind } from './cost.js';
import { mapLimit } from './map-limit.js';
import { figuresState } from './metrics.js';
import { MetricsClock } from './metrics-time.js';
import { NO_PLAN, planSampling, type Plan } from './plan.js';
import { selectSelectedKey } from './selectors.js';
import type { SharedSamples } from './shared-samples.js';
import { instanceKey, parseInstanceKey, type Action, type InstanceKey, type SampleEntry, type SamplingStatus, type Store } from './state.js';
import { createTimers } from './timers.js';

/** A slow round's samples wait at most this long (ms) for the rest of the round. */
export const SAMPLE_FLUSH_MS = 500;
/**
 * A round reads `visibleRunning` states by one list (`recursion=2`) rather than one request each
 * when at least `LIST_MIN_VISIBLE` are to be read and the scope holds at most `LIST_MAX_RATIO`
 * times as many instances: the daemon builds the state of every instance in the list (LXD 5.0
 * does so before applying a filter), so a large scope with a few visible rows is read one by one.
 */
const LIST_MIN_VISIBLE = 2;
const LIST_MAX_RATIO = 2;
/** A refused metrics endpoint is tried again after this long. */
export const METRICS_RETRY_MS = 10 * 60_000;
/** After a transient metrics failure (timeout, 423 "being built", a cut answer) `/state` serves for this long. */
const METRICS_TRANSIENT_RETRY_MS = 60_000;
/** A metrics answer that takes longer is given up (the figures stay, older). */
const METRICS_TIMEOUT_MS = 30_000;
/** After a start/restart/resume event: when to read the row's state (its IPv4). */
const EVENT_STATE_DELAY_MS = 3000;
/** How long an lxtop that lost the claim on a slot waits for the winner's sample. */
const SHARED_WAIT_MS = 1500;
const SHARED_POLL_MS = 100;
/** A new selection is sampled once it has stayed this long (moving through rows costs nothing). */
const SELECT_SETTLE_MS = 250;

/** Whether a round reads `visibleRunning` states by one list of a scope of `inScope` instances. */
export function usesStateList(visibleRunning: number, inScope: number): boolean {
  return visibleRunning >= LIST_MIN_VISIBLE && inScope <= LIST_MAX_RATIO * visibleRunning;
}

export interface SamplerContext {
  api: LxdApi;
  store: Store;
  now: () => number;
  intervalMs: number;
  /** Fraction of one core per daemon (0: events only). */
  budget: number;
  /** Force the bulk reads' way (tests, benchmarks). */
  via?: 'metrics' | 'state';
  allProjects: boolean;
  concurrency: number;
  /** CPUs of the daemon's host (the parallelism of a metrics computation; cost.ts). */
  cores: number;
  shared: SharedSamples | null;
  dispatch(action: Action): void;
  stopped(): boolean;
  /** Running and not paused: timers may fire. */
  active(): boolean;
  onNetworkError(err: unknown): void;
  /** A `/state` answered 404: re-read the instance (gone, renamed). */
  fetchInstance(key: InstanceKey): Promise<void>;
  /** Snapshot counts of visible rows not known yet (once per instance). */
  countSnapshots(keys: readonly InstanceKey[]): Promise<void>;
}

export interface Sampler {
  /** Plans and starts every job (after the first list, and after a resume). */
  start(): void;
  /** Clears every timer (pause, stop). */
  halt(): void;
  setVisible(keys: readonly InstanceKey[]): void;
  /** An event frame: a start / restart / resume of a row on screen reads its state soon. */
  onEvent(event: LxdEvent): void;
  /** A request the controller makes besides sampling, charged to the daemon budget: call the result when it is done. */
  track(kind: RequestKind): () => void;
  readonly cost: CostModel;
  /** The plan per cluster member ('' when not clustered). */
  plans(): ReadonlyMap<string, Plan>;
}

type Timer = ReturnType<typeof setTimeout>;
const RUNNING = new Set(['Running', 'Frozen']);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createSampler(ctx: SamplerContext): Sampler {
  const { api, store, now } = ctx;
  const cost = new CostModel({ cores: ctx.cores });
  const budgets = new Map<string, DaemonBudget>();
  const clocks = new Map<string, MetricsClock>();
  const metricsState = new Map<string, { blockedUntil: number; transient: number }>();
  const plans = new Map<string, Plan>();
  const busy = new Set<string>();
  let visible: ReadonlySet<InstanceKey> = new Set();
  let listUnusable = false;
  let started = false;
  let selected: InstanceKey | null = null;
  let hadSelection = false;
  let lastStatus: SamplingStatus | null = null;
  const counted = new Set<InstanceKey>();

  // ---- timers (one per job name; none fire unless ctx.active()) ------------------------------

  const timers = createTimers(() => ctx.active());
  const { schedule, clear } = timers;
  /** Delay to the next wall-clock multiple of `period` (so lxtops meet on the same slots). */
  function toSlot(period: number): number {
    const t = now();
    return Math.ceil((t + 1) / period) * period - t;
  }
  const slotOf = (period: number) => Math.floor(now() / period) * period;

  // ---- where things run and what they cost ---------------------------------------------------

  const clustered = () => store.getState().server?.clustered === true;
  function memberOf(key: InstanceKey): string {
    if (!clustered()) return '';
    const loc = store.getState().instances[key]?.location;
    return typeof loc === 'string' && loc !== 'none' ? loc : '';
  }
  /** The member this client talks to (lists, events). */
  const homeMember = () => (clustered() ? (store.getState().server?.serverName ?? '') : '');
  function budgetOf(member: string): DaemonBudget {
    let b = budgets.get(member);
    if (!b) {
      b = new DaemonBudget(ctx.budget, now);
      budgets.set(member, b);
    }
    return b;
  }
  function charge(member: string, kind: RequestKind, latencyMs: number, units = 1, warm = false): void {
    budgetOf(member).spend(cost.observe(kind, latencyMs, units, { warm }));
  }
  /**
   * Times one request: the function returned gives its latency as this request's share of the
   * daemon's time. With more of lxtop's requests in flight than the daemon's host has CPUs, each
   * waits for the others: the wall time is divided by in-flight / cores (8 `/state` at once on 2
   * CPUs take about 4 times as long each, for the same CPU).
   */
  let inflight = 0;
  function begin(): () => number {
    inflight++;
    const t0 = now();
    const n0 = inflight;
    let ms: number | null = null;
    return () => {
      if (ms === null) {
        const n = Math.max(n0, inflight);
        inflight--;
        ms = (now() - t0) / Math.max(1, n / cost.cores);
      }
      return ms;
    };
  }

  const isRunning = (key: InstanceKey) => RUNNING.has(store.getState().instances[key]?.status ?? '');
  /**
   * The row under the cursor (the first row until one is chosen), or the one the detail view shows;
   * none while another pane is on screen: figures nobody sees cost the daemon ~0.1 s a `/state`.
   */
  function selectedKey(): InstanceKey | null {
    const st = store.getState();
    const d = st.ui.dialog;
    const key = d && d.kind === 'detail' ? d.key : st.ui.focus === 'instances' ? selectSelectedKey(st, 'instances') : null;
    return key && st.instances[key] && isRunning(key) ? key : null;
  }
  function metricsUsable(member: string): boolean {
    if (!api.metrics) return false;
    const info = store.getState().server;
    if (info && !info.apiExtensions.includes('metrics')) return false;
    return (metricsState.get(member)?.blockedUntil ?? 0) <= now();
  }
  /** Running instances a metrics fetch for `member` computes (the whole scope, not only the rows on screen). */
  function runningOn(member: string): number {
    let n = 0;
    for (const [key, inst] of Object.entries(store.getState().instances)) if (RUNNING.has(inst.status) && memberOf(key) === member) n++;
    return n;
  }

  // ---- planning ------------------------------------------------------------------------------

  /** Visible running rows for the bulk reads, by member: the selected one only where the plan reads it with them. */
  function groups(): Map<string, InstanceKey[]> {
    const out = new Map<string, InstanceKey[]>();
    for (const key of visible) {
      if (!isRunning(key)) continue;
      if (key === selected && !plans.get(memberOf(key))?.withSelected) continue;
      const m = memberOf(key);
      const list = out.get(m) ?? [];
      list.push(key);
      out.set(m, list);
    }
    return out;
  }

  function replan(): void {
    if (!started) return;
    const sel = selectedKey();
    const selChanged = sel !== selected;
    selected = sel;
    const byMember = new Map<string, number>();
    for (const key of visible) {
      if (key === sel || !isRunning(key)) continue;
      const m = memberOf(key);
      byMember.set(m, (byMember.get(m) ?? 0) + 1);
    }
    const members = new Set<string>([...byMember.keys(), ...plans.keys()]);
    if (sel) members.add(memberOf(sel));
    for (const member of members) {
      const others = byMember.get(member) ?? 0;
      const hasSel = sel !== null && memberOf(sel) === member;
      const metricsCost = metricsUsable(member) ? cost.predict('metrics', runningOn(member)) : null;
      if (metricsCost !== null) budgetOf(member).fit(metricsCost);
      const next = planSampling({
        budget: ctx.budget,
        intervalMs: ctx.intervalMs,
        selected: hasSel,
        others,
        stateCost: cost.predict('state'),
        metricsCost,
        ...(ctx.via ? { via: ctx.via } : {}),
      });
      const prev = plans.get(member) ?? NO_PLAN;
      plans.set(member, next);
      if (next.via !== prev.via || next.bulkMs !== prev.bulkMs) {
        clear(`bulk:${member}`);
        if (next.via !== 'none' && next.bulkMs !== null) {
          // A new way of reading (or the first): at once; a new period: from its next slot.
          const first = next.via !== prev.via;
          schedule(`bulk:${member}`, first ? 0 : toSlot(next.bulkMs), () => runBulk(member));
        }
      }
      if (next.slowMs !== prev.slowMs) {
        clear(`slow:${member}`);
        if (next.slowMs !== null) schedule(`slow:${member}`, toSlot(next.slowMs), () => runSlow(member));
      }
    }
    const selMs = sel ? (plans.get(memberOf(sel))?.selectedMs ?? null) : null;
    if (selChanged || (selMs !== null && !timers.has('sel') && !busy.has('sel'))) {
      clear('sel');
      // A selection the user moved: once it settles; the first one (the first row): at once.
      const delay = selChanged ? (hadSelection ? SELECT_SETTLE_MS : 0) : selMs !== null ? toSlot(selMs) : 0;
      if (selMs !== null) schedule('sel', delay, runSelected);
    }
    if (sel) hadSelection = true;
    publish();
  }

  /** The header's line: how the rows are read, how often, and how old the oldest figures on screen are. */
  function publish(): void {
    const st = store.getState();
    let figuresAt: number | null = null;
    for (const key of visible) {
      const pair = st.samples[key];
      if (!pair || !RUNNING.has(st.instances[key]?.status ?? '')) continue;
      const t = pair.last.earliest ?? pair.last.at;
      if (figuresAt === null || t < figuresAt) figuresAt = t;
    }
    let via: SamplingStatus['via'] = 'none';
    let refreshMs: number | null = null;
    for (const p of plans.values()) {
      if (p.via === 'none' || p.bulkMs === null) continue;
      if (via === 'none' || p.via === 'metrics') via = p.via;
      refreshMs = Math.max(refreshMs ?? 0, p.bulkMs);
    }
    const selectedMs = selected ? (plans.get(memberOf(selected))?.selectedMs ?? null) : null;
    if (refreshMs === null && selectedMs !== null) refreshMs = selectedMs;
    const next: SamplingStatus = { budget: ctx.budget, via, refreshMs, selectedMs, figuresAt };
    const l = lastStatus;
    if (l && l.budget === next.budget && l.via === next.via && l.refreshMs === next.refreshMs && l.selectedMs === next.selectedMs && l.figuresAt === next.figuresAt) return;
    lastStatus = next;
    ctx.dispatch({ type: 'sampling/status', status: next });
  }

  function dispatchSamples(samples: SampleEntry[]): void {
    if (!samples.length || ctx.stopped()) return;
    ctx.dispatch({ type: 'instance/samples', samples });
    refreshDetail(samples);
    publish();
  }

  /** The detail view of an instance just sampled by `/state` shows the new state. */
  function refreshDetail(samples: readonly SampleEntry[]): void {
    const d = store.getState().ui.dialog;
    if (!d || d.kind !== 'detail' || !d.detail) return;
    const s = samples.find((e) => e.key === d.key && e.source !== 'metrics');
    if (!s || s.state === d.detail.state) return;
    ctx.dispatch({ type: 'dialog/open', dialog: { ...d, detail: { ...d.detail, state: s.state } } });
  }

  // ---- one `/state`, shared with the other lxtops -------------------------------------------

  /**
   * A state sample of `key` for the slot starting at `slot`: a shared one measured since `since`
   * (another lxtop's), else this lxtop's own request if the budget allows. Null: none ('lost':
   * the daemon is unreachable).
   */
  async function stateSample(key: InstanceKey, slot: number, since = slot): Promise<SampleEntry | null | 'lost'> {
    const shared = ctx.shared;
    if (shared) {
      const got = shared.read(key, since - 250);
      if (got) return { key, state: got.state, at: got.at };
      if (!shared.claim(key, slot)) {
        for (let waited = 0; waited < SHARED_WAIT_MS && !ctx.stopped(); waited += SHARED_POLL_MS) {
          await sleep(SHARED_POLL_MS);
          const late = shared.read(key, since - 250);
          if (late) return { key, state: late.state, at: late.at };
        }
      }
    }
    const member = memberOf(key);
    if (!budgetOf(member).allows(cost.predict('state'))) return null;
    const { project, name } = parseInstanceKey(key);
    const end = begin();
    let state: InstanceState;
    try {
      state = await api.instanceState(name, { project });
    } catch (err) {
      charge(member, 'other', end());
      if (isNetworkError(err)) {
        ctx.onNetworkError(err);
        return 'lost';
      }
      if (httpStatus(err) === 404) void ctx.fetchInstance(key);
      return null;
    }
    const at = now();
    charge(member, 'state', end());
    shared?.write(key, { at, state });
    return { key, state, at };
  }

  // ---- the jobs ------------------------------------------------------------------------------

  async function runSelected(): Promise<void> {
    const key = selectedKey();
    if (!key || busy.has('sel')) return;
    const period = plans.get(memberOf(key))?.selectedMs ?? null;
    if (period === null) return;
    busy.add('sel');
    try {
      const s = await stateSample(key, slotOf(period));
      if (s && s !== 'lost') dispatchSamples([s]);
    } finally {
      busy.delete('sel');
      const p = selected ? (plans.get(memberOf(selected))?.selectedMs ?? null) : null;
      if (p !== null) schedule('sel', toSlot(p), runSelected);
    }
  }

  async function runBulk(member: string): Promise<void> {
    const name = `bulk:${member}`;
    if (busy.has(name)) return;
    busy.add(name);
    try {
      const plan = plans.get(member);
      if (plan?.via === 'metrics') await fetchMetrics(member);
      else if (plan?.via === 'state') await stateRound(member);
    } finally {
      busy.delete(name);
      replan(); // with what this read taught of the costs
      const plan = plans.get(member);
      if (plan && plan.via !== 'none' && plan.bulkMs !== null && !timers.has(name)) schedule(name, toSlot(plan.bulkMs), () => runBulk(member));
      void countVisibleSnapshots();
    }
  }

  /** A round's samples go to the store together (one update, one frame), or after SAMPLE_FLUSH_MS if the round is slow. */
  function sampleBatch() {
    let pending: SampleEntry[] = [];
    let timer: Timer | null = null;
    const flush = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const samples = pending;
      pending = [];
      dispatchSamples(samples);
    };
    return {
      add(entry: SampleEntry) {
        pending.push(entry);
        timer ??= setTimeout(flush, Math.min(SAMPLE_FLUSH_MS, ctx.intervalMs / 2));
      },
      flush,
    };
  }
  type Batch = ReturnType<typeof sampleBatch>;

  async function stateRound(member: string): Promise<void> {
    const st = store.getState();
    // The oldest figures first: a round the budget cuts short goes on where it stopped.
    const keys = (groups().get(member) ?? []).sort((a, b) => (st.samples[a]?.last.at ?? 0) - (st.samples[b]?.last.at ?? 0));
    if (!keys.length) return;
    const batch = sampleBatch();
    try {
      let rest: InstanceKey[] | null = keys;
      const inScope = Object.keys(st.instances).length;
      if (!listUnusable && api.listInstanceStates && usesStateList(keys.length, inScope) && !clustered()) {
        rest = await pollByList(keys, batch);
      }
      if (rest !== null && rest.length) await pollEach(rest, batch);
    } finally {
      batch.flush();
    }
  }

  /** One `recursion=2` list for the round; the keys it gave no state for, or null when the connection is lost. */
  async function pollByList(keys: InstanceKey[], batch: Batch): Promise<InstanceKey[] | null> {
    const member = '';
    const running = runningOn(member);
    if (!budgetOf(member).allows(cost.predict('stateList', running))) return [];
    const end = begin();
    let entries: InstanceStateEntry[] | null;
    try {
      entries = (await api.listInstanceStates?.({ ...(ctx.allProjects ? { allProjects: true } : {}), runningOnly: true })) ?? null;
    } catch (err) {
      charge(member, 'other', end());
      if (isNetworkError(err)) {
        ctx.onNetworkError(err);
        return null;
      }
      listUnusable = true; // e.g. a server refusing the filter: the single requests still work
      return keys;
    }
    charge(member, 'stateList', end(), Math.max(1, entries?.length ?? 1));
    if (ctx.stopped()) return [];
    if (entries === null) {
      listUnusable = true;
      return keys;
    }
    const at = now();
    const byKey = new Map<InstanceKey, InstanceStateEntry>();
    for (const e of entries) byKey.set(instanceKey(e.project, e.name), e);
    const rest: InstanceKey[] = [];
    let stateless = 0;
    for (const key of keys) {
      const e = byKey.get(key);
      if (e?.state) {
        batch.add({ key, state: e.state, at, snapshots: e.snapshots });
        ctx.shared?.write(key, { at, state: e.state });
      } else {
        // Missing: stopped or deleted behind our back (the list holds running ones only); its own
        // state request says which.
        rest.push(key);
        if (e) stateless++;
      }
    }
    // Entries without states (a server or proxy that ignores recursion=2): single requests from now on.
    if (stateless > 0) listUnusable = true;
    return rest;
  }

  async function pollEach(keys: InstanceKey[], batch: Batch): Promise<void> {
    let lost = false;
    const plan = plans.get(memberOf(keys[0]));
    const period = plan?.bulkMs ?? ctx.intervalMs;
    const slot = slotOf(period);
    await mapLimit(keys, ctx.concurrency, async (key) => {
      if (lost || ctx.stopped()) return;
      const s = await stateSample(key, slot);
      if (s === 'lost') lost = true;
      else if (s) batch.add(s);
    });
  }

  async function fetchMetrics(member: string): Promise<void> {
    const fetchMetricsApi = api.metrics;
    if (!fetchMetricsApi || !metricsUsable(member)) {
      replan();
      return;
    }
    const predicted = cost.predict('metrics', runningOn(member));
    const bucket = budgetOf(member);
    bucket.fit(predicted);
    if (!bucket.allows(predicted)) return;
    const target = clustered() && member ? member : undefined;
    const end = begin();
    let answer;
    try {
      answer = await fetchMetricsApi.call(api, {
        ...(ctx.allProjects ? { allProjects: true } : {}),
        ...(target ? { target } : {}),
        timeoutMs: METRICS_TIMEOUT_MS,
      });
    } catch (err) {
      charge(member, 'other', end());
      metricsFailed(member, err);
      return;
    }
    if (ctx.stopped()) return;
    const latency = answer.receivedAt - answer.sentAt;
    let clock = clocks.get(member);
    if (!clock) {
      clock = new MetricsClock();
      clocks.set(member, clock);
    }
    const cold = clock.isCold(latency);
    charge(member, 'metrics', end(), Math.max(1, answer.instances.length), !cold);
    metricsState.set(member, { blockedUntil: 0, transient: 0 });
    // Per project: each is its own cache entry on the daemon.
    const byProject = new Map<string, InstanceFigures[]>();
    for (const f of answer.instances) {
      const list = byProject.get(f.project) ?? [];
      list.push(f);
      byProject.set(f.project, list);
    }
    const samples: SampleEntry[] = [];
    for (const [project, figures] of byProject) {
      const time = clock.observe({ sentAt: answer.sentAt, receivedAt: answer.receivedAt, fingerprint: figuresFingerprint(figures) }, project);
      if (!time) continue;
      for (const f of figures) {
        const entry: SampleEntry = { key: instanceKey(f.project, f.name), state: figuresState(f), at: time.at, source: 'metrics' };
        if (time.lo < time.at) entry.earliest = time.lo;
        samples.push(entry);
      }
    }
    dispatchSamples(samples);
  }

  /**
   * A metrics answer that did not come: `/state` serves the rows meanwhile. Refused (403, 404) or
   * not OpenMetrics: for METRICS_RETRY_MS. Transient (no answer in time, 423 "being built", 503, the
   * connection cut mid-answer): for a minute. Either way the status line says so; a daemon that is
   * really gone is noticed by the other requests (a cut metrics answer alone does not say so).
   */
  function metricsFailed(member: string, err: unknown): void {
    const status = httpStatus(err);
    const kind = (err as { kind?: string } | null)?.kind;
    const transient = status === 423 || status === 503 || kind === 'timeout' || isNetworkError(err);
    const blockedMs = transient ? METRICS_TRANSIENT_RETRY_MS : METRICS_RETRY_MS;
    metricsState.set(member, { blockedUntil: now() + blockedMs, transient: 0 });
    ctx.dispatch({
      type: 'status/set',
      text: `metrics${member ? ` of ${member}` : ''}: ${errorText(err)}; figures from /state${transient ? ' for a minute' : ''}`,
      level: 'info',
      at: now(),
    });
    replan();
  }

  /** IPv4 and disk usage for rows read from the metrics: the row with the oldest `/state` first. */
  async function runSlow(member: string): Promise<void> {
    const name = `slow:${member}`;
    const plan = plans.get(member);
    if (!plan || plan.slowMs === null) return;
    if (!busy.has(name)) {
      busy.add(name);
      try {
        const st = store.getState();
        const keys = groups().get(member) ?? [];
        const stateAt = (k: InstanceKey) => {
          const p = st.samples[k];
          if (!p) return 0;
          return p.last.source === 'metrics' ? (p.state?.at ?? 0) : p.last.at;
        };
        const key = keys.sort((a, b) => stateAt(a) - stateAt(b))[0];
        const cycle = plan.slowMs * Math.max(1, keys.length);
        // Slot starts compared with the last answer's arrival (later by its latency): a row whose turn
        // has come is not put off for another whole cycle.
        if (key && slotOf(plan.slowMs) - stateAt(key) >= cycle - plan.slowMs) {
          const s = await stateSample(key, slotOf(plan.slowMs), now() - cycle);
          if (s && s !== 'lost') dispatchSamples([s]);
        }
      } finally {
        busy.delete(name);
      }
    }
    const p = plans.get(member);
    if (p?.slowMs) schedule(name, toSlot(p.slowMs), () => runSlow(member));
  }

  async function countVisibleSnapshots(): Promise<void> {
    const st = store.getState();
    const uncounted = [...visible].filter((k) => st.instances[k] && st.snapshotCounts[k] === undefined && !counted.has(k));
    if (!uncounted.length || st.connection.rest === 'down') return;
    for (const k of uncounted) counted.add(k);
    await ctx.countSnapshots(uncounted);
  }

  // ---- follow the store ----------------------------------------------------------------------

  let seenInstances = store.getState().instances;
  let seenUi = store.getState().ui;
  let seenServer = store.getState().server;
  const unsubscribe = store.subscribe(() => {
    const st = store.getState();
    if (st.instances === seenInstances && st.ui === seenUi && st.server === seenServer) return;
    const changed = st.instances !== seenInstances || st.server !== seenServer || selectedKey() !== selected;
    seenInstances = st.instances;
    seenUi = st.ui;
    seenServer = st.server;
    if (changed) replan();
  });

  return {
    cost,
    plans: () => plans,
    start() {
      started = true;
      if (ctx.stopped()) return;
      // Jobs begin afresh: the first read of each at once.
      plans.clear();
      selected = null;
      hadSelection = false;
      replan();
      void countVisibleSnapshots();
    },
    halt() {
      timers.clearAll();
      if (ctx.stopped()) unsubscribe();
    },
    setVisible(keys) {
      const next = new Set(keys);
      const st = store.getState();
      const fresh = [...next].some((k) => !visible.has(k) && !st.samples[k] && isRunning(k));
      visible = next;
      if (!started) return;
      replan();
      // Newly shown running rows read by `/state` get their first sample soon, not a period later.
      let roundSoon = false;
      for (const [member, plan] of plans) {
        if (fresh && plan.via === 'state' && !busy.has(`bulk:${member}`)) {
          schedule(`bulk:${member}`, 50, () => runBulk(member));
          roundSoon = true;
        }
      }
      // Snapshot counts after the round (a `recursion=2` list brings them), else now.
      if (!roundSoon) void countVisibleSnapshots();
    },
    onEvent(event) {
      if (event.type !== 'lifecycle' || !(ctx.budget > 0)) return;
      const meta = event.metadata as { action?: unknown; source?: unknown } | undefined;
      const action = meta?.action;
      if (action !== 'instance-started' && action !== 'instance-restarted' && action !== 'instance-resumed') return;
      const source = typeof meta?.source === 'string' ? meta.source : '';
      const m = /^\/1\.0\/(?:instances|containers|virtual-machines)\/([^/?]+)/.exec(source);
      if (!m) return;
      const project = typeof event.project === 'string' && event.project ? event.project : api.project;
      const key = instanceKey(project, decodeURIComponent(m[1]));
      if (!visible.has(key)) return;
      schedule(`ev:${key}`, EVENT_STATE_DELAY_MS, async () => {
        if (!isRunning(key)) return;
        const s = await stateSample(key, now());
        if (s && s !== 'lost') dispatchSamples([s]);
      });
    },
    track(kind) {
      const end = begin();
      return () => charge(homeMember(), kind, end());
    },
  };
}
