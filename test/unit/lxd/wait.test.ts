// finish(): waiting for an operation, and what an abort does: the daemon's cancel when the
// operation allows it, a clear "it goes on" when not, or the caller's own way to end it.
import { describe, expect, it } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { Operation, OperationOutcome } from '../../../src/lxd/types.js';
import { finish } from '../../../src/lxd/wait.js';

function op(status: string, mayCancel: boolean): Operation {
  return { id: 'op1', class: 'task', description: 'Creating instance', created_at: '', updated_at: '', status, status_code: 103, resources: null, metadata: null, may_cancel: mayCancel, err: '', location: '' };
}

/** A daemon whose operation runs until it is cancelled (or `runs` waits have passed). */
function daemon(mayCancel: boolean, runs = Infinity) {
  const calls: string[] = [];
  let cancelled = false;
  let waits = 0;
  const api = {
    async waitOperation(id: string): Promise<OperationOutcome> {
      calls.push(`wait ${id}`);
      waits += 1;
      if (cancelled) return { status: 'Cancelled', err: 'operation cancelled', returnCode: null, operation: op('Cancelled', mayCancel) };
      if (waits > runs) return { status: 'Success', err: '', returnCode: null, operation: op('Success', mayCancel) };
      return { status: 'Running', err: '', returnCode: null, operation: op('Running', mayCancel) };
    },
    async cancelOperation(id: string): Promise<void> {
      calls.push(`cancel ${id}`);
      cancelled = true;
    },
  } as unknown as LxdApi;
  return { api, calls };
}

describe('finish', () => {
  it('returns the operation when it succeeds, handing each answer to the watcher', async () => {
    const { api, calls } = daemon(false, 2);
    const seen: string[] = [];
    const done = await finish(api, 'op1', (o) => seen.push(o.status));
    expect(done?.status).toBe('Success');
    expect(seen).toEqual(['Running', 'Running', 'Success']);
    expect(calls).toEqual(['wait op1', 'wait op1', 'wait op1']);
  });

  it('an abort cancels an operation the daemon allows to be cancelled, and ends as cancelled', async () => {
    const { api, calls } = daemon(true);
    const abort = new AbortController();
    const waiting = finish(api, 'op1', () => abort.abort(), abort.signal);
    await expect(waiting).rejects.toThrow('operation cancelled');
    expect(calls).toEqual(['wait op1', 'cancel op1', 'wait op1']);
  });

  it('an operation that cannot be cancelled is not asked to be: "it goes on" instead', async () => {
    const { api, calls } = daemon(false);
    const abort = new AbortController();
    const waiting = finish(api, 'op1', () => abort.abort(), abort.signal);
    await expect(waiting).rejects.toThrow('stopped waiting; operation op1 goes on in the daemon (it cannot be cancelled)');
    expect(calls).toEqual(['wait op1']);
  });

  it("the caller's own cancel replaces the daemon's (a remote copy cancels its source)", async () => {
    const { api, calls } = daemon(false);
    const abort = new AbortController();
    let own = 0;
    const waiting = finish(api, 'op1', () => abort.abort(), abort.signal, async () => {
      own += 1;
      await api.cancelOperation('op1'); // the target's operation then ends (here: as cancelled)
    });
    await expect(waiting).rejects.toThrow('operation cancelled');
    expect(own).toBe(1);
    expect(calls).toEqual(['wait op1', 'cancel op1', 'wait op1']);
  });
});
