#!/usr/bin/env node
// The floor under the session holder's idle cost: a bare Node process (the `ws` package, nothing of
// lxtop's) holding N exec sessions' websockets (fd 0 and control each), every session printing a
// line a second, its own CPU (process.cpuUsage) over `--seconds`. Read as the lines come, then with
// fd 0 read only every `--batch` ms (the socket handle stopped between: what read-batch.ts does
// for detached sessions), in the same run. Also an empty 20 Hz timer: what a wake-up costs here.
//
//   node bench/ws-floor.mjs [--socket $LXD_SOCKET] [--sessions 20] [--seconds 20] [--batch 2000]
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { loadavg } from 'node:os';

const args = process.argv.slice(2);
const get = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
const socket = get('--socket', process.env.LXD_SOCKET);
const sessions = Number(get('--sessions', '20'));
const seconds = Number(get('--seconds', '20'));
const batchMs = Number(get('--batch', '2000'));
const env = { ...process.env, LXD_DIR: socket.replace(/\/unix\.socket$/, '') };
const lxc = (...a) => execFileSync('lxc', a, { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const post = (path, body) =>
  new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve(JSON.parse(d)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });

async function open(name) {
  const all = [];
  const data = [];
  for (let i = 0; i < sessions; i++) {
    const command = ['sh', '-c', `i=0; while true; do i=$((i+1)); echo s${i} line $i; sleep 1; done`];
    const op = await post(`/1.0/instances/${name}/exec`, { command, 'wait-for-websocket': true, interactive: true, width: 80, height: 24 });
    const { id, metadata } = op.metadata;
    for (const fd of ['control', '0']) {
      const ws = new WebSocket(`ws+unix://${socket}:/1.0/operations/${id}/websocket?secret=${metadata.fds[fd]}`, { perMessageDeflate: false });
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      if (fd === '0') ws.on('message', () => {});
      all.push(ws);
      if (fd === '0') data.push(ws);
    }
  }
  return { all, data };
}

function cpu(fn) {
  return async () => {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    return ((c.user + c.system) / 1e4 / seconds).toFixed(2);
  };
}

const name = `ws-floor-${process.pid.toString(36)}`;
lxc('launch', 'busybox', name);
try {
  const tick = setInterval(() => {}, 50);
  const timer = await cpu(() => sleep(seconds * 1000))();
  clearInterval(tick);
  const { all, data } = await open(name);
  await sleep(3000);
  const asItComes = await cpu(() => sleep(seconds * 1000))();
  const handles = data.map((ws) => ws._socket._handle);
  for (const h of handles) h.readStop();
  const batch = setInterval(() => {
    for (const h of handles) h.readStart();
    setTimeout(() => handles.forEach((h) => h.readStop()), 50);
  }, batchMs);
  const batched = await cpu(() => sleep(seconds * 1000))();
  clearInterval(batch);
  for (const h of handles) h.readStart();
  for (const ws of all) ws.terminate();
  console.log(`bare Node, ${sessions} exec sessions a line a second each, ${seconds} s: read as it comes ${asItComes} %, read every ${batchMs} ms ${batched} % of a core; an empty 20 Hz timer ${timer} %; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  lxc('delete', '--force', name);
}
