#!/usr/bin/env node
// What watching costs the daemon (issue 11): the daemon's CPU while lxtop sits idle on screen, side
// by side in the same run with nothing, the daemon's own tools and three lxtops at once; how fresh
// the figures on screen are, checked against the instances' real CPU use; and `lxtop --once`
// against `lxc list --format csv`.
//
//   npm run build && node bench/daemon-cost.mjs [--daemons lxd,incus] [--seconds 30] [--warmup 35]
//       [--max-seconds 600] [--nothing-seconds 20] [--settle 10] [--repeat 1] [--running 20,100] [--count 42]
//       [--once 42/21,300/20] [--once-runs 5]
//       [--project bench-cost] [--lxtop PATH[=LABEL]]... [--cols 200] [--rows 60] [--busy 2]
//       [--only cost|once] [--keep]
//
// Daemon CPU: utime + stime + cutime + cstime of the daemon's main process (/proc/PID/stat, PID from
// the sandbox's daemon.pid), so the helpers it forks and waits for count (LXD forks `lxd forknet`
// for every instance state it reads). Per window of `--seconds`, or of one whole refresh period of
// the rows refreshed in bulk when lxtop's header says it is longer (`every 64s`: a window holds
// one bulk read whatever its phase; at most `--max-seconds`), as % of one core. Each level of
// `--running` (instances `--count` or more, the first N running) measures, in this order, with a
// window of nothing between each two (the sandbox daemons are shared: other people's tests run
// against them, so each client's "induced" CPU is its window minus the mean of the nothing windows
// just before and after it; `--repeat N` runs the whole cycle N times and prints medians):
//   nothing        no client
//   lxtop          `node dist/cli.js --socket S --project P` idle in a COLS×ROWS pty, defaults
//   3 lxtops       three of them at once
//   incus top      (Incus) in a pty of the same size, its default refresh (10 s)
//   lxc list loop  (LXD) `lxc list --project P --format csv`, a new one 2 s after the last started
// Each client gets `--warmup` seconds after its table is on screen before the window starts (long
// enough for two metrics readings, so that every row has a CPU %); after it stops, `--settle`
// seconds pass, and more until the daemon is under 20 % of a core (it finishes what it was asked,
// 30 s at most), before the next window. The nothing windows last `--nothing-seconds`.
// `--lxtop PATH=LABEL` (repeatable) names the builds to measure (default: this checkout's dist/cli.js), e.g.
// `--lxtop dist/cli.js=current --lxtop ../base/dist/cli.js=baseline` for a baseline beside it.
//
// Freshness: every 0.5 s the first lxtop's screen is read: the header's `figures HH:MM:SS every Ns
// (selected 2s)` (parseSampling below: adapt it there if the indicator changes) gives the time of
// the oldest figures on screen, hence their age. The check against the truth: `--busy` instances
// (the selected first row and the last visible running row) run a shell load that switches between
// busy and idle every few seconds; the bench reads their real CPU use from the host's cgroup
// (cpuacct.usage, every 0.2 s, no daemon involved). A CPU % on screen is consistent with the
// header when some measurement window (about the row's refresh) ending at or after the header's time
// (less 1 s, the clock's resolution) and before the screen was read gives that figure (±2.5 points
// or ±20 %): a figure older than the header says fails this where the load changed in between.
// And the real lag: the delay L for which the true CPU % over the row's refresh period, ending L
// before each reading, best matches the screen over the window (least mean absolute difference);
// for the selected row it should be within its refresh (2 s) + 1 s, for the other within the age
// the header shows + 1 s ("true"). The fit needs the figure to change at least 3 times in the
// window: rows refreshed every 32 s or more need longer windows (`--seconds 120`).
//
// --once: `lxtop --once` (each build) and `lxc list --format csv` (`incus list` on Incus),
// alternating, `--once-runs` runs each after one unmeasured run of each, at each COUNT/RUNNING of
// `--once`: wall time, client CPU (user + system) and peak RSS from /usr/bin/time.
//
// Instances: bc-001 … in the project `--project` (default bench-cost, created with the images and
// profiles of the default project; the sandbox's busybox image), grown as the levels need, deleted
// with the project at the end, also on Ctrl-C (`--keep` leaves them). Both daemons by default; each
// is seeded, measured and cleaned in turn.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pty from 'node-pty';
import {
  cliJs,
  cpuSeconds,
  cpuSecondsWithChildren,
  childrenCpuSeconds,
  daemonCli,
  loadLine,
  median,
  namesOnScreen,
  root,
  sleep,
  startLxtop,
  table,
  whenScreen,
} from './tui-common.mjs';

