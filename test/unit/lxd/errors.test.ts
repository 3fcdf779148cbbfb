import { describe, expect, it } from 'vitest';
import { isLxdError, LxdError, NoDaemonError } from '../../../src/lxd/errors.js';

describe('errors', () => {
  it('LxdError carries kind, status and request', () => {
    const e = new LxdError('Instance not found', { kind: 'http', status: 404, method: 'GET', path: '/1.0/instances/x' });
    expect(e).toBeInstanceOf(Error);
    expect(isLxdError(e)).toBe(true);
    expect(e).toMatchObject({ kind: 'http', status: 404, method: 'GET', path: '/1.0/instances/x', local: false });
    expect(e.serverMessage).toBe('Instance not found');
    expect(e.is(404)).toBe(true);
    expect(new LxdError('x', { kind: 'network' }).status).toBeNull();
  });

  it('NoDaemonError lists every path tried and every way to point lxtop at a daemon', () => {
    const e = new NoDaemonError([
      { path: '/var/snap/lxd/common/lxd/unix.socket', source: 'default (lxd)', reason: 'does not exist' },
      { path: '/run/incus/unix.socket', source: 'default (incus)', reason: 'permission denied (EACCES)' },
    ]);
    expect(e).toBeInstanceOf(LxdError);
    expect(e.kind).toBe('network');
    expect(e.message).toContain('/var/snap/lxd/common/lxd/unix.socket');
    expect(e.message).toContain('permission denied (EACCES)');
    expect(e.message).toContain('/run/incus/unix.socket');
    for (const way of ['--socket', 'LXD_SOCKET', 'LXD_DIR', 'INCUS_SOCKET', 'INCUS_DIR']) expect(e.message).toContain(way);
    expect(e.attempts).toHaveLength(2);
  });
});
