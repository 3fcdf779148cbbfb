#!/usr/bin/env node
// lxtop against a server with 5,000 instances: the fake daemon (test/support/fake-lxd-server.ts, in
// a child process; objects shaped like LXD 5's, ~1.7 KB each) and the built CLI in a real pty.
//
//   npm run build && node bench/scale-fake.mjs [--instances 5000] [--running 500] [--cols 160] [--rows 50] [--runs 3]
//
// Per run, a fresh lxtop: time to the first rows on screen (the plain first paint), to the live
// view (Ink's first frame), then key → frame while scrolling (j, PgDn) and filtering (`/` + text,
// then Backspace), then the peak RSS (VmHWM) of the lxtop process. Targets: key → frame p99
// ≤ 30 ms, peak RSS ≤ 200 MB. `--json` prints the figures as JSON (bench/scale-report.mjs).
import { fileURLToPath } from 'node:url';
import {
  fmtMs,
  flags,
  keyLatencies,
  median,
  peakRssMiB,
  percentile,
  printTable,
  requireBuild,
  sleep,
  startFakeDaemon,
  startLxtop,
} from './scale-common.mjs';

export async function runFake(opts) {
  const { instances, running, cols, rows, runs } = opts;
  const daemon = await startFakeDaemon({ instances, running, prefix: 'fake' });
  const first = [];
  const live = [];
  const rss = [];
  const scroll = [];
  const filter = [];
  try {
    for (let r = 0; r < runs; r++) {
      const s = startLxtop(['--socket', daemon.socket], { cols, rows });
      const firstAt = await s.when((x) => /^[> ][* ]fake-1\s/m.test(x), 60_000);
      const liveAt = await s.when((x) => /^[> ][* ]fake-1\s/m.test(x) && x.includes(`${instances} instances`) && !x.includes('(starting…)') && / live /.test(x), 60_000);
      first.push(firstAt - s.t0);
      live.push(liveAt - s.t0);
      await sleep(2500); // a poll round or two: figures in the visible rows
      const k = await keyLatencies(s, { scroll: 60, pages: 15, filterText: 'fake-49' });
      scroll.push(...k.scrollMs);
      filter.push(...k.filterMs);
      rss.push(peakRssMiB(s.pid));
      await s.quit();
    }
  } finally {
    await daemon.stop();
  }
  return {
    label: `fake, ${instances.toLocaleString('en')} instances`,
    instances,
    firstPaintMs: median(first),
    liveMs: median(live),
    scrollP50: percentile(scroll, 50),
    scrollP99: percentile(scroll, 99),
    filterP50: percentile(filter, 50),
    filterP99: percentile(filter, 99),
    peakRssMiB: Math.max(...rss),
    keys: scroll.length + filter.length,
  };
}

export function printFigures(results, extra = []) {
  const col = (f) => results.map(f);
  printTable([
    ['', ...col((r) => r.label), 'target'],
    ['first rows on screen (median)', ...col((r) => fmtMs(r.firstPaintMs)), ''],
    ['live view, Ink (median)', ...col((r) => fmtMs(r.liveMs)), ''],
    ...extra,
    ['key → frame, scrolling p50', ...col((r) => fmtMs(r.scrollP50)), ''],
    ['key → frame, scrolling p99', ...col((r) => fmtMs(r.scrollP99)), '≤ 30 ms'],
    ['key → frame, filtering p50', ...col((r) => fmtMs(r.filterP50)), ''],
    ['key → frame, filtering p99', ...col((r) => fmtMs(r.filterP99)), '≤ 30 ms'],
    ['peak RSS (VmHWM)', ...col((r) => `${r.peakRssMiB.toFixed(0)} MiB`), '≤ 200 MB'],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  requireBuild();
  const argv = process.argv.slice(2).filter((a) => a !== '--json');
  const opts = flags({ instances: 5000, running: 500, cols: 160, rows: 50, runs: 3 }, argv);
  const result = await runFake(opts);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(`bench scale-fake: ${opts.instances} instances (${opts.running} running), ${opts.cols}x${opts.rows}, ${opts.runs} runs, ${result.keys} keys timed`);
    printFigures([result]);
  }
}
