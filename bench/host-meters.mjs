#!/usr/bin/env node
// What the host meters (and the warnings count) cost the daemons (issue 14, parts 4 and 5).
//
//   npm run build && node bench/host-meters.mjs [--daemons private,lxd,incus,cluster] [--requests 20]
//       [--rounds 3] [--seconds 40] [--only requests|tui]
//
// `private`: an LXD of the bench's own (its own LXD_DIR under /tmp, a dir pool; root, the lxd
// binary), which nobody else uses, so its CPU is lxtop's alone: the clean end-to-end figure. The
// sandbox daemons (lxd, incus, cluster) are shared: other people's tests add to their windows, so
// the minimum over the windows is printed beside the median (that noise only ever adds).
//
// 1. Per request: `--requests` sequential requests of each kind the meters and the warnings make,
//    the daemon's CPU (utime+stime+cutime+cstime of its pid, /proc/PID/stat; on the cluster both
//    members' daemons, since m1 forwards a `?target=m2` read and m2 computes it) around them, less
//    the same daemon's CPU over an idle window of the same length just before (other people's
//    tests run on the shared daemons). Printed per request, medians over `--rounds`.
// 2. End to end, same run: the built lxtop idle in a pty on an empty project of its own, with the
//    meters on (120×30) and off (120×16: too short for them, so they are not read), interleaved
//    A/B, `--rounds` windows of `--seconds` each; daemon CPU per window as % of one core, medians.
//    Both runs read the warnings and the members the same way: the difference is the meters.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { cpuSecondsWithChildren, median, sleep, startLxtop, table, whenScreen } from './tui-common.mjs';

const argv = process.argv.slice(2);
const opt = { daemons: 'private,lxd,incus,cluster', requests: 20, rounds: 3, seconds: 40, only: '' };
for (let i = 0; i < argv.length; i++) {
  const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
  if (!m || !(m[1] in opt)) throw new Error(`unknown argument ${argv[i]} (flags: ${Object.keys(opt).map((k) => `--${k}`).join(' ')})`);
  const v = m[2] ?? argv[++i];
  opt[m[1]] = typeof opt[m[1]] === 'number' ? Number(v) : v;
}
const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';
const pidOf = (dir) => Number(readFileSync(join(sandbox, dir, 'daemon.pid'), 'utf8').trim());
const DAEMONS = {
  // private: set by privateLxd().
  lxd: { socket: join(sandbox, 'lxd/unix.socket'), pids: () => [pidOf('lxd')] },
  incus: { socket: join(sandbox, 'incus/unix.socket'), pids: () => [pidOf('incus')] },
  cluster: { socket: join(sandbox, 'cluster1/unix.socket'), pids: () => [pidOf('cluster1'), pidOf('cluster2')] },
};
/** What one round of the meters asks each kind of daemon (see src/store/host-meters.ts). */
const REQUESTS = {
  private: ['/1.0/resources', '/1.0/storage-pools', '/1.0/storage-pools/default/resources', '/1.0/warnings?recursion=1'],
  lxd: ['/1.0/resources', '/1.0/storage-pools', '/1.0/storage-pools/default/resources', '/1.0/warnings?recursion=1'],
  incus: ['/1.0/resources', '/1.0/cluster/members/none/state', '/1.0/warnings?recursion=1'],
  cluster: ['/1.0/resources?target=m1', '/1.0/resources?target=m2', '/1.0/storage-pools/default/resources?target=m1', '/1.0/storage-pools/default/resources?target=m2', '/1.0/warnings?recursion=1'],
};

function get(socket, path, method = 'GET', body) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cpu = (pids) => pids.map(cpuSecondsWithChildren).reduce((a, b) => a + b, 0);

/** Daemon CPU seconds per request of `path`, less an idle window as long as the requests took. */
async function perRequest(d, path) {
  const pids = d.pids();
  let t = performance.now();
  let c = cpu(pids);
  for (let i = 0; i < opt.requests; i++) await get(d.socket, path);
  const took = performance.now() - t;
  const used = cpu(pids) - c;
  t = performance.now();
  c = cpu(pids);
  await sleep(took);
  const idle = ((cpu(pids) - c) * took) / Math.max(1, performance.now() - t);
  return { cpu: Math.max(0, used - idle) / opt.requests, latency: took / opt.requests / 1000 };
}

