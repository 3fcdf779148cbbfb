// The OpenMetrics parser and the per-instance figures, on both daemons' real `/1.0/metrics` output
// (test/fixtures/record-metrics.sh) and on the malformed answers the client must refuse whole.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresFingerprint, instanceFigures, MetricsParseError, parseMetricsText } from '../../../src/lxd/metrics.js';

const root = new URL('../../fixtures/', import.meta.url).pathname;
const text = (daemon: string, name: string) => readFileSync(`${root}${daemon}/${name}`, 'utf8');

describe.each(['lxd', 'incus'])('%s: the real output', (daemon) => {
  const samples = parseMetricsText(text(daemon, 'metrics.txt'));
  const figures = instanceFigures(samples);

  it('parses every sample line', () => {
    const lines = text(daemon, 'metrics.txt').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples.length).toBe(lines.length);
    expect(samples.every((s) => s.name.startsWith(`${daemon}_`))).toBe(true);
  });

  it('has the running instances, not the stopped one, with every figure lxtop shows', () => {
    expect(figures.map((f) => f.name).sort()).toEqual(['fx-m1', 'fx-m2']);
    for (const f of figures) {
      expect(f.project).toBe('lxtop-fx-metrics');
      expect(f.type).toBe('container');
      expect(f.cpuSeconds).toBeGreaterThan(0);
      expect(f.memoryBytes).toBeGreaterThan(0);
      expect(f.memoryTotalBytes).toBeGreaterThan(f.memoryBytes!);
      expect(f.processes).toBeGreaterThanOrEqual(1);
      expect(f.network.lo).toEqual({ rx: expect.any(Number), tx: expect.any(Number) });
    }
  });

  it('CPU seconds are the sum over cpus and modes; memory is MemTotal − MemFree', () => {
    const m1 = figures.find((f) => f.name === 'fx-m1')!;
    const cpu = samples
      .filter((s) => s.name === `${daemon}_cpu_seconds_total` && s.labels.name === 'fx-m1')
      .reduce((a, s) => a + s.value, 0);
    expect(m1.cpuSeconds).toBeCloseTo(cpu, 9);
    const gauge = (n: string) => samples.find((s) => s.name === `${daemon}_memory_${n}_bytes` && s.labels.name === 'fx-m1')!.value;
    expect(m1.memoryBytes).toBe(gauge('MemTotal') - gauge('MemFree'));
  });

  it('two answers from one cache entry have one fingerprint (Incus adds per-request daemon samples)', () => {
    const cached = instanceFigures(parseMetricsText(text(daemon, 'metrics-cached.txt')));
    expect(figuresFingerprint(cached)).toBe(figuresFingerprint(figures));
    const changed = figures.map((f, i) => (i === 0 ? { ...f, cpuSeconds: (f.cpuSeconds ?? 0) + 0.001 } : f));
    expect(figuresFingerprint(changed)).not.toBe(figuresFingerprint(figures));
  });
});

describe('parseMetricsText', () => {
  it('labels with escapes, spaces and commas; NaN, ±Inf, exponents; timestamps ignored; CRLF', () => {
    const t = [
      '# HELP x_a Something.',
      '# TYPE x_a gauge',
      'x_a{name="we\\"ird, name",path="C:\\\\x",nl="a\\nb"} 1.5e+3 1700000000000',
      'x_b{} NaN',
      'x_c +Inf',
      'x_d -Inf\r',
      'x_e{ a = "1" , } -0.25',
      '# EOF',
      'ignored after EOF',
    ].join('\n');
    const s = parseMetricsText(t);
    expect(s[0]).toEqual({ name: 'x_a', labels: { name: 'we"ird, name', path: 'C:\\x', nl: 'a\nb' }, value: 1500 });
    expect(Number.isNaN(s[1].value)).toBe(true);
    expect(s[2].value).toBe(Infinity);
    expect(s[3].value).toBe(-Infinity);
    expect(s[4]).toEqual({ name: 'x_e', labels: { a: '1' }, value: -0.25 });
    expect(s).toHaveLength(5);
  });

  it('a Prometheus text without # EOF is fine when it ends with a newline', () => {
    expect(parseMetricsText('a 1\nb 2\n')).toHaveLength(2);
  });

  it.each([
    ['an empty answer', ''],
    ['a cut answer', 'lxd_procs_total{name="a",project="default"} 2\nlxd_procs_total{name="b",proj'],
    ['a value that is not a number', 'lxd_procs_total{name="a"} two\n# EOF\n'],
    ['no value', 'lxd_procs_total{name="a"}\n# EOF\n'],
    ['an unclosed label value', 'lxd_procs_total{name="a} 2\n# EOF\n'],
    ['a label without quotes', 'lxd_procs_total{name=a} 2\n# EOF\n'],
    ['HTML', '<html><body>502 Bad Gateway</body></html>\n'],
    ['JSON', '{"type":"error","error_code":403,"error":"not authorized"}\n'],
  ])('refuses %s whole', (_what, t) => {
    expect(() => parseMetricsText(t)).toThrow(MetricsParseError);
  });
});

describe('instanceFigures', () => {
  it('a VM: the idle mode is not CPU use; devices summed per interface; daemon samples skipped', () => {
    const s = parseMetricsText(
      [
        'incus_cpu_seconds_total{cpu="0",mode="user",name="vm",project="p",type="virtual-machine"} 2',
        'incus_cpu_seconds_total{cpu="0",mode="idle",name="vm",project="p",type="virtual-machine"} 100',
        'incus_cpu_seconds_total{cpu="0",mode="system",name="vm",project="p",type="virtual-machine"} 1',
        'incus_network_receive_bytes_total{device="eth0",name="vm",project="p",type="virtual-machine"} 10',
        'incus_network_transmit_bytes_total{device="eth0",name="vm",project="p",type="virtual-machine"} 20',
        'incus_uptime_seconds 12.5',
        'incus_procs_total{name="vm",project="p",type="virtual-machine"} NaN',
        '# EOF',
      ].join('\n'),
    );
    expect(instanceFigures(s)).toEqual([
      {
        project: 'p',
        name: 'vm',
        type: 'virtual-machine',
        cpuSeconds: 3,
        memoryBytes: null,
        memoryTotalBytes: null,
        swapBytes: null,
        network: { eth0: { rx: 10, tx: 20 } },
        processes: null,
      },
    ]);
  });
});
