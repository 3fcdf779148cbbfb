#!/usr/bin/env node
// The events view (E) with 10,000 events, in process, with bench/scale-frame.mjs's harness: the
// App rendered by Ink into a fake terminal, keys through a fake stdin; per key the wall time from
// the key to Ink's write and the process's CPU over it. The store holds --instances fake
// instances and --events event frames (lifecycle, operation and logging, as the daemons send
// them, through the reducer as the controller's stream delivers them). Measured: scrolling and
// filtering the events view (target: filter key → frame p99 ≤ 30 ms), and, as the reference in
// the same run, filtering the instances table of the same store. Also the heap the rows take.
//
//   node --expose-gc bench/events-frame.mjs [--events 10000] [--instances 1000] [--cols 160] [--rows 50] [--rounds 3]
process.env.NODE_ENV ??= 'production';
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flags, fmtMs, percentile, printTable, root, sleep } from './scale-common.mjs';

const opts = flags({ events: 10000, instances: 1000, running: 100, cols: 160, rows: 50, rounds: 3, show: '', polls: 0 });
// The App, the store and Ink from the sources in one bundle of their own (dist/ has only the CLI),
// with the same patches and production React as the CLI's build.
const { build } = await import('esbuild');
const { inkInternals } = await import('../src/patches/ink-internals.mjs');
const { yogaWithoutFetch } = await import('../src/patches/yoga-without-fetch.mjs');
const { mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
mkdirSync(join(root, 'bench/out'), { recursive: true });
const appDir = join(root, 'bench/out/events-app');
await build({
  absWorkingDir: root,
  stdin: {
    contents: "export { App } from './src/app/App.tsx'; export { createStore } from './src/store/store.ts'; export { inkStdout } from './src/patches/ink-stdout.ts'; export { default as React } from 'react'; export { render } from 'ink';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', outdir: appDir, entryNames: 'app', outExtension: { '.js': '.mjs' }, logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.LXTOP_BUNDLED': '"1"' },
  external: ['react-devtools-core'],
  plugins: [yogaWithoutFetch, inkInternals(root)],
  banner: { js: "import { createRequire as __lxtopCreateRequire } from 'node:module'; const require = __lxtopCreateRequire(import.meta.url);" },
});
const { App, createStore, inkStdout, React, render } = await import(pathToFileURL(join(appDir, 'app.mjs')).href);
const ts = (await import('typescript')).default;
// The fake instances (as bench/scale-common.mjs transpiles them).
const out = join(root, 'bench/out/fake');
mkdirSync(out, { recursive: true });
for (const name of ['fake-server', 'fake-lxd-server']) {
  const src = readFileSync(join(root, `test/support/${name}.ts`), 'utf8');
  writeFileSync(join(out, `${name}.js`), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
}
writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
const { makeInstance } = await import(pathToFileURL(join(out, 'fake-lxd-server.js')).href);

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
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const ACTIONS = ['instance-started', 'instance-stopped', 'instance-restarted', 'instance-snapshot-created', 'instance-exec'];
const frame = (n) => {
  const name = `fake-${(n % opts.instances) + 1}`;
  const timestamp = new Date(Date.UTC(2026, 11, 6, 3, 0, 0) + n * 100).toISOString();
  if (n % 3 === 0) return { type: 'lifecycle', timestamp, location: 'none', project: 'default', metadata: { action: ACTIONS[n % ACTIONS.length], source: `/1.0/instances/${name}`, requestor: { username: 'root', address: '@', protocol: 'unix' }, context: {} } };
  if (n % 3 === 1) return { type: 'operation', timestamp, location: 'none', project: 'default', metadata: { id: `op-${n}`, class: 'task', description: 'Starting instance', status: n % 2 ? 'Running' : 'Success', status_code: 103, resources: { instances: [`/1.0/instances/${name}`] }, metadata: null, may_cancel: false, err: '', location: 'none' } };
  return { type: 'logging', timestamp, location: 'none', metadata: { message: 'Handling API request', level: 'debug', context: { method: 'GET', url: `/1.0/instances/${name}/state`, username: 'root', protocol: 'unix' } } };
};
for (let n = 0; n < opts.events; n++) store.dispatch({ type: 'event', event: frame(n), at: 5000 + n });
globalThis.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

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
const eventsScroll = [];
const eventsFilter = [];
const tableFilter = [];
for (let r = 0; r < opts.rounds; r++) {
  await key('E');
  for (let i = 0; i < 40; i++) eventsScroll.push(await key('j'));
  for (let i = 0; i < 10; i++) eventsScroll.push(await key('\x1b[6~'));
  eventsFilter.push(await key('/'));
  for (const ch of 'fake-49') eventsFilter.push(await key(ch));
  for (let i = 0; i < 7; i++) eventsFilter.push(await key('\x7f'));
  for (const ch of 'stopped') eventsFilter.push(await key(ch));
  for (let i = 0; i < 7; i++) eventsFilter.push(await key('\x7f'));
  await key('\x1b');
  await key('\x1b');
  // The reference: the instances table's filter, same keys.
  tableFilter.push(await key('/'));
  for (const ch of 'fake-49') tableFilter.push(await key(ch));
  for (let i = 0; i < 7; i++) tableFilter.push(await key('\x7f'));
  await key('\x1b');
}
ink.unmount();
const row = (label, xs) => [label, fmtMs(percentile(xs.map((x) => x.wall), 50)), fmtMs(percentile(xs.map((x) => x.wall), 99)), fmtMs(percentile(xs.map((x) => x.cpu), 50)), fmtMs(percentile(xs.map((x) => x.cpu), 99)), String(xs.length)];
console.log(`bench events-frame: ${store.getState().eventLog.length} events, ${opts.instances} instances, ${opts.cols}x${opts.rows}, in-process; load ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
printTable([['', 'wall p50', 'wall p99', 'cpu p50', 'cpu p99', 'keys'], row('events view: scrolling', eventsScroll), row('events view: filtering', eventsFilter), row('reference: instances filter', tableFilter)]);
const p99 = percentile(eventsFilter.map((x) => x.wall), 99);
console.log(`events filter key → frame p99 ${fmtMs(p99)} (target ≤ 30 ms): ${p99 <= 30 ? 'PASS' : 'FAIL'}`);
console.log(globalThis.gc ? `heap for ${opts.events} events: ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB` : 'heap for the events: run with node --expose-gc');
process.exit(0);
