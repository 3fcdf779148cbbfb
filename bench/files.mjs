#!/usr/bin/env node
// File transfer throughput (issue 15): `lxtop file push` / `lxtop file pull` against `lxc file push`
// / `lxc file pull` (`incus file …` on Incus) on the same random file in the same run, the same
// instance, alternating (lxtop, lxc, lxtop, lxc …) after one unmeasured round of each. Timed: the
// whole command, start to exit (process start, connection, transfer), lxtop run as installed (the
// `lxtop` launcher, dist/lxtop), in this shell's environment. Every pulled copy is checked
// byte for byte (sha256) against the source. Target: lxtop ≥ 1.0× the reference's MB/s, medians.
// Each round also times both tools on a 1-byte file: the fixed cost of a command (process start,
// connection; a Node process starts several times slower than a Go one on a loaded machine), so
// the second table is the transfer rate without it: bytes / (time of the big file − time of the
// 1-byte one), per tool, medians. The third: the CPU the whole machine used during each big
// transfer (/proc/stat: the tool, the daemon, the instance's SFTP server), medians.
//
//   npm run build && node bench/files.mjs [--socket PATH] [--mb 100] [--runs 5]
//
// The instance (busybox, started) is made for the run and removed at the end; the local files live
// in a private temporary directory, removed too.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonCli, loadLine, lxtopCommand, median, options, table } from './tui-common.mjs';

const opts = options({ mb: 100, runs: 5 });
const cli = daemonCli(opts.socket);
const name = `bench-files-${process.pid.toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'lxtop-bench-files-'));
const source = join(dir, 'source.bin');
const tiny = join(dir, 'tiny.bin');
const bytes = opts.mb * 1024 * 1024;

function makeSource() {
  const fd = openSync(source, 'w');
  const hash = createHash('sha256');
  for (let left = bytes; left > 0; ) {
    const chunk = randomBytes(Math.min(left, 4 << 20));
    hash.update(chunk);
    writeSync(fd, chunk);
    left -= chunk.length;
  }
  closeSync(fd);
  return hash.digest('hex');
}

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** CPU time every process on the machine has used (/proc/stat, all CPUs), in ms. */
function machineCpuMs() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100; // USER_HZ
}

/** The command's wall time; what the whole machine spent meanwhile (the tool, the daemon, its SFTP server) in `cpu`. */
function timed(label, file, args, env, cpu) {
  const c0 = machineCpuMs();
  const t0 = performance.now();
  const r = spawnSync(file, args, { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  cpu?.push(machineCpuMs() - c0);
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

const runners = {
  lxtop: {
    push: (remote, from = source, cpu) => timed('lxtop push', lxtopCommand, ['--socket', opts.socket, 'file', 'push', '-q', from, `${name}${remote}`], process.env, cpu),
    pull: (remote, local, cpu) => timed('lxtop pull', lxtopCommand, ['--socket', opts.socket, 'file', 'pull', '-q', `${name}${remote}`, local], process.env, cpu),
  },
  [cli.bin]: {
    push: (remote, from = source, cpu) => timed(`${cli.bin} push`, cli.bin, ['file', 'push', '-q', from, `${name}${remote}`], cli.env, cpu),
    pull: (remote, local, cpu) => timed(`${cli.bin} pull`, cli.bin, ['file', 'pull', '-q', `${name}${remote}`, local], cli.env, cpu),
  },
};

try {
  console.log(`bench files: ${opts.mb} MB random file, ${opts.runs} runs each, alternating, on ${opts.socket}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'not set'}; ${loadLine()}`);
  const want = makeSource();
  execFileSync(cli.bin, ['launch', process.env.LXTOP_TEST_IMAGE || 'busybox', name], { env: cli.env, stdio: 'ignore' });
  const got = {};
  for (const tool of Object.keys(runners)) got[tool] = { push: [], pull: [], tinyPush: [], tinyPull: [], pushCpu: [], pullCpu: [] };
  writeFileSync(tiny, 'x');
  for (let round = 0; round <= opts.runs; round++) {
    for (const [tool, run] of Object.entries(runners)) {
      const remote = `/tmp/${tool}.bin`;
      const local = join(dir, `${tool}-${round}.bin`);
      const warm = round === 0;
      const push = run.push(remote, source, warm ? undefined : got[tool].pushCpu);
      const pull = run.pull(remote, local, warm ? undefined : got[tool].pullCpu);
      if (sha(local) !== want) throw new Error(`${tool}: the pulled file differs from the source`);
      rmSync(local);
      const tinyPush = run.push(`/tmp/${tool}-tiny.bin`, tiny);
      const tinyPull = run.pull(`/tmp/${tool}-tiny.bin`, `${local}.tiny`);
      if (round === 0) continue; // warm-up
      got[tool].push.push(push);
      got[tool].pull.push(pull);
      got[tool].tinyPush.push(tinyPush);
      got[tool].tinyPull.push(tinyPull);
    }
  }
  const mbps = (ms) => bytes / 1e6 / (ms / 1000);
  const ref = cli.bin;
  const rows = [['', 'lxtop median (MB/s)', `${ref} median (MB/s)`, 'ratio', 'target ≥ 1.0×']];
  for (const what of ['push', 'pull']) {
    const a = mbps(median(got.lxtop[what]));
    const b = mbps(median(got[ref][what]));
    const runs = (xs) => xs.map((ms) => mbps(ms).toFixed(0)).join(', ');
    rows.push([`${what} ${opts.mb} MB`, `${a.toFixed(1)} (${runs(got.lxtop[what])})`, `${b.toFixed(1)} (${runs(got[ref][what])})`, `${(a / b).toFixed(2)}×`, a / b >= 1 ? 'PASS' : 'FAIL']);
  }
  console.log(table(rows));
  const net = [['without the fixed cost', 'lxtop (MB/s)', `${ref} (MB/s)`, 'ratio', '1-byte command: lxtop / ' + ref]];
  for (const what of ['push', 'pull']) {
    const fixed = (tool) => median(got[tool][what === 'push' ? 'tinyPush' : 'tinyPull']);
    const rate = (tool) => bytes / 1e6 / (Math.max(1, median(got[tool][what]) - fixed(tool)) / 1000);
    const a = rate('lxtop');
    const b = rate(ref);
    net.push([`${what} ${opts.mb} MB`, a.toFixed(1), b.toFixed(1), `${(a / b).toFixed(2)}×`, `${fixed('lxtop').toFixed(0)} ms / ${fixed(ref).toFixed(0)} ms`]);
  }
  console.log(table(net));
  // What the machine spent on it all: the tool, the daemon, the instance's SFTP server (and anything
  // else running meanwhile, the same for both tools).
  const cost = [[`machine CPU per ${opts.mb} MB file (all processes)`, 'lxtop (ms)', `${ref} (ms)`, 'lxtop / ' + ref]];
  for (const what of ['push', 'pull']) {
    const a = median(got.lxtop[`${what}Cpu`]);
    const b = median(got[ref][`${what}Cpu`]);
    cost.push([`${what} ${opts.mb} MB`, a.toFixed(0), b.toFixed(0), `${(a / b).toFixed(2)}×`]);
  }
  console.log(table(cost));
  console.log(`every pulled copy matched the source (sha256 ${want.slice(0, 16)}…); ${loadLine()}`);
} finally {
  try {
    execFileSync(cli.bin, ['delete', '--force', name], { env: cli.env, stdio: 'ignore' });
  } catch {
    // never made
  }
  rmSync(dir, { recursive: true, force: true });
}
