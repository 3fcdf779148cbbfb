// The pure parts of sampling within a daemon budget: the cost estimator and its bucket (cost.ts),
// the plan (plan.ts), the metrics time base (metrics-time.ts) and the sample pairs across sources.
import { describe, expect, it } from 'vitest';
import { CALIBRATION, CostModel, DaemonBudget } from '../../../src/store/cost.js';
import { MetricsClock } from '../../../src/store/metrics-time.js';
import { METRICS_MIN_PERIOD_MS, planSampling, quantize, type PlanInput } from '../../../src/store/plan.js';
import { addSample, METRICS_YIELD_MS } from '../../../src/store/slices/samples.js';
import { computeMetrics } from '../../../src/store/metrics.js';
import { running } from './helpers.js';

describe('CostModel', () => {
  it('cost = k × latency, parallel kinds by min(cores, instances) / 2', () => {
    const m = new CostModel({ cores: 2 });
    expect(m.estimate('state', 100)).toBeCloseTo(CALIBRATION.state.k * 0.1, 9);
    expect(m.estimate('metrics', 2000, 20)).toBeCloseTo(CALIBRATION.metrics.k * 2, 9);
    const big = new CostModel({ cores: 16 });
    expect(big.estimate('metrics', 2000, 20)).toBeCloseTo(CALIBRATION.metrics.k * 8 * 2, 9);
    expect(big.estimate('metrics', 2000, 4)).toBeCloseTo(CALIBRATION.metrics.k * 2 * 2, 9);
  });

  it('starts at the calibration, learns from answers, the first weighing half', () => {
    const m = new CostModel();
    expect(m.predict('state')).toBe(CALIBRATION.state.prior);
    m.observe('state', 200); // 0.19 s
    expect(m.predict('state')).toBeCloseTo((CALIBRATION.state.prior + 0.19) / 2, 9);
    for (let i = 0; i < 30; i++) m.observe('state', 200);
    expect(m.predict('state')).toBeCloseTo(0.19, 3);
  });

  it('metrics: learned per running instance; cache hits are charged cheaply and never lower the cold cost', () => {
    const m = new CostModel({ cores: 2 });
    for (let i = 0; i < 20; i++) m.observe('metrics', 2000, 20); // 2.7 s for 20: 0.135 each
    expect(m.predict('metrics', 20)).toBeCloseTo(2.7, 2);
    expect(m.predict('metrics', 40)).toBeCloseTo(5.4, 2);
    const hit = m.observe('metrics', 5, 20, { warm: true });
    expect(hit).toBeCloseTo(CALIBRATION.other.k * 0.005, 9);
    for (let i = 0; i < 50; i++) m.observe('metrics', 5, 20, { warm: true });
    expect(m.predict('metrics', 20)).toBeCloseTo(2.7, 2);
  });
});

describe('DaemonBudget', () => {
  it('fills at the budget rate up to its capacity; requests take from it, may leave a debt', () => {
    let t = 0;
    const b = new DaemonBudget(0.1, () => t); // 3 s of CPU capacity
    expect(b.level()).toBeCloseTo(3, 9);
    expect(b.allows(2.9)).toBe(true);
    b.spend(5);
    expect(b.level()).toBeCloseTo(-2, 9);
    expect(b.allows(0.1)).toBe(false);
    expect(b.waitMs(0.1)).toBe(21_000);
    t = 21_000;
    expect(b.allows(0.1)).toBe(true);
    t = 10_000_000;
    expect(b.level()).toBeCloseTo(3, 9);
  });

  it('a zero budget allows nothing; fit() makes room for one large request', () => {
    const zero = new DaemonBudget(0, () => 0);
    expect(zero.allows(0.001)).toBe(false);
    expect(zero.waitMs(0.001)).toBe(Infinity);
    const b = new DaemonBudget(0.1, () => 0);
    b.fit(10);
    expect(b.capacity).toBeCloseTo(12, 9);
  });

  it('over a long run the spend it allows is the budget', () => {
    let t = 0;
    const b = new DaemonBudget(0.1, () => t);
    let spent = 0;
    for (t = 0; t < 3_600_000; t += 500) {
      if (b.allows(0.12)) {
        b.spend(0.12);
        spent += 0.12;
      }
    }
    expect(spent / 3600).toBeLessThanOrEqual(0.1 + 3 / 3600);
    expect(spent / 3600).toBeGreaterThan(0.095);
  });
});

