// `GET /1.0/metrics` (API extension `metrics`): the OpenMetrics text LXD and Incus serve, parsed
// into per-instance figures. Pure; no I/O (client.ts fetches, the store samples).
//
// Why a parser of our own: the npm candidates for the Prometheus text format
// (parse-prometheus-text-format, prom2javascript) are unmaintained single-release packages that
// build whole metric-family objects and know nothing of OpenMetrics' `# EOF`; what lxtop needs is
// ~100 lines, tested on both daemons' real output (test/fixtures/{lxd,incus}/metrics*.txt).
//
// What the daemons send (LXD 5.0 lxd/instance/drivers/driver_lxc.go `Metrics`, the same in Incus
// 6): per instance, labels `name`, `project`, `type`:
//   <p>_cpu_seconds_total{cpu,mode}            counter, seconds; containers: modes user and system
//                                              (cpuacct), VMs also `idle` (left out of the sum)
//   <p>_memory_MemTotal_bytes / _MemFree_bytes gauges: the limit (host memory without one) and
//                                              limit − usage, so usage = MemTotal − MemFree (the
//                                              same cgroup figure as `/state`'s memory.usage)
//   <p>_memory_Swap_bytes                      gauge
//   <p>_network_{receive,transmit}_bytes_total{device}  counters per interface (incl. `lo`)
//   <p>_procs_total                            gauge
// <p> is `lxd` or `incus`. Stopped instances are absent. No IPv4 addresses, no disk usage (the
// `_filesystem_*` gauges are the pool's filesystem, not the instance's usage): those come from
// `/state`. Incus adds daemon-wide samples without labels (`incus_uptime_seconds`, `incus_go_*`):
// ignored here.

/** One sample line: `name{labels} value`. */
export interface MetricSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export class MetricsParseError extends Error {
  constructor(
    message: string,
    /** 1-based line number of the offending line (0: the text as a whole). */
    readonly line: number,
  ) {
    super(message);
    this.name = 'MetricsParseError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number | null {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `line[at] === '{'`; returns the labels and the index after `}`. */
function parseLabels(line: string, at: number, lineNo: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  const fail = (what: string): never => {
    throw new MetricsParseError(`line ${lineNo}: ${what}`, lineNo);
  };
  for (;;) {
    while (line[i] === ' ') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = LABEL_NAME.exec(line.slice(i));
    if (!m) fail('a label name was expected');
    const name = m![0];
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') fail(`"=" was expected after label ${name}`);
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') fail(`a quoted value was expected for label ${name}`);
    i++;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) fail(`the value of label ${name} is not closed`);
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i + 1];
        value += e === 'n' ? '\n' : e === '"' ? '"' : e === '\\' ? '\\' : `\\${e ?? ''}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    labels[name] = value;
    while (line[i] === ' ') i++;
    if (line[i] === ',') {
      i++;
      continue;
    }
    if (line[i] === '}') return { labels, end: i + 1 };
    fail('"," or "}" was expected after a label');
  }
}

/**
 * Every sample of an OpenMetrics / Prometheus text answer, in order. Comments (`# HELP`, `# TYPE`,
 * `# UNIT`) are skipped; `# EOF` ends the text. Throws MetricsParseError on a line that is not a
 * sample, and on a text cut short (no `# EOF` and no final newline): a malformed answer is refused
 * whole rather than half-read.
 */
export function parseMetricsText(text: string): MetricSample[] {
  if (typeof text !== 'string') throw new MetricsParseError('the answer is not text', 0);
  const out: MetricSample[] = [];
  let sawEof = false;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (/^#\s*EOF\s*$/.test(line)) {
        sawEof = true;
        break;
      }
      continue;
    }
    const m = NAME.exec(line);
    if (!m) throw new MetricsParseError(`line ${lineNo}: not a sample: ${line.slice(0, 80)}`, lineNo);
    const name = m[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const parsed = parseLabels(line, i, lineNo);
      labels = parsed.labels;
      i = parsed.end;
    }
    if (line[i] !== ' ' && line[i] !== '\t') throw new MetricsParseError(`line ${lineNo}: no value after ${name}`, lineNo);
    // The value, then an optional timestamp (and, in OpenMetrics, an exemplar after " # "): ignored.
    const rest = line.slice(i).trim().split(/[ \t]+/);
    const value = parseValue(rest[0] ?? '');
    if (value === null) throw new MetricsParseError(`line ${lineNo}: "${rest[0] ?? ''}" is not a number (${name})`, lineNo);
    out.push({ name, labels, value });
  }
  if (!sawEof && !text.endsWith('\n')) throw new MetricsParseError('the answer was cut short (no "# EOF", no final newline)', lineNo);
  return out;
}

