#!/usr/bin/env node
// Bytes on the wire: what lxtop writes to the terminal while nothing changes but metrics (what an
// SSH session carries), per refresh, against a full-screen repaint of the same screen.
//
//   npm run build && node bench/tui-bytes.mjs [--socket PATH] [--project NAME] [--seconds 60] [--runs 1] [--busy 5] [--cols 200] [--rows 60]
//
// lxtop: `node dist/cli.js --socket PATH` in a real pseudo-terminal tall enough for every row, in
// colour (TERM=xterm-256color, no NO_COLOR), at the default interval (2 s). `--busy N` instances
// run a light, uneven shell loop so their CPU % (and memory) change every poll round. After every
// name is on screen and a 5 s warm-up, every byte the program writes over `--seconds` is counted,
// and so are its frames (Ink wraps each in synchronized-output marks, ESC[?2026h … ESC[?2026l).
// Bytes per refresh = total / poll rounds (seconds / 2 s); per frame = total / frames.
// Reference, same run: a full-screen repaint of the same screen, forced at the end by a resize
// (one column narrower, then back): lxtop clears and draws the whole frame, every byte counted.
// Target: ≤ 2 KB per refresh. Lifecycle / operation events seen on the daemon during the window
// are counted: on a shared daemon other people's activity is drawn too (`--project` avoids it).
import {
  busyLoad,
  kb,
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
const intervalS = 2;
const { list, rows, ready } = await tableSetup(opts);
const warmupMs = 5000;

const running = list.filter((i) => i.status === 'Running').length;
console.log(
  `bench tui-bytes: ${opts.socket}${opts.project ? ` project ${opts.project}` : ''}, ${list.length} instances ` +
    `(${running} running, ${opts.busy} with a light load), ${opts.runs} × ${opts.seconds} s, pty ${opts.cols}×${rows}; ${loadLine()}`,
);

const load = busyLoad(opts.socket, opts.project, list, opts.busy, opts.runs * (opts.seconds + 30) + 30);
const events = watchEvents(opts.socket, opts.project);

/** Bytes written from now until the output has been quiet for `quietMs`. */
async function burst(s, quietMs = 400, maxMs = 5000) {
  const b0 = s.bytes;
  const t0 = performance.now();
  let last = s.bytes;
  let lastChange = performance.now();
  while (performance.now() - t0 < maxMs) {
    await sleep(25);
    if (s.bytes !== last) {
      last = s.bytes;
      lastChange = performance.now();
    } else if (performance.now() - lastChange >= quietMs && s.bytes > b0) break;
  }
  return s.bytes - b0;
}

async function window() {
  const s = startLxtop(opts.lxtopArgs, { cols: opts.cols, rows });
  try {
    await whenScreen(s, ready);
    await sleep(warmupMs);
    events.reset();
    const b0 = s.bytes;
    const f0 = s.frames;
    const t0 = performance.now();
    await sleep(opts.seconds * 1000);
    const bytes = s.bytes - b0;
    const frames = s.frames - f0;
    const seconds = (performance.now() - t0) / 1000;
    const seen = events.count();
    // The reference: the whole screen drawn again, at the same size.
    s.pty.resize(opts.cols - 1, rows);
    s.term.resize(opts.cols - 1, rows);
    await burst(s);
    s.pty.resize(opts.cols, rows);
    s.term.resize(opts.cols, rows);
    const repaint = await burst(s);
    return { bytes, frames, seconds, rounds: seconds / intervalS, events: seen, repaint };
  } finally {
    await s.quit();
  }
}

const results = [];
try {
  for (let i = 0; i < opts.runs; i++) results.push(await window());
} finally {
  events.stop();
  load.stop();
}
const med = (key) => median(results.map((r) => r[key]));
const perRound = median(results.map((r) => r.bytes / r.rounds));
const perFrame = median(results.map((r) => (r.frames ? r.bytes / r.frames : 0)));
const repaint = med('repaint');
console.log(
  table([
    ['', 'bytes', 'per refresh (2 s)', 'per frame'],
    [`lxtop, ${med('seconds').toFixed(0)} s, ${med('frames')} frames`, String(med('bytes')), kb(perRound), kb(perFrame)],
    [`full-screen repaint, ${opts.cols}×${rows}`, String(repaint), kb(repaint), kb(repaint)],
  ]),
);
console.log(`  daemon events during the window: ${med('events')} (other activity on the daemon, drawn too)`);
console.log(
  `  lxtop ${kb(perRound)} per refresh = ${((perRound / repaint) * 100).toFixed(1)} % of a repaint   target ≤ 2 KB: ${perRound <= 2048 ? 'PASS' : 'FAIL'}`,
);