describe('planSampling', () => {
  const base: PlanInput = { budget: 0.1, intervalMs: 2000, selected: true, others: 0, stateCost: 0.12, metricsCost: null };

  it('a zero budget: nothing (events only)', () => {
    expect(planSampling({ ...base, budget: 0, others: 5, metricsCost: 1 })).toMatchObject({ via: 'none', selectedMs: null, bulkMs: null });
  });

  it('one running row fits at the fastest refresh: one /state round every 2 s', () => {
    expect(planSampling({ ...base, others: 0 })).toEqual({ selectedMs: null, withSelected: true, via: 'state', bulkMs: 2000, slowMs: null });
  });

  it('20 running with metrics: the selected row every 2 s, the rest by metrics within what is left', () => {
    const p = planSampling({ ...base, others: 19, metricsCost: 2.6 });
    expect(p.selectedMs).toBe(2000);
    expect(p.via).toBe('metrics');
    // left for metrics: 0.1 − 0.06 (selected) − 0.01 (slow) = 0.03 → 2.6 / 0.03 = 87 s → 128 s
    expect(p.bulkMs).toBe(128_000);
    expect(p.slowMs).toBeGreaterThanOrEqual(10_000);
    const spend = 0.12 / 2 + 2.6 / (p.bulkMs! / 1000) + 0.12 / (p.slowMs! / 1000);
    expect(spend).toBeLessThanOrEqual(0.1);
  });

  it('metrics are never asked faster than the daemon recomputes them, and on power-of-two slots', () => {
    const p = planSampling({ ...base, budget: 10, others: 19, metricsCost: 0.01 });
    // all fit by /state at 2 s with 10 cores of budget
    expect(p.via).toBe('state');
    const q = planSampling({ ...base, budget: 0.5, others: 40, stateCost: 0.12, metricsCost: 0.5 });
    expect(q.via).toBe('metrics');
    expect(q.bulkMs).toBeGreaterThanOrEqual(METRICS_MIN_PERIOD_MS);
    expect(Math.log2(q.bulkMs! / 1000) % 1).toBe(0);
  });

  it('few rows: /state rounds when they are at least twice as fresh as metrics', () => {
    const p = planSampling({ ...base, budget: 0.2, others: 3, metricsCost: 0.5 });
    expect(p.via).toBe('state');
    expect(p.bulkMs).toBeLessThanOrEqual(8000);
  });

  it('without metrics: /state rounds as slow as the budget needs', () => {
    const p = planSampling({ ...base, others: 99, metricsCost: null });
    expect(p.via).toBe('state');
    // 0.04 left: 99 × 0.12 / 0.04 = 297 s → 512 s
    expect(p.bulkMs).toBe(512_000);
  });

  it('quantize: the floor, else powers of two seconds', () => {
    expect(quantize(1500, 2000)).toBe(2000);
    expect(quantize(2500, 2000)).toBe(4000);
    expect(quantize(1500, 1500)).toBe(1500);
    expect(quantize(300, 250)).toBe(300);
    expect(quantize(17_000, 16_000)).toBe(32_000);
  });
});

describe('MetricsClock: the time base of cached metrics', () => {
  it('a cold answer: computed for the request, timed at its end', () => {
    const c = new MetricsClock();
    expect(c.observe({ sentAt: 1000, receivedAt: 3000, fingerprint: 'a' })).toEqual({ at: 3000, lo: 1000, hi: 3000, cold: true });
  });

  it('the same counters again: the same cache entry, nothing new (and a hit latency learned)', () => {
    const c = new MetricsClock();
    c.observe({ sentAt: 1000, receivedAt: 3000, fingerprint: 'a' });
    expect(c.observe({ sentAt: 5000, receivedAt: 5004, fingerprint: 'a' })).toBeNull();
    expect(c.lastTime()!.at).toBe(3000);
  });

  it('the same counters asked after the last entry expired: a new computation of idle instances, not a hit', () => {
    const c = new MetricsClock();
    c.observe({ sentAt: 0, receivedAt: 2000, fingerprint: 'a' }); // computed by 2000: expired by 10_000
    const t = c.observe({ sentAt: 16_000, receivedAt: 17_500, fingerprint: 'a' })!;
    expect(t).toEqual({ at: 17_500, lo: 16_000, hi: 17_500, cold: true });
    // a quick answer then: computed by another observer, timed as such
    const u = c.observe({ sentAt: 32_000, receivedAt: 32_005, fingerprint: 'a' })!;
    expect(u).toMatchObject({ lo: 24_000, hi: 32_005, cold: false });
    // nothing was learned as a hit's latency from the 1.5 s computation: it still reads as cold
    expect(c.isCold(1500)).toBe(true);
    // within the entry's life the same counters are still that entry
    expect(c.observe({ sentAt: 40_005, receivedAt: 40_010, fingerprint: 'a' })).toBeNull();
  });

  it('new counters from a quick answer: another observer computed them, no earlier than 8 s before the request', () => {
    const c = new MetricsClock();
    c.observe({ sentAt: 0, receivedAt: 2000, fingerprint: 'a' });
    const t = c.observe({ sentAt: 32_000, receivedAt: 32_005, fingerprint: 'b' })!;
    expect(t.cold).toBe(false);
    expect(t.lo).toBe(24_000);
    expect(t.hi).toBe(32_005);
    expect(t.at).toBe(Math.round((24_000 + 32_005) / 2));
  });

  it('an entry is recomputed only once the last expired: no earlier than 8 s after the last one', () => {
    const c = new MetricsClock();
    c.observe({ sentAt: 0, receivedAt: 2000, fingerprint: 'a' });
    const t = c.observe({ sentAt: 4000, receivedAt: 4005, fingerprint: 'b' })!;
    // the last entry lives until 8 s after its computation ended (2000); the answer came at 4005
    expect(t.lo).toBe(4005);
    expect(t.at).toBeGreaterThan(2000);
  });

  it('per project: each its own entry', () => {
    const c = new MetricsClock();
    expect(c.observe({ sentAt: 0, receivedAt: 2000, fingerprint: 'a' }, 'p1')).not.toBeNull();
    expect(c.observe({ sentAt: 0, receivedAt: 2000, fingerprint: 'a' }, 'p2')).not.toBeNull();
    expect(c.observe({ sentAt: 10_000, receivedAt: 10_004, fingerprint: 'a' }, 'p1')).toBeNull();
  });
});