/** What `/1.0/metrics` tells of one running instance. Null: the answer did not carry that figure. */
export interface InstanceFigures {
  project: string;
  name: string;
  /** `container` or `virtual-machine` (as labelled; '' when not). */
  type: string;
  /** CPU seconds used since the instance started: every cpu and mode except `idle`. */
  cpuSeconds: number | null;
  /** MemTotal − MemFree: the cgroup's usage, as `/state` reports it. */
  memoryBytes: number | null;
  /** The memory limit, or the host's memory when there is none. */
  memoryTotalBytes: number | null;
  swapBytes: number | null;
  /** Byte counters per interface (`lo` included; callers leave it out of totals). */
  network: Record<string, { rx: number; tx: number }>;
  processes: number | null;
}

/** Metric names without the `lxd_` / `incus_` prefix. */
const CPU = 'cpu_seconds_total';
const MEM_TOTAL = 'memory_MemTotal_bytes';
const MEM_FREE = 'memory_MemFree_bytes';
const SWAP = 'memory_Swap_bytes';
const RX = 'network_receive_bytes_total';
const TX = 'network_transmit_bytes_total';
const PROCS = 'procs_total';
const WANTED = new Set([CPU, MEM_TOTAL, MEM_FREE, SWAP, RX, TX, PROCS]);

function unprefixed(name: string): string | null {
  if (name.startsWith('lxd_')) return name.slice(4);
  if (name.startsWith('incus_')) return name.slice(6);
  return null;
}

/** `project/name`, the store's instance key. */
function figuresKey(f: Pick<InstanceFigures, 'project' | 'name'>): string {
  return `${f.project}/${f.name}`;
}

/**
 * Per-instance figures from the samples, in order of first appearance. Samples without a `name`
 * label (the daemon's own) and metrics lxtop does not show are skipped; a non-finite value counts
 * as missing.
 */
export function instanceFigures(samples: readonly MetricSample[], defaultProject = 'default'): InstanceFigures[] {
  const byKey = new Map<string, InstanceFigures & { memFree: number | null }>();
  for (const s of samples) {
    const metric = unprefixed(s.name);
    if (metric === null || !WANTED.has(metric)) continue;
    const name = s.labels.name;
    if (!name) continue;
    const project = s.labels.project || defaultProject;
    const key = `${project}/${name}`;
    let f = byKey.get(key);
    if (!f) {
      f = {
        project,
        name,
        type: s.labels.type ?? '',
        cpuSeconds: null,
        memoryBytes: null,
        memoryTotalBytes: null,
        swapBytes: null,
        network: {},
        processes: null,
        memFree: null,
      };
      byKey.set(key, f);
    }
    if (!f.type && s.labels.type) f.type = s.labels.type;
    const v = Number.isFinite(s.value) ? s.value : null;
    if (v === null) continue;
    switch (metric) {
      case CPU:
        if (s.labels.mode !== 'idle') f.cpuSeconds = (f.cpuSeconds ?? 0) + v;
        break;
      case MEM_TOTAL:
        f.memoryTotalBytes = v;
        break;
      case MEM_FREE:
        f.memFree = v;
        break;
      case SWAP:
        f.swapBytes = v;
        break;
      case RX:
      case TX: {
        const dev = s.labels.device ?? '';
        const n = (f.network[dev] ??= { rx: 0, tx: 0 });
        if (metric === RX) n.rx = v;
        else n.tx = v;
        break;
      }
      case PROCS:
        f.processes = v;
        break;
    }
  }
  const out: InstanceFigures[] = [];
  for (const f of byKey.values()) {
    const { memFree, ...figures } = f;
    if (figures.memoryTotalBytes !== null && memFree !== null) figures.memoryBytes = Math.max(0, figures.memoryTotalBytes - memFree);
    out.push(figures);
  }
  return out;
}

/**
 * A fingerprint of one project's figures: equal fingerprints mean the same cached computation
 * (the daemons serve `/1.0/metrics` from a per-project cache, see docs/lxd-api.md). Built from the
 * counters and gauges lxtop reads, so the daemon's own per-request samples (Incus' uptime) do not
 * make two answers of one cache entry look different.
 */
export function figuresFingerprint(figures: readonly InstanceFigures[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 + c, 0x5bd1e995) >>> 0;
    }
  };
  const keys = figures.map((f) => figuresKey(f)).sort();
  const byKey = new Map(figures.map((f) => [figuresKey(f), f]));
  for (const k of keys) {
    const f = byKey.get(k)!;
    mix(k);
    mix(`|${f.cpuSeconds}|${f.memoryBytes}|${f.processes}|${f.swapBytes}`);
    for (const dev of Object.keys(f.network).sort()) mix(`|${dev}:${f.network[dev].rx}:${f.network[dev].tx}`);
  }
  return `${figures.length}-${h1.toString(16)}-${h2.toString(16)}`;
}
