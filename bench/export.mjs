#!/usr/bin/env node
// `lxtop export NAME FILE` against `lxc export NAME FILE` (or `incus export`) of the same stopped
// instance (busybox plus N MB of random data), same run, alternating who goes first, several
// rounds: wall time from start to exit (lxtop run as installed: the launcher, dist/lxtop), the file's size, MB/s. Both ask the daemon for a backup with
// its defaults (snapshots included, the server's compression), wait for it, download it, delete it.
// Then the bar's rate: lxtop's progress lines (stderr not a terminal: one line a second,
// "… 45% 42.1MB/s") are compared with the real rate, the growth of the file as polled here every
// 50 ms over the same two-second window lxtop's meter uses, at the moment each line arrives.
// On the local socket 150 MB arrive in ~0.2 s, under the one-line-a-second pace: no line carries a
// rate. So one more lxtop export, not in the ratio, runs in a CPU cgroup of --slow-client percent of
// a core (default 2; 0: none): a client on a busy machine, whose download takes seconds. Its bar
// lines are compared with the real rate the same way.
// Usage: node bench/export.mjs [--daemon lxd|incus] [--mb 150] [--rounds 3] [--slow-client 2]
// Prints per-round figures, the medians, the ratio lxtop/lxc (target >= 1.0) and the bar's error
// (target: median within 20 %), with the load average.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonClient, median, options } from './exec-common.mjs';
import { lxtopCommand } from './tui-common.mjs';

const { daemon, socket, get } = options();
const mb = Number(get('--mb', '150'));
const rounds = Number(get('--rounds', '3'));
const slowPercent = Number(get('--slow-client', '2'));
const client = daemonClient(daemon, socket);
const dir = mkdtempSync(join(tmpdir(), 'lxtop-bench-export-'));
const name = `bexp-${process.pid.toString(36)}`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const UNIT = { '': 1, k: 1e3, M: 1e6, G: 1e9 };