// ---- options -------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    daemons: 'lxd,incus',
    seconds: 30,
    'max-seconds': 600,
    'nothing-seconds': 20,
    warmup: 35,
    settle: 10,
    repeat: 1,
    running: '20,100',
    count: 42,
    once: '42/21,300/20',
    'once-runs': 5,
    project: 'bench-cost',
    lxtop: [],
    cols: 200,
    rows: 60,
    busy: 2,
    only: '',
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in o)) {
      console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 8).join('\n').replace(/^\/\/ ?/gm, ''));
      process.exit(argv[i] === '--help' || argv[i] === '-h' ? 0 : 2);
    }
    if (m[1] === 'keep') {
      o.keep = true;
      continue;
    }
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new Error(`--${m[1]} wants a value`);
    if (m[1] === 'lxtop') o.lxtop.push(v);
    else o[m[1]] = typeof o[m[1]] === 'number' ? Number(v) : v;
  }
  const builds = (o.lxtop.length ? o.lxtop : [`${cliJs}=lxtop`]).map((spec) => {
    const [path, label] = spec.split('=');
    const cli = resolve(path.endsWith('.js') ? path : join(path, 'dist/cli.js'));
    if (!existsSync(cli)) throw new Error(`${cli} is missing (npm run build)`);
    return { cli, label: label || (cli === cliJs ? 'lxtop' : cli) };
  });
  return {
    ...o,
    daemons: o.daemons.split(',').filter(Boolean),
    running: o.running.split(',').filter(Boolean).map(Number),
    onceSizes: o.once.split(',').filter(Boolean).map((s) => {
      const [count, running] = s.split('/').map(Number);
      return { count, running };
    }),
    builds,
  };
}

const opts = parseArgs(process.argv.slice(2));
const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// ---- the freshness indicator on lxtop's screen -----------------------------------------------------

/**
 * The header's sampling indicator: `figures 14:02:31 every 64s (selected 2s)` (src/views/chrome.tsx
 * samplingText), `events only`, or nothing. Returns { at: epoch ms of the oldest figures (1 s
 * resolution), every, selected (ms) } or null. This is the one place to adapt when it changes.
 */
function parseSampling(lines, now = Date.now()) {
  for (const line of lines.slice(0, 4)) {
    if (/\bevents only\b/.test(line)) return { at: null, every: null, selected: null, eventsOnly: true };
    const m = /\bfigures (\d\d):(\d\d):(\d\d)(?: every (\S+))?(?: \(selected (\S+)\))?/.exec(line);
    if (!m) continue;
    const d = new Date(now);
    d.setHours(Number(m[1]), Number(m[2]), Number(m[3]), 0);
    let at = d.getTime();
    if (at > now + 60_000) at -= 86_400_000; // just after midnight
    return { at, every: periodMs(m[4]), selected: periodMs(m[5]) ?? periodMs(m[4]), eventsOnly: false };
  }
  return null;
}

