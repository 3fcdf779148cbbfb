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
import { loadApp, loadMakeInstance, mountApp, sample } from './frame-common.mjs';
import { flags, fmtMs, percentile, printTable } from './scale-common.mjs';

const opts = flags({ events: 10000, instances: 1000, running: 100, cols: 160, rows: 50, rounds: 3, show: '', polls: 0 });
const app = await loadApp();
const makeInstance = await loadMakeInstance();
const { createStore } = app;
const store = createStore();
const instances = Array.from({ length: opts.instances }, (_, i) => makeInstance(`fake-${i + 1}`, i, i < opts.running ? 'Running' : 'Stopped'));
store.dispatch({ type: 'instances/loaded', instances, project: 'default', at: 1000 });
store.dispatch({ type: 'rest/ok' });
store.dispatch({ type: 'events/status', status: 'connected' });
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

const { ink, key } = await mountApp(app, store, opts);
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