/** Runs a command to its end; resolves with its wall time, stderr lines (with arrival times) and the file's size over time. */
function timed(file, args, env, out) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const sizes = [];
    const lines = [];
    const poll = setInterval(() => {
      let size = 0;
      try {
        size = statSync(out).size;
      } catch {
        // not there yet
      }
      sizes.push({ at: performance.now(), size });
    }, 50);
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let buf = '';
    child.stderr.on('data', (b) => {
      buf += b;
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        lines.push({ at: performance.now(), text: buf.slice(0, nl) });
        buf = buf.slice(nl + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${file} ${args.join(' ')}: exit ${code}: ${lines.map((l) => l.text).join('\n')}${buf}`));
      else resolve({ seconds: (performance.now() - started) / 1000, bytes: statSync(out).size, lines, sizes });
    });
  });
}

/**
 * A CPU cgroup of `percent` % of one core (cgroup v2's cpu.max, else v1's cpu controller), and a
 * command prefix that runs a program in it. Root only; null when neither is writable.
 */
function cpuCgroup(percent) {
  const period = 100_000;
  const quota = Math.round((period * percent) / 100);
  const v2 = '/sys/fs/cgroup/cgroup.controllers';
  const at = existsSync(v2) ? `/sys/fs/cgroup/lxtop-bench-${process.pid}` : `/sys/fs/cgroup/cpu/lxtop-bench-${process.pid}`;
  try {
    mkdirSync(at);
    if (existsSync(v2)) writeFileSync(`${at}/cpu.max`, `${quota} ${period}`);
    else {
      writeFileSync(`${at}/cpu.cfs_period_us`, String(period));
      writeFileSync(`${at}/cpu.cfs_quota_us`, String(quota));
    }
  } catch (err) {
    console.log(`no CPU cgroup for the slow client (${err.message}): its bar lines are not measured`);
    return null;
  }
  return {
    wrap: (file, args) => ['sh', ['-c', `echo $$ > ${at}/cgroup.procs && exec "$@"`, 'sh', file, ...args]],
    remove: () => rmdirSync(at),
  };
}

/** lxtop's progress lines with a rate, each against the real rate then: "[bar X vs real Y MB/s]". */
function barLines(res, errors) {
  let bar = '';
  for (const l of res.lines) {
    const m = /(\d+)% ([0-9.]+)([kMG]?)B\/s/.exec(l.text);
    if (!m) continue;
    const shown = Number(m[2]) * UNIT[m[3]];
    const real = realRate(res.sizes, l.at);
    if (real) errors.push(Math.abs(shown - real) / real);
    bar += ` [bar ${(shown / 1e6).toFixed(1)} vs real ${real ? (real / 1e6).toFixed(1) : '?'} MB/s]`;
  }
  return bar;
}

/**
 * The real rate over the window lxtop's meter uses at `at`: the two seconds before it, or since the
 * download began (the file's first bytes) when that was later.
 */
function realRate(sizes, at) {
  const end = [...sizes].reverse().find((s) => s.at <= at);
  const began = sizes.findIndex((s) => s.size > 0);
  const first = began > 0 ? sizes[began - 1].at : 0;
  const start = sizes.find((s) => s.at >= Math.max(at - 2000, first));
  if (!end || !start || end.at - start.at < 500) return null;
  return ((end.size - start.size) * 1000) / (end.at - start.at);
}

try {
  client.run('init', 'busybox', name);
  client.run('start', name);
  client.run('exec', name, '--', 'sh', '-c', `head -c ${mb * 1e6} /dev/urandom > /root/data`);
  client.run('stop', '--force', name);
  console.log(`${daemon}: export of ${name} (busybox + ${mb} MB random), ${rounds} rounds, load average ${load()}`);
  const ours = [];
  const theirs = [];
  const errors = [];
  for (let r = 0; r < rounds; r++) {
    const runs = [
      ['lxtop', () => timed(lxtopCommand, ['--socket', socket, 'export', name, join(dir, `lxtop-${r}.tar.gz`)], { ...process.env, NO_COLOR: '1' }, join(dir, `lxtop-${r}.tar.gz`))],
      [client.bin, () => timed(client.bin, ['export', name, join(dir, `ref-${r}.tar.gz`)], client.env, join(dir, `ref-${r}.tar.gz`))],
    ];
    if (r % 2 === 1) runs.reverse();
    for (const [who, go] of runs) {
      const res = await go();
      const rate = res.bytes / 1e6 / res.seconds;
      (who === 'lxtop' ? ours : theirs).push(rate);
      const bar = who === 'lxtop' ? barLines(res, errors) : '';
      console.log(`round ${r + 1} ${who.padEnd(5)} ${res.seconds.toFixed(2)} s, ${(res.bytes / 1e6).toFixed(1)} MB, ${rate.toFixed(1)} MB/s${bar}  (load ${load()})`);
      rmSync(join(dir, `${who === 'lxtop' ? 'lxtop' : 'ref'}-${r}.tar.gz`), { force: true });
    }
  }
  const slow = slowPercent > 0 ? cpuCgroup(slowPercent) : null;
  if (slow) {
    try {
      const out = join(dir, 'slow.tar.gz');
      const [file, args] = slow.wrap(lxtopCommand, ['--socket', socket, 'export', name, out]);
      const res = await timed(file, args, { ...process.env, NO_COLOR: '1' }, out);
      const bar = barLines(res, errors);
      console.log(`slow client (lxtop in a cgroup of ${slowPercent} % of a core) ${res.seconds.toFixed(2)} s, ${(res.bytes / 1e6 / res.seconds).toFixed(1)} MB/s${bar}`);
      rmSync(out, { force: true });
    } finally {
      slow.remove();
    }
  }
  const ratio = median(ours) / median(theirs);
  console.log(`median: lxtop ${median(ours).toFixed(1)} MB/s, ${client.bin} ${median(theirs).toFixed(1)} MB/s, ratio ${ratio.toFixed(2)} (target >= 1.0: ${ratio >= 1 ? 'PASS' : 'FAIL'})`);
  const err = errors.length ? median(errors) : NaN;
  console.log(`bar rate vs real rate: ${errors.length} progress lines with a rate, median error ${(err * 100).toFixed(1)} %, max ${errors.length ? (Math.max(...errors) * 100).toFixed(1) : '-'} % (target <= 20 %: ${err <= 0.2 ? 'PASS' : 'FAIL'})`);
  console.log(`load average at the end ${load()}`);
} finally {
  try {
    client.run('delete', '--force', name);
  } catch {
    // gone
  }
  rmSync(dir, { recursive: true, force: true });
}