/** `2s`, `3.6s`, `500ms`, `4m16s` (formatPeriod in chrome.tsx) → ms. */
function periodMs(text) {
  if (!text) return null;
  const m = /^(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(text);
  if (!m || !text) return null;
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000 + Number(m[3] ?? 0);
}

/** The CPU % cell of each named row (null for `-`), read under the table's `CPU%` title. */
function cpuCells(lines, names) {
  const header = lines.findIndex((l) => /\bNAME\b/.test(l) && l.includes('CPU%'));
  if (header < 0) return {};
  const end = lines[header].indexOf('CPU%') + 4;
  const out = {};
  for (const line of lines.slice(header + 1)) {
    const name = /^[>*\s]*([A-Za-z0-9][A-Za-z0-9.-]*)\s/.exec(line)?.[1];
    if (!name || !names.includes(name)) continue;
    const cell = line.slice(Math.max(0, end - 8), end).trim().split(/\s+/).pop() ?? '';
    const m = /^(\d+(?:\.\d+)?)%$/.exec(cell);
    out[name] = m ? Number(m[1]) : null;
  }
  return out;
}

// ---- daemons, instances ----------------------------------------------------------------------------

function daemonInfo(name) {
  const dir = join(sandbox, name);
  const socket = join(dir, 'unix.socket');
  const pidFile = join(dir, 'daemon.pid');
  if (!existsSync(socket) || !existsSync(pidFile)) throw new Error(`${name}: no sandbox daemon (scripts/sandbox up ${name})`);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const cli = daemonCli(socket);
  // The sandbox's CLI env: its *_DIR; a caller's LXD_SOCKET / INCUS_SOCKET would win over it.
  for (const k of ['LXD_SOCKET', 'INCUS_SOCKET']) delete cli.env[k];
  return { name, socket, pid, cli, label: name === 'incus' ? 'Incus' : 'LXD' };
}

const { connect } = await import(join(root, 'dist/lxd/index.js'));

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const nameOf = (i) => `bc-${String(i).padStart(3, '0')}`;

class Instances {
  constructor(d) {
    this.d = d;
    this.client = null;
    this.madeProject = false;
  }

  async open() {
    const base = await connect({ socket: this.d.socket });
    const projects = (await base.listProjects()).map((p) => p.name);
    if (!projects.includes(opts.project)) {
      await base.request('POST', '/1.0/projects', {
        body: { name: opts.project, config: { 'features.images': 'false', 'features.profiles': 'false' }, description: 'lxtop bench/daemon-cost.mjs (deleted at its end)' },
      });
      this.madeProject = true;
    }
    await base.close();
    this.client = await connect({ socket: this.d.socket, project: opts.project });
  }

  async list() {
    return this.client.listInstances();
  }

  /** A new connection: the daemon may have closed an idle one while the bench was busy elsewhere. */
  async reopen() {
    await this.client?.close().catch(() => undefined);
    this.client = await connect({ socket: this.d.socket, project: opts.project });
  }

  /** bc-001..bc-count exist; the first `running` run, the others are stopped. */
  async ensure(count, running) {
    await this.reopen();
    const c = this.client;
    const have = new Map((await this.list()).map((i) => [i.name, i.status]));
    const missing = Array.from({ length: count }, (_, i) => nameOf(i + 1)).filter((n) => !have.has(n));
    if (missing.length) process.stderr.write(`  creating ${missing.length} instances in ${opts.project}…\n`);
    await pool(missing, 8, async (name) => {
      const out = await c.waitOperation((await c.createInstance({ name, image: { alias: 'busybox' } })).id, 300);
      if (out.status !== 'Success') throw new Error(`create ${name}: ${out.err}`);
      have.set(name, 'Stopped');
    });
    const want = [...have.keys()].sort();
    const toStart = want.filter((n, i) => i < running && have.get(n) !== 'Running');
    const toStop = want.filter((n, i) => i >= running && have.get(n) === 'Running');
    if (toStart.length + toStop.length) process.stderr.write(`  starting ${toStart.length}, stopping ${toStop.length}…\n`);
    await pool([...toStop.map((n) => [n, 'stop']), ...toStart.map((n) => [n, 'start'])], 8, async ([name, action]) => {
      const out = await c.waitOperation((await c.changeState(name, action, { force: true })).id, 300);
      if (out.status !== 'Success') throw new Error(`${action} ${name}: ${out.err}`);
    });
    const now = await this.list();
    return { total: now.length, running: now.filter((i) => i.status === 'Running').length };
  }

  /** Every instance of the project, then the project (if this run made it, or it is empty of others' work). */
  async destroy() {
    if (!this.client) return;
    await this.reopen().catch(() => undefined);
    const c = this.client;
    const list = await this.list().catch(() => []);
    if (list.length) process.stderr.write(`  deleting ${list.length} instances and the project ${opts.project} on ${this.d.label}…\n`);
    await pool(list, 8, async (i) => {
      if (i.status !== 'Stopped') await c.waitOperation((await c.changeState(i.name, 'stop', { force: true })).id, 120).catch(() => undefined);
      await c.waitOperation((await c.deleteInstance(i.name)).id, 120).catch((e) => process.stderr.write(`  delete ${i.name}: ${e.message}\n`));
    });
    await c.request('DELETE', `/1.0/projects/${encodeURIComponent(opts.project)}`).catch((e) => process.stderr.write(`  delete project: ${e.message}\n`));
    await c.close();
    this.client = null;
  }
}

// ---- the truth: an instance's CPU use from the host's cgroup ----------------------------------------

/** Where the instance's CPU time is counted on this host (cgroup v1 cpuacct or v2), from its init's cgroup. */
async function usageReader(client, name) {
  const state = await client.instanceState(name);
  const lines = readFileSync(`/proc/${state.pid}/cgroup`, 'utf8').trim().split('\n');
  const payload = (p) => p.replace(/^(.*?\/lxc\.payload[^/]*).*$/, '$1');
  const v1 = lines.find((l) => /^\d+:[^:]*\bcpuacct\b[^:]*:/.test(l));
  if (v1) {
    const controllers = v1.split(':')[1];
    const file = join('/sys/fs/cgroup', controllers, payload(v1.split(':')[2]), 'cpuacct.usage');
    if (existsSync(file)) return () => Number(readFileSync(file, 'utf8')) / 1e9;
    const alt = join('/sys/fs/cgroup/cpuacct', payload(v1.split(':')[2]), 'cpuacct.usage');
    return () => Number(readFileSync(alt, 'utf8')) / 1e9;
  }
  const v2 = lines.find((l) => l.startsWith('0::'));
  const stat = join('/sys/fs/cgroup', payload(v2.slice(3)), 'cpu.stat');
  return () => Number(/usage_usec (\d+)/.exec(readFileSync(stat, 'utf8'))[1]) / 1e6;
}

/** Samples the readers every 200 ms: { name: [[epoch ms, cpu seconds], …] }. */
function truthRecorder(readers) {
  const series = Object.fromEntries(Object.keys(readers).map((n) => [n, []]));
  const tick = () => {
    const t = Date.now();
    for (const [n, read] of Object.entries(readers)) {
      try {
        series[n].push([t, read()]);
      } catch {
        // the instance went away
      }
    }
  };
  tick();
  const timer = setInterval(tick, 200);
  return { series, stop: () => clearInterval(timer) };
}

/** CPU seconds at time t, linear between samples; null outside the series. */
function usageAt(series, t) {
  if (!series.length || t < series[0][0] || t > series.at(-1)[0]) return null;
  let lo = 0;
  let hi = series.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (series[mid][0] <= t) lo = mid;
    else hi = mid;
  }
  const [t0, u0] = series[lo];
  const [t1, u1] = series[hi];
  return t1 === t0 ? u0 : u0 + ((u1 - u0) * (t - t0)) / (t1 - t0);
}

