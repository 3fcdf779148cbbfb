// The samples slice: each running instance's last two samples (rates come from these), from
// `/state` or `/1.0/metrics`, and how sampling goes (the header). A `/state` sample may change the
// instance's status; one that says it is no longer running drops its samples.
import type { Instance } from '../../lxd/types.js';
import { withStatus } from '../events.js';
import type { InstanceKey, SamplePair, SampleSource, StateSample } from '../state.js';
import { isRunningStatus, withoutKeys, type Handlers } from './shared.js';

const sourceOf = (s: StateSample): SampleSource => s.source ?? 'state';

/** A metrics sample this close after a `/state` one is not taken in its place: the row is being
 *  sampled by `/state` (selected), which is fresher; it is kept as the baseline for later. */
export const METRICS_YIELD_MS = 10_000;
/** A `/state` sample older than this is no baseline for a rate (the rate would be a long average). */
const STATE_BASELINE_MS = 30_000;

/**
 * The pair after a new sample, or undefined when it changes nothing (older than what is there).
 * `prev` and `last` stay of one source; the other source's latest sample rides along (SamplePair).
 */
export function addSample(cur: SamplePair | undefined, s: StateSample): SamplePair | undefined {
  if (!cur) return { prev: null, last: s };
  const src = sourceOf(s);
  const curSrc = sourceOf(cur.last);
  if (src === curSrc) {
    if (s.at <= cur.last.at) return undefined;
    const pair: SamplePair = { prev: cur.last, last: s };
    if (src === 'metrics' && cur.state) pair.state = cur.state;
    if (src === 'state' && cur.metrics) pair.metrics = cur.metrics;
    return pair;
  }
  if (src === 'metrics') {
    // The row is read by `/state` now: keep the metrics sample aside, unless `/state` stopped.
    if (s.at - cur.last.at < METRICS_YIELD_MS) {
      if (cur.metrics && s.at <= cur.metrics.at) return undefined;
      return { ...cur, metrics: s };
    }
    const base = cur.metrics && cur.metrics.at < s.at ? cur.metrics : null;
    return { prev: base, last: s, state: cur.last };
  }
  // A `/state` sample for a row read from the metrics.
  if (s.at <= cur.last.at) {
    if (cur.state && s.at <= cur.state.at) return undefined;
    return { ...cur, state: s };
  }
  const base = cur.state && cur.state.at < s.at && s.at - cur.state.at <= STATE_BASELINE_MS ? cur.state : null;
  // No baseline (a slow read for IPv4 and disk, 20-30 s after the last): taken in its place the row's
  // rates would blank until the next metrics sample; it rides along instead, and a second `/state`
  // sample soon after (the row is read by `/state` now) takes over with this one as its baseline.
  if (!base) return { ...cur, state: s };
  return { prev: base, last: s, metrics: cur.last };
}

export const sampleReducers: Handlers<'instance/sample' | 'instance/samples' | 'sampling/status'> = {
  'instance/sample': (state, action) => {
    const inst = state.instances[action.key];
    const sampleState = action.state;
    if (!inst || !sampleState || typeof sampleState !== 'object') return state;
    const prev = state.samples[action.key];
    const status = typeof sampleState.status === 'string' ? sampleState.status : inst.status;
    const instances =
      status !== inst.status ? { ...state.instances, [action.key]: withStatus(inst, status) } : state.instances;
    if (!isRunningStatus(status)) {
      return { ...state, instances, samples: withoutKeys(state.samples, (k) => k === action.key) };
    }
    const pair = addSample(prev, { at: action.at, state: sampleState });
    if (!pair) return instances === state.instances ? state : { ...state, instances };
    return { ...state, instances, samples: { ...state.samples, [action.key]: pair } };
  },
  'instance/samples': (state, action) => {
    // The same rules as `instance/sample`, with one copy of each record for the whole round.
    let instances: Record<InstanceKey, Instance> | null = null;
    let samples: Record<InstanceKey, SamplePair> | null = null;
    let counts: Record<InstanceKey, number> | null = null;
    for (const entry of Array.isArray(action.samples) ? action.samples : []) {
      if (!entry || typeof entry !== 'object') continue;
      const { key, state: sampleState, at } = entry;
      const inst = (instances ?? state.instances)[key];
      if (!inst || !sampleState || typeof sampleState !== 'object') continue;
      const count = entry.snapshots;
      if (typeof count === 'number' && count >= 0 && (counts ?? state.snapshotCounts)[key] === undefined) {
        counts ??= { ...state.snapshotCounts };
        counts[key] = count;
      }
      const current = samples ?? state.samples;
      if (entry.source === 'metrics') {
        // Figures the daemon may have cached: they never change a status, and count only for
        // an instance running now.
        if (!isRunningStatus(inst.status) || typeof at !== 'number') continue;
      } else {
        const status = typeof sampleState.status === 'string' ? sampleState.status : inst.status;
        if (status !== inst.status) {
          instances ??= { ...state.instances };
          instances[key] = withStatus(inst, status);
        }
        if (!isRunningStatus(status)) {
          if (current[key]) {
            samples ??= { ...state.samples };
            delete samples[key];
          }
          continue;
        }
      }
      const sample: StateSample = { at, state: sampleState };
      if (entry.source === 'metrics') sample.source = 'metrics';
      if (typeof entry.earliest === 'number' && entry.earliest < at) sample.earliest = entry.earliest;
      const pair = addSample(current[key], sample);
      if (!pair) continue;
      samples ??= { ...state.samples };
      samples[key] = pair;
    }
    if (!instances && !samples && !counts) return state;
    return {
      ...state,
      instances: instances ?? state.instances,
      samples: samples ?? state.samples,
      snapshotCounts: counts ?? state.snapshotCounts,
    };
  },
  'sampling/status': (state, action) => (state.sampling === action.status ? state : { ...state, sampling: action.status }),
};
