// Shared by the TUI benchmarks (bench/tui-*.mjs): options, the sandbox daemon with enough
// instances, the built CLI in a real pseudo-terminal (node-pty) read through a headless terminal
// emulator (@xterm/headless), the daemon's own client as the reference, and a little CPU load in
// a few instances so their metrics change every refresh.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import xterm from '@xterm/headless';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cliJs = join(root, 'dist/cli.js');
/** The `lxtop` command as installed (package.json "bin": the launcher, scripts/launcher.sh): what a user runs. */
export const lxtopCommand = join(root, 'dist/lxtop');
const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';

/**
 * `--socket PATH` (default $LXD_SOCKET, else the sandbox LXD), `--project NAME` (default: the
 * default project), `--seconds`, `--runs`, `--count` / `--running` (instances wanted, seeded when
 * short), `--busy N` (instances given a light CPU load), `--cols` / `--rows`. Unknown flags are refused.
 */
export function options(defaults, argv = process.argv.slice(2)) {
  const known = { socket: undefined, project: undefined, seconds: 60, runs: 1, count: 40, running: 20, busy: 0, cols: 200, rows: 0, plain: 0, ...defaults };
  const strings = new Set(['socket', 'project']);
  const out = { ...known };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in known)) {
      if (argv[i] === '--help' || argv[i] === '-h') {
        console.log(`flags: ${Object.keys(known).map((k) => `--${k}`).join(' ')}`);
        process.exit(0);
      }
      throw new Error(`unknown argument ${argv[i]} (flags: ${Object.keys(known).map((k) => `--${k}`).join(' ')})`);
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} wants a value`);
    out[m[1]] = strings.has(m[1]) ? value : Number(value);
    if (!strings.has(m[1]) && !Number.isFinite(out[m[1]])) throw new Error(`--${m[1]} wants a number, got ${value}`);
  }
  out.socket ??= process.env.LXD_SOCKET ?? join(sandbox, 'lxd', 'unix.socket');
  if (!existsSync(out.socket)) throw new Error(`no daemon socket at ${out.socket} (scripts/sandbox up lxd)`);
  if (!existsSync(cliJs)) throw new Error(`${cliJs} is missing: run \`npm run build\` first`);
  if (out.project === 'default') out.project = undefined;
  // lxtop's own arguments, and the reference client's project flag.
  // --plain 1: started as a user types it, `lxtop` without --socket (LXD_SOCKET in its environment,
  // the lxc / incus / lxtop configuration read as usual).
  out.lxtopArgs = [...(out.plain ? [] : ['--socket', out.socket]), ...(out.project ? ['--project', out.project] : [])];
  out.lxtopEnv = out.plain ? { LXD_SOCKET: out.socket } : {};
  out.projectArgs = out.project ? ['--project', out.project] : [];
  return out;
}

/** The daemon's own client (lxc, or incus for an Incus socket) pointed at the same socket. */
export function daemonCli(socket) {
  const dir = dirname(socket);
  const incus = /incus/.test(dir) || existsSync(join(dir, 'incusd.log'));
  const conf = join(sandbox, incus ? '.incus' : '.lxc');
  const env = incus
    ? { ...process.env, INCUS_DIR: dir, ...(existsSync(conf) ? { INCUS_CONF: conf } : {}) }
    : { ...process.env, LXD_DIR: dir, ...(existsSync(conf) ? { LXD_CONF: conf } : {}) };
  const bin = incus ? 'incus' : 'lxc';
  const run = (...args) => execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { bin, env, run, sandboxName: incus ? 'incus' : 'lxd', inSandbox: dirname(dir) === sandbox };
}

/** The instances on the daemon: [{ name, status }], through the built client (no lxc involved). */
export async function listInstances(socket, project) {
  const { connect } = await import(join(root, 'dist/lxd/index.js'));
  const c = await connect({ socket, project });
  try {
    return (await c.listInstances()).map((i) => ({ name: i.name, status: i.status }));
  } finally {
    await c.close();
  }
}

/**
 * At least `count` instances, `running` of them running. In the default project `scripts/sandbox
 * seed` makes them (seed-1..count); in another project (created on first use, sharing the default
 * project's images and profiles) the same names are made here through the built client. A
 * project of its own keeps other people's work on a shared daemon out of the figures.
 */
