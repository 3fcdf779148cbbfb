// Waiting for a long operation while watching it: one bounded `/wait` a second (the daemon answers
// at once when the operation ends), each answer handed to the watcher for its progress figures.
// An abort (Ctrl-C in `lxtop copy`) cancels the operation on the daemon when the daemon allows it
// (`may_cancel`), then waits for it to end as cancelled; otherwise it stops waiting and says so.
// A caller with a better way to end it (a remote copy: cancel the source's side) passes `cancel`.
import type { LxdApi } from './api.js';
import { LxdError } from './errors.js';
import type { Operation } from './types.js';

export type OperationWatch = (op: Operation) => void;

/** Waits for operation `id` to end; throws the server's error when it failed or was cancelled. */
export async function finish(
  api: LxdApi,
  id: string,
  watch?: OperationWatch,
  signal?: AbortSignal,
  cancel: (api: LxdApi, id: string, op: Operation | null) => Promise<void> = cancelOrSay,
): Promise<Operation | null> {
  let last: Operation | null = null;
  let cancelAsked = false;
  for (;;) {
    if (signal?.aborted && !cancelAsked) {
      cancelAsked = true;
      await cancel(api, id, last);
    }
    const outcome = await api.waitOperation(id, 1);
    if (outcome.operation) {
      last = outcome.operation;
      watch?.(outcome.operation);
    }
    if (outcome.status === 'Success') return outcome.operation;
    if (outcome.status === 'Failure' || outcome.status === 'Cancelled') {
      throw new LxdError(outcome.err || `operation ${outcome.status.toLowerCase()}`, { kind: 'operation', status: outcome.operation?.status_code ?? null });
    }
  }
}

async function cancelOrSay(api: LxdApi, id: string, op: Operation | null): Promise<void> {
  const goesOn = (why: string) => new LxdError(`stopped waiting; operation ${id} goes on in the daemon (${why})`, { kind: 'operation' });
  if (op && !op.may_cancel) throw goesOn('it cannot be cancelled');
  try {
    await api.cancelOperation(id);
  } catch (err) {
    throw goesOn(`cancelling it was refused: ${err instanceof Error ? err.message : String(err)}`);
  }
}
