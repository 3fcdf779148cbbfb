#!/usr/bin/env node
// Captures screenshots/*.png of the real lxtop (dist/cli.js) on the real sandbox LXD: a project of
// its own (lxtop-shots) with shot-* instances doing real work (CPU loops, memory, IPv6 pings over
// a point-to-point NIC), driven by keys in a real pseudo-terminal (node-pty); the screen is read
// through @xterm/headless and rendered to PNG by render.mjs (HTML of the cell grid → Chromium).
// Everything it creates (instances, images, the project) is deleted at the end.
//
//   node scripts/screenshots.d/capture.mjs [--socket PATH] [--out DIR] [--only a,b] [--cols 120] [--rows 32] [--scale 2] [--keep]
//
// Shots: instances (live metrics), history (the CPU history column, H), detail (its graphs),
// images, operation (stops in progress, spinner), help, console.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pty from 'node-pty';
import xterm from '@xterm/headless';
import { snapshot, toPng } from './render.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    socket: { type: 'string' },
    out: { type: 'string', default: join(root, 'screenshots') },
    only: { type: 'string' },
    cols: { type: 'string', default: '120' },
    rows: { type: 'string', default: '32' },
    scale: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
const socket = args.socket ?? process.env.LXD_SOCKET ?? join(sandbox, 'lxd', 'unix.socket');
const cols = Number(args.cols);
const rows = Number(args.rows);
const only = args.only ? new Set(args.only.split(',')) : null;
const PROJECT = 'lxtop-shots';
const cliJs = join(root, 'dist/cli.js');
if (!existsSync(cliJs)) throw new Error(`${cliJs} is missing: npm run build`);
if (!existsSync(socket)) throw new Error(`no daemon socket at ${socket}: scripts/sandbox up lxd`);

