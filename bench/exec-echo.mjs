#!/usr/bin/env node
// Keystroke echo round trip in an interactive console: the built CLI (`lxtop exec NAME -- sh -c 'cat > /dev/null'`)
// in a real pseudo-terminal (node-pty), one key at a time, timing from the write until the echo
// (made by the remote PTY's line discipline) is read back. The daemon's own client is measured the
// same way in the same run, and so is a local pty (the measuring's own floor).
// Usage: node bench/exec-echo.mjs [--daemon lxd|incus] [--keys 300]
// Prints p50 / p99 for both (target: lxtop p99 <= 5 ms).
import { daemonClient, echoTimes, lxtopArgs, options, withInstance } from './exec-common.mjs';

const { daemon, socket, get } = options();
const keys = Number(get('--keys', '300'));
const client = daemonClient(daemon, socket);
// The marker comes from the remote side once the session is up (and the local terminal raw):
// before that, the local terminal's own cooked-mode echo would answer instantly.
const remote = ['sh', '-c', 'echo SESSION-UP; exec cat > /dev/null'];

await withInstance(client, 'bench-echo', async (name) => {
  const env = { ...process.env, TERM: 'xterm-256color' };
  const ours = await echoTimes(keys, process.execPath, lxtopArgs(socket, 'exec', name, '--', ...remote), env);
  const theirs = await echoTimes(keys, client.bin, ['exec', name, '--', ...remote], { ...client.env, TERM: 'xterm-256color' });
  // The harness's own floor: the same command run locally, echoed by the local pty at once.
  const floor = await echoTimes(keys, '/bin/sh', ['-c', remote[2]], env);
  const f = (r) => `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(2)} ms`;
  console.log(`keystroke echo, ${keys} keys, ${daemon} at ${socket}`);
  console.log(`  lxtop exec: ${f(ours)}   (target p99 <= 5 ms)`);
  console.log(`  ${client.bin} exec:  ${f(theirs)}`);
  console.log(`  local pty:  ${f(floor)}   (no daemon: what the measuring itself costs)`);
});
