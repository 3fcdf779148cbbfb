// How the command line explains a failure (src/app/explain.ts), and how it tells a project the
// certificate may not use from one the server does not have (src/app/project-check.ts).
import { describe, expect, it } from 'vitest';
import { explain, failureText, isRefusal, pemFingerprint } from '../../../src/app/explain.js';
import { projectAccess, restrictedNote } from '../../../src/app/project-check.js';
import type { LxdApi } from '../../../src/lxd/api.js';
import { LxdError } from '../../../src/lxd/errors.js';
import { fingerprintPem } from '../../../src/remote/index.js';
import { selfSigned } from '../config/fake-lxd.js';

const http = (status: number, text: string) => new LxdError(text, { kind: 'http', status, method: 'GET', path: '/1.0/instances' });

describe('explain', () => {
  it('a refusal over HTTPS names the remote, the certificate and its fingerprint, and what to do', async () => {
    const { cert } = await selfSigned('client');
    const ctx = { remote: 'r', address: 'https://h:8443', cert, certFile: '/home/u/.config/lxtop/client.crt', project: 'default' };
    const { message, hints } = explain(http(403, 'not authorized'), ctx);
    expect(message).toBe('remote r (https://h:8443) refused: not authorized');
    expect(pemFingerprint(cert)).toBe(fingerprintPem(cert));
    expect(hints[0]).toBe(`  certificate: /home/u/.config/lxtop/client.crt (fingerprint ${fingerprintPem(cert)})`);
    const text = hints.join('\n');
    expect(text).toContain('ask the server\'s administrator to trust this certificate for project "default"');
    expect(text).toContain('--project NAME');
    expect(text).toContain('lxtop remote add r https://h:8443');
  });

  it("reads Incus's 500 'does not have permissions for project' and 401 as refusals, not other 500s", () => {
    expect(isRefusal(http(500, 'User does not have permissions for project "default"'))).toBe(true);
    expect(isRefusal(http(401, 'unauthorized'))).toBe(true);
    expect(isRefusal(http(500, 'something broke'))).toBe(false);
    expect(isRefusal(http(404, 'not found'))).toBe(false);
  });

  it('gives each kind of failure a hint; a bug says so, other errors of lxtop speak for themselves', () => {
    expect(explain(http(404, 'not found'), { address: 'unix:/s' }).hints[0]).toMatch(/^hint: the server does not have it/);
    expect(explain(http(500, 'boom'), {}).message).toBe('the daemon failed: boom');
    expect(explain(new LxdError('not JSON', { kind: 'protocol' }), {}).hints[0]).toMatch(/not from an LXD or Incus daemon/);
    expect(explain(new LxdError('connect ECONNREFUSED', { kind: 'network' }), { remote: 'r' }).hints[0]).toMatch(/is remote r running and reachable/);
    expect(explain(new TypeError("Cannot read properties of undefined (reading 'x')")).hints[0]).toMatch(/bug in lxtop; LXTOP_DEBUG=1/);
    class ConfigError extends Error {}
    expect(explain(new ConfigError('remote "x" not found')).hints).toEqual([]);
  });

  it('prints the stack only with LXTOP_DEBUG', () => {
    const err = http(403, 'not authorized');
    expect(failureText(err, {}, {})).not.toMatch(/^\s+at /m);
    expect(failureText(err, {}, {})).toMatch(/^lxtop: the daemon refused: not authorized\n/);
    expect(failureText(err, {}, { LXTOP_DEBUG: '1' })).toMatch(/^\s+at /m);
  });
});

function apiWith(project: string, projects: string[] | Error): LxdApi {
  return {
    project,
    listProjects: async () => {
      if (projects instanceof Error) throw projects;
      return projects.map((name) => ({ name, description: '', config: {} }));
    },
  } as unknown as LxdApi;
}

describe('projectAccess', () => {
  it('a list without "default" comes from a restricted certificate: the projects it may use', async () => {
    expect(await projectAccess(apiWith('default', ['rq', 'rp']))).toEqual({ kind: 'restricted', wanted: 'default', allowed: ['rp', 'rq'] });
    expect(await projectAccess(apiWith('other', ['rp']))).toEqual({ kind: 'restricted', wanted: 'other', allowed: ['rp'] });
    expect(await projectAccess(apiWith('default', []))).toEqual({ kind: 'restricted', wanted: 'default', allowed: [] });
  });

  it('a project listed is fine; one missing from a full list is not on the server; no list, nothing to say', async () => {
    expect(await projectAccess(apiWith('rp', ['rp']))).toEqual({ kind: 'ok' });
    expect(await projectAccess(apiWith('nope', ['default', 'p1']))).toEqual({ kind: 'missing', message: 'project "nope" not found; the server has: default, p1' });
    expect(await projectAccess(apiWith('default', new Error('403')))).toEqual({ kind: 'ok' });
  });

  it('says why another project is shown', () => {
    expect(restrictedNote({ wanted: 'default', allowed: ['rp'] }, 'r')).toBe('the certificate of remote r is restricted to project rp (not "default"): showing rp');
    expect(restrictedNote({ wanted: 'default', allowed: ['a', 'b'] })).toBe('this client certificate is restricted to projects a, b (not "default"): pick one');
    expect(restrictedNote({ wanted: 'default', allowed: [] }, 'r')).toMatch(/may use no project/);
  });
});
