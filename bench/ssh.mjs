#!/usr/bin/env node
// ssh:// remotes against the same daemon reached directly, same run, through a private sshd on
// 127.0.0.1 (bench/ssh-common.mjs):
//  1. first frame: process start → every instance name on screen, `lxtop ssh://root@127.0.0.1:P/SOCKET`
//     and `lxtop ssh://root@127.0.0.1:P` (no path: the socket found by looking, here the last of
//     five places, $LXTOP_SSH_SOCKETS) vs `lxtop --socket SOCKET` (target ≤ 1.5×). Runs alternate
//     after one warm-up of each. --baseline OTHER/dist/cli.js: another build's ssh runs beside (A/B).
//  2. exec throughput: `lxtop exec NAME -- head -c N /dev/zero` through the ssh remote vs
//     `ssh HOST lxc exec NAME -- …` on the same loopback sshd (target ≥ 0.8×). The reference's
//     ssh runs a command, so the far side's login shell starts first (with ~/.bashrc: on this
//     machine root's costs about a second); that shell alone is timed too, and the reference's
//     figures without it are printed beside the raw ones. Wall time and CPU seconds of both ends
//     (client and sshd side; the daemon's own work is the same for both and not counted).
//   node bench/ssh.mjs [--socket PATH] [--runs 7] [--mb 200] [--rounds 5] [--instances 12] [--baseline CLI] [--skip-exec]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startSshd } from './ssh-common.mjs';
import { cliJs, median, namesOnScreen, startLxtop, table } from './tui-common.mjs';

const argv = process.argv.slice(2);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const socket = get('--socket', process.env.LXD_SOCKET ?? '/var/tmp/lxtop-sandbox/lxd/unix.socket');
const runs = Number(get('--runs', '7'));
const mb = Number(get('--mb', '200'));
const rounds = Number(get('--rounds', '5'));
const count = Number(get('--instances', '12'));
const baseline = get('--baseline', null);
const project = `lxtop-bench-ssh-${process.pid.toString(36)}`;
const lxcEnv = { ...process.env, LXD_DIR: dirname(socket) };
const lxc = (...args) => execFileSync('lxc', args, { env: lxcEnv, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const q = (a) => `'${String(a).replace(/'/g, `'\\''`)}'`;
const names = Array.from({ length: count }, (_, i) => `bs-${i}`);

const sshd = await startSshd();
const env = { LXTOP_SSH_CONFIG: sshd.config };
// Where a daemon's socket usually is (none of them here), then the sandbox's.
const places = ['/var/snap/lxd/common/lxd/unix.socket', '/var/lib/lxd/unix.socket', '/run/incus/unix.socket', '/var/lib/incus/unix.socket', socket];
const lookEnv = { ...env, LXTOP_SSH_SOCKETS: places.join(':') };
const cleanup = () => {
  try {
    lxc('delete', '--force', '--project', project, ...names);
  } catch {
    // some were never made
  }
  try {
    lxc('project', 'delete', project);
  } catch {
    // not made
  }
  sshd.stop();
};
process.on('SIGINT', () => (cleanup(), process.exit(130)));

/** ms from spawn to a frame with every instance name. */
async function firstFrame(args, runEnv = env, cli = cliJs) {
  const s = startLxtop([...args, '--project', project], { cols: 160, rows: count + 14, env: runEnv, cli });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no full frame:\n${s.screenLines().join('\n')}`)), 20_000);
      s.onChunk = (_d, at) => {
        const seen = namesOnScreen(s.screenLines());
        if (names.every((n) => seen.has(n))) {
          clearTimeout(timer);
          resolve(at - s.t0);
        }
      };
    });
  } finally {
    s.onChunk = null;
    await s.quit();
  }
}

const clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** CPU seconds of the sshd listener's reaped children: every connection's sshd and what it ran (lxc). */
function sshdCpu() {
  const stat = readFileSync(`/proc/${sshd.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / clkTck;
}
const seconds = (t) => {
  const m = /(\d+)m([\d.]+)s/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/**
 * A shell command line writing to /dev/null: wall seconds, and CPU seconds of both ends (the
 * client's, from bash's `times`, ssh included; the far side's, from the sshd listener's children).
 * On a loaded machine the wall time swings with the load; the CPU seconds much less.
 */
function timed(line, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const far = sshdCpu();
    const t0 = performance.now();
    const script = `${line} > /dev/null; s=$?; times; exit $s`;
    const child = spawn('bash', ['-c', script], { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${line}: exit ${code}: ${err}`));
      // Give the listener a moment to reap the connection's sshd.
      setTimeout(() => {
        const [user, sys] = (out.trim().split('\n').pop() ?? '').split(/\s+/).map(seconds);
        resolve({ wall, cpu: user + sys + (sshdCpu() - far) });
      }, 300);
    });
  });
}

