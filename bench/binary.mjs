#!/usr/bin/env node
// The single executable (dist/bin/lxtop-linux-<arch>, Node 24) against `node dist/cli.js` (the
// machine's node), same run, same daemon:
// - start → every instance name on screen, in a real pseudo-terminal (target: binary ≤ 1.0×);
// - `--once`: wall time and client CPU (user + system of the process, waited for);
// - the binary's size and its .tar.xz (goal: compressed ≤ 45 MB).
//
//   npm run build && npm run build:binary && node bench/binary.mjs [--socket PATH] [--runs 10] [--count 12]
//
// The instances are made for the run in a project of its own (so others' work on a shared daemon
// does not change what must be on screen), half of them running, and removed at the end.
// Runs alternate (binary, node, binary, …) after one unmeasured warm-up of each.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { childrenCpuSeconds, cpuSeconds, daemonCli, loadLine, median, namesOnScreen, options, root, startLxtop, table } from './tui-common.mjs';

const opts = options({ runs: 10, count: 12 });
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
const binary = join(root, 'dist', 'bin', `lxtop-linux-${arch}`);
if (!existsSync(binary)) throw new Error(`${binary} is missing: npm run build:binary first`);
const cli = daemonCli(opts.socket);
const project = `bench-bin-${process.pid.toString(36)}`;
const names = Array.from({ length: opts.count }, (_, i) => `bb${i}-${process.pid.toString(36)}`);
const tool = (...args) => {
  const r = spawnSync(cli.bin, args, { env: cli.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cli.bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const args = ['--socket', opts.socket, '--project', project];
const env = { NO_COLOR: '1' };

async function firstFrame(which) {
  const s = startLxtop(args, { cols: opts.cols, rows: names.length + 14, env, binary: which === 'binary' ? binary : null });
  try {
    const hit = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${which}: not every name on screen after 20 s:\n${s.screenLines().join('\n')}`)), 20_000);
      s.onChunk = (_data, at) => {
        if (!names.every((n) => namesOnScreen(s.screenLines()).has(n))) return;
        clearTimeout(timer);
        resolve({ ms: at - s.t0, cpu: cpuSeconds(s.pty.pid) * 1000 });
      };
    });
    return hit;
  } finally {
    s.onChunk = null;
    await s.quit();
  }
}

function once(which) {
  const [file, argv] = which === 'binary' ? [binary, args] : [process.execPath, [join(root, 'dist', 'cli.js'), ...args]];
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(file, [...argv, '--once'], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !names.every((n) => r.stdout.includes(n))) throw new Error(`${which} --once: exit ${r.status}: ${r.stderr}`);
  return { ms, cpu: (childrenCpuSeconds() - c0) * 1000 };
}

try {
  tool('project', 'create', project, '-c', 'features.images=false', '-c', 'features.profiles=false');
  for (const [i, n] of names.entries()) {
    tool('init', process.env.LXTOP_TEST_IMAGE || 'busybox', n, '--project', project);
    if (i % 2 === 0) tool('start', n, '--project', project);
  }
  console.log(`bench binary: ${binary.slice(root.length)} (Node 24) vs node dist/cli.js (node ${process.version}); ${opts.socket}, ${names.length} instances (${Math.ceil(names.length / 2)} running) in project ${project}, ${opts.runs} runs each; ${loadLine()}`);
  const results = { frame: { binary: [], node: [] }, frameCpu: { binary: [], node: [] }, once: { binary: [], node: [] }, onceCpu: { binary: [], node: [] } };
  for (const w of ['binary', 'node']) {
    await firstFrame(w);
    once(w);
  }
  for (let i = 0; i < opts.runs; i++) {
    for (const w of ['binary', 'node']) {
      const f = await firstFrame(w);
      const o = once(w);
      results.frame[w].push(f.ms);
      results.frameCpu[w].push(f.cpu);
      results.once[w].push(o.ms);
      results.onceCpu[w].push(o.cpu);
    }
  }
  const ms = (x) => `${x.toFixed(1)} ms`;
  const row = (label, key) => [label, ms(median(results[key].binary)), ms(median(results[key].node)), `${(median(results[key].binary) / median(results[key].node)).toFixed(2)}x`];
  console.log(
    table([
      ['median of each', 'binary', 'node dist/cli.js', 'binary / node'],
      row('start → every name on screen', 'frame'),
      row('  client CPU up to that frame', 'frameCpu'),
      row('--once wall', 'once'),
      row('--once client CPU', 'onceCpu'),
    ]),
  );
  const frameRatio = median(results.frame.binary) / median(results.frame.node);
  console.log(`  start → every name: binary / node ${frameRatio.toFixed(2)}x   target ≤ 1.00x: ${frameRatio <= 1 ? 'PASS' : 'FAIL'}`);
  const mb = (f) => (statSync(f).size / 1e6).toFixed(1);
  const xz = statSync(`${binary}.tar.xz`).size / 1e6;
  console.log(`  size: ${mb(binary)} MB binary, ${xz.toFixed(1)} MB .tar.xz   goal compressed ≤ 45 MB: ${xz <= 45 ? 'PASS' : 'FAIL'}`);
} finally {
  for (const n of names) spawnSync(cli.bin, ['delete', '--force', n, '--project', project], { env: cli.env, stdio: 'ignore' });
  spawnSync(cli.bin, ['project', 'delete', project], { env: cli.env, stdio: 'ignore' });
}
