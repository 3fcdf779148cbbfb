#!/usr/bin/env node
// Idle CPU: what lxtop costs while it sits on screen, polling at the default interval (2 s).
//
//   npm run build && node bench/tui-idle.mjs [--socket PATH] [--project NAME] [--seconds 60] [--runs 1] [--busy 5] [--cols 200] [--rows 60]
//
// lxtop: `node dist/cli.js --socket PATH` in a real pseudo-terminal tall enough for every row (so
// every running instance is visible, hence polled), its output read by @xterm/headless. After every
// name is on screen and a 5 s warm-up (two poll rounds: CPU % needs two samples), utime + stime of
// the lxtop process (/proc/PID/stat, all threads; the pty child is node itself) are read before
// and after `--seconds`; no key is pressed. `--busy N` instances run a light, uneven shell loop so
// their CPU % changes every round and lxtop really redraws (0: a fully idle daemon).
// References, same run: `top -d 2` in a pseudo-terminal of the same size over the same window
// (an htop-style monitor refreshing as often), and the CPU of one `lxc list --format csv` (its
// user + system time, the daemon's work not included), scaled to one call every 2 s.
// Target: lxtop ≤ 1 % of one core. Lifecycle / operation events seen on the daemon during the
// window are counted: on a shared daemon other people's activity is drawn too.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import pty from 'node-pty';
import {
  busyLoad,
  childrenCpuSeconds,
  cpuSeconds,
  daemonCli,
  loadLine,
  median,
  options,
  sleep,
  startLxtop,
  tableSetup,
  table,
  watchEvents,
  whenScreen,
} from './tui-common.mjs';

const opts = options({ seconds: 60, runs: 1, busy: 5, rows: 0 });
const cli = daemonCli(opts.socket);
const { list, rows, ready } = await tableSetup(opts);
const topBin = ['/usr/bin/top', '/bin/top'].find((p) => existsSync(p));
const warmupMs = 5000;

const running = list.filter((i) => i.status === 'Running').length;
console.log(
  `bench tui-idle: ${opts.socket}${opts.project ? ` project ${opts.project}` : ''}, ${list.length} instances (${running} running, ${opts.busy} with a light load), ` +
    `${opts.runs} × ${opts.seconds} s, pty ${opts.cols}×${rows}; ${loadLine()}`,
);

const load = busyLoad(opts.socket, opts.project, list, opts.busy, opts.runs * (opts.seconds + 30) + 30);
const events = watchEvents(opts.socket, opts.project);

async function window() {
  const s = startLxtop(opts.lxtopArgs, { cols: opts.cols, rows });
  let top = null;
  try {
    await whenScreen(s, ready);
    if (topBin) {
      top = pty.spawn(topBin, ['-d', '2'], { name: 'xterm-256color', cols: opts.cols, rows, env: { ...process.env, TERM: 'xterm-256color' } });
      top.onData(() => undefined);
    }
    await sleep(warmupMs);
    events.reset();
    const frames0 = s.frames;
    const t0 = performance.now();
    const c0 = cpuSeconds(s.pty.pid);
    const k0 = top ? cpuSeconds(top.pid) : 0;
    await sleep(opts.seconds * 1000);
    const c1 = cpuSeconds(s.pty.pid);
    const k1 = top ? cpuSeconds(top.pid) : 0;
    const wall = (performance.now() - t0) / 1000;
    return { lxtop: c1 - c0, top: k1 - k0, wall, frames: s.frames - frames0, events: events.count() };
  } finally {
    top?.kill('SIGKILL');
    await s.quit();
  }
}

function lxcCpu() {
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(cli.bin, ['list', ...opts.projectArgs, '--format', 'csv'], { env: cli.env, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cli.bin} list failed: ${r.stderr}`);
  return { cpu: childrenCpuSeconds() - c0, wall };
}

const results = [];
try {
  for (let i = 0; i < opts.runs; i++) results.push(await window());
} finally {
  events.stop();
  load.stop();
}
const calls = Array.from({ length: 5 }, lxcCpu);
const lxcCall = median(calls.map((c) => c.cpu));

const pct = (cpu, wall) => `${((cpu / wall) * 100).toFixed(2)} %`;
const med = (key) => median(results.map((r) => r[key]));
const wall = med('wall');
const ours = med('lxtop');
const rowsOut = [
  ['', 'CPU seconds', '% of one core'],
  [`lxtop, ${wall.toFixed(0)} s at the 2 s interval (${med('frames')} frames)`, ours.toFixed(2), pct(ours, wall)],
];
if (topBin) rowsOut.push([`top -d 2, same window and size`, med('top').toFixed(2), pct(med('top'), wall)]);
rowsOut.push([`${cli.bin} list --format csv, one call`, lxcCall.toFixed(3), `${pct(lxcCall, 2)} if run every 2 s`]);
console.log(table(rowsOut));
console.log(`  daemon events during the window: ${med('events')} (other activity on the daemon, drawn too)`);
const p = (ours / wall) * 100;
console.log(`  lxtop idle CPU ${p.toFixed(2)} % of one core   target ≤ 1 %: ${p <= 1 ? 'PASS' : 'FAIL'}`);