/**
 * The latest end b in [from, to] (250 ms steps) of a window of about the row's refresh `period`
 * (0.5 × to 1.5 ×, at least 1 to 3 s) whose true CPU % is `value` (±2.5 points or ±20 %); null
 * when there is none.
 */
function latestConsistent(series, value, from, to, period) {
  const tol = Math.max(2.5, 0.2 * value);
  const p = period ?? 2000;
  const shortest = Math.min(1000, 0.5 * p);
  const longest = Math.max(3000, 1.5 * p);
  const step = Math.max(250, (longest - shortest) / 16);
  for (let b = to; b >= from; b -= 250) {
    const ub = usageAt(series, b);
    if (ub === null) continue;
    for (let w = shortest; w <= longest; w += step) {
      const ua = usageAt(series, b - w);
      if (ua === null) break;
      if (Math.abs(((ub - ua) / (w / 1000)) * 100 - value) <= tol) return b;
    }
  }
  return null;
}

// ---- the load on the tracked instances --------------------------------------------------------------

/** A shell loop switching between ~20-30 % busy and idle every few seconds, bounded by `timeout`. */
function startBusy(d, names, seconds) {
  const marker = `lxtop-bench-cost-${process.pid}`;
  const busy = 'e=$(($(date +%s)+$1)); while [ $(date +%s) -lt $e ]; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; usleep 10000; done';
  const loop = `while :; do for p in 4 9 6 13 5 8; do sh -c '${busy}' x $p; sleep $((p + 3)); done; done`;
  names.forEach((name, k) => {
    // Offset the second one so that the two are not busy at the same moments.
    const script = `sleep ${k * 7}; ${loop}`;
    const detach = `timeout -s KILL ${Math.ceil(seconds)} sh -c "$1" "$2" >/dev/null 2>&1 </dev/null &`;
    d.cli.run('exec', '--project', opts.project, name, '--', 'sh', '-c', detach, 'sh', script, marker);
  });
  return () => {
    const find = `m=lxtop-bench-cost; m=$m-${process.pid}; for p in /proc/[0-9]*; do if tr '\\0' ' ' <$p/cmdline 2>/dev/null | grep -q " $m"; then kill -9 \${p#/proc/} 2>/dev/null; fi; done; true`;
    for (const name of names) {
      try {
        d.cli.run('exec', '--project', opts.project, name, '--', 'sh', '-c', find);
      } catch {
        // stopped or gone
      }
    }
  };
}

// ---- clients ---------------------------------------------------------------------------------------

const children = new Set();
let aborted = false;

/** sleep() that ends the run once Ctrl-C was pressed. */
async function wait(ms) {
  if (aborted) throw new Error('aborted');
  await sleep(ms);
  if (aborted) throw new Error('aborted');
}

/** One lxtop in a pty, its table on screen. */
async function startOneLxtop(d, build) {
  const s = startLxtop(['--socket', d.socket, '--project', opts.project], { cols: opts.cols, rows: opts.rows, cli: build.cli });
  children.add(s.pty);
  s.exited.then(() => children.delete(s.pty));
  await whenScreen(s, (lines) => namesOnScreen(lines).has(nameOf(1)), 60_000);
  return s;
}

async function stopLxtop(s) {
  s.onChunk = null;
  await s.quit().catch(() => undefined);
  children.delete(s.pty);
}

