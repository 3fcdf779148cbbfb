#!/usr/bin/env node
// Throughput of `lxtop exec NAME -- sh -c 'head -c N /dev/zero'` against the daemon's own client
// (lxc / incus) doing the same: same instance, same run, alternating who goes first, several rounds.
// First one round of each through a pipe read here, to check every byte arrives (and warm up);
// then the timed rounds write to /dev/null (as `… > /dev/null`), so no reader process competes for
// the CPU. Besides wall-clock MB/s, the client's own CPU time (user+sys, from bash's `times`) is
// printed: on a busy machine wall time swings with the load, CPU per MB does not.
// Usage: node bench/exec-throughput.mjs [--daemon lxd|incus] [--mb 200] [--rounds 5]
// Prints per-round figures, the medians side by side and the ratio lxtop/lxc (target >= 1.0).
import { spawn } from 'node:child_process';
import { daemonClient, lxtopArgs, median, options, withInstance } from './exec-common.mjs';

const { daemon, socket, get } = options();
const mb = Number(get('--mb', '200'));
const rounds = Number(get('--rounds', '5'));
const bytes = mb * 1024 * 1024;
const client = daemonClient(daemon, socket);
const remote = ['sh', '-c', `head -c ${bytes} /dev/zero`];
const q = (a) => `'${String(a).replace(/'/g, `'\\''`)}'`;

/** Through a pipe into this process: every byte counted. */
function counted(file, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let n = 0;
    let err = '';
    child.stdout.on('data', (b) => (n += b.length));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || n !== bytes) reject(new Error(`${file} exited ${code} after ${n} of ${bytes} bytes: ${err}`));
      else resolve();
    });
  });
}

const seconds = (t) => {
  const m = /(\d+)m([\d.]+)s/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** To /dev/null under bash; returns wall seconds and the child's user+sys CPU seconds. */
function timed(file, args, env) {
  return new Promise((resolve, reject) => {
    const script = `${[file, ...args].map(q).join(' ')} > /dev/null; s=$?; times; exit $s`;
    const t0 = process.hrtime.bigint();
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return reject(new Error(`${file} exited ${code}: ${err}`));
      // `times`: the shell's user/sys, then its children's.
      const line = out.trim().split('\n').pop() ?? '';
      const [user, sys] = line.split(/\s+/).map(seconds);
      resolve({ wall, cpu: user + sys });
    });
  });
}

await withInstance(client, 'bench-tput', async (name) => {
  const ours = [process.execPath, lxtopArgs(socket, 'exec', name, '--', ...remote), process.env];
  const theirs = [client.bin, ['exec', name, '--', ...remote], client.env];
  await counted(...ours);
  await counted(...theirs);
  const a = [];
  const b = [];
  console.log(`exec throughput, ${mb} MB from /dev/zero to /dev/null, ${daemon} at ${socket}, ${rounds} rounds`);
  const fmt = (r) => `${(mb / r.wall).toFixed(0).padStart(5)} MB/s (${r.wall.toFixed(2)} s, cpu ${r.cpu.toFixed(2)} s)`;
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first so neither always gets the warmer daemon.
    let x;
    let y;
    if (r % 2 === 0) {
      x = await timed(...ours);
      y = await timed(...theirs);
    } else {
      y = await timed(...theirs);
      x = await timed(...ours);
    }
    a.push(x);
    b.push(y);
    console.log(`  round ${r + 1}: lxtop ${fmt(x)}   ${client.bin} ${fmt(y)}`);
  }
  const wa = median(a.map((r) => r.wall));
  const wb = median(b.map((r) => r.wall));
  const ca = median(a.map((r) => r.cpu));
  const cb = median(b.map((r) => r.cpu));
  console.log(
    `median: lxtop ${(mb / wa).toFixed(0)} MB/s, ${client.bin} exec ${(mb / wb).toFixed(0)} MB/s, ratio ${(wb / wa).toFixed(2)} (target >= 1.00); ` +
      `client CPU lxtop ${ca.toFixed(2)} s, ${client.bin} ${cb.toFixed(2)} s`,
  );
});