export async function ensureInstances(opts) {
  const cli = daemonCli(opts.socket);
  let list = await listInstances(opts.socket, opts.project);
  const running = () => list.filter((i) => i.status === 'Running').length;
  if (list.length >= opts.count && running() >= opts.running) return list;
  const where = opts.project ? `project ${opts.project}` : opts.socket;
  if (!cli.inSandbox) throw new Error(`${list.length} instances (${running()} running) in ${where}; want ${opts.count} (${opts.running} running)`);
  console.error(`bench: ${list.length} instances (${running()} running) in ${where}; seeding ${opts.count} / ${opts.running}`);
  if (opts.project) await seedProject(opts);
  else {
    const r = spawnSync(join(root, 'scripts/sandbox'), ['seed', cli.sandboxName, String(opts.count), String(opts.running)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/sandbox seed failed');
  }
  list = await listInstances(opts.socket, opts.project);
  if (list.length < opts.count || running() < opts.running) throw new Error(`still only ${list.length} instances, ${running()} running`);
  return list;
}

async function seedProject(opts) {
  const cli = daemonCli(opts.socket);
  try {
    cli.run('project', 'show', opts.project);
  } catch {
    cli.run('project', 'create', opts.project, '-c', 'features.images=false', '-c', 'features.profiles=false');
  }
  const { connect } = await import(join(root, 'dist/lxd/index.js'));
  const c = await connect({ socket: opts.socket, project: opts.project });
  try {
    const have = new Map((await c.listInstances()).map((i) => [i.name, i.status]));
    const todo = Array.from({ length: opts.count }, (_, i) => ({ name: `seed-${i + 1}`, start: i < opts.running }));
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const { name, start } = todo[next++];
        if (!have.has(name)) await c.waitOperation((await c.createInstance({ name, image: { alias: 'busybox' } })).id, 120);
        if (start && have.get(name) !== 'Running') await c.waitOperation((await c.changeState(name, 'start')).id, 120);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    await c.close();
  }
}

/**
 * A light, uneven CPU load in `n` running instances (a short shell loop, then a sleep), so CPU %
 * and memory change at every poll. Detached inside the instance (the exec returns at once: no exec
 * operation stays running, which lxtop would show) and bounded by `timeout` there. Returns a stop
 * function that kills exactly these loops.
 */
export function busyLoad(socket, project, instances, n, seconds) {
  const cli = daemonCli(socket);
  const p = project ? ['--project', project] : [];
  const names = instances.filter((i) => i.status === 'Running').map((i) => i.name).slice(0, n);
  // The loop's $0 marks it as ours, so that the clean-up kills exactly these processes by id.
  const marker = `lxtop-bench-busy-${process.pid}`;
  const loop = 'while :; do i=0; while [ $i -lt $((200 + $$ % 300)) ]; do i=$((i+1)); done; sleep 0.3; done';
  const detach = `timeout -s KILL ${Math.ceil(seconds)} sh -c "$1" "$2" >/dev/null 2>&1 </dev/null &`;
  for (const name of names) cli.run('exec', ...p, name, '--', 'sh', '-c', detach, 'sh', loop, marker);
  return {
    names,
    stop() {
      const find = `m=lxtop-bench-busy; m=$m-${process.pid}; for d in /proc/[0-9]*; do if tr '\\0' ' ' <$d/cmdline 2>/dev/null | grep -q " $m"; then kill -9 \${d#/proc/} 2>/dev/null; fi; done; true`;
      for (const name of names) {
        try {
          cli.run('exec', ...p, name, '--', 'sh', '-c', find);
        } catch {
          // instance gone or stopped by someone else
        }
      }
    },
  };
}

/**
 * The built CLI under node in a pseudo-terminal, in colour (TERM=xterm-256color, no NO_COLOR), its
 * output fed to a headless terminal. `onChunk(data, at)` sees every chunk with its arrival time.
 * `cli`: another build's cli.js (default dist/cli.js).
 */
export function startLxtop(args, { cols, rows, env = {}, cli = cliJs, binary = null }) {
  const childEnv = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...env };
  delete childEnv.NO_COLOR;
  delete childEnv.CI;
  delete childEnv.CONTINUOUS_INTEGRATION;
  delete childEnv.NODE_ENV;
  const t0 = performance.now();
  // LXTOP_BENCH_NODE_ARGS: extra node flags for lxtop, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.LXTOP_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  // binary: a single executable (dist/bin) started as it is, instead of node running `cli`.
  const p = pty.spawn(binary ?? process.execPath, binary ? args : [...nodeArgs, cli, ...args], { name: 'xterm-256color', cols, rows, cwd: root, env: childEnv });
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const session = {
    pty: p,
    term,
    t0,
    bytes: 0,
    /** Frames: Ink wraps each one in synchronized-output marks (ESC[?2026h … ESC[?2026l). */
    frames: 0,
    onChunk: null,
    exited: new Promise((resolve) => p.onExit(resolve)),
    screenLines() {
      const buf = term.buffer.active;
      const out = [];
      for (let y = 0; y < term.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
      return out;
    },
    flushed: () => new Promise((resolve) => term.write('', resolve)),
    async quit() {
      p.write('q');
      const t = setTimeout(() => p.kill('SIGKILL'), 3000);
      await session.exited;
      clearTimeout(t);
    },
  };
  p.onData((data) => {
    const at = performance.now();
    session.bytes += Buffer.byteLength(data, 'utf8');
    session.frames += data.split('\x1b[?2026h').length - 1;
    term.write(data, () => session.onChunk?.(data, at));
  });
  return session;
}

/** Waits until `check(lines)` holds on the emulated screen; resolves with the time of the chunk that made it so. */
export function whenScreen(session, check, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.onChunk = null;
      reject(new Error(`timed out after ${timeoutMs} ms; screen:\n${session.screenLines().join('\n')}`));
    }, timeoutMs);
    session.onChunk = (_data, at) => {
      if (!check(session.screenLines())) return;
      clearTimeout(timer);
      session.onChunk = null;
      resolve(at);
    };
  });
}