async function execThroughput() {
  // 2. exec throughput
  const bytes = mb * 1024 * 1024;
  const cmd = `head -c ${bytes} /dev/zero`;
  const ours = `${q(process.execPath)} ${q(cliJs)} ${q(sshd.url(socket))} --project ${project} exec ${names[0]} -- sh -c ${q(cmd)}`;
  const farCommand = `LXD_DIR=${q(dirname(socket))} lxc exec --project ${project} ${names[0]} -- sh -c ${q(cmd)}`;
  const theirs = `ssh ${sshd.sshArgs.map(q).join(' ')} ${q(farCommand)}`;
  // What sshd adds before the reference's command runs: the far user's login shell (bash reads
  // ~/.bashrc when it sees SSH_CLIENT), timed here on its own: this machine is the far side.
  const login = `env -u SHLVL SSH_CLIENT='127.0.0.1 1 22' bash -c true`;
  await timed(ours, env);
  await timed(theirs);
  const x = [];
  const y = [];
  const z = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      x.push(await timed(ours, env));
      y.push(await timed(theirs));
    } else {
      y.push(await timed(theirs));
      x.push(await timed(ours, env));
    }
    z.push(await timed(login));
}
const wall = (rs) => median(rs.map((r) => r.wall));
const cpu = (rs) => median(rs.map((r) => r.cpu));
const rate = (s) => (mb / s).toFixed(0);
console.log(`exec throughput, ${mb} MB from /dev/zero to /dev/null through the loopback sshd, ${rounds} rounds, median:`);
console.log(table([
  ['client', 'MB/s', 'wall s', 'CPU s (both ends)'],
  ['lxtop exec (ssh:// remote)', rate(wall(x)), wall(x).toFixed(2), cpu(x).toFixed(2)],
  ['ssh HOST lxc exec', rate(wall(y)), wall(y).toFixed(2), cpu(y).toFixed(2)],
  ['the far login shell alone (bash -c true, as sshd starts it)', '', wall(z).toFixed(2), cpu(z).toFixed(2)],
  ['ssh HOST lxc exec less the login shell', rate(wall(y) - wall(z)), (wall(y) - wall(z)).toFixed(2), (cpu(y) - cpu(z)).toFixed(2)],
]));
console.log(
  `  ratio lxtop/ssh+lxc, wall: ${(wall(y) / wall(x)).toFixed(2)}x raw, ${((wall(y) - wall(z)) / wall(x)).toFixed(2)}x without the login shell; ` +
    `CPU: ${((cpu(y) - cpu(z)) / cpu(x)).toFixed(2)}x without it (target >= 0.8x)`,
);
}

try {
  lxc('project', 'create', project, '-c', 'features.images=false', '-c', 'features.profiles=false');
  for (const n of names) lxc('init', 'busybox', n, '--project', project);
  lxc('start', '--project', project, ...names.slice(0, Math.ceil(count / 3)));
  const viaSsh = [sshd.url(socket)];
  const direct = ['--socket', socket];

  // 1. first frame
  const kinds = [
    ['lxtop ssh://root@127.0.0.1:P/SOCKET (sshd on loopback)', () => firstFrame(viaSsh)],
    ['lxtop ssh://root@127.0.0.1:P (socket found: 5th place)', () => firstFrame([sshd.url()], lookEnv)],
    ['lxtop --socket (unix socket)', () => firstFrame(direct)],
  ];
  if (baseline) {
    kinds.push(['baseline build, ssh://…/SOCKET', () => firstFrame(viaSsh, env, baseline)]);
    kinds.push(['baseline build, ssh:// (found)', () => firstFrame([sshd.url()], lookEnv, baseline)]);
  }
  for (const [, run] of kinds) await run();
  const times = kinds.map(() => []);
  for (let r = 0; r < runs; r++) {
    // Each round in another order: a load that comes and goes falls on all of them alike.
    const order = kinds.map((_, i) => (i + r) % kinds.length);
    for (const i of order) times[i].push(await kinds[i][1]());
  }
  const unix = median(times[2]);
  console.log(`first frame (every one of ${count} instances on screen), ${runs} runs each, median (load ${loadavg()}):`);
  console.log(table([
    ['client', 'median ms', 'vs unix', 'runs ms'],
    ...kinds.map(([label], i) => [label, median(times[i]).toFixed(0), `${(median(times[i]) / unix).toFixed(2)}x`, times[i].map((x) => x.toFixed(0)).join(' ')]),
  ]));
  console.log(`  ratio ssh/unix: ${(median(times[0]) / unix).toFixed(2)}x with the path, ${(median(times[1]) / unix).toFixed(2)}x found (target <= 1.5x)\n`);
  if (!argv.includes('--skip-exec')) await execThroughput();
} finally {
  cleanup();
}
