// The history through the App: H shows and hides the CPU history column, the sparkline follows
// the samples, the detail view draws the graphs, and a 20×6 terminal does not break it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, NOW, makeInstance, makeState, press, renderApp, settle, storeWith } from './helpers.js';

afterEach(() => cleanup());

/** `web` busy at the given CPU % per 2 s sample, ending at NOW; `db` stopped. */
function scenario(cpuPct: number[]) {
  const store = storeWith({ instances: [makeInstance('web', { status: 'Running' }), makeInstance('db', { status: 'Stopped' })] });
  let usage = 0;
  cpuPct.forEach((p, i) => {
    usage += p * 2e7;
    const at = NOW - (cpuPct.length - 1 - i) * 2000;
    store.dispatch({ type: 'instance/sample', key: 'default/web', at, state: makeState(usage, 50 * 2 ** 20 + i * 2 ** 20, i * 4000, i * 2000) });
  });
  return store;
}

describe('history in the App', () => {
  it('H shows the CPU history column with the sparkline of the samples, H again hides it', async () => {
    const store = scenario([0, 0, 0, 50, 100, 100]);
    const app = renderApp(store, { cols: 120 });
    await settle();
    expect(app.frame()).not.toContain('CPU HIST');
    await press(app.stdin, 'H');
    await vi.waitFor(() => expect(app.frame()).toContain('CPU HIST'));
    const web = app.frame().split('\n').find((l) => l.includes('web'))!;
    expect(web).toContain(' ▁▁▅██');
    const db = app.frame().split('\n').find((l) => l.includes('db '))!;
    expect(db).toMatch(/Stopped.*-/);
    // A new sample: the sparkline moves on.
    store.dispatch({ type: 'instance/sample', key: 'default/web', at: NOW + 2000, state: makeState(7e9, 60 * 2 ** 20) });
    await vi.waitFor(() => expect(app.frame().split('\n').find((l) => l.includes('web'))).toContain('▁▁▅███'));
    await press(app.stdin, 'H');
    await vi.waitFor(() => expect(app.frame()).not.toContain('CPU HIST'));
  });

  it('the detail view draws CPU, memory, RX and TX over time with the scale and the time axis', async () => {
    const app = renderApp(scenario([0, 20, 80, 40, 100, 60]), { cols: 80, rows: 50 });
    await settle();
    await press(app.stdin, KEY.down, KEY.enter);
    await vi.waitFor(() => expect(app.frame()).toContain('Instance web'));
    const f = app.frame();
    expect(f).toContain('History (the last 1m, 6 samples)');
    expect(f).toContain('CPU %  max 100%  now 60.0%');
    expect(f).toContain('Memory  max 55.0MiB  now 55.0MiB');
    expect(f).toContain('RX  max 2.0KiB/s  now 2.0KiB/s');
    expect(f).toContain('TX  max 1000B/s  now 1000B/s');
    expect(f).toMatch(/└-1m─+-30s─+now/);
    // 80 columns: nothing drawn past the edge.
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a 20×6 terminal with the column on and the detail open does not break', async () => {
    const app = renderApp(scenario([0, 50, 100]), { cols: 20, rows: 6 });
    await settle();
    await press(app.stdin, 'H', KEY.enter);
    await settle(30);
    expect(app.frame().length).toBeGreaterThan(0);
    await press(app.stdin, KEY.escape);
    await settle(30);
    expect(app.frame().length).toBeGreaterThan(0);
  });
});
