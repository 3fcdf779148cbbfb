#!/usr/bin/env node
// Idle CPU with 50 running instances at the default interval (2 s): the sandbox LXD, project
// `idle50` (seeded by bench/scale-seed.mjs on first use: idle50-1..50, all running; a project of
// its own so other tests never see them), the built CLI in a real pty tall enough that every
// instance is on screen (so every one is polled). After the rows show figures and a warm-up,
// utime + stime of the lxtop process (/proc/PID/stat, all its threads) over `--seconds`; no key
// pressed. Target: ≤ 1 % of one core.
// `--history R`: R rounds, each measuring with the CPU history column off and on (H pressed once
// every row shows figures; the rows' sparklines then grow each poll round), in alternating order,
// one lxtop per window; the medians side by side (the machine is shared: interleaving spreads
// other people's load over both). `--fake 1`: against the fake daemon (test/support/
// fake-lxd-server.ts, `count` running instances whose CPU counters move) instead of the sandbox
// LXD: lxtop's own cost with every row refreshed at 2 s, whatever load the shared daemon is under
// (a loaded daemon's budget plan reads the 50 rows' metrics only every few minutes).
//
//   npm run build && node bench/idle-50.mjs [--project idle50] [--count 50] [--seconds 60] [--warmup 10] [--cols 160] [--rows 64] [--history 0] [--fake 0]
import { fileURLToPath } from 'node:url';
import { daemonTool, ensureProject } from './scale-seed.mjs';
import { readFileSync } from 'node:fs';
import { cpuSeconds, flags, printTable, requireBuild, sleep, startFakeDaemon, startLxtop } from './scale-common.mjs';

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * `history`: press H first (and wait for the column). `anyFigures`: wait for the rows, not for a
 * CPU figure in each (a loaded daemon's budget plan may read the metrics only every few minutes).
 */
export async function runIdle(opts, { history = false, anyFigures = false, socket = null } = {}) {
  const { project, count, seconds, warmup, cols, rows } = opts;
  let args;
  if (socket) args = ['--socket', socket];
  else {
    const tool = daemonTool('lxd');
    await ensureProject({ project, count, running: count });
    args = ['--socket', tool.socket, '--project', project];
  }
  const s = startLxtop(args, { cols, rows });
  try {
    // Every instance on screen with a CPU figure (two samples each).
    const allShown = (x) => {
      const lines = x.split('\n').filter((l) => new RegExp(`^[> ][* ]${project}-\\d+\\s+Running\\s`).test(l));
      return lines.length >= count && (anyFigures || lines.every((l) => /\d\.\d%|\d%/.test(l)));
    };
    await s.when(allShown, 60_000);
    if (history) {
      s.pty.write('H');
      await s.when((x) => x.includes('CPU HIST'), 10_000);
    }
    await sleep(warmup * 1000);
    const c0 = cpuSeconds(s.pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = cpuSeconds(s.pid) - c0;
    const wall = (performance.now() - t0) / 1000;
    const screen = s.screen();
    const rowsShown = screen.split('\n').filter((l) => new RegExp(`^[> ][* ]${project}-\\d+\\s+Running\\s`).test(l));
    const sampling = /figures \S+ every \S+(?: \(selected \S+\))?/.exec(screen)?.[0] ?? '';
    const sparklines = rowsShown.filter((l) => /[▁▂▃▄▅▆▇█]/.test(l)).length;
    return { instances: count, visible: rowsShown.length, seconds: wall, cpuSeconds: cpu, percent: (cpu / wall) * 100, sampling, sparklines };
  } finally {
    await s.quit();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  requireBuild();
  const argv = process.argv.slice(2).filter((a) => a !== '--json');
  const opts = flags({ project: 'idle50', count: 50, seconds: 60, warmup: 10, cols: 160, rows: 64, history: 0, fake: 0 }, argv);
  if (opts.history > 0) {
    const fake = opts.fake ? await startFakeDaemon({ instances: opts.count, running: opts.count, prefix: opts.project }) : null;
    const off = [];
    const on = [];
    const loads = [loadAverage()];
    try {
      for (let round = 0; round < opts.history; round++) {
        for (const withColumn of round % 2 ? [true, false] : [false, true]) {
          const r = await runIdle(opts, { history: withColumn, anyFigures: true, socket: fake?.socket });
          (withColumn ? on : off).push(r);
          console.error(
            `round ${round + 1} column ${withColumn ? 'on ' : 'off'}: ${r.percent.toFixed(2)} % (${r.visible} rows on screen, ` +
              `${withColumn ? `${r.sparklines} with a sparkline, ` : ''}header: ${r.sampling})`,
          );
        }
        loads.push(loadAverage());
      }
    } finally {
      await fake?.stop();
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const pct = (rs) => median(rs.map((r) => r.percent));
    console.log(`bench idle-50 --history: ${fake ? `the fake daemon, ${opts.count} running instances ${opts.project}-N` : `project ${opts.project} on the sandbox LXD`}, ${opts.count} running, default interval, ${opts.history} rounds × 2 × ${opts.seconds} s (alternating); load average ${loads.join(' → ')}`);
    printTable([
      ['', 'column off', 'column on (H)', 'target'],
      ['CPU, % of one core, median', `${pct(off).toFixed(2)} %`, `${pct(on).toFixed(2)} %`, '≤ 1 %'],
      ['each round', off.map((r) => r.percent.toFixed(2)).join(' '), on.map((r) => r.percent.toFixed(2)).join(' '), ''],
    ]);
    process.exit(0);
  }
  const r = await runIdle(opts);
  if (process.argv.includes('--json')) console.log(JSON.stringify(r));
  else {
    console.log(`bench idle-50: project ${opts.project} on the sandbox LXD, ${r.instances} running, ${r.visible} on screen, default interval, ${r.seconds.toFixed(0)} s`);
    printTable([
      ['', 'lxtop', 'target'],
      ['CPU, % of one core', `${r.percent.toFixed(2)} %`, '≤ 1 %'],
      ['CPU seconds', r.cpuSeconds.toFixed(2), ''],
    ]);
  }
}