const lxcEnv = { ...process.env, LXD_DIR: dirname(socket) };
if (existsSync(join(sandbox, '.lxc'))) lxcEnv.LXD_CONF = join(sandbox, '.lxc');
const say = (msg) => process.stderr.write(`screenshots: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `lxc SUB --project lxtop-shots ARGS...` (the project flag right after the subcommand). */
function lxc(sub, ...rest) {
  const argv = sub === 'project' ? [sub, ...rest] : [sub, '--project', PROJECT, ...rest];
  return execFileSync('lxc', argv, { env: lxcEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// ---- the scene ---------------------------------------------------------------------------------

// A CPU loop with a given duty (busy iterations, then a sleep), bounded by `timeout` in the instance.
const busy = (iterations, pause) => `while :; do i=0; while [ $i -lt ${iterations} ]; do i=$((i+1)); done; sleep ${pause}; done`;
// Memory held by a shell variable of `mb` MB (the loop keeps that shell alive).
const hold = (mb) => `x=$(head -c ${mb * 1000000} /dev/zero | tr '\\0' m); while :; do sleep 60; done`;
const SCENE = [
  { name: 'shot-web-1', ip: '10.151.0.11', work: [busy(60000, 0.9), 'ping -q -i 0.25 -s 1200 -6 ff02::1%eth0'] },
  { name: 'shot-web-2', ip: '10.151.0.12', work: [busy(30000, 0.9), 'ping -q -i 0.5 -s 600 -6 ff02::1%eth0'] },
  { name: 'shot-db', ip: '10.151.0.20', snapshots: ['nightly-1', 'nightly-2'], work: [busy(150000, 0.8), hold(48)] },
  { name: 'shot-cache', ip: '10.151.0.21', work: [busy(8000, 0.9), hold(20)] },
  { name: 'shot-worker-1', work: [busy(400000, 0.5)] },
  { name: 'shot-worker-2', work: [busy(200000, 0.7)] },
  { name: 'shot-queue', ip: '10.151.0.30', work: [busy(20000, 0.9)] },
  { name: 'shot-build', stopped: true, snapshots: ['pre-upgrade'] },
  { name: 'shot-legacy', stopped: true, snapshots: ['2024-archive', 'before-move', 'last'] },
];
const IMAGES = [
  { alias: 'web-base', from: 'shot-build', props: { os: 'busybox', release: '1.35.0', description: 'Web tier base (lxtop demo)' } },
  { alias: 'db-base', from: 'shot-legacy', props: { os: 'busybox', release: '1.35.0', description: 'Database base (lxtop demo)' } },
];

function teardown() {
  let exists = true;
  try {
    lxc('project', 'show', PROJECT);
  } catch {
    exists = false;
  }
  if (!exists) return;
  const names = lxc('list', '--format', 'csv', '-c', 'n').split('\n').filter(Boolean);
  if (names.length) {
    say(`deleting ${names.join(' ')}`);
    for (const n of names) {
      try {
        lxc('delete', '--force', n);
      } catch (err) {
        say(`delete ${n}: ${err.stderr ?? err}`);
      }
    }
  }
  for (const fp of lxc('image', 'list', '--format', 'csv', '-c', 'f').split('\n').filter(Boolean)) lxc('image', 'delete', fp);
  lxc('project', 'delete', PROJECT);
}

function setup() {
  teardown(); // what an interrupted run left behind
  say(`project ${PROJECT}: images and ${SCENE.length} instances`);
  lxc('project', 'create', PROJECT, '-c', 'features.images=true', '-c', 'features.profiles=false');
  const tarball = join(sandbox, 'busybox.tar.gz');
  if (existsSync(tarball)) lxc('image', 'import', tarball, '--alias', 'busybox');
  else lxc('image', 'copy', 'busybox', 'local:', '--target-project', PROJECT, '--alias', 'busybox');
  for (const s of SCENE) {
    lxc('init', 'busybox', s.name);
    if (s.ip) lxc('config', 'device', 'add', s.name, 'eth0', 'nic', 'nictype=p2p', 'name=eth0');
    for (const snap of s.snapshots ?? []) lxc('snapshot', s.name, snap);
  }
  for (const img of IMAGES) {
    lxc('publish', img.from, '--alias', img.alias, ...Object.entries(img.props).map(([k, v]) => `${k}=${v}`));
  }
  for (const s of SCENE) if (!s.stopped) lxc('start', s.name);
  for (const s of SCENE) {
    if (s.ip) lxc('exec', s.name, '--', 'sh', '-c', `ip addr add ${s.ip}/24 dev eth0 && ip link set eth0 up`);
  }
  // Detached in the instance (the exec returns at once, so no exec operation lingers in the
  // operations pane), bounded by `timeout`; IPv6 needs a moment (duplicate address detection)
  // before the pings get answers.
  for (const s of SCENE) {
    for (const cmd of s.work ?? []) {
      lxc('exec', s.name, '--', 'sh', '-c', 'timeout -s KILL 300 sh -c "sleep 2; $1" >/dev/null 2>&1 </dev/null &', 'work', cmd);
    }
  }
}

// ---- lxtop in a pseudo-terminal ------------------------------------------------------------------

function startLxtop(args = ['--socket', socket, '--project', PROJECT], extraEnv = {}) {
  const env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', LANG: process.env.LANG || 'C.UTF-8', ...extraEnv };
  delete env.NO_COLOR;
  delete env.CI;
  for (const [k, v] of Object.entries(extraEnv)) if (v === undefined) delete env[k];
  const argv = [cliJs, ...args];
  const p = pty.spawn(process.execPath, argv, { name: 'xterm-256color', cols, rows, cwd: root, env });
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  let cursorShown = true;
  p.onData((d) => {
    const show = d.lastIndexOf('\x1b[?25h');
    const hide = d.lastIndexOf('\x1b[?25l');
    if (show !== hide) cursorShown = show > hide;
    term.write(d);
  });
  const exited = new Promise((resolve) => p.onExit(resolve));
  const flushed = () => new Promise((r) => term.write('', r));
  const text = () => {
    const buf = term.buffer.active;
    return Array.from({ length: term.rows }, (_, y) => buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '').join('\n');
  };
  return {
    term,
    exited,
    cursorShown: () => cursorShown,
    write: (d) => p.write(d),
    resize(c, r) {
      p.resize(c, r);
      term.resize(c, r);
    },
    kill: () => p.kill('SIGKILL'),
    text,
    async waitFor(check, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await flushed();
        const t = text();
        if (typeof check === 'string' ? t.includes(check) : check instanceof RegExp ? check.test(t) : check(t)) return t;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${t}`);
        await sleep(50);
      }
    },
    /** Keys one at a time, as a person types them. */
    async keys(...ks) {
      for (const k of ks) {
        p.write(k);
        await sleep(120);
      }
    },
  };
}