/** A client for one window: start() resolves when it is up; cpu() its own CPU so far; stop(). */
function lxtopClient(d, build, n) {
  let sessions = [];
  return {
    label: n === 1 ? build.label : `${n} × ${build.label}`,
    lxtop: true,
    async start() {
      sessions = await Promise.all(Array.from({ length: n }, () => startOneLxtop(d, build)));
    },
    screen: () => sessions[0],
    cpu: () => sessions.reduce((t, s) => t + cpuSeconds(s.pty.pid), 0),
    async stop() {
      await Promise.all(sessions.map(stopLxtop));
    },
  };
}

function incusTop(d) {
  let p = null;
  return {
    label: 'incus top (10 s)',
    async start() {
      p = pty.spawn(d.cli.bin, ['top', '--project', opts.project], { name: 'xterm-256color', cols: opts.cols, rows: opts.rows, env: { ...d.cli.env, TERM: 'xterm-256color' } });
      children.add(p);
      let out = '';
      p.onData((x) => (out.length < 100_000 ? (out += x) : undefined));
      const t0 = Date.now();
      while (!out.includes(nameOf(1)) && Date.now() - t0 < 60_000) await sleep(200);
    },
    cpu: () => cpuSeconds(p.pid),
    async stop() {
      p.kill('SIGKILL');
      children.delete(p);
    },
  };
}

function listLoop(d) {
  let running = false;
  let done = null;
  let c0 = 0;
  return {
    label: `${d.cli.bin} list every 2 s`,
    async start() {
      running = true;
      c0 = childrenCpuSeconds();
      done = (async () => {
        while (running && !aborted) {
          const t0 = Date.now();
          await new Promise((res) => {
            const p = spawn(d.cli.bin, ['list', '--project', opts.project, '--format', 'csv'], { env: d.cli.env, stdio: 'ignore' });
            children.add(p);
            p.on('exit', () => {
              children.delete(p);
              res();
            });
          });
          const wait = 2000 - (Date.now() - t0);
          if (running && wait > 0) await sleep(wait);
        }
      })();
    },
    cpu: () => childrenCpuSeconds() - c0,
    async stop() {
      running = false;
      await done;
    },
  };
}

function nothing(label) {
  return { label, nothing: true, async start() {}, cpu: () => 0, async stop() {} };
}

// ---- one cost level ---------------------------------------------------------------------------------

async function costLevel(d, inst, running, count) {
  const got = await inst.ensure(count, running);
  const busyNames = opts.busy > 0 ? [nameOf(1), nameOf(Math.max(1, Math.min(running, opts.rows - 10)))].slice(0, opts.busy) : [];
  const readers = {};
  for (const n of busyNames) readers[n] = await usageReader(inst.client, n);
  const cycle = [];
  for (const b of opts.builds) cycle.push(() => lxtopClient(d, b, 1), () => lxtopClient(d, b, 3));
  cycle.push(() => (d.name === 'incus' ? incusTop(d) : listLoop(d)));
  const clients = [nothing('nothing')];
  for (let r = 0; r < opts.repeat; r++) for (const make of cycle) clients.push(make(), nothing('nothing'));
  const windows = clients.length;
  const stopBusy = busyNames.length ? startBusy(d, busyNames, windows * (opts.seconds + opts.warmup + 60) + 120) : () => undefined;
  const recorder = busyNames.length ? truthRecorder(readers) : null;
  console.log(`\n${d.label} (pid ${d.pid}), project ${opts.project}: ${got.total} instances, ${got.running} running; pty ${opts.cols}×${opts.rows}; ` +
    `${opts.seconds} s windows after ${opts.warmup} s of warm-up; ${busyNames.length ? `load switching in ${busyNames.join(', ')}` : 'no load'}; ${loadLine()}`);
  const results = [];
  try {
    for (const client of clients) {
      await client.start();
      if (!client.nothing) await wait(opts.warmup * 1000);
      const samples = [];
      const screen = client.screen?.();
      let lastLines = null;
      const sampler = screen
        ? setInterval(() => {
            const lines = screen.screenLines();
            lastLines = lines;
            samples.push({ t: Date.now(), sampling: parseSampling(lines), cpu: cpuCells(lines, busyNames) });
          }, 500)
        : null;
      const d0 = cpuSecondsWithChildren(d.pid);
      const c0 = client.cpu();
      const t0 = performance.now();
      await wait(windowSeconds(client, screen) * 1000);
      const daemon = cpuSecondsWithChildren(d.pid) - d0;
      const own = client.cpu() - c0;
      const wall = (performance.now() - t0) / 1000;
      if (sampler) clearInterval(sampler);
      if (lastLines && process.env.LXTOP_BENCH_SCREENS) process.stderr.write(`${lastLines.join('\n')}\n`);
      await client.stop();
      if (!client.nothing) await settle(d);
      results.push({ client, wall, daemon: (daemon / wall) * 100, own: (own / wall) * 100, fresh: screen ? freshness(samples, recorder?.series ?? {}, busyNames) : null });
      const r = results.at(-1);
      process.stderr.write(`  ${client.label}: daemon ${r.daemon.toFixed(1)} %${client.nothing ? '' : `, own ${r.own.toFixed(1)} %`} over ${r.wall.toFixed(0)} s\n`);
    }
  } finally {
    recorder?.stop();
    stopBusy();
  }
  report(d, got, results, busyNames);
  return results;
}

