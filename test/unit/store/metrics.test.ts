import { describe, expect, it } from 'vitest';
import { computeMetrics, cpuPercent, EMPTY_METRICS, firstGlobalIpv4, networkTotals } from '../../../src/store/metrics.js';
import type { InstanceState } from '../../../src/lxd/types.js';
import type { SamplePair } from '../../../src/store/state.js';
import { running, STOPPED_STATE } from './helpers.js';

const pair = (a: InstanceState, b: InstanceState, dtMs = 2000): SamplePair => ({
  prev: { at: 1000, state: a },
  last: { at: 1000 + dtMs, state: b },
});

describe('metrics', () => {
  it('CPU % = Δusage ns / Δwall ns', () => {
    // 1 s of CPU over 2 s of wall = 50 %
    expect(cpuPercent(pair(running({ cpu: 5e9 }), running({ cpu: 6e9 })))).toBeCloseTo(50);
    // two cores busy = 200 %
    expect(cpuPercent(pair(running({ cpu: 0 }), running({ cpu: 4e9 })))).toBeCloseTo(200);
  });

  it('null before two samples, on counter reset, on zero wall time', () => {
    expect(cpuPercent({ prev: null, last: { at: 1, state: running() } })).toBeNull();
    expect(cpuPercent(pair(running({ cpu: 9e9 }), running({ cpu: 1e9 })))).toBeNull();
    expect(cpuPercent(pair(running({ cpu: 1 }), running({ cpu: 2 }), 0))).toBeNull();
  });

  it('network: bytes/s summed over interfaces except lo', () => {
    const m = computeMetrics(pair(running({ rx: 1000, tx: 0 }), running({ rx: 5000, tx: 2000 })));
    expect(m.rxBytesPerSec).toBe(2000);
    expect(m.txBytesPerSec).toBe(1000);
    const s = running({ rx: 10, tx: 20 });
    s.network!.eth1 = { addresses: null, counters: { bytes_received: 1, bytes_sent: 2 } };
    expect(networkTotals(s)).toEqual({ rx: 11, tx: 22 });
  });

  it('first global IPv4, never lo', () => {
    expect(firstGlobalIpv4(running())).toBeNull();
    expect(firstGlobalIpv4(running({ ip: '192.0.2.7' }))).toBe('192.0.2.7');
  });

  it('memory, processes, nulls for a stopped instance, never throws on null fields', () => {
    const m = computeMetrics({ prev: null, last: { at: 1, state: running({ mem: 4096, procs: 7 }) } });
    expect(m).toMatchObject({ memoryBytes: 4096, memoryPeakBytes: 2048, processes: 7, cpuPercent: null, rxBytesPerSec: null });
    expect(computeMetrics({ prev: null, last: { at: 1, state: STOPPED_STATE } })).toBe(EMPTY_METRICS);
    const odd = { ...running(), memory: null, network: null, cpu: null, disk: null } as InstanceState;
    const mm = computeMetrics(pair(odd, odd));
    expect(mm).toMatchObject({ memoryBytes: null, cpuPercent: null, rxBytesPerSec: null, ipv4: null, diskBytes: null });
    expect(computeMetrics(undefined)).toBe(EMPTY_METRICS);
  });

  it('memoised per sample pair', () => {
    const p = pair(running({ cpu: 0 }), running({ cpu: 1e9 }));
    expect(computeMetrics(p)).toBe(computeMetrics(p));
  });
});
