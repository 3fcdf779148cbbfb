// The fleet view's parts without a daemon: keys, the joined state, the routing controller, the
// controller that waits for its remote, and the command line that asks for a fleet.
import { describe, expect, it, vi } from 'vitest';
import { parseTargetArgs } from '../../../src/config/index.js';
import { createFleetController } from '../../../src/fleet/controller.js';
import { createDeferredController } from '../../../src/fleet/deferred.js';
import { fleetKey, groupByRemote, splitFleetKey } from '../../../src/fleet/keys.js';
import { createFleetStore } from '../../../src/fleet/store.js';
import { createStore, selectInstanceRows, type Controller } from '../../../src/store/index.js';
import { plainInstancesTable } from '../../../src/views/plain.js';
import { inst, running } from '../store/helpers.js';

function remoteStore(names: string[]) {
  const store = createStore();
  store.dispatch({ type: 'instances/loaded', instances: names.map((n) => inst(n)), project: 'default', at: 1 });
  store.dispatch({ type: 'rest/ok', at: 1 });
  return store;
}

/** Remotes `a` and `b` with these instances, joined in one fleet store. */
function twoRemotes(onA: string[], onB: string[]) {
  const a = remoteStore(onA);
  const b = remoteStore(onB);
  const fleet = createFleetStore([
    { name: 'a', addr: 'unix:/a', store: a },
    { name: 'b', addr: 'unix:/b', store: b },
  ]);
  return { a, b, fleet };
}

/** A controller that records what it was asked, answering ok (or the error given). */
function recorder(error?: string) {
  const calls: [string, ...unknown[]][] = [];
  const answer = async (...args: [string, ...unknown[]]) => {
    calls.push(args);
    return error ? { ok: false, error } : { ok: true };
  };
  const c = new Proxy({} as Controller, {
    get: (_, prop: string) => {
      if (prop === 'start' || prop === 'refresh') return async () => void calls.push([prop]);
      if (prop === 'stop' || prop === 'pause' || prop === 'resume') return () => void calls.push([prop]);
      if (prop === 'setVisible') return (keys: string[]) => void calls.push([prop, keys]);
      return (...args: unknown[]) => answer(prop, ...args);
    },
  });
  return { c, calls };
}

describe('fleet keys', () => {
  it('prefix a remote and split at its first colon, whatever follows', () => {
    expect(fleetKey('prod', 'default/web')).toBe('prod:default/web');
    expect(splitFleetKey('prod:default/web:8')).toEqual({ remote: 'prod', key: 'default/web:8' });
    expect(splitFleetKey('default/web')).toBeNull();
    expect(splitFleetKey(':x')).toBeNull();
    expect([...groupByRemote(['a:p/1', 'b:p/2', 'a:p/3', 'loose'])]).toEqual([
      ['a', ['p/1', 'p/3']],
      ['b', ['p/2']],
    ]);
  });
});

describe('the fleet store', () => {
  it('joins every remote\'s instances under prefixed keys, tagged with their remote, in one sorted table', () => {
    const { fleet } = twoRemotes(['web', 'db'], ['web']);
    const state = fleet.getState();
    expect(Object.keys(state.instances).sort()).toEqual(['a:default/db', 'a:default/web', 'b:default/web']);
    expect(state.instances['b:default/web'].remote).toBe('b');
    expect(state.fleet?.map((r) => [r.name, r.addr, r.instances])).toEqual([
      ['a', 'unix:/a', 2],
      ['b', 'unix:/b', 1],
    ]);
    const table = plainInstancesTable(state, Date.parse('2024-05-02T10:00:00Z'));
    expect(table.split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['REMOTE NAME', 'a db', 'a web', 'b web']);
  });

  it('keeps the joined state\'s identity while nothing changed, and its instances while only UI changed', () => {
    const a = remoteStore(['web']);
    const fleet = createFleetStore([{ name: 'a', addr: 'unix:/a', store: a }]);
    const first = fleet.getState();
    expect(fleet.getState()).toBe(first);
    fleet.dispatch({ type: 'ui/filter', pane: 'instances', filter: 'we' });
    const filtered = fleet.getState();
    expect(filtered).not.toBe(first);
    expect(filtered.instances).toBe(first.instances);
    expect(filtered.fleet).toBe(first.fleet);
    expect(selectInstanceRows(filtered).map((r) => r.key)).toEqual(['a:default/web']);
  });

  it('notifies on a change in any remote, prefixes samples, and names the remote in its status line', () => {
    const { a, b, fleet } = twoRemotes(['web'], ['db']);
    const seen = vi.fn();
    const off = fleet.subscribe(seen);
    b.dispatch({ type: 'instance/sample', key: 'default/db', state: running({ mem: 4096 }), at: 5 });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(fleet.getState().samples['b:default/db'].last.state.memory?.usage).toBe(4096);
    b.dispatch({ type: 'status/set', text: 'Error: not allowed', level: 'error', at: 10 });
    expect(fleet.getState().status?.text).toBe('b: Error: not allowed');
    fleet.dispatch({ type: 'status/clear' });
    expect(fleet.getState().status).toBeNull();
    off();
    a.dispatch({ type: 'status/set', text: 'x', level: 'info', at: 11 });
    expect(seen).toHaveBeenCalledTimes(3);
  });

  it('one remote down: the fleet stays up (no banner), that remote carries its error; all down: down', () => {
    const { a, b, fleet } = twoRemotes(['web'], ['db']);
    b.dispatch({ type: 'rest/down', error: 'connection refused', at: 2, nextRetryAt: 4 });
    let state = fleet.getState();
    expect(state.connection.rest).toBe('ok');
    expect(state.connection.reconnecting).toBe(false);
    expect(state.fleet?.find((r) => r.name === 'b')?.error).toBe('connection refused');
    expect(state.fleet?.find((r) => r.name === 'a')?.error).toBeNull();
    expect(Object.keys(state.instances)).toContain('a:default/web');
    a.dispatch({ type: 'rest/down', error: 'gone too', at: 3, nextRetryAt: 5 });
    state = fleet.getState();
    expect(state.connection.rest).toBe('down');
  });
});