async function requestsPart(name) {
  const d = DAEMONS[name];
  const rows = [['request', 'daemon CPU s (median)', 'latency s (median)']];
  let round = 0;
  for (const path of REQUESTS[name]) {
    const seen = [];
    for (let r = 0; r < opt.rounds; r++) seen.push(await perRequest(d, path));
    const c = median(seen.map((s) => s.cpu));
    if (!path.startsWith('/1.0/warnings')) round += c;
    rows.push([path, c.toFixed(4), median(seen.map((s) => s.latency)).toFixed(4)]);
  }
  console.log(`\n${name}: per request (${opt.requests} sequential, ${opt.rounds} rounds; ${d.pids().length} daemon(s) counted)`);
  console.log(table(rows));
  console.log(`  one round of the meters: ${round.toFixed(4)} s of daemon CPU = ${((round / 10) * 100).toFixed(2)} % of a core at the 10 s period`);
}

async function tuiWindow(d, project, rows) {
  const s = startLxtop(['--socket', d.socket, '--project', project], { cols: 120, rows });
  await whenScreen(s, (lines) => lines.some((l) => /\blive\b/.test(l)), 30_000);
  await sleep(5000); // past the first reads of everything
  const pids = d.pids();
  const c = cpu(pids);
  const t = performance.now();
  await sleep(opt.seconds * 1000);
  const pct = ((cpu(pids) - c) / ((performance.now() - t) / 1000)) * 100;
  const meters = s.screenLines().some((l) => /^(host|m1)\s+mem/.test(l));
  await s.quit();
  return { pct, meters };
}

async function tuiPart(name) {
  const d = DAEMONS[name];
  const project = `bench-meters-${process.pid}`;
  await get(d.socket, '/1.0/projects', 'POST', JSON.stringify({ name: project, config: { 'features.images': 'false', 'features.profiles': 'false' } }));
  try {
    const on = [];
    const off = [];
    for (let r = 0; r < opt.rounds; r++) {
      const a = await tuiWindow(d, project, 30);
      if (!a.meters) throw new Error('the meters were not on screen at 120×30');
      on.push(a.pct);
      const b = await tuiWindow(d, project, 16);
      if (b.meters) throw new Error('the meters were on screen at 120×16');
      off.push(b.pct);
    }
    console.log(`\n${name}: lxtop idle on an empty project, daemon CPU % of one core (${opt.rounds} interleaved windows of ${opt.seconds} s)`);
    const min = (xs) => Math.min(...xs);
    console.log(table([['', 'meters on (120×30)', 'meters off (120×16)', 'difference'], ['median', median(on).toFixed(2), median(off).toFixed(2), (median(on) - median(off)).toFixed(2)], ['minimum', min(on).toFixed(2), min(off).toFixed(2), (min(on) - min(off)).toFixed(2)], ['windows', on.map((x) => x.toFixed(2)).join(' '), off.map((x) => x.toFixed(2)).join(' '), '']]));
  } finally {
    await get(d.socket, `/1.0/projects/${project}`, 'DELETE');
  }
}

/** A private LXD: started, a dir pool `default`; `stop()` shuts it down and removes its directory. */
async function privateLxd() {
  const dir = mkdtempSync('/tmp/lxtop-bench-meters-');
  const env = { ...process.env, LXD_DIR: dir, LXD_CONF: join(dir, '.conf') };
  delete env.LXD_SOCKET;
  const log = openSync(join(dir, 'daemon.out'), 'a');
  const child = spawn('lxd', ['--group', 'root', '--logfile', join(dir, 'lxd.log')], { env, stdio: ['ignore', log, log], detached: true });
  const ready = spawnSync('lxd', ['waitready', '--timeout', '30'], { env, stdio: 'ignore' });
  if (ready.status !== 0) throw new Error(`the private lxd did not start: ${readFileSync(join(dir, 'daemon.out'), 'utf8').slice(-500)}`);
  spawnSync('lxc', ['storage', 'create', 'default', 'dir'], { env, stdio: 'ignore' });
  DAEMONS.private = { socket: join(dir, 'unix.socket'), pids: () => [child.pid] };
  return async () => {
    spawnSync('lxd', ['shutdown', '--timeout', '20'], { env, stdio: 'ignore', timeout: 30_000 });
    if (child.exitCode === null) child.kill('SIGKILL');
    const mounts = spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).stdout ?? '';
    for (const m of mounts.split('\n').filter((t) => t.startsWith(`${dir}/`)).sort().reverse()) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
}

console.log(`host meters: ${new Date().toISOString()}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
for (const name of opt.daemons.split(',').filter(Boolean)) {
  const stop = name === 'private' ? await privateLxd() : null;
  try {
    if (!DAEMONS[name]) throw new Error(`unknown daemon ${name}`);
    if (opt.only !== 'tui') await requestsPart(name);
    if (opt.only !== 'requests') await tuiPart(name);
  } finally {
    await stop?.();
  }
}
