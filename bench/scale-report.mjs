#!/usr/bin/env node
// Every scale figure of issue 6, side by side: the fake daemon with 5,000 instances
// (bench/scale-fake.mjs), the real sandbox LXD with ≥ 300 instances in project `scale`
// (bench/scale-real.mjs), and idle CPU with 50 running instances (bench/idle-50.mjs). Each in its
// own process, one after the other, so none measures another's load; the machine's load average
// is printed with them (other work on a shared machine shows in the latency tails).
//
//   npm run build && node bench/scale-report.mjs [--runs 3] [--idle-seconds 60]
import { spawnSync } from 'node:child_process';
import { loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { flags, fmtMs, printTable, requireBuild, root } from './scale-common.mjs';

requireBuild();
const opts = flags({ runs: 3, 'idle-seconds': 60 });

function run(script, args) {
  const load = loadavg()[0];
  const r = spawnSync(process.execPath, [join(root, 'bench', script), ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status})`);
  const line = r.stdout.trim().split('\n').pop();
  return { ...JSON.parse(line), load };
}

console.error('scale-report: 5,000 instances on the fake daemon…');
const fake = run('scale-fake.mjs', ['--runs', String(opts.runs)]);
console.error('scale-report: 300 instances on the sandbox LXD…');
const real = run('scale-real.mjs', ['--runs', String(Math.max(3, opts.runs))]);
console.error('scale-report: idle, 50 running instances…');
const idle = run('idle-50.mjs', ['--seconds', String(opts['idle-seconds'])]);

const both = [fake, real];
const cell = (f) => both.map(f);
console.log(`lxtop scale figures (${availableParallelism()} CPUs; load average when each started: fake ${fake.load.toFixed(1)}, real ${real.load.toFixed(1)}, idle ${idle.load.toFixed(1)})\n`);
printTable([
  ['', ...cell((r) => r.label), 'target'],
  ['first rows on screen (median)', ...cell((r) => fmtMs(r.firstPaintMs)), ''],
  ['live view, Ink (median)', ...cell((r) => fmtMs(r.liveMs)), ''],
  ['`lxc list --format csv` (median)', '-', fmtMs(real.lxcListMs), ''],
  ['first rows / lxc list', '-', `${real.ratio.toFixed(2)}×`, '≤ 0.3×'],
  ['key → frame, scrolling p50', ...cell((r) => fmtMs(r.scrollP50)), ''],
  ['key → frame, scrolling p99', ...cell((r) => fmtMs(r.scrollP99)), '≤ 30 ms'],
  ['key → frame, filtering p50', ...cell((r) => fmtMs(r.filterP50)), ''],
  ['key → frame, filtering p99', ...cell((r) => fmtMs(r.filterP99)), '≤ 30 ms'],
  ['peak RSS (VmHWM)', ...cell((r) => `${r.peakRssMiB.toFixed(0)} MiB`), '≤ 200 MB'],
]);
console.log('');
printTable([
  ['', `idle, ${idle.instances} running, default interval`, 'target'],
  ['CPU, % of one core', `${idle.percent.toFixed(2)} %`, '≤ 1 %'],
]);
