#!/usr/bin/env node
// Start-up: process start → the first frame on screen that shows EVERY instance name, against
// `lxc list --format csv` (`incus list` for Incus) on the same daemon, same run.
//
//   npm run build && node bench/tui-first-frame.mjs [--socket PATH] [--project NAME] [--runs 10] [--cols 200] [--rows 60] [--plain 1]
//
// lxtop: `node dist/cli.js --socket PATH` spawned in a real pseudo-terminal (node-pty) tall enough
// for every row; its output is fed to @xterm/headless and the clock stops at the arrival of the
// chunk after which every instance name (listed just before the spawn) is on the emulated screen.
// Each run quits lxtop with `q` before the reference runs, so the two never share the daemon.
// lxc: wall time of `lxc list --format csv` (LXD_DIR = the socket's directory) to its exit.
// Runs alternate (lxtop, lxc, lxtop, …) after one unmeasured warm-up of each. Target: the lxtop
// median ≤ 0.5 × the lxc median. Needs ≥ 40 instances, ≥ 20 running (seeded when short). The
// client CPU column is the user + system time each client used (lxtop: up to that frame).
import { spawnSync } from 'node:child_process';
import { childrenCpuSeconds, cpuSeconds, daemonCli, ensureInstances, listInstances, loadLine, median, namesOnScreen, options, startLxtop, table } from './tui-common.mjs';

const opts = options({ runs: 10, rows: 0 });
const cli = daemonCli(opts.socket);
const first = await ensureInstances(opts);

async function lxtopRun() {
  // What must be on screen: the instances that exist now. On a shared daemon others may delete one
  // meanwhile: then the instances that existed before and after the run count, and the frame is
  // found again in the screens recorded after every chunk.
  const before = (await listInstances(opts.socket, opts.project)).map((i) => i.name);
  const rows = Math.max(opts.rows, before.length + 12);
  const s = startLxtop(opts.lxtopArgs, { cols: opts.cols, rows, env: opts.lxtopEnv });
  const history = [];
  const found = (names) => history.find((h) => names.every((n) => h.seen.has(n)));
  try {
    const done = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 10_000);
      s.onChunk = (_data, at) => {
        const h = { at, seen: namesOnScreen(s.screenLines()), cpu: cpuSeconds(s.pty.pid) * 1000 };
        history.push(h);
        if (before.every((n) => h.seen.has(n))) {
          clearTimeout(timer);
          resolve(h);
        }
      };
    });
    let hit = done;
    let names = before;
    if (!hit) {
      const after = new Set((await listInstances(opts.socket, opts.project)).map((i) => i.name));
      names = before.filter((n) => after.has(n));
      hit = found(names);
      if (!hit) throw new Error(`no frame showed all of ${names.length} instances; last screen:\n${s.screenLines().join('\n')}`);
    }
    return { ms: hit.at - s.t0, cpu: hit.cpu, rows: names.length };
  } finally {
    s.onChunk = null;
    await s.quit();
  }
}

function cliRun() {
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(cli.bin, ['list', ...opts.projectArgs, '--format', 'csv'], { env: cli.env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cli.bin} list failed: ${r.stderr}`);
  return { ms, cpu: (childrenCpuSeconds() - c0) * 1000, rows: r.stdout.trim().split('\n').filter(Boolean).length };
}

const running = first.filter((i) => i.status === 'Running').length;
console.log(`bench tui-first-frame: ${opts.plain ? 'plain `lxtop`, LXD_SOCKET=' : ''}${opts.socket}${opts.project ? ` project ${opts.project}` : ''}, ${first.length} instances (${running} running), ${opts.runs} runs each, pty ${opts.cols} cols; ${loadLine()}`);
await lxtopRun();
cliRun();
const ours = [];
const theirs = [];
const oursCpu = [];
const theirsCpu = [];
for (let i = 0; i < opts.runs; i++) {
  const a = await lxtopRun();
  const b = cliRun();
  ours.push(a.ms);
  theirs.push(b.ms);
  oursCpu.push(a.cpu);
  theirsCpu.push(b.cpu);
  if (process.env.BENCH_VERBOSE) console.error(`  run ${i + 1}: lxtop ${a.ms.toFixed(1)} ms (${a.rows} names), ${cli.bin} ${b.ms.toFixed(1)} ms (${b.rows} rows)`);
}
const ms = (x) => `${x.toFixed(1)} ms`;
const mo = median(ours);
const mt = median(theirs);
console.log(
  table([
    ['', 'median', 'min', 'max', 'client CPU (median)'],
    ['lxtop: start → every name on screen', ms(mo), ms(Math.min(...ours)), ms(Math.max(...ours)), ms(median(oursCpu))],
    [`${cli.bin} list --format csv`, ms(mt), ms(Math.min(...theirs)), ms(Math.max(...theirs)), ms(median(theirsCpu))],
  ]),
);
const ratio = mo / mt;
console.log(`  ratio lxtop / ${cli.bin}: ${ratio.toFixed(2)}x   target ≤ 0.50x: ${ratio <= 0.5 ? 'PASS' : 'FAIL'}`);
