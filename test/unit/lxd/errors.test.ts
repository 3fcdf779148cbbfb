import { describe, expect, it } from 'vitest';
import { errorText, httpStatus, isLxdError, isNetworkError, LxdError, NoDaemonError } from '../../../src/lxd/errors.js';

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

describe('reading any error', () => {
  it('network: LxdError kinds network/timeout, errno codes, undici causes; never an HTTP answer', () => {
    expect(isNetworkError(Object.assign(new Error('x'), { kind: 'network', status: null }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error('x'), { kind: 'timeout', status: null }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error('Instance not found'), { kind: 'http', status: 404 }))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
    expect(isNetworkError(new Error('Unexpected token < in JSON'))).toBe(false);
    expect(isNetworkError(null)).toBe(false);
  });

  it('text verbatim; status from the error', () => {
    expect(errorText(new Error('Failed to fetch instance "nope" in project "default": Instance not found'))).toBe(
      'Failed to fetch instance "nope" in project "default": Instance not found',
    );
    expect(errorText('plain')).toBe('plain');
    expect(errorText({ code: 'EPIPE' })).toBe('EPIPE');
    expect(httpStatus({ status: 400 })).toBe(400);
    expect(httpStatus({ status: null })).toBeNull();
  });

  it('finds the HTTP status on errors of any shape', () => {
    expect(httpStatus(Object.assign(new Error('x'), { status: 404 }))).toBe(404);
    expect(httpStatus({ statusCode: 400 })).toBe(400);
    expect(httpStatus({ code: 503 })).toBe(503);
    expect(httpStatus(new Error('plain'))).toBeNull();
    expect(httpStatus({ code: 'ECONNREFUSED' })).toBeNull();
  });
});
