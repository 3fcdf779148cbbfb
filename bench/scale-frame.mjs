#!/usr/bin/env node
// In-process cost of one frame at 5,000 instances, without a pty or a daemon: the App, bundled from
// src/ as the build bundles it (same patches, production React; bench/out/frame/), rendered by
// Ink into a fake terminal, a store loaded with fake instances
// (test/support/fake-lxd-server.ts's makeInstance), keys fed through a fake stdin. Per key: wall
// time from the key to Ink's write, and the CPU time of the process over that span. Less noisy than
// bench/scale-fake.mjs on a busy machine (no pty, no second process); the same keys.
//
//   node bench/scale-frame.mjs [--instances 5000] [--running 500] [--cols 160] [--rows 50] [--rounds 3]
process.env.NODE_ENV ??= 'production';
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flags, fmtMs, percentile, printTable, root, sleep } from './scale-common.mjs';

const opts = flags({ instances: 5000, running: 500, cols: 160, rows: 50, rounds: 3, show: '', polls: 10 });
const imp = (p) => import(pathToFileURL(join(root, p)).href);
const ts = (await import('typescript')).default;
const { appendFileSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
// The fake instances (as bench/scale-common.mjs transpiles them).
const out = join(root, 'bench/out/fake');
mkdirSync(out, { recursive: true });
for (const name of ['fake-server', 'fake-lxd-server']) {
  const src = readFileSync(join(root, `test/support/${name}.ts`), 'utf8');
  writeFileSync(join(out, `${name}.js`), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
}
writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
const { makeInstance } = await import(pathToFileURL(join(out, 'fake-lxd-server.js')).href);
// App, store, Ink and React from one bundle: one React for Ink and the App's hooks.
const { build } = await import('esbuild');
const { inkInternals } = await imp('src/patches/ink-internals.mjs');
const { yogaWithoutFetch } = await imp('src/patches/yoga-without-fetch.mjs');
writeFileSync(
  join(out, 'frame-entry.ts'),
  [
    "export { App } from '../../../src/app/App.js';",
    "export { createStore } from '../../../src/store/store.js';",
    "export { inkStdout } from '../../../src/patches/ink-stdout.js';",
    "export { render } from 'ink';",
    "export { default as React } from 'react';",
  ].join('\n'),
);
await build({
  absWorkingDir: root,
  entryPoints: [join(out, 'frame-entry.ts')],
  outdir: join(root, 'bench/out/frame'),
  // As the build: Ink's DevTools import stays a chunk never loaded (react-devtools-core is not installed).
  splitting: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.LXTOP_BUNDLED': '"1"' },
  external: ['react-devtools-core'],
  plugins: [yogaWithoutFetch, inkInternals(root)],
  banner: { js: "import { createRequire as __lxtopCreateRequire } from 'node:module'; const require = __lxtopCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { App, createStore, inkStdout, render, React } = await imp('bench/out/frame/frame-entry.js');

const store = createStore();
const instances = Array.from({ length: opts.instances }, (_, i) => makeInstance(`fake-${i + 1}`, i, i < opts.running ? 'Running' : 'Stopped'));
store.dispatch({ type: 'instances/loaded', instances, project: 'default', at: 1000 });
store.dispatch({ type: 'rest/ok' });
store.dispatch({ type: 'events/status', status: 'connected' });
const sample = (i, at) => ({
  status: 'Running', status_code: 103, pid: 100 + i, processes: 5 + (i % 7),
  cpu: { usage: at * 1e5 * (1 + (i % 5)) },
  memory: { usage: 30e6 + i * 1000 + at * 1000, usage_peak: 0, swap_usage: 0, swap_usage_peak: 0 },
  network: { eth0: { addresses: [{ family: 'inet', address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, netmask: '24', scope: 'global' }], counters: { bytes_received: at * (i + 1), bytes_sent: at * 2 * (i + 1), packets_received: 0, packets_sent: 0 }, state: 'up', type: 'broadcast', mtu: 1500, hwaddr: '' } },
  disk: null,
});
for (const at of [1000, 3000]) for (let i = 0; i < opts.running; i++) store.dispatch({ type: 'instance/sample', key: `default/fake-${i + 1}`, state: sample(i, at), at });

class FakeOut extends EventEmitter {
  columns = opts.cols;
  rows = opts.rows;
  isTTY = true;
  writes = 0;
  bytes = 0;
  waiter = null;
  term = null;
  write(s, cb) {
    this.term?.write(String(s));
    if (process.env.SCALE_FRAME_DUMP) appendFileSync(process.env.SCALE_FRAME_DUMP, String(s));
    this.writes++;
    this.bytes += Buffer.byteLength(String(s));
    const w = this.waiter;
    this.waiter = null;
    w?.();
    if (typeof cb === 'function') cb();
    return true;
  }
}
class FakeIn extends EventEmitter {
  isTTY = true;
  buf = [];
  setRawMode() { return this; }
  setEncoding() {}
  ref() {}
  unref() {}
  resume() { return this; }
  pause() { return this; }
  read() { return this.buf.shift() ?? null; }
  press(s) { this.buf.push(s); this.emit('readable'); }
}
const stdout = new FakeOut();
const stdin = new FakeIn();
if (opts.show) {
  // --show KEYS: press these keys, print the screen, exit (a check of what is drawn).
  const xterm = (await import('@xterm/headless')).default;
  stdout.term = new xterm.Terminal({ cols: opts.cols, rows: opts.rows, allowProposedApi: true, scrollback: 0, convertEol: true });
}
const controller = new Proxy({}, { get: () => () => Promise.resolve({ ok: true, failed: [] }) });
const ink = render(React.createElement(App, { store, controller, remote: 'bench', onQuit() {}, onConsole() {}, coalesceMs: 80 }), {
  stdout: inkStdout(stdout), stdin, exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, maxFps: 30,
});
await sleep(500);

async function key(k) {
  await sleep(40); // past Ink's 30 fps throttle
  const frame = new Promise((r) => (stdout.waiter = r));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  stdin.press(k);
  await frame;
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

if (opts.show) {
  for (const k of JSON.parse(`"${opts.show}"`)) await key(k === '~' ? '\x1b[6~' : k);
  await sleep(300);
  await new Promise((r) => stdout.term.write('', r));
  const buf = stdout.term.buffer.active;
  for (let y = 0; y < opts.rows; y++) console.log(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
  process.exit(0);
}
const scroll = [];
const filter = [];
for (let r = 0; r < opts.rounds; r++) {
  for (let i = 0; i < 60; i++) scroll.push(await key('j'));
  for (let i = 0; i < 15; i++) scroll.push(await key('\x1b[6~'));
  await key('g');
  filter.push(await key('/'));
  for (const ch of 'fake-49') filter.push(await key(ch));
  for (let i = 0; i < 7; i++) filter.push(await key('\x7f'));
  await key('\x1b');
}
// A poll round: new samples for the rows on screen, drawn as one coalesced frame.
const polls = [];
for (let r = 0; r < opts.polls * opts.rounds; r++) {
  await sleep(40);
  const at = 5000 + r * 2000;
  const frame = new Promise((res) => (stdout.waiter = res));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < Math.min(opts.running, opts.rows); i++) store.dispatch({ type: 'instance/sample', key: `default/fake-${i + 1}`, state: sample(i, at), at });
  await Promise.race([frame, sleep(2000)]);
  const c = process.cpuUsage(c0);
  polls.push({ wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 });
}
ink.unmount();
const row = (label, xs) => [label, fmtMs(percentile(xs.map((x) => x.wall), 50)), fmtMs(percentile(xs.map((x) => x.wall), 99)), fmtMs(percentile(xs.map((x) => x.cpu), 50)), fmtMs(percentile(xs.map((x) => x.cpu), 99))];
console.log(`bench scale-frame: ${opts.instances} instances (${opts.running} running), ${opts.cols}x${opts.rows}, in-process, ${scroll.length + filter.length} keys`);
printTable([['', 'wall p50', 'wall p99', 'cpu p50', 'cpu p99'], row('scrolling', scroll), row('filtering', filter), row('poll round', polls)]);
if (process.env.SCALE_FRAME_DETAIL) console.log(filter.map((x) => `${x.wall.toFixed(1)}/${x.cpu.toFixed(1)}`).join(' '), '\n', scroll.map((x) => `${x.wall.toFixed(1)}/${x.cpu.toFixed(1)}`).join(' '));
if (process.env.SCALE_FRAME_DETAIL) for (const sp of (await import('node:v8')).getHeapSpaceStatistics()) console.log(sp.space_name.padEnd(28), (sp.space_size / 2 ** 20).toFixed(1).padStart(7), (sp.space_used_size / 2 ** 20).toFixed(1).padStart(7));
const sum = (xs) => xs.reduce((a, x) => a + x.cpu, 0);
console.log(`CPU in all: scrolling ${sum(scroll).toFixed(0)} ms (${scroll.length} keys), filtering ${sum(filter).toFixed(0)} ms (${filter.length} keys)`);
console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
process.exit(0);