describe('the fleet controller', () => {
  it('routes each action to the instance\'s remote with the remote\'s own keys', async () => {
    const a = recorder();
    const b = recorder();
    const fleet = createFleetController([
      { name: 'a', controller: a.c },
      { name: 'b', controller: b.c },
    ]);
    expect(await fleet.startInstances(['a:default/web', 'b:default/db', 'a:default/x'])).toEqual({ ok: true });
    expect(a.calls).toEqual([['startInstances', ['default/web', 'default/x']]]);
    expect(b.calls).toEqual([['startInstances', ['default/db']]]);
    await fleet.snapshot('b:default/db', 'snap0');
    await fleet.createInstance('new1', 'a:abc123');
    await fleet.cancelOperation('b:op-1');
    fleet.setVisible(['b:default/db']);
    expect(a.calls.slice(1)).toEqual([['createInstance', 'new1', 'abc123', undefined], ['setVisible', []]]);
    expect(b.calls.slice(1)).toEqual([['snapshot', 'default/db', 'snap0'], ['cancelOperation', 'op-1'], ['setVisible', ['default/db']]]);
  });

  it('a refusal from one remote names it; the other remote still acted', async () => {
    const a = recorder();
    const b = recorder('Instance is already running');
    const fleet = createFleetController([
      { name: 'a', controller: a.c },
      { name: 'b', controller: b.c },
    ]);
    expect(await fleet.stopInstances(['a:p/1', 'b:p/2'])).toEqual({ ok: false, error: 'b: Instance is already running' });
    expect(a.calls).toEqual([['stopInstances', ['p/1']]]);
    expect(await fleet.rename('c:p/3', 'x')).toMatchObject({ ok: false });
  });
});

describe('a remote\'s controller before it answers', () => {
  it('refuses actions with the reason, then hands everything to the real one, started and showing the same rows', async () => {
    const d = createDeferredController('prod');
    await d.controller.start();
    d.controller.setVisible(['default/web']);
    expect(await d.controller.startInstances(['default/web'])).toEqual({ ok: false, error: 'prod is not connected' });
    expect(await d.controller.instanceDetail('default/web')).toBeNull();
    const real = recorder();
    d.attach(real.c);
    await new Promise((r) => setImmediate(r));
    expect(real.calls.slice(0, 2)).toEqual([['setVisible', ['default/web']], ['start']]);
    await d.controller.startInstances(['default/web']);
    expect(real.calls.at(-1)).toEqual(['startInstances', ['default/web']]);
  });

  it('once stopped (quit), a late connection is stopped, not started', () => {
    const d = createDeferredController('prod');
    d.controller.stop();
    const real = recorder();
    d.attach(real.c);
    expect(real.calls).toEqual([['stop']]);
  });
});

describe('asking for the fleet view on the command line', () => {
  it('several NAME: arguments, or --fleet (every remote when none is named)', () => {
    expect(parseTargetArgs(['a:', 'b:', '--read-only']).options).toEqual({ fleet: ['a', 'b'] });
    expect(parseTargetArgs(['--fleet', '--once']).options).toEqual({ fleet: [] });
    expect(parseTargetArgs(['--fleet', 'a:']).options).toEqual({ fleet: ['a'] });
    expect(parseTargetArgs(['a:']).options).toEqual({ remote: 'a' });
    expect(() => parseTargetArgs(['a:', 'b:', '--remote', 'c'])).toThrow(/NAME: arguments/);
  });
});

describe('the fleet store\'s history', () => {
  it('a fleet key reads its remote\'s series; the version follows every remote\'s', () => {
    const { a, b, fleet } = twoRemotes(['web'], ['web']);
    const v0 = fleet.history!.version;
    a.dispatch({ type: 'instance/sample', key: 'default/web', at: 1000, state: running({ mem: 111 }) });
    b.dispatch({ type: 'instance/sample', key: 'default/web', at: 1000, state: running({ mem: 222 }) });
    b.dispatch({ type: 'instance/sample', key: 'default/web', at: 3000, state: running({ mem: 333 }) });
    expect(fleet.history!.version).toBe(v0 + 3);
    expect(fleet.history!.series(fleetKey('a', 'default/web'))!.value('memory', 0)).toBe(111);
    expect(fleet.history!.series(fleetKey('b', 'default/web'))!.length).toBe(2);
    expect(fleet.history!.series(fleetKey('b', 'default/web'))!.value('memory', 1)).toBe(333);
    expect(fleet.history!.series('default/web')).toBeUndefined();
    expect(fleet.history!.series(fleetKey('c', 'default/web'))).toBeUndefined();
  });
});
