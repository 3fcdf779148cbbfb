// Waiting for a long operation while watching it: one bounded `/wait` a second (the daemon answers
// at once when the operation ends), each answer handed to the watcher for its progress figures.
import type { LxdApi } from './api.js';
import { LxdError } from './errors.js';
import type { Operation } from './types.js';

export type OperationWatch = (op: Operation) => void;

/** Waits for operation `id` to end; throws the server's error when it failed or was cancelled. */
export async function finish(api: LxdApi, id: string, watch?: OperationWatch): Promise<Operation | null> {
  for (;;) {
    const outcome = await api.waitOperation(id, 1);
    if (outcome.operation) watch?.(outcome.operation);
    if (outcome.status === 'Success') return outcome.operation;
    if (outcome.status === 'Failure' || outcome.status === 'Cancelled') {
      throw new LxdError(outcome.err || `operation ${outcome.status.toLowerCase()}`, { kind: 'http', status: outcome.operation?.status_code ?? null });
    }
  }
}
