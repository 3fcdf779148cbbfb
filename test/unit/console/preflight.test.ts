import { describe, expect, it } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { InstanceState, ServerInfo } from '../../../src/lxd/types.js';
import { DEFAULT_SHELL, prepare } from '../../../src/console/prepare.js';

const server = (kind: 'lxd' | 'incus', extensions = ['container_exec_user_group_cwd']): ServerInfo => ({
  kind,
  version: '5.0.2',
  apiExtensions: extensions,
  auth: 'trusted',
  serverName: 'x',
  clustered: false,
  certificateFingerprint: null,
  project: 'default',
  raw: {},
});

const state = (status: string): InstanceState => ({
  status,
  status_code: 0,
  cpu: null,
  memory: null,
  network: null,
  disk: null,
  pid: 0,
  processes: 0,
});

/** Only what prepare() calls. */
function fakeApi(opts: { kind?: 'lxd' | 'incus'; extensions?: string[]; status?: string; stateError?: Error }): LxdApi {
  return {
    project: 'default',
    server: async () => server(opts.kind ?? 'lxd', opts.extensions),
    instanceState: async () => {
      if (opts.stateError) throw opts.stateError;
      return state(opts.status ?? 'Running');
    },
  } as unknown as LxdApi;
}

describe('prepare (before the exec request)', () => {
  it('runs the default shell with the user TERM', async () => {
    const p = await prepare(fakeApi({}), { instance: 'c1' }, 'screen');
    expect(p.refusal).toBeNull();
    expect(p.exec.command).toEqual(DEFAULT_SHELL);
    expect(p.exec.environment).toEqual({ TERM: 'screen' });
  });

  it('passes the command, env, user, group, cwd and project', async () => {
    const p = await prepare(
      fakeApi({}),
      { instance: 'c1', command: ['id'], env: { A: '1' }, user: 1000, group: 100, cwd: '/tmp', project: 'p' },
      'xterm',
    );
    expect(p.exec).toEqual({ command: ['id'], environment: { TERM: 'xterm', A: '1' }, user: 1000, group: 100, cwd: '/tmp', project: 'p' });
  });

  it('refuses a stopped instance, naming the right tool and the TUI key', async () => {
    const lxd = await prepare(fakeApi({ status: 'Stopped' }), { instance: 'web' }, 'xterm');
    expect(lxd.refusal).toMatchObject({ reason: 'refused', exitCode: null });
    expect(lxd.refusal?.message).toBe('instance web is stopped; start it with: lxc start web, or press s on it in lxtop');
    const incus = await prepare(fakeApi({ kind: 'incus', status: 'Stopped' }), { instance: 'web' }, 'xterm');
    expect(incus.refusal?.message).toContain('incus start web');
  });

  it('refuses a frozen instance', async () => {
    const p = await prepare(fakeApi({ status: 'Frozen' }), { instance: 'web' }, 'xterm');
    expect(p.refusal?.message).toMatch(/is frozen/);
  });

  it('reports a missing instance as not-found with the server text', async () => {
    const err = Object.assign(new Error('Instance not found'), { status: 404 });
    const p = await prepare(fakeApi({ stateError: err }), { instance: 'nope' }, 'xterm');
    expect(p.refusal).toMatchObject({ reason: 'not-found' });
    expect(p.refusal?.message).toContain('Instance not found');
  });

  it('refuses --user/--group/--cwd on a server without container_exec_user_group_cwd', async () => {
    const p = await prepare(fakeApi({ extensions: [] }), { instance: 'c1', user: 1 }, 'xterm');
    expect(p.refusal?.message).toContain('container_exec_user_group_cwd');
    const ok = await prepare(fakeApi({ extensions: [] }), { instance: 'c1' }, 'xterm');
    expect(ok.refusal).toBeNull();
  });
});
