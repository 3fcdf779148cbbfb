// Drawing the history (src/views/history-draw.ts): points → characters, with exact strings, and
// the detail graph's points are the samples the store holds.
import { describe, expect, it } from 'vitest';
import { createStore, selectInstanceMetrics, type HistorySeries } from '../../../src/store/index.js';
import {
  cpuSparkline,
  graphLines,
  graphPoints,
  graphRows,
  graphSpan,
  historyLines,
  sparkline,
  timeAxis,
  GRAPHS,
} from '../../../src/views/history-draw.js';
import { inst, running } from '../store/helpers.js';

const T0 = Date.parse('2025-01-15T12:00:00Z');

/** A series from plain points (the drawing reads nothing else). */
function series(points: { at: number; cpu?: number; memory?: number; rx?: number; tx?: number }[]): HistorySeries {
  return {
    length: points.length,
    at: (i) => points[i].at,
    value: (m, i) => points[i][m] ?? Number.NaN,
  };
}

describe('sparkline', () => {
  it('one block a value, ▁ for 0 to █ for the maximum, a space where unknown', () => {
    expect(sparkline([0, 100 / 7, 200 / 7, 300 / 7, 400 / 7, 500 / 7, 600 / 7, 100], 100)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, Number.NaN, 50, 200], 100)).toBe('▁ ▅█');
    expect(sparkline([5, 5], 0)).toBe('▁▁');
  });

  it('the CPU cell: the last samples on a scale of one core, more when above, up to a time', () => {
    const s = series([0, 1, 2, 3, 4, 5].map((k) => ({ at: T0 + k * 2000, cpu: [Number.NaN, 0, 0, 50, 100, 100][k] })));
    expect(cpuSparkline(s, 12)).toBe(' ▁▁▅██');
    expect(cpuSparkline(s, 3)).toBe('▅██');
    expect(cpuSparkline(s, 12, T0 + 6000)).toBe(' ▁▁▅');
    expect(cpuSparkline(series([{ at: T0, cpu: 100 }, { at: T0 + 1, cpu: 400 }]), 12)).toBe('▃█');
    expect(cpuSparkline(undefined, 12)).toBe('-');
    expect(cpuSparkline(series([{ at: T0 }]), 12)).toBe('-');
  });
});

describe('graphs', () => {
  it('columns: the largest sample in each time slot, NaN where none', () => {
    const s = series([
      { at: T0, cpu: 10 },
      { at: T0 + 500, cpu: 30 },
      { at: T0 + 1500, cpu: 20 },
      { at: T0 + 4000, cpu: 90 },
      { at: T0 + 5000, cpu: 99 }, // after `to`
    ]);
    expect(graphPoints(s, 'cpu', T0, T0 + 4000, 4)).toEqual([30, 20, Number.NaN, 90]);
  });

  it('rows in eighths, top line first; a known 0 draws ▁, an unknown nothing', () => {
    expect(graphRows([0, 25, 50, 75, 100, Number.NaN], 100, 2)).toEqual(['   ▄█ ', '▁▄███ ']);
    expect(graphRows([1, 2], 16, 1)).toEqual(['▁▁']);
  });

  it('the time axis: -span at the left, now at the right, the middle when there is room', () => {
    expect(timeAxis(300_000, 17)).toBe('└-5m───────────now');
    expect(timeAxis(300_000, 20)).toBe('└-5m────-2m30s────now');
    expect(timeAxis(300_000, 30)).toBe('└-5m─────────-2m30s─────────now');
    expect(timeAxis(300_000, 5)).toBe('└──now');
    expect(graphSpan(series([{ at: T0 }]), T0 + 90_000)).toBe(120_000);
    expect(graphSpan(series([{ at: T0 }]), T0 + 3_600_000)).toBe(1_800_000);
  });

  it('a whole graph: title with the scale and the last value, the columns, the axis', () => {
    const s = series([0, 1, 2, 3].map((k) => ({ at: T0 + k * 15_000, cpu: [0, 50, 100, 200][k] })));
    expect(graphLines(GRAPHS[0], s, T0 + 60_000, 60_000, 10, 2)).toEqual([
      '  CPU %  max 200%  now 200%',
      '  │     █ ',
      '  │▁▄ █ █ ',
      '  └-1m─now',
    ]);
  });

  it('the detail graph\'s points are the samples the store holds', () => {
    const store = createStore();
    store.dispatch({ type: 'instances/loaded', instances: [inst('web')], project: 'default', at: T0 });
    const cpuPct = [0, 20, 80, 40, 100, 60];
    const expected: number[] = [];
    let usage = 0;
    for (let i = 0; i < cpuPct.length; i++) {
      usage += cpuPct[i] * 1e7 * 2; // % of 2 s in ns
      store.dispatch({ type: 'instance/sample', key: 'default/web', at: T0 + i * 2000, state: running({ cpu: usage, mem: 1e6 * (i + 1) }) });
      expected.push(selectInstanceMetrics(store.getState(), 'default/web').cpuPercent ?? Number.NaN);
    }
    const s = store.history!.series('default/web')!;
    // One column per 2 s sample: the points are the samples, in order.
    const cpu = graphPoints(s, 'cpu', T0, T0 + 12_000, 6);
    expect(cpu.slice(1).map((v) => Math.round(v * 1000) / 1000)).toEqual(expected.slice(1).map((v) => Math.round(v * 1000) / 1000));
    expect(cpu.slice(1).map(Math.round)).toEqual([20, 80, 40, 100, 60]);
    expect(graphPoints(s, 'memory', T0, T0 + 12_000, 6)).toEqual([1e6, 2e6, 3e6, 4e6, 5e6, 6e6]);
    // And drawn as such (one core = the scale).
    expect(graphRows(cpu, 100, 1)).toEqual([' ▂▆▃█▅']);
    const lines = historyLines(s, T0 + 12_000, 40);
    expect(lines[0]).toBe('History (the last 1m, 6 samples)');
    expect(lines[1]).toBe('  CPU %  max 100%  now 60.0%');
    expect(lines.some((l) => l.startsWith('  Memory  max 5.7MiB  now 5.7MiB'))).toBe(true);
  });

  it('no samples: a line that says so; narrow terminals still draw', () => {
    expect(historyLines(undefined, T0, 80)).toEqual(['History', '  (no samples yet: figures are sampled while the instance runs)', '']);
    const lines = historyLines(series([{ at: T0, cpu: 5, memory: 1, rx: 0, tx: 0 }]), T0, 6);
    expect(lines.slice(1, 6)).toEqual(['  CPU %  max 100%  now 5.0%', '  │   ', '  │   ', '  │  ▁', '  └now']);
  });
});
