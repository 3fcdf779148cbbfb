// The instances slice: the listed instances, and what is keyed by them (samples, snapshot counts,
// the instances pane's cursor and marks) kept in step when rows come, go or are renamed.
import type { Instance } from '../../lxd/types.js';
import { withStatus } from '../events.js';
import { instanceKey, parseInstanceKey, type InstanceKey, type State } from '../state.js';
import { renameKeyInUi } from '../ui-reducers.js';
import { dropRows, isRunningStatus, withoutKeys, type Handlers } from './shared.js';

function keyOf(instance: Instance, fallbackProject = 'default'): InstanceKey {
  return instanceKey(instance.project || fallbackProject, instance.name);
}

type InstanceActions = 'instances/loaded' | 'instance/upsert' | 'instance/removed' | 'instance/renamed' | 'instance/status' | 'instance/snapshots';

export const instanceReducers: Handlers<InstanceActions> = {
  'instances/loaded': (state, action) => {
    const inScope = (key: string) => action.project === null || parseInstanceKey(key).project === action.project;
    const instances: Record<string, Instance> = withoutKeys(state.instances, inScope);
    for (const inst of action.instances) {
      if (inst && typeof inst.name === 'string') instances[keyOf(inst, action.project ?? 'default')] = inst;
    }
    const samples = withoutKeys(state.samples, (k) => !instances[k] || !isRunningStatus(instances[k].status));
    const snapshotCounts = withoutKeys(state.snapshotCounts, (k) => !instances[k]);
    for (const [k, i] of Object.entries(instances)) if (Array.isArray(i.snapshots)) snapshotCounts[k] = i.snapshots.length;
    const gone = Object.keys(state.instances).filter((k) => !instances[k]);
    const connection = { ...state.connection, lastSyncAt: action.at };
    // Nothing changed (same keys, same objects): keep the record, so nothing re-sorts or redraws.
    const unchanged =
      gone.length === 0 &&
      Object.keys(instances).length === Object.keys(state.instances).length &&
      Object.keys(instances).every((k) => instances[k] === state.instances[k]);
    if (unchanged) return { ...state, connection };
    const next: State = { ...state, instances, samples, snapshotCounts, connection };
    return gone.length ? dropRows(state, next, 'instances', gone) : next;
  },
  'instance/upsert': (state, action) => {
    const inst = action.instance;
    if (!inst || typeof inst.name !== 'string') return state;
    const key = keyOf(inst);
    const samples = isRunningStatus(inst.status) ? state.samples : withoutKeys(state.samples, (k) => k === key);
    const snapshotCounts = Array.isArray(inst.snapshots)
      ? { ...state.snapshotCounts, [key]: inst.snapshots.length }
      : state.snapshotCounts;
    return { ...state, instances: { ...state.instances, [key]: inst }, samples, snapshotCounts };
  },
  'instance/removed': (state, action) => {
    if (!state.instances[action.key] && !state.samples[action.key]) return state;
    const next: State = {
      ...state,
      instances: withoutKeys(state.instances, (k) => k === action.key),
      samples: withoutKeys(state.samples, (k) => k === action.key),
      snapshotCounts: withoutKeys(state.snapshotCounts, (k) => k === action.key),
    };
    return dropRows(state, next, 'instances', [action.key]);
  },
  'instance/renamed': (state, action) => {
    const inst = state.instances[action.key];
    if (!inst) return state;
    const { project } = parseInstanceKey(action.key);
    const newKey = instanceKey(project, action.newName);
    if (newKey === action.key) return state;
    const instances = withoutKeys(state.instances, (k) => k === action.key);
    instances[newKey] = { ...inst, name: action.newName };
    const samples = withoutKeys(state.samples, (k) => k === action.key);
    const pair = state.samples[action.key];
    if (pair) samples[newKey] = pair;
    const snapshotCounts = withoutKeys(state.snapshotCounts, (k) => k === action.key);
    const count = state.snapshotCounts[action.key];
    if (count !== undefined) snapshotCounts[newKey] = count;
    const ui = renameKeyInUi(state.ui, 'instances', action.key, newKey);
    return { ...state, instances, samples, snapshotCounts, ui };
  },
  'instance/status': (state, action) => {
    const inst = state.instances[action.key];
    if (!inst) return state;
    const updated = withStatus(inst, action.status);
    if (updated === inst) return state;
    const samples = isRunningStatus(action.status)
      ? state.samples
      : withoutKeys(state.samples, (k) => k === action.key);
    return { ...state, instances: { ...state.instances, [action.key]: updated }, samples };
  },
  'instance/snapshots': (state, action) => {
    if (!state.instances[action.key] || state.snapshotCounts[action.key] === action.count) return state;
    if (typeof action.count !== 'number' || action.count < 0) return state;
    return { ...state, snapshotCounts: { ...state.snapshotCounts, [action.key]: action.count } };
  },
};
