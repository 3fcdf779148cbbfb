// Operation helpers shared by the client and its tests: the `GET /1.0/operations?recursion=1`
// map flattened to a list, and the one OperationOutcome both daemons' `/wait` answers become.
import type { Operation, OperationOutcome } from './types.js';

/**
 * `{}` when there are none, else `{"running":[…],"success":[…],…}` keyed by status; a list may be
 * null. A plain list is accepted too (what a future server might send).
 */
export function flattenOperations(meta: unknown): Operation[] {
  if (meta === null || meta === undefined) return [];
  if (Array.isArray(meta)) return meta.filter(isOperation);
  if (typeof meta !== 'object') return [];
  const out: Operation[] = [];
  for (const list of Object.values(meta as Record<string, unknown>)) {
    if (Array.isArray(list)) out.push(...list.filter(isOperation));
  }
  return out;
}

function isOperation(v: unknown): v is Operation {
  return v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string';
}

/** Exit code of an exec operation (`metadata.return`), else null. */
export function returnCodeOf(op: Operation | null): number | null {
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