/**
 * The window: `--nothing-seconds` for nothing, else `--seconds`, or longer when the header says the
 * other rows refresh less often (`every 64s`): a window of one whole period holds one bulk read (a
 * metrics computation costs the daemon as much as ~20 state reads) whatever its phase, where a
 * shorter one would count it or not by chance. At most `--max-seconds`.
 */
function windowSeconds(client, screen) {
  if (client.nothing) return opts['nothing-seconds'];
  const every = screen ? parseSampling(screen.screenLines())?.every : null;
  return every ? Math.min(opts['max-seconds'], Math.max(opts.seconds, Math.ceil(every / 1000))) : opts.seconds;
}

/**
 * After a client stops: `--settle` seconds, then on until the daemon's CPU over 2 s is under 20 % of
 * a core (it finishes requests whose client is gone), 30 s at most.
 */
async function settle(d) {
  await wait(opts.settle * 1000);
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const c0 = cpuSecondsWithChildren(d.pid);
    await wait(2000);
    if ((cpuSecondsWithChildren(d.pid) - c0) / 2 < 0.2) return;
  }
}

/** Shown ages, and how the figures on screen compare with the truth. */
function freshness(samples, series, busyNames) {
  const shown = samples.filter((s) => s.sampling && s.sampling.at !== null);
  const ages = shown.map((s) => (s.t - s.sampling.at) / 1000);
  const every = median(shown.map((s) => s.sampling.every).filter((x) => x !== null));
  const selected = median(shown.map((s) => s.sampling.selected).filter((x) => x !== null));
  const rows = {};
  for (const name of busyNames) {
    // The selected row refreshes at `selected`, the others at `every`; without the indicator (an
    // older build), at the default interval, 2 s.
    const period = (s) => (s.sampling ? (name === nameOf(1) ? s.sampling.selected : s.sampling.every) : null) ?? 2000;
    const readings = samples.filter((s) => typeof s.cpu[name] === 'number' && series[name]);
    const withTime = readings.filter((s) => s.sampling?.at !== null && s.sampling?.at !== undefined);
    let consistent = 0;
    for (const s of withTime) if (latestConsistent(series[name], s.cpu[name], s.sampling.at - 1000, s.t, period(s)) !== null) consistent++;
    rows[name] = { figures: readings.length, checked: withTime.length, consistent, ...lagFit(series[name], readings.map((s) => ({ t: s.t, v: s.cpu[name], p: period(s) }))) };
  }
  return { samples: samples.length, shown: shown.length, age: ages.length ? median(ages) : null, every, selected, rows, eventsOnly: samples.some((s) => s.sampling?.eventsOnly) };
}

/**
 * How old the figures on screen really are: the lag L (0-60 s, 0.25 s steps) for which the true
 * CPU % over the row's refresh period ending L before each reading best matches what the screen
 * showed (least mean absolute difference). Also that error at L = 0, for scale.
 */
function lagFit(series, readings) {
  // A fit needs the figure to have changed a few times in the window.
  const changes = readings.filter((r, i) => i > 0 && r.v !== readings[i - 1].v).length;
  if (!series || changes < 3) return { lag: null, error: null, error0: null, changes };
  const errorAt = (lagMs) => {
    let sum = 0;
    let n = 0;
    for (const r of readings) {
      const b = r.t - lagMs;
      const ub = usageAt(series, b);
      const ua = usageAt(series, b - r.p);
      if (ub === null || ua === null) continue;
      sum += Math.abs(((ub - ua) / (r.p / 1000)) * 100 - r.v);
      n++;
    }
    return n >= readings.length / 2 ? sum / n : null;
  };
  let best = null;
  for (let lag = 0; lag <= 60_000; lag += 250) {
    const e = errorAt(lag);
    if (e !== null && (best === null || e < best.error - 1e-9)) best = { lag, error: e };
  }
  return { lag: best ? best.lag / 1000 : null, error: best?.error ?? null, error0: errorAt(0), changes };
}

const pct = (x) => `${x.toFixed(1)} %`;
const secs = (ms) => (ms === null || ms === undefined || Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);

