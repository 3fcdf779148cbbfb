import { describe, expect, it } from 'vitest';
import { LxdError } from '../../../src/lxd/errors.js';
import { parseResponse } from '../../../src/lxd/request.js';
import type { RawResponse } from '../../../src/lxd/transport.js';

const raw = (status: number, text: string, headers: RawResponse['headers'] = {}): RawResponse => ({ status, text, headers });

function fails(r: RawResponse): LxdError {
  try {
    parseResponse(r, 'GET', '/1.0/x');
  } catch (err) {
    expect(err).toBeInstanceOf(LxdError);
    return err as LxdError;
  }
  throw new Error('expected an LxdError');
}

describe('envelope', () => {
  it('reads a sync answer and its ETag', () => {
    const r = parseResponse(raw(200, JSON.stringify({ type: 'sync', status_code: 200, metadata: { a: 1 } }), { etag: '"abc"' }), 'GET', '/1.0');
    expect(r).toMatchObject({ type: 'sync', status: 200, metadata: { a: 1 }, etag: '"abc"', operation: null });
  });

  it('reads an async answer with its operation path', () => {
    const body = { type: 'async', status_code: 100, operation: '/1.0/operations/u1', metadata: { id: 'u1' } };
    const r = parseResponse(raw(202, JSON.stringify(body), { location: '/1.0/operations/u1' }), 'POST', '/1.0/instances');
    expect(r).toMatchObject({ type: 'async', operation: '/1.0/operations/u1', metadata: { id: 'u1' } });
  });

  it('turns null metadata into null, not undefined', () => {
    expect(parseResponse(raw(200, '{"type":"sync","metadata":null}'), 'GET', '/').metadata).toBeNull();
  });

  it('an error envelope keeps the server text verbatim and the error code', () => {
    const text = 'Failed to fetch instance "nope" in project "default": Instance not found';
    const e = fails(raw(404, JSON.stringify({ type: 'error', error_code: 404, error: text, metadata: null })));
    expect(e.kind).toBe('http');
    expect(e.status).toBe(404);
    expect(e.message).toBe(text);
    expect(e.is(404)).toBe(true);
  });

  it('checks body.type, not the HTTP status: Incus /wait says 200 with an error body', () => {
    const e = fails(raw(200, JSON.stringify({ type: 'error', error_code: 400, error: 'context deadline exceeded', metadata: null })));
    expect(e).toMatchObject({ kind: 'http', status: 400, message: 'context deadline exceeded' });
  });

  it('an error envelope without an error code takes the HTTP status', () => {
    expect(fails(raw(403, '{"type":"error","error":"not authorized"}')).status).toBe(403);
  });

  it('HTTP 500 with an HTML body is a protocol error that shows the page text', () => {
    const html = '<html><head><title>500 Internal Server Error</title><style>b{}</style></head><body><h1>Internal Server Error</h1>nginx</body></html>';
    const e = fails(raw(500, html, { 'content-type': 'text/html' }));
    expect(e.kind).toBe('protocol');
    expect(e.status).toBe(500);
    expect(e.message).toContain('not JSON');
    expect(e.message).toContain('Internal Server Error');
    expect(e.message).not.toContain('<h1>');
  });

  it('a truncated JSON body is a protocol error', () => {
    const e = fails(raw(200, '{"type":"sync","metadata":[{"name":"a"'));
    expect(e.kind).toBe('protocol');
    expect(e.message).toMatch(/cut short/);
  });

  it('an empty body, a JSON scalar or an object without type is a protocol error', () => {
    expect(fails(raw(200, '')).kind).toBe('protocol');
    expect(fails(raw(200, '42')).kind).toBe('protocol');
    expect(fails(raw(200, '{"metadata":[]}')).message).toMatch(/not an LXD envelope/);
  });

  it('a sync envelope on an error status is not trusted', () => {
    expect(fails(raw(500, '{"type":"sync","metadata":{}}')).kind).toBe('protocol');
  });
});
