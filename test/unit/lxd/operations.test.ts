import { describe, expect, it } from 'vitest';
import { flattenOperations, operationId, outcomeOf } from '../../../src/lxd/operations.js';
import type { Operation } from '../../../src/lxd/types.js';

const op = (id: string, status: string, extra: Partial<Operation> = {}): Operation => ({
  id,
  class: 'task',
  description: 'x',
  created_at: '',
  updated_at: '',
  status,
  status_code: 0,
  resources: null,
  metadata: null,
  may_cancel: false,
  err: '',
  location: 'none',
  ...extra,
});

describe('operations', () => {
  it('an empty map is no operations', () => {
    expect(flattenOperations({})).toEqual([]);
    expect(flattenOperations(null)).toEqual([]);
  });

  it('flattens the status → list map, skipping null lists', () => {
    const ops = flattenOperations({ running: [op('a', 'Running'), op('b', 'Running')], success: [op('c', 'Success')], failure: null });
    expect(ops.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('accepts a plain list and drops entries that are not operations', () => {
    expect(flattenOperations([op('a', 'Running'), '/1.0/operations/b', null]).map((o) => o.id)).toEqual(['a']);
  });

  it('outcome: final statuses kept, anything else is Running; exec return code lifted', () => {
    expect(outcomeOf(op('a', 'Success', { metadata: { return: 3 } }))).toMatchObject({ status: 'Success', returnCode: 3, err: '' });
    expect(outcomeOf(op('a', 'Failure', { err: 'Command not found', metadata: { return: 127 } }))).toMatchObject({
      status: 'Failure',
      err: 'Command not found',
      returnCode: 127,
    });
    expect(outcomeOf(op('a', 'Cancelled')).status).toBe('Cancelled');
    expect(outcomeOf(op('a', 'Pending')).status).toBe('Running');
    expect(outcomeOf(op('a', 'Cancelling')).returnCode).toBeNull();
  });

  it('operation id from a path or Location', () => {
    expect(operationId('/1.0/operations/1f2e')).toBe('1f2e');
    expect(operationId('/1.0/operations/1f2e?project=p')).toBe('1f2e');
    expect(operationId('1f2e')).toBe('1f2e');
  });
});