const shots = [];
function shoot(s, name, title, opts = {}) {
  if (only && !only.has(name)) return;
  shots.push({ name, title, grid: snapshot(s.term, opts) });
  say(`captured ${name}`);
}

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const rowOf = (t, name) => t.split('\n').find((l) => new RegExp(`\\s${name}\\s`).test(` ${l} `)) ?? '';
const cpuOf = (t, name) => /\s(\d+(?:\.\d)?)%/.exec(rowOf(t, name))?.[1];

async function scenes() {
  const title = `lxtop --project ${PROJECT}`;
  const s = startLxtop();
  try {
    // Instances: every running instance has a CPU figure (two samples) and the pings show rates;
    // sorted by CPU, busiest first, like top.
    await s.waitFor((t) => SCENE.every((i) => rowOf(t, i.name)), 'the instance list', 30_000);
    await s.waitFor(
      (t) => ['shot-web-1', 'shot-db', 'shot-worker-1'].every((n) => Number(cpuOf(t, n)) > 0) && /\d+(\.\d+)?\s?[KM]i?B\/s/.test(t),
      'CPU % and network rates',
      40_000,
    );
    for (let i = 0; i < 12 && !/sort cpu/.test(s.text()); i++) await s.keys('>');
    if (/sort cpu↑/.test(s.text())) await s.keys('I');
    await s.waitFor(/sort cpu↓/, 'sorted by CPU');
    await sleep(2500); // one more poll round with the new order settled
    shoot(s, 'instances', title);

    // History: the CPU history column (H) once the rows have several samples, then the detail
    // view's graphs of the busiest instance (the first row, sorted by CPU).
    await s.keys('H');
    // The selected row is sampled every ~2 s; the others as the daemon budget allows (on a busy
    // daemon every minute or two), so the selected one's sparkline is the one that fills.
    await s.waitFor((t) => t.includes('CPU HIST') && t.split('\n').some((l) => l.startsWith('>') && /[▁▂▃▄▅▆▇█]{6}/.test(l)), 'the CPU history column', 30_000);
    shoot(s, 'history', `${title}  →  H`);
    await s.keys('g', '\r');
    // The instance's section comes first, then the graphs: scrolled down until the last one shows.
    await s.waitFor(/History \(the last \d+m, \d+ samples\)/, 'the detail view', 10_000);
    for (let i = 0; i < 30 && !s.text().includes('TX  max'); i++) await s.keys('j');
    await s.waitFor((t) => /History \(the last \d+m, \d+ samples\)/.test(t) && t.includes('TX  max'), 'the detail graphs', 10_000);
    shoot(s, 'detail', `${title}  →  Enter (the busiest instance)`);
    await s.keys('\x1b', 'H');
    await s.waitFor((t) => !t.includes('CPU HIST') && t.includes('shot-db'), 'the column hidden');

    // Images.
    await s.keys('2');
    await s.waitFor((t) => t.includes('web-base') && t.includes('db-base'), 'the images pane');
    shoot(s, 'images', title);

    // Help overlay, in a terminal tall enough for all of it ("lxtop keys  1-25/51": grow by the rest).
    await s.keys('1', '?');
    const help = await s.waitFor(/lxtop keys\s+1-\d+\/\d+/, 'the help overlay');
    const [, shown, total] = /lxtop keys\s+1-(\d+)\/(\d+)/.exec(help).map(Number);
    s.resize(cols, rows + Math.max(0, total - shown));
    // When it all fits the overlay drops its "1-N/M" counter.
    await s.waitFor((t) => t.includes('Force stop') && !/lxtop keys\s+1-\d+\/\d+/.test(t), 'the whole help');
    shoot(s, 'help', title);
    await s.keys('?');
    s.resize(cols, rows);
    await s.waitFor((t) => !t.includes('lxtop keys') && t.includes('shot-web-2'), 'help closed');

    // An operation in progress: mark two web instances, stop both (a graceful stop of busybox
    // takes a few seconds), and look at the operations pane while they run.
    await s.keys('/', ...'shot-web', '\r');
    await s.waitFor((t) => /Instances 2\]/.test(t) && rowOf(t, 'shot-web-2'), 'the filter');
    await s.keys('g', ' ', ' ', 'x');
    await s.keys('3');
    await s.waitFor((t) => /Stopping/i.test(t) && SPINNER.test(t), 'running operations with a spinner', 10_000);
    await sleep(400);
    shoot(s, 'operation', title);
    await s.waitFor((t) => !SPINNER.test(t), 'the stops to finish', 30_000);
    await s.keys('1', '\x1b');
    await s.waitFor((t) => t.includes('shot-db'), 'the filter cleared');

    // Events (E): the flight recorder, the two stops just made among its lifecycle events.
    await s.keys('E');
    await s.waitFor((t) => /Events \d+, newest first/.test(t) && /instance-(shutdown|stopped)/.test(t), 'the events view', 10_000);
    shoot(s, 'events', `${title}  →  E`);
    await s.keys('\x1b');
    await s.waitFor((t) => !/newest first/.test(t) && t.includes('shot-db'), 'events closed');

    // Storage (8): the pools with their use, read from /resources.
    await s.keys('8');
    await s.waitFor((t) => /Storage pools: \d+/.test(t) && /\d+%/.test(t), 'the storage view', 15_000);
    shoot(s, 'storage', `${title}  →  8`);
    await s.keys('\x1b');
    await s.waitFor((t) => !/Storage pools:/.test(t) && t.includes('shot-db'), 'storage closed');

    // Console: a shell in shot-db, a couple of commands with real output.
    await s.keys('/', ...'shot-db', '\r');
    await s.waitFor((t) => /Instances 1\]/.test(t) && rowOf(t, 'shot-db'), 'the filter on shot-db');
    // Files (F): shot-db's /etc, a directory at a time.
    await s.keys('g', 'F');
    await s.waitFor(/Files of shot-db: \/ \(\d+\)/, 'the files view', 15_000);
    for (let i = 0; i < 40 && !/^>\s*etc\b/m.test(s.text()); i++) await s.keys('j');
    await s.keys('\r');
    await s.waitFor((t) => /Files of shot-db: \/etc \(\d+\)/.test(t) && t.includes('passwd'), 'the files of /etc', 15_000);
    shoot(s, 'files', `${title}  →  F (shot-db's files), /etc`);
    await s.keys('\x1b');
    await s.waitFor((t) => !/Files of/.test(t) && rowOf(t, 'shot-db'), 'files closed');
    // Logs (l): shot-db's lxc.log, a search for "attach" highlighted.
    await s.keys('g', 'l');
    await s.waitFor((t) => /lxc\.log of shot-db\s+\d+-\d+\/\d+/.test(t), 'the logs view', 15_000);
    await s.keys('/', ...'attach', '\r');
    await s.waitFor(/\/attach \(line \d+\)/, 'the search', 5000);
    shoot(s, 'logs', `${title}  →  l (shot-db's log), /attach`);
    await s.keys('q');
    await s.waitFor((t) => !/lxc\.log of/.test(t) && rowOf(t, 'shot-db'), 'logs closed');
    await s.keys('g', 'e');
    await s.waitFor(/#\s*$/m, 'the shell prompt', 20_000);
    const cmd = 'hostname; uptime; ps -o pid,user,comm; free -m | head -2\r';
    for (const ch of cmd) {
      s.write(ch);
      await sleep(15);
    }
    await s.waitFor((t) => /Mem:/.test(t) && /#\s*$/m.test(t.trimEnd()), 'the command output', 15_000);
    await sleep(300);
    shoot(s, 'console', `lxtop --project ${PROJECT}  →  e (shell in shot-db)`, { cursor: s.cursorShown() });
    await s.keys('exit\r');
    await s.waitFor((t) => t.includes('NAME') && t.includes('shot-db'), 'the panes back', 20_000);
    await s.keys('q');
    await Promise.race([s.exited, sleep(5000)]);
  } finally {
    s.kill();
  }
}