function report(d, got, results, busyNames) {
  // Each client against the nothing windows on either side of it.
  results.forEach((r, i) => {
    if (r.client.nothing) return;
    const around = [results[i - 1], results[i + 1]].filter((x) => x?.client.nothing).map((x) => x.daemon);
    r.background = around.length ? around.reduce((a, b) => a + b, 0) / around.length : 0;
    r.induced = r.daemon - r.background;
  });
  const byLabel = new Map();
  for (const r of results) byLabel.set(r.client.label, [...(byLabel.get(r.client.label) ?? []), r]);
  const rows = [['what runs', 'windows', 'seconds', 'daemon CPU', 'background', 'induced', 'client CPU', 'figures age (median)', 'every', 'selected']];
  for (const [label, rs] of byLabel) {
    const m = (f) => median(rs.map(f));
    const f = rs[0].fresh;
    rows.push([
      label,
      String(rs.length),
      m((r) => r.wall).toFixed(0),
      pct(m((r) => r.daemon)),
      label === 'nothing' ? '' : pct(m((r) => r.background)),
      label === 'nothing' ? '' : pct(m((r) => r.induced)),
      label === 'nothing' ? '' : pct(m((r) => r.own)),
      f ? (f.eventsOnly ? 'events only' : f.age === null ? 'not shown' : `${median(rs.map((r) => r.fresh.age)).toFixed(1)} s`) : '',
      f ? secs(median(rs.map((r) => r.fresh.every))) : '',
      f ? secs(median(rs.map((r) => r.fresh.selected))) : '',
    ]);
  }
  console.log(`${d.label}, ${got.total} instances, ${got.running} running: daemon CPU as % of one core (medians over the windows; background: the nothing windows either side)`);
  console.log(table(rows));
  for (const [label, rs] of byLabel) {
    if (!rs[0].fresh) continue;
    for (const name of busyNames) {
      const sum = (k) => rs.reduce((t, r) => t + (r.fresh.rows[name]?.[k] ?? 0), 0);
      const fits = rs.map((r) => r.fresh.rows[name]).filter((x) => x?.lag !== null && x?.lag !== undefined);
      const lag = fits.length ? median(fits.map((x) => x.lag)) : null;
      const err = fits.length ? median(fits.map((x) => x.error)) : null;
      const err0 = fits.length ? median(fits.map((x) => x.error0 ?? NaN)) : null;
      const shownAge = median(rs.map((r) => r.fresh.age ?? NaN));
      const selected = name === nameOf(1);
      const claim = selected ? median(rs.map((r) => r.fresh.selected ?? 2000)) / 1000 : shownAge;
      const row = `  truth, ${label}, ${selected ? 'selected' : 'other'} row ${name}: `;
      if (!sum('figures')) {
        console.log(`${row}no CPU % on this row during the window`);
        continue;
      }
      const header = sum('checked') ? `${sum('consistent')} of ${sum('checked')} CPU figures consistent with the header's time; ` : 'no figures time in the header; ';
      console.log(`${row}${header}` +
        (lag === null ? `its figure changed ${sum('changes')} times: too few for a lag fit` : `the figures lag the real CPU use by ${lag.toFixed(2)} s (best fit, mean error ${err.toFixed(1)} points; ${err0.toFixed(1)} at no lag)` +
          (Number.isFinite(claim) ? ` against ${selected ? 'its refresh' : 'the shown age'} ${claim.toFixed(1)} s: ${lag <= claim + 1 ? 'true' : 'NOT TRUE'}` : '')));
    }
  }
  const induced = (label) => {
    const rs = byLabel.get(label);
    return rs ? median(rs.map((r) => r.induced)) : null;
  };
  const ref = [...byLabel.keys()].find((l) => /incus top/.test(l));
  for (const b of opts.builds) {
    const one = induced(b.label);
    const three = induced(`3 × ${b.label}`);
    const verdicts = [`${b.label}: induced ${pct(one)} (≤ 10 % of a core: ${one <= 10 ? 'PASS' : 'FAIL'})`];
    if (ref) {
      const r = induced(ref);
      verdicts.push(`${(one / r).toFixed(2)}× incus top (≤ 0.5×: ${one <= 0.5 * r ? 'PASS' : 'FAIL'})`);
    }
    if (three !== null) verdicts.push(`3 lxtops ${pct(three)}, ${(three / one).toFixed(2)}× one (≤ 1.3×: ${three <= 1.3 * one ? 'PASS' : 'FAIL'})`);
    console.log(`  verdict ${verdicts.join('; ')}`);
  }
}

// ---- --once against lxc list ------------------------------------------------------------------------

/**
 * Runs `cmd args` to its end (not spawnSync: the bench's own client keeps its connection to the
 * daemon alive meanwhile); wall, user + system CPU and peak RSS from /usr/bin/time.
 */
