#!/usr/bin/env node
// Idle CPU with 50 running instances at the default interval (2 s): the sandbox LXD, project
// `idle50` (seeded by bench/scale-seed.mjs on first use: idle50-1..50, all running; a project of
// its own so other tests never see them), the built CLI in a real pty tall enough that every
// instance is on screen (so every one is polled). After the rows show figures and a warm-up,
// utime + stime of the lxtop process (/proc/PID/stat, all its threads) over `--seconds`; no key
// pressed. Target: ≤ 1 % of one core.
//
//   npm run build && node bench/idle-50.mjs [--project idle50] [--count 50] [--seconds 60] [--warmup 10] [--cols 160] [--rows 64]
import { fileURLToPath } from 'node:url';
import { daemonTool, ensureProject } from './scale-seed.mjs';
import { cpuSeconds, flags, printTable, requireBuild, sleep, startLxtop } from './scale-common.mjs';

export async function runIdle(opts) {
  const { project, count, seconds, warmup, cols, rows } = opts;
  const tool = daemonTool('lxd');
  await ensureProject({ project, count, running: count });
  const s = startLxtop(['--socket', tool.socket, '--project', project], { cols, rows });
  try {
    // Every instance on screen with a CPU figure (two samples each).
    const allShown = (x) => {
      const lines = x.split('\n').filter((l) => new RegExp(`^[> ][* ]${project}-\\d+\\s+Running\\s`).test(l));
      return lines.length >= count && lines.every((l) => /\d\.\d%|\d%/.test(l));
    };
    await s.when(allShown, 60_000);
    await sleep(warmup * 1000);
    const c0 = cpuSeconds(s.pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = cpuSeconds(s.pid) - c0;
    const wall = (performance.now() - t0) / 1000;
    const shown = s.screen().split('\n').filter((l) => new RegExp(`^[> ][* ]${project}-\\d+\\s+Running\\s`).test(l)).length;
    return { instances: count, visible: shown, seconds: wall, cpuSeconds: cpu, percent: (cpu / wall) * 100 };
  } finally {
    await s.quit();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  requireBuild();
  const argv = process.argv.slice(2).filter((a) => a !== '--json');
  const opts = flags({ project: 'idle50', count: 50, seconds: 60, warmup: 10, cols: 160, rows: 64 }, argv);
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
