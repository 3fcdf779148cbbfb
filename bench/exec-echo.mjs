#!/usr/bin/env node
// Keystroke echo round trip in an interactive console: the built CLI (`lxtop exec NAME -- sh -c 'cat > /dev/null'`)
// in a real pseudo-terminal (node-pty), one key at a time, timing from the write until the echo
// (made by the remote PTY's line discipline) is read back. The daemon's own client is measured the
// same way in the same run, and so is a local pty (the measuring's own floor).
// Usage: node bench/exec-echo.mjs [--daemon lxd|incus] [--keys 300]
// Prints p50 / p99 for both (target: lxtop p99 <= 5 ms).
import pty from 'node-pty';
import { daemonClient, lxtopArgs, options, percentile, withInstance } from './exec-common.mjs';

const { daemon, socket, get } = options();
const keys = Number(get('--keys', '300'));
const client = daemonClient(daemon, socket);
// The marker comes from the remote side once the session is up (and the local terminal raw):
// before that, the local terminal's own cooked-mode echo would answer instantly.
const remote = ['sh', '-c', 'echo SESSION-UP; exec cat > /dev/null'];

async function measure(file, args, env) {
  const p = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, env });
  let out = '';
  let waiter = null;
  p.onData((d) => {
    out += d;
    if (waiter && out.includes(waiter.want)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  const expect = (want, ms = 10_000) =>
    new Promise((resolve, reject) => {
      if (out.includes(want)) return resolve();
      const t = setTimeout(() => reject(new Error(`no "${want}" in ${ms} ms; got ${JSON.stringify(out.slice(-300))}`)), ms);
      waiter = { want, resolve: () => (clearTimeout(t), resolve()) };
    });
  // The remote `cat > /dev/null` copies nothing back: every byte read is the remote PTY's echo.
  await expect('SESSION-UP');
  out = '';
  p.write('warm');
  await expect('warm');
  const times = [];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const warmup = 30; // untimed, for both tools: JIT and first-use costs are not what is measured
  for (let i = -warmup; i < keys; i++) {
    out = '';
    const ch = alphabet[(i + warmup) % alphabet.length];
    const t0 = process.hrtime.bigint();
    const got = expect(ch);
    p.write(ch);
    await got;
    if (i >= 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (i % 60 === 59 || i === -1) {
      out = '';
      const nl = expect('\n');
      p.write('\r');
      await nl;
    }
  }
  p.write('\x04');
  await new Promise((r) => {
    p.onExit(r);
    setTimeout(() => {
      p.kill();
      r();
    }, 3000);
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] };
}

await withInstance(client, 'bench-echo', async (name) => {
  const env = { ...process.env, TERM: 'xterm-256color' };
  const ours = await measure(process.execPath, lxtopArgs(socket, 'exec', name, '--', ...remote), env);
  const theirs = await measure(client.bin, ['exec', name, '--', ...remote], { ...client.env, TERM: 'xterm-256color' });
  // The harness's own floor: the same command run locally, echoed by the local pty at once.
  const floor = await measure('/bin/sh', ['-c', remote[2]], env);
  const f = (r) => `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(2)} ms`;
  console.log(`keystroke echo, ${keys} keys, ${daemon} at ${socket}`);
  console.log(`  lxtop exec: ${f(ours)}   (target p99 <= 5 ms)`);
  console.log(`  ${client.bin} exec:  ${f(theirs)}`);
  console.log(`  local pty:  ${f(floor)}   (no daemon: what the measuring itself costs)`);
});