// ---- the fleet view: the LXD project above, the sandbox Incus, and a remote that is away -------

const incusSocket = join(sandbox, 'incus', 'unix.socket');
const incusEnv = { ...process.env, INCUS_DIR: dirname(incusSocket) };
delete incusEnv.INCUS_SOCKET;
if (existsSync(join(sandbox, '.incus'))) incusEnv.INCUS_CONF = join(sandbox, '.incus');
// In a project of its own on Incus too: the sandbox's default project holds other people's instances.
const incus = (sub, ...rest) =>
  execFileSync('incus', sub === 'project' ? [sub, ...rest] : [sub, '--project', PROJECT, ...rest], {
    env: incusEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const EDGE = [
  { name: 'shot-edge-1', work: busy(40000, 0.9) },
  { name: 'shot-edge-2', work: busy(90000, 0.8) },
  { name: 'shot-edge-3', stopped: true },
];

function fleetTeardown() {
  for (const e of EDGE) {
    try {
      incus('delete', '--force', e.name);
    } catch {
      // not there
    }
  }
  try {
    incus('project', 'delete', PROJECT);
  } catch {
    // not there
  }
}

async function fleetScene() {
  if (only && !only.has('fleet')) return;
  if (!existsSync(incusSocket)) throw new Error(`no Incus socket at ${incusSocket}: scripts/sandbox up incus`);
  fleetTeardown();
  incus('project', 'create', PROJECT, '-c', 'features.images=false', '-c', 'features.profiles=false');
  for (const e of EDGE) {
    incus('init', 'busybox', e.name);
    if (!e.stopped) incus('start', e.name);
    if (e.work) incus('exec', e.name, '--', 'sh', '-c', 'timeout -s KILL 300 sh -c "$1" >/dev/null 2>&1 </dev/null &', 'work', e.work);
  }
  const home = mkdtempSync(join(tmpdir(), 'lxtop-shots-'));
  mkdirSync(join(home, 'lxtop'));
  writeFileSync(
    join(home, 'lxtop', 'config.yml'),
    [
      'default-remote: lab',
      'remotes:',
      `  lab: { addr: "unix://${socket}", protocol: lxd, project: ${PROJECT} }`,
      `  edge: { addr: "unix://${incusSocket}", protocol: incus, project: ${PROJECT} }`,
      `  backup: { addr: "unix://${join(home, 'backup.socket')}", protocol: lxd }`,
      '',
    ].join('\n'),
  );
  const env = { HOME: home, LXTOP_CONF: join(home, 'lxtop'), LXD_CONF: join(home, 'lxc'), INCUS_CONF: join(home, 'incus'), LXD_SOCKET: undefined, INCUS_SOCKET: undefined };
  const s = startLxtop(['lab:', 'edge:', 'backup:'], env);
  try {
    await s.waitFor((t) => /backup offline/.test(t) && /edge Incus \S+ live/.test(t) && rowOf(t, 'shot-edge-1') && rowOf(t, 'shot-db'), 'the fleet', 30_000);
    await s.waitFor((t) => ['shot-edge-1', 'shot-db'].every((n) => Number(cpuOf(t, n)) > 0), 'CPU % on both remotes', 30_000);
    await sleep(2500);
    shoot(s, 'fleet', 'lxtop lab: edge: backup:');
    await s.keys('q');
    await Promise.race([s.exited, sleep(5000)]);
  } finally {
    s.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

let failed = null;
try {
  setup();
  await scenes();
  await fleetScene();
} catch (err) {
  failed = err;
} finally {
  if (!args.keep) {
    try {
      teardown();
      if (!only || only.has('fleet')) fleetTeardown();
    } catch (err) {
      say(`clean-up: ${err.stderr ?? err}`);
    }
  }
}
mkdirSync(args.out, { recursive: true });
for (const shot of shots) {
  const out = join(args.out, `${shot.name}.png`);
  toPng(shot.grid, shot.title, out, { scale: Number(args.scale) });
  say(`wrote ${out}`);
}
if (failed) {
  process.stderr.write(`screenshots: ${failed.stack ?? failed}\n`);
  process.exit(1);
}
