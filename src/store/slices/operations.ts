// The operations slice: each operation as first seen and, once finished, its outcome, kept a few
// seconds (OPERATION_KEEP_MS) so the pane shows how it ended.
import type { Operation } from '../../lxd/types.js';
import type { OperationOutcomeStatus, TrackedOperation } from '../state.js';
import { dropRows, withoutKeys, type Handlers } from './shared.js';

/** Finished operations stay this long (ms) before `operations/prune` drops them. */
export const OPERATION_KEEP_MS = 8000;

const FINISHED: Record<string, OperationOutcomeStatus> = {
  Success: 'Success',
  Failure: 'Failure',
  Cancelled: 'Cancelled',
};

function operationOutcome(op: Operation): OperationOutcomeStatus | null {
  const byName = FINISHED[op.status];
  if (byName) return byName;
  if (op.status_code === 200) return 'Success';
  if (op.status_code === 400) return 'Failure';
  if (op.status_code === 401) return 'Cancelled';
  return null;
}

function trackOperation(prev: TrackedOperation | undefined, operation: Operation, at: number): TrackedOperation {
  const outcome = operationOutcome(operation);
  return {
    operation,
    firstSeenAt: prev?.firstSeenAt ?? at,
    finishedAt: outcome ? (prev?.finishedAt ?? at) : null,
    outcome,
  };
}

export const operationReducers: Handlers<'operations/loaded' | 'operation/upsert' | 'operations/prune'> = {
  'operations/loaded': (state, action) => {
    // The list is the truth for what it holds. Operations we track that it lacks: keep the
    // finished ones (pruned later) and any first seen after the list was requested.
    const operations: Record<string, TrackedOperation> = {};
    for (const [id, tracked] of Object.entries(state.operations)) {
      if (tracked.finishedAt !== null || tracked.firstSeenAt >= action.at) operations[id] = tracked;
    }
    for (const op of action.operations ?? []) {
      if (op && typeof op.id === 'string') operations[op.id] = trackOperation(state.operations[op.id], op, action.at);
    }
    return { ...state, operations };
  },
  'operation/upsert': (state, action) => {
    const op = action.operation;
    if (!op || typeof op.id !== 'string') return state;
    const prev = state.operations[op.id];
    // A late "Running" frame never un-finishes an operation.
    if (prev?.finishedAt != null && !operationOutcome(op)) return state;
    return { ...state, operations: { ...state.operations, [op.id]: trackOperation(prev, op, action.at) } };
  },
  'operations/prune': (state, action) => {
    const keep = action.olderThanMs ?? OPERATION_KEEP_MS;
    const stale = (id: string) => {
      const f = state.operations[id].finishedAt;
      return f !== null && action.at - f >= keep;
    };
    const ids = Object.keys(state.operations).filter(stale);
    if (!ids.length) return state;
    return dropRows(state, { ...state, operations: withoutKeys(state.operations, stale) }, 'operations', ids);
  },
};
