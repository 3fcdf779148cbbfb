// Operation helpers shared by the client and its tests: the `GET /1.0/operations?recursion=1`
// map flattened to a list, and the one OperationOutcome both daemons' `/wait` answers become.
import { normalizeOperation } from './normalize.js';
import type { Operation, OperationOutcome } from './types.js';

/**
 * `{}` when there are none, else `{"running":[…],"success":[…],…}` keyed by status; a list may be
 * null. A plain list is accepted too (what a future server might send).
 */
export function flattenOperations(meta: unknown): Operation[] {
  if (meta === null || meta === undefined) return [];
  const lists = Array.isArray(meta) ? [meta] : typeof meta === 'object' ? Object.values(meta as Record<string, unknown>) : [];
  const out: Operation[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const v of list) {
      const op = normalizeOperation(v);
      if (op) out.push(op);
    }
  }
  return out;
}

/** Exit code of an exec operation (`metadata.return`), else null. */
function returnCodeOf(op: Operation | null): number | null {
  const value = op?.metadata?.return;
  return typeof value === 'number' ? value : null;
}

/** Success / Failure / Cancelled are final; every other status (Pending, Cancelling, …) is still Running. */
export function outcomeOf(op: Operation): OperationOutcome {
  const status = op.status === 'Success' || op.status === 'Failure' || op.status === 'Cancelled' ? op.status : 'Running';
  return { status, err: op.err ?? '', returnCode: returnCodeOf(op), operation: op };
}

/** `/1.0/operations/<id>` (or a Location with a query) → `<id>`. */
export function operationId(pathOrId: string): string {
  const path = pathOrId.split('?')[0] ?? pathOrId;
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? pathOrId;
}