describe('sample pairs across sources', () => {
  const st = (cpuS: number) => running({ cpu: cpuS * 1e9, ip: '10.0.0.5' });
  const mt = (cpuS: number) => ({ ...running({ cpu: cpuS * 1e9 }), network: null, disk: null });

  it('rates only between samples of one source; IPv4 from the last /state under metrics', () => {
    let p = addSample(undefined, { at: 0, state: st(0) })!;
    p = addSample(p, { at: 2000, state: st(1) })!;
    expect(computeMetrics(p).cpuPercent).toBeCloseTo(50, 6);
    // metrics take over once /state stopped (≥ METRICS_YIELD_MS later): no mixed rate
    p = addSample(p, { at: 2000 + METRICS_YIELD_MS, state: mt(7), source: 'metrics' })!;
    expect(p.prev).toBeNull();
    expect(computeMetrics(p).cpuPercent).toBeNull();
    expect(computeMetrics(p).ipv4).toBe('10.0.0.5');
    p = addSample(p, { at: 2000 + METRICS_YIELD_MS + 32_000, state: mt(7 + 3.2), source: 'metrics' })!;
    expect(computeMetrics(p).cpuPercent).toBeCloseTo(10, 6);
    expect(computeMetrics(p).ipv4).toBe('10.0.0.5');
  });

  it('a slow /state read (IPv4, disk) with no baseline rides along: the metrics rates stay on screen', () => {
    let p = addSample(undefined, { at: 0, state: mt(0), source: 'metrics' })!;
    p = addSample(p, { at: 16_000, state: mt(1.6), source: 'metrics' })!;
    expect(computeMetrics(p).cpuPercent).toBeCloseTo(10, 6);
    const slow = addSample(p, { at: 20_000, state: st(2) })!;
    expect(slow.last).toBe(p.last);
    expect(slow.state?.at).toBe(20_000);
    expect(computeMetrics(slow).cpuPercent).toBeCloseTo(10, 6);
    expect(computeMetrics(slow).ipv4).toBe('10.0.0.5');
    // a second /state soon after (the row is selected now): /state takes over, the first its baseline
    const next = addSample(slow, { at: 22_000, state: st(3) })!;
    expect(next.last.at).toBe(22_000);
    expect(computeMetrics(next).cpuPercent).toBeCloseTo(50, 6);
  });

  it('a metrics sample while /state is sampling the row is kept aside, the baseline when /state stops', () => {
    let p = addSample(undefined, { at: 0, state: st(0) })!;
    p = addSample(p, { at: 2000, state: st(1) })!;
    const kept = addSample(p, { at: 3000, state: mt(1.5), source: 'metrics' })!;
    expect(kept.last).toBe(p.last);
    expect(kept.metrics?.at).toBe(3000);
    const later = addSample(kept, { at: 35_000, state: mt(4.7), source: 'metrics' })!;
    expect(later.prev?.at).toBe(3000);
    expect(computeMetrics(later).cpuPercent).toBeCloseTo(10, 6);
  });

  it('an older sample changes nothing', () => {
    const p = addSample(undefined, { at: 5000, state: st(0) })!;
    expect(addSample(p, { at: 4000, state: st(1) })).toBeUndefined();
  });
});
