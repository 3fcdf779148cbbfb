#!/usr/bin/env node
// History memory: 1,000 instances × 30 minutes at 2 s (900 samples each) recorded by the real
// store and history (src/store bundled by esbuild as the CLI's build does), in a fresh
// `node --expose-gc` per measurement: heap used + typed arrays (arrayBuffers) and RSS after a
// collection, before the first sample and after the last. Reference in the same run: the same
// store fed the same samples with a history that records nothing (what the samples slice itself
// costs); the difference is the history's. Rounds alternate the two. Also the CPU per sample round
// of the store and the table's row selector (which the TUI runs after every round; both compute
// the rows' rates, once per sample pair), with and without the history.
// Target: ≤ 30 MB for the history.
//
//   node bench/history-memory.mjs [--instances 1000] [--samples 900] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flags, printTable, root } from './scale-common.mjs';

const self = fileURLToPath(import.meta.url);
const outdir = join(root, 'bench/out/history');

async function bundle() {
  const { build } = await import('esbuild');
  const { bundleOptions } = await import(pathToFileURL(join(root, 'scripts/bundle-options.mjs')).href);
  await build({
    ...bundleOptions(root),
    stdin: { contents: "export { createStore, createHistory, selectInstanceRows } from './src/store/index.ts';", resolveDir: root, loader: 'ts' },
    outdir,
    entryNames: 'store',
    outExtension: { '.js': '.mjs' },
  });
}

/** A running instance's `/state` as the daemon sends it (a new object each time, as parsed JSON is). */
const state = (i, at) => ({
  status: 'Running', status_code: 103, pid: 100 + i, processes: 5 + (i % 7),
  cpu: { usage: at * 1e5 * (1 + (i % 5)) },
  memory: { usage: 30e6 + i * 1000 + (at % 7919), usage_peak: 0, swap_usage: 0, swap_usage_peak: 0 },
  network: { eth0: { addresses: [], counters: { bytes_received: at * (i + 1), bytes_sent: at * 2 * (i + 1), packets_received: 0, packets_sent: 0 }, state: 'up', type: 'broadcast', mtu: 1500, hwaddr: '' } },
  disk: null,
});

async function child(mode, instances, samples) {
  const { createStore, createHistory, selectInstanceRows } = await import(pathToFileURL(join(outdir, 'store.mjs')).href);
  const history = mode === 'history' ? createHistory() : { version: 0, record() {}, series: () => undefined, keys: () => [], bytes: () => 0 };
  const store = createStore({ history });
  const T0 = Date.parse('2025-01-15T12:00:00Z');
  const list = Array.from({ length: instances }, (_, i) => ({ name: `c${i}`, status: 'Running', status_code: 103, type: 'container', project: 'default', created_at: '2025-01-01T00:00:00Z' }));
  store.dispatch({ type: 'instances/loaded', instances: list, project: 'default', at: T0 });
  // Two rounds first: the samples slice at its steady size (two samples an instance) in both modes.
  const round = (k) => {
    store.dispatch({ type: 'instance/samples', samples: list.map((x, i) => ({ key: `default/${x.name}`, at: T0 + k * 2000, state: state(i, T0 + k * 2000) })) });
    selectInstanceRows(store.getState());
  };
  round(0);
  round(1);
  const measure = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
    const m = process.memoryUsage();
    return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
  };
  const before = measure();
  const c0 = process.cpuUsage();
  for (let k = 2; k < samples; k++) round(k);
  const c = process.cpuUsage(c0);
  const after = measure();
  const points = history.keys().reduce((n, key) => n + history.series(key).length, 0);
  return { heap: after.heap - before.heap, rss: after.rss - before.rss, bytes: history.bytes(), points, cpuMsPerRound: (c.user + c.system) / 1000 / (samples - 2) };
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  console.log(JSON.stringify(await child(argv[1], Number(argv[2]), Number(argv[3]))));
} else {
  const opts = flags({ instances: 1000, samples: 900, rounds: 3 }, argv);
  await bundle();
  const runs = { history: [], none: [] };
  for (let r = 0; r < opts.rounds; r++) {
    for (const mode of r % 2 ? ['none', 'history'] : ['history', 'none']) {
      const p = spawnSync(process.execPath, ['--expose-gc', self, '--child', mode, String(opts.instances), String(opts.samples)], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`child ${mode}: ${p.stderr}`);
      runs[mode].push(JSON.parse(p.stdout));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const med = (mode, k) => median(runs[mode].map((x) => x[k]));
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  const h = runs.history[0];
  console.log(`bench history-memory: ${opts.instances} instances × ${opts.samples} samples (30 min at 2 s), ${opts.rounds} rounds, medians; ${h.points} points recorded`);
  printTable([
    ['', 'with history', 'reference (no history)', 'history alone', 'target'],
    ['heap used + typed arrays, after gc', mb(med('history', 'heap')), mb(med('none', 'heap')), mb(med('history', 'heap') - med('none', 'heap')), '≤ 30 MB'],
    ['RSS, after gc', mb(med('history', 'rss')), mb(med('none', 'rss')), mb(med('history', 'rss') - med('none', 'rss')), '≤ 30 MB'],
    ['the rings (typed arrays)', mb(h.bytes), '', '', ''],
    ['CPU per sample round (store + rows; 1 per 2 s)', `${med('history', 'cpuMsPerRound').toFixed(2)} ms`, `${med('none', 'cpuMsPerRound').toFixed(2)} ms`, `${(med('history', 'cpuMsPerRound') - med('none', 'cpuMsPerRound')).toFixed(2)} ms`, ''],
  ]);
}
