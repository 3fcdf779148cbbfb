// The host meters under the header: lines from the recorded figures (LXD 5.0: memory, pool, CPUs,
// no load; Incus: memory with the cache, load, processes), an offline member, a failed one, and
// the screen at 80×24, narrow and tiny (the meters go first).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { parseMemberState, parsePoolUse, parseResources } from '../../../src/lxd/host.js';
import type { HostMeter } from '../../../src/store/index.js';
import { meterLines, meterParts, meterText, metersFit, warningsLabel } from '../../../src/views/meters.js';
import { makeInstance, renderApp, settle, storeWith, SERVER } from './helpers.js';

afterEach(cleanup);

function meta(daemon: 'lxd' | 'incus', name: string): unknown {
  return (JSON.parse(readFileSync(new URL(`../../fixtures/${daemon}/${name}`, import.meta.url), 'utf8')) as { metadata: unknown }).metadata;
}

const lxdPool = parsePoolUse('default', meta('lxd', 'pool-resources.json'))!;
const lxd: HostMeter = { name: 'm1', status: 'ok', detail: '', figures: { ...parseResources(meta('lxd', 'resources.json')), pools: [lxdPool] } };
const incus: HostMeter = { name: '', status: 'ok', detail: '', figures: { ...parseMemberState(meta('incus', 'member-state.json')), cpus: 2 } };
const offline: HostMeter = { name: 'm2', status: 'offline', detail: 'Offline', figures: null };

describe('meter lines', () => {
  it('LXD 5.0: memory, the pool, the CPU count; no load and no CPU use (no source)', () => {
    const text = meterText(lxd, 120, 4);
    expect(text).toMatch(/^m1 {4}mem \[\|+ *\] 1\.7GiB\/24\.0GiB {2}pool default \[\| *\] 12% {2}2 CPUs\s*$/);
    expect(text).not.toMatch(/load|CPU%|cpu \[/);
  });

  it('Incus: memory with the cache (sysinfo), load, processes', () => {
    const text = meterText(incus, 140, 4);
    expect(text).toMatch(/^host {2}mem\+cache \[\|+ *\] 2\.0GiB\/23\.5GiB {2}load 2\.03 1\.48 1\.24 {2}pool default \[\| *\] 12% {2}2 CPUs {2}176 procs/);
  });

  it('an offline member says so, a failed one why', () => {
    expect(meterText(offline, 80, 4).trimEnd()).toBe('m2    offline (Offline)');
    expect(meterParts({ name: 'm3', status: 'error', detail: 'timeout after 10000 ms', figures: null }, 8)).toEqual(['unreachable: timeout after 10000 ms']);
    expect(meterParts({ name: 'm3', status: 'ok', detail: '', figures: null }, 8)).toEqual(['…']);
  });

  it('narrower: no bars, then fewer parts; never wider than the screen', () => {
    expect(meterText(lxd, 60, 4)).toMatch(/^m1 {4}mem 1\.7GiB\/24\.0GiB {2}pool default 12%/);
    for (const w of [79, 60, 50, 30, 12, 3]) expect(meterText(incus, w, 4).length).toBe(w);
  });

  it('how many lines at a size: all at 80×24, none when short or narrow, at most 8', () => {
    const two = [lxd, offline];
    expect(meterLines(two, 80, 24)).toBe(2);
    expect(meterLines(two, 80, 16)).toBe(0);
    expect(meterLines(two, 49, 24)).toBe(0);
    expect(meterLines(null, 80, 24)).toBe(0);
    expect(meterLines(Array.from({ length: 20 }, (_, i) => ({ ...lxd, name: `m${i}` })), 200, 60)).toBe(8);
    expect(metersFit(80, 24)).toBe(true);
    expect(metersFit(80, 16)).toBe(false);
  });

  it('the warnings count', () => {
    const w = (status: string) => ({ uuid: status + Math.random(), status, severity: 'low', type: 't', message: '', count: 1, firstSeen: '', lastSeen: '', location: '', project: '', entity: '' });
    expect(warningsLabel({ warnings: null })).toBe('');
    expect(warningsLabel({ warnings: [] })).toBe('');
    expect(warningsLabel({ warnings: [w('new'), w('acknowledged'), w('new')] })).toBe('3 warnings (2 new)');
    expect(warningsLabel({ warnings: [w('acknowledged')] })).toBe('1 warning');
  });
});

describe('meters on screen', () => {
  const cluster = () => {
    const store = storeWith({ server: { ...SERVER, clustered: true, serverName: 'm1' }, instances: [makeInstance('a', { location: 'm1' })] });
    store.dispatch({ type: 'meters/loaded', meters: [lxd, offline] });
    return store;
  };

  it('80×24: both members under the header, m2 offline, the table still there; the controller is told to read them', async () => {
    const app = renderApp(cluster(), { cols: 80, rows: 24 });
    await settle();
    const lines = (app.lastFrame() ?? '').split('\n');
    expect(lines[2]).toMatch(/^m1 {4}mem \[/);
    expect(lines[3]).toMatch(/^m2 {4}offline \(Offline\)/);
    expect(lines.some((l) => /^\s*>?\s*a\s+Stopped/.test(l))).toBe(true);
    expect(lines.length).toBe(23);
    expect(app.controller.calls.filter((c) => c.method === 'setMetersShown').at(-1)?.args).toEqual([true]);
  });

  it('80×16: the meters go first (and are not read); 20×6 does not crash', async () => {
    const app = renderApp(cluster(), { cols: 80, rows: 16 });
    await settle();
    expect(app.lastFrame()).not.toMatch(/offline \(Offline\)/);
    expect(app.controller.calls.filter((c) => c.method === 'setMetersShown').at(-1)?.args).toEqual([false]);
    cleanup();
    const tiny = renderApp(cluster(), { cols: 20, rows: 6 });
    await settle();
    expect(tiny.lastFrame()).toContain('Terminal too small');
  });
});
