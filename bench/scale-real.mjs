#!/usr/bin/env node
// lxtop against a real daemon with ≥ 300 instances: the sandbox LXD, project `scale` (seeded by
// bench/scale-seed.mjs on first use: scale-1..300, the first 20 running; a project of its own, so
// other tests listing the default project never see them). The built CLI in a real pty.
//
//   npm run build && node bench/scale-real.mjs [--project scale] [--count 300] [--running 20] [--runs 5] [--cols 160] [--rows 50]
//
// First frame: lxtop started afresh each run, time to the first rows on screen, and to the live
// view (Ink's first frame), against `lxc list --project scale --format csv` (its wall time, the
// daemon's work included), runs alternating so both see the same load; medians and the ratio
// (target ≤ 0.3×). Then, in one more session, key → frame while scrolling and filtering, and the
// peak RSS. `--json` prints the figures as JSON (bench/scale-report.mjs).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { daemonTool, ensureProject } from './scale-seed.mjs';
import { flags, fmtMs, keyLatencies, median, peakRssMiB, percentile, printTable, requireBuild, sleep, startLxtop } from './scale-common.mjs';

export async function runReal(opts) {
  const { project, count, running, runs, cols, rows } = opts;
  const tool = daemonTool('lxd');
  await ensureProject({ project, count, running });
  const firstRow = new RegExp(`^[> ][* ]${project}-1\\s`, 'm');
  const lxtopArgs = ['--socket', tool.socket, '--project', project];

  const lxtopFirst = [];
  const lxtopLive = [];
  const lxcList = [];
  let listed = 0;
  const once = async () => {
    const s = startLxtop(lxtopArgs, { cols, rows });
    const first = await s.when((x) => firstRow.test(x), 60_000);
    const live = await s.when((x) => firstRow.test(x) && !x.includes('(starting…)') && / live /.test(x), 60_000);
    await s.quit();
    return { first: first - s.t0, live: live - s.t0 };
  };
  const lxc = () => {
    const t0 = performance.now();
    const r = spawnSync(tool.bin, ['list', '--project', project, '--format', 'csv'], { env: tool.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${tool.bin} list failed: ${r.stderr}`);
    listed = r.stdout.trim().split('\n').filter(Boolean).length;
    return ms;
  };
  // One unmeasured round of each: page cache, the daemon's caches.
  await once();
  lxc();
  for (let i = 0; i < runs; i++) {
    const a = await once();
    lxtopFirst.push(a.first);
    lxtopLive.push(a.live);
    lxcList.push(lxc());
  }

  const s = startLxtop(lxtopArgs, { cols, rows });
  await s.when((x) => firstRow.test(x) && !x.includes('(starting…)') && / live /.test(x), 60_000);
  await sleep(2500);
  const k = await keyLatencies(s, { scroll: 60, pages: 5, filterText: `${project}-2` });
  const rss = peakRssMiB(s.pid);
  await s.quit();

  return {
    label: `real LXD, ${listed} instances`,
    instances: listed,
    firstPaintMs: median(lxtopFirst),
    liveMs: median(lxtopLive),
    lxcListMs: median(lxcList),
    ratio: median(lxtopFirst) / median(lxcList),
    scrollP50: percentile(k.scrollMs, 50),
    scrollP99: percentile(k.scrollMs, 99),
    filterP50: percentile(k.filterMs, 50),
    filterP99: percentile(k.filterMs, 99),
    peakRssMiB: rss,
    keys: k.scrollMs.length + k.filterMs.length,
  };
}

export function realExtraRows(results) {
  return [
    ['`lxc list --format csv` (median)', ...results.map((r) => (r.lxcListMs === undefined ? '-' : fmtMs(r.lxcListMs))), ''],
    ['first rows / lxc list', ...results.map((r) => (r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}×`)), '≤ 0.3×'],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  requireBuild();
  const argv = process.argv.slice(2).filter((a) => a !== '--json');
  const opts = flags({ project: 'scale', count: 300, running: 20, runs: 5, cols: 160, rows: 50 }, argv);
  const result = await runReal(opts);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    const { printFigures } = await import('./scale-fake.mjs');
    console.log(`bench scale-real: project ${opts.project} on the sandbox LXD, ${result.instances} instances (${opts.running} running), ${opts.cols}x${opts.rows}, ${opts.runs} runs`);
    printFigures([result], realExtraRows([result]));
  }
}

export { printTable };
