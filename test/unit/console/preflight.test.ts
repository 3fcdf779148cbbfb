import { describe, expect, it } from 'vitest';
import type { LxdApi } from '../../../src/lxd/api.js';
import type { InstanceState, ServerInfo } from '../../../src/lxd/types.js';
import { DEFAULT_SHELL, prepare, refusalFor } from '../../../src/console/prepare.js';

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

  it('asks nothing of the instance before the exec request (its state costs ~45 ms on Incus)', async () => {
    const api = fakeApi({ stateError: new Error('must not be asked') });
    expect((await prepare(api, { instance: 'c1' }, 'xterm')).refusal).toBeNull();
  });
  it('refuses --user/--group/--cwd on a server without container_exec_user_group_cwd', async () => {
    const p = await prepare(fakeApi({ extensions: [] }), { instance: 'c1', user: 1 }, 'xterm');
    expect(p.refusal?.message).toContain('container_exec_user_group_cwd');
    const ok = await prepare(fakeApi({ extensions: [] }), { instance: 'c1' }, 'xterm');
    expect(ok.refusal).toBeNull();
  });
});

describe('refusalFor (the exec request was turned down)', () => {
  const notRunning = Object.assign(new Error('Instance is not running'), { status: 400 });

  it('explains a stopped instance, naming the right tool and the TUI key', async () => {
    const lxd = await refusalFor(fakeApi({ status: 'Stopped' }), notRunning, 'web');
    expect(lxd).toEqual({ exitCode: null, reason: 'refused', message: 'instance web is stopped; start it with: lxc start web, or press s on it in lxtop' });
    const incus = await refusalFor(fakeApi({ kind: 'incus', status: 'Stopped' }), notRunning, 'web', 'p1');
    expect(incus.message).toContain('incus start web --project p1');
  });

  it('explains a frozen instance', async () => {
    const frozen = Object.assign(new Error('Instance is frozen'), { status: 400 });
    expect((await refusalFor(fakeApi({ status: 'Frozen' }), frozen, 'web')).message).toBe('instance web is frozen; unfreeze it with: lxc start web');
    expect((await refusalFor(fakeApi({ kind: 'incus', status: 'Frozen' }), frozen, 'web', 'p1')).message).toBe(
      'instance web is frozen; unfreeze it with: incus start web --project p1',
    );
  });

  it("passes any other refusal on in the server's words", async () => {
    const other = Object.assign(new Error('Forbidden by policy'), { status: 403 });
    expect(await refusalFor(fakeApi({ status: 'Running' }), other, 'web')).toEqual({ exitCode: null, reason: 'refused', message: 'exec refused: Forbidden by policy' });
  });

  it('reports a missing instance as not-found with the server text, and a 5xx or network error as lost', async () => {
    const missing = await refusalFor(fakeApi({}), Object.assign(new Error('Instance not found'), { status: 404 }), 'nope');
    expect(missing).toMatchObject({ reason: 'not-found' });
    expect(missing.message).toContain('Instance not found');
    expect(await refusalFor(fakeApi({}), new Error('socket hang up'), 'web')).toMatchObject({ reason: 'lost' });
  });
});
