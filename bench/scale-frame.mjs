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
import { loadApp, loadMakeInstance, mountApp, sample } from './frame-common.mjs';
import { flags, fmtMs, percentile, printTable, sleep } from './scale-common.mjs';

const opts = flags({ instances: 5000, running: 500, cols: 160, rows: 50, rounds: 3, show: '', polls: 10 });
const app = await loadApp();
const makeInstance = await loadMakeInstance();
const { createStore } = app;

const store = createStore();
const instances = Array.from({ length: opts.instances }, (_, i) => makeInstance(`fake-${i + 1}`, i, i < opts.running ? 'Running' : 'Stopped'));
store.dispatch({ type: 'instances/loaded', instances, project: 'default', at: 1000 });
store.dispatch({ type: 'rest/ok' });
store.dispatch({ type: 'events/status', status: 'connected' });
for (const at of [1000, 3000]) for (let i = 0; i < opts.running; i++) store.dispatch({ type: 'instance/sample', key: `default/fake-${i + 1}`, state: sample(i, at), at });

const { ink, stdout, key } = await mountApp(app, store, opts);
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
