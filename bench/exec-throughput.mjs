#!/usr/bin/env node
// Throughput of `lxtop exec NAME -- sh -c 'head -c N /dev/zero'` against the daemon's own client
// doing the same, same instance, same run, alternating, several rounds. Output is read through a
// pipe by this process and counted (so both tools write to a pipe, as in `… | something`).
// Usage: node bench/exec-throughput.mjs [--daemon lxd|incus] [--mb 200] [--rounds 5]
// Prints per-round figures, the medians side by side and the ratio lxtop/lxc (target ≥ 1.0).
import { spawn } from 'node:child_process';
import { daemonClient, lxtopArgs, median, options, withInstance } from './exec-common.mjs';

const { daemon, socket, get } = options();
const mb = Number(get('--mb', '200'));
const rounds = Number(get('--rounds', '5'));
const bytes = mb * 1024 * 1024;
const client = daemonClient(daemon, socket);
const remote = ['sh', '-c', `head -c ${bytes} /dev/zero`];

function timed(file, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let n = 0;
    let err = '';
    child.stdout.on('data', (b) => (n += b.length));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0 || n !== bytes) reject(new Error(`${file} exited ${code} after ${n} of ${bytes} bytes: ${err}`));
      else resolve(s);
    });
  });
}

await withInstance(client, 'bench-tput', async (name) => {
  const lxtop = () => timed(process.execPath, lxtopArgs(socket, 'exec', name, '--', ...remote), process.env);
  const theirs = () => timed(client.bin, ['exec', name, '--', ...remote], client.env);
  // Warm up both (page cache, daemon goroutines, node's compile cache).
  await lxtop();
  await theirs();
  const a = [];
  const b = [];
  console.log(`exec throughput, ${mb} MB from /dev/zero, ${daemon} at ${socket}, ${rounds} rounds`);
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first so neither always gets the warmer daemon.
    let t1;
    let t2;
    if (r % 2 === 0) {
      t1 = await lxtop();
      t2 = await theirs();
    } else {
      t2 = await theirs();
      t1 = await lxtop();
    }
    a.push(t1);
    b.push(t2);
    console.log(
      `  round ${r + 1}: lxtop ${(mb / a[r]).toFixed(0).padStart(5)} MB/s (${a[r].toFixed(3)} s)   ${client.bin} ${(mb / b[r]).toFixed(0).padStart(5)} MB/s (${b[r].toFixed(3)} s)`,
    );
  }
  const ma = median(a);
  const mbb = median(b);
  console.log(`median: lxtop ${(mb / ma).toFixed(0)} MB/s, ${client.bin} exec ${(mb / mbb).toFixed(0)} MB/s, ratio ${(mbb / ma).toFixed(2)} (target >= 1.00)`);
});
