import { describe, expect, it } from 'vitest';
import { errorText, httpStatus, isNetworkError, mapLimit } from '../../../src/store/errors.js';

describe('reading client errors', () => {
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

  it('mapLimit runs at most `limit` at once and survives a throwing worker', async () => {
    let active = 0;
    let max = 0;
    const seen: number[] = [];
    await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      max = Math.max(max, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      if (n === 2) throw new Error('boom');
      seen.push(n);
    });
    expect(max).toBe(3);
    expect(seen.sort()).toEqual([1, 3, 4, 5, 6, 7]);
  });
});