async function timed(cmd, args, env) {
  const out = join(tmpdir(), `lxtop-bench-time-${process.pid}`);
  const [file, argv] = timeBin ? [timeBin, ['-o', out, '-f', '%e %U %S %M', cmd, ...args]] : [cmd, args];
  const r = await new Promise((res, rej) => {
    const p = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(p);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('error', rej);
    p.on('close', (status) => {
      children.delete(p);
      res({ status, stdout, stderr });
    });
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const rows = r.stdout.trim().split('\n').length;
  if (!timeBin) return { rows };
  const [wall, user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(out, { force: true });
  return { rows, wall, cpu: user + sys, rss: rss / 1024 };
}

async function onceLevel(d, inst, count, running) {
  const got = await inst.ensure(count, running);
  const env = { ...process.env, NO_COLOR: '1' };
  const who = [
    ...opts.builds.map((b) => ({ label: `${b.label} --once`, run: () => timed(process.execPath, [b.cli, '--socket', d.socket, '--project', opts.project, '--once'], env) })),
    { label: `${d.cli.bin} list --format csv`, run: () => timed(d.cli.bin, ['list', '--project', opts.project, '--format', 'csv'], d.cli.env) },
  ];
  for (const w of who) await w.run(); // warm: the daemon's caches, the page cache
  const res = who.map(() => []);
  for (let i = 0; i < opts['once-runs']; i++) {
    if (aborted) throw new Error('aborted');
    for (const [k, w] of who.entries()) res[k].push(await w.run());
  }
  const lxc = res.at(-1);
  const m = (xs, f) => median(xs.map(f));
  console.log(`\n${d.label} --once, ${got.total} instances, ${got.running} running: ${opts['once-runs']} alternating runs each, medians; ${loadLine()}`);
  const rows = [['', 'wall', 'client CPU', 'peak RSS', 'wall vs lxc']];
  who.forEach((w, k) => {
    rows.push([w.label, `${m(res[k], (x) => x.wall).toFixed(2)} s`, `${m(res[k], (x) => x.cpu).toFixed(3)} s`, `${m(res[k], (x) => x.rss).toFixed(0)} MiB`, `${(m(res[k], (x) => x.wall) / m(lxc, (x) => x.wall)).toFixed(2)}×`]);
  });
  console.log(table(rows));
  for (const [k, b] of opts.builds.entries()) {
    const wall = m(res[k], (x) => x.wall) / m(lxc, (x) => x.wall);
    const cpu = m(res[k], (x) => x.cpu);
    const rss = m(res[k], (x) => x.rss);
    console.log(`  verdict ${b.label}: wall ${wall.toFixed(2)}× (≤ 1.0×: ${wall <= 1 ? 'PASS' : 'FAIL'}), CPU ${cpu.toFixed(3)} s (≤ 0.2 s: ${cpu <= 0.2 ? 'PASS' : 'FAIL'}), ` +
      `RSS ${rss.toFixed(0)} MiB (≤ 60 MB = 57.2 MiB: ${rss * 1048576 <= 60e6 ? 'PASS' : 'FAIL'})`);
    if (res[k].some((x, i) => x.rows !== lxc[i].rows + 1)) console.log(`  note: ${b.label} printed a different number of rows than ${d.cli.bin} (header aside)`);
  }
}

// ---- main: each daemon in turn, cleaned up at the end and on Ctrl-C -----------------------------------

let current = null;
let cleaning = null;
async function cleanup() {
  cleaning ??= (async () => {
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        // gone
      }
    }
    children.clear();
    if (current && !opts.keep) await current.destroy().catch((e) => process.stderr.write(`bench: clean-up: ${e.message}\n`));
    current = null;
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        // gone
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    aborted = true;
    process.stderr.write(`\nbench: ${sig}: cleaning up (the instances and the project ${opts.project})…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
const head = spawnSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).stdout.trim().slice(0, 80);
console.log(`bench daemon-cost: ${when} UTC, ${head}; builds: ${opts.builds.map((b) => `${b.label} (${b.cli})`).join(', ')}`);
try {
  for (const name of opts.daemons) {
    const d = daemonInfo(name);
    const inst = new Instances(d);
    current = inst;
    cleaning = null;
    await inst.open();
    const steps = [
      ...(opts.only === 'cost' ? [] : opts.onceSizes.map((s) => ({ kind: 'once', count: s.count, running: s.running }))),
      ...(opts.only === 'once' ? [] : opts.running.map((r) => ({ kind: 'cost', count: Math.max(opts.count, r), running: r }))),
    ].sort((a, b) => a.count - b.count || a.running - b.running);
    for (const step of steps) {
      if (step.kind === 'once') await onceLevel(d, inst, step.count, step.running);
      else await costLevel(d, inst, step.running, step.count);
    }
    await cleanup();
  }
} finally {
  await cleanup();
}
process.exit(0);
