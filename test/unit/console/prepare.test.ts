import { describe, expect, it } from 'vitest';
import { exitFrom, exitMessage, startHint } from '../../../src/console/prepare.js';
import type { Operation, OperationOutcome } from '../../../src/lxd/types.js';

const op = (over: Partial<Operation>): Operation => ({
  id: 'x',
  class: 'websocket',
  description: 'Executing command',
  created_at: '',
  updated_at: '',
  status: 'Success',
  status_code: 200,
  resources: null,
  metadata: null,
  may_cancel: false,
  err: '',
  location: 'none',
  ...over,
});

describe('exit code of a finished exec', () => {
  it('takes returnCode when the client lifted it', () => {
    const outcome: OperationOutcome = { status: 'Success', err: '', returnCode: 3, operation: null };
    expect(exitFrom(outcome, null)).toMatchObject({ exitCode: 3, finished: true, commandNotFound: false });
  });

  it('falls back to metadata.return of a GET operation (Incus /wait drops it on failure)', () => {
    const outcome: OperationOutcome = { status: 'Failure', err: 'boom', returnCode: null, operation: null };
    const got = op({ status: 'Failure', err: 'boom', metadata: { return: 2 } });
    expect(exitFrom(outcome, got).exitCode).toBe(2);
  });

  it('reports a missing command as 127', () => {
    const outcome: OperationOutcome = { status: 'Failure', err: 'Command not found', returnCode: -1, operation: null };
    const end = exitFrom(outcome, null);
    expect(end).toMatchObject({ exitCode: 127, commandNotFound: true });
    expect(exitMessage(end, ['nope'])).toBe('command not found: nope');
  });

  it('is unknown while the operation still runs', () => {
    const outcome: OperationOutcome = { status: 'Running', err: '', returnCode: null, operation: null };
    expect(exitFrom(outcome, null)).toMatchObject({ exitCode: null, finished: false });
  });
});

describe('helpers', () => {
  it('names the right tool to start an instance', () => {
    expect(startHint('incus', 'c1')).toBe('incus start c1');
    expect(startHint('lxd', 'c1', 'web')).toBe('lxc start c1 --project web');
  });
});
