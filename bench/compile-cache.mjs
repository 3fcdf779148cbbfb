#!/usr/bin/env node
// What a newer Node would buy `npm i -g` users at start: `lxtop --once` client CPU and wall time on
// the machine's node (20), on Node 24 (binary/node24-*) without and with Node's module compile cache
// (NODE_COMPILE_CACHE, what module.enableCompileCache() turns on from Node 22.1), and the single
// executable (Node 24 with V8's code cache in it), in the same run, alternating, medians.
//
//   npm run build && npm run build:binary && node bench/compile-cache.mjs [--socket PATH] [--runs 15]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedNode } from '../scripts/build-binary.mjs';
import { childrenCpuSeconds, loadLine, median, options, root, table } from './tui-common.mjs';

const opts = options({ runs: 15 });
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
const node24 = pinnedNode(`node24-${arch}`, arch);
const cache = mkdtempSync(join(tmpdir(), 'lxtop-compile-cache-'));
const cli = join(root, 'dist', 'cli.js');
const args = ['--socket', opts.socket, '--once'];
const variants = [
  { label: `node ${process.version} dist/cli.js`, file: process.execPath, argv: [cli, ...args], env: {} },
  { label: 'Node 24 dist/cli.js', file: node24, argv: [cli, ...args], env: {} },
  { label: 'Node 24 dist/cli.js, compile cache', file: node24, argv: [cli, ...args], env: { NODE_COMPILE_CACHE: cache } },
  { label: 'binary (Node 24, code cache)', file: join(root, 'dist', 'bin', `lxtop-linux-${arch}`), argv: args, env: {} },
];

function once(v) {
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(v.file, v.argv, { env: { ...process.env, ...v.env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${v.label}: exit ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - t0, cpu: (childrenCpuSeconds() - c0) * 1000 };
}

try {
  console.log(`bench compile-cache: lxtop --once on ${opts.socket}, ${opts.runs} runs each after a warm-up (which fills the cache); ${loadLine()}`);
  for (const v of variants) once(v);
  const got = variants.map(() => ({ ms: [], cpu: [] }));
  for (let i = 0; i < opts.runs; i++) {
    variants.forEach((v, k) => {
      const r = once(v);
      got[k].ms.push(r.ms);
      got[k].cpu.push(r.cpu);
    });
  }
  const base = median(got[0].cpu);
  console.log(
    table([
      ['--once, median', 'wall', 'client CPU', 'CPU vs node 20'],
      ...variants.map((v, k) => [v.label, `${median(got[k].ms).toFixed(1)} ms`, `${median(got[k].cpu).toFixed(0)} ms`, `${(median(got[k].cpu) / base).toFixed(2)}x`]),
    ]),
  );
} finally {
  rmSync(cache, { recursive: true, force: true });
}