/** The first word of each table row (the NAME column), ignoring the selection marker. */
export function namesOnScreen(lines) {
  const seen = new Set();
  for (const line of lines) {
    const m = /^[>*\s]*\s([A-Za-z0-9][A-Za-z0-9.-]*)\s/.exec(` ${line}`);
    if (m) seen.add(m[1]);
  }
  return seen;
}

const clkTck = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is f[0], so utime (field 14) is f[11], stime f[12].
  return (Number(f[11]) + Number(f[12])) / clkTck;
}

/**
 * CPU seconds of a process and its waited-for children (utime + stime + cutime + cstime): for a
 * daemon, the helpers it forks and waits for (LXD's `forknet`) count.
 */
export function cpuSecondsWithChildren(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / clkTck;
}

/** CPU seconds of this process's waited-for children (cutime + cstime). */
export function childrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / clkTck;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A small aligned table: rows of cells, the first row the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('   ')).join('\n');
}

export const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

/**
 * Counts the daemon's lifecycle and operation events (in the project, default "default") while it
 * runs: on a shared daemon other people's work is drawn too, and the figures should say so.
 */
export function watchEvents(socket, project) {
  const cli = daemonCli(socket);
  const args = ['monitor', '--type', 'lifecycle', '--type', 'operation', '--format', 'json'];
  if (project) args.push('--project', project);
  const child = spawn(cli.bin, args, { env: cli.env, stdio: ['ignore', 'pipe', 'ignore'] });
  let count = 0;
  let partial = '';
  child.stdout.on('data', (b) => {
    const lines = (partial + b.toString()).split('\n');
    partial = lines.pop() ?? '';
    count += lines.filter((l) => l.trim().startsWith('{')).length;
  });
  return {
    reset: () => (count = 0),
    count: () => count,
    stop: () => child.exitCode === null && child.kill('SIGTERM'),
  };
}

/** One line about the machine's load: these are wall-clock figures on a possibly busy host. */
export function loadLine() {
  try {
    const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ');
    const cpus = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
    return `load average ${a} ${b} ${c} on ${cpus} CPUs`;
  } catch {
    return 'load average unknown';
  }
}

/**
 * The instances wanted (seeded when short), their names, the pty's rows (by default tall enough
 * for every row, so every running instance is visible, hence polled) and `ready(lines)`: the table
 * is on screen with as many rows as fit (header, tabs, status and hints take 8 lines).
 */
export async function tableSetup(opts) {
  const list = await ensureInstances(opts);
  const names = list.map((i) => i.name);
  const rows = opts.rows || names.length + 12;
  const ready = (lines) => {
    const seen = namesOnScreen(lines);
    return names.filter((n) => seen.has(n)).length >= Math.min(names.length, rows - 8);
  };
  return { list, names, rows, ready };
}
