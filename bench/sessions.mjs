#!/usr/bin/env node
// Sessions (issue 13): the session holder measured against the references in the same run.
// 1. re-attach to a session with 10,000 lines of scrollback: attach request → the screen's redraw
//    (the holder's answer), and the whole `lxtop attach ID` (process start → screen shown), beside
//    `lxc exec NAME -- echo` (process start → its output) for scale;
// 2. 20 detached sessions each printing a line a second: CPU of the holder and of a TUI showing the
//    Sessions pane, beside the same TUI with no sessions; the holder's RSS;
// 3. throughput inside a session through the holder (first byte → last byte of `head -c N
//    /dev/zero` in the session's PTY) beside `lxc exec` doing the same through a pipe (as
//    exec-throughput.mjs), and terminal to terminal: `lxtop attach ID` in a PTY here beside
//    `lxc exec -t` in a PTY here (both through the daemon's PTY mode), interleaved, medians;
// 4. keystroke echo p99 through `lxtop attach` (the exec-echo method) beside `lxc exec`, and
//    relayed by the attach process (LXTOP_SESSION_RELAY=1) instead of the holder driving the terminal.
// Usage: node bench/sessions.mjs [--daemon lxd] [--mb 100] [--rounds 3] [--keys 300] [--seconds 30]
//        [--only attach,echo,throughput,idle]
// The holder is private to the run (XDG_RUNTIME_DIR in a temp directory).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import pty from 'node-pty';
import { cli, daemonClient, echoTimes, median, options, withInstance } from './exec-common.mjs';

const { daemon, socket, get } = options();
const mb = Number(get('--mb', '100'));
const rounds = Number(get('--rounds', '3'));
const keys = Number(get('--keys', '300'));
const seconds = Number(get('--seconds', '30'));
const only = get('--only', 'attach,echo,throughput,idle').split(',');
const client = daemonClient(daemon, socket);
const runtime = mkdtempSync(join(tmpdir(), 'lxtop-bench-sess-'));
const env = { ...process.env, XDG_RUNTIME_DIR: runtime, TERM: 'xterm-256color' };
const holderSocket = join(runtime, 'lxtop', 'sessions.sock');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const lxtop = (...args) => execFileSync(process.execPath, [cli, ...(args[0] === 'exec' ? ['--socket', socket] : []), ...args], { env }).toString().trim();

/** The holder's protocol (src/sessions/frames.ts): [kind u8][len u32 BE][payload]; 1 JSON, 2 raw. */
function holderClient() {
  const s = connect(holderSocket);
  let buf = Buffer.alloc(0);
  let req = 1;
  const waiting = new Map();
  const c = { onData: () => {}, onMessage: () => {}, socket: s };
  s.on('data', (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 5) {
      const len = buf.readUInt32BE(1);
      if (buf.length < 5 + len) break;
      const kind = buf[0];
      const payload = buf.subarray(5, 5 + len);
      buf = buf.subarray(5 + len);
      if (kind === 2) c.onData(payload);
      else {
        const m = JSON.parse(payload.toString());
        const w = waiting.get(m.req);
        if (w) {
          waiting.delete(m.req);
          w(m);
        } else c.onMessage(m);
      }
    }
  });
  const send = (kind, payload) => {
    const head = Buffer.alloc(5);
    head[0] = kind;
    head.writeUInt32BE(payload.length, 1);
    s.write(Buffer.concat([head, payload]));
  };
  c.request = (m) => new Promise((resolve) => {
    const id = req++;
    waiting.set(id, resolve);
    send(1, Buffer.from(JSON.stringify({ ...m, req: id })));
  });
  c.input = (text) => send(2, Buffer.from(text));
  c.ready = new Promise((resolve) => s.once('connect', resolve));
  c.close = () => s.end();
  return c;
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (1/100 s)
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const holderPid = () => Number(readFileSync(join(runtime, 'lxtop', 'holder.lock'), 'utf8'));

async function firstFrame(name) {
  const id = lxtop('exec', '-d', name, '--', 'sh', '-c', 'seq 1 10010; exec sleep 3600');
  await sleep(3000);
  const protocol = [];
  for (let i = 0; i < 10; i++) {
    const c = holderClient();
    await c.ready;
    const t0 = performance.now();
    const got = new Promise((resolve) => (c.onData = resolve));
    void c.request({ op: 'attach', id, cols: 120, rows: 40 });
    const screen = await got;
    protocol.push(performance.now() - t0);
    if (!screen.toString().includes('10010')) throw new Error('the redraw lacks the last line');
    c.close();
    await sleep(100);
  }
  const whole = [];
  const reference = [];
  for (let i = 0; i < 5; i++) {
    for (const [list, file, args, e, want] of [
      [whole, process.execPath, [cli, 'attach', id], env, '10010'],
      // Kept alive a moment after its output: a command that ends at once can lose it (docs/lxd-api.md).
      [reference, client.bin, ['exec', name, '--', 'sh', '-c', 'echo ref-out; sleep 0.3'], client.env, 'ref-out'],
    ]) {
      const t0 = performance.now();
      const p = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, env: e });
      let out = '';
      await new Promise((resolve, reject) => {
        p.onData((d) => ((out += d), out.includes(want) && resolve()));
        p.onExit(() => (out.includes(want) ? resolve() : reject(new Error(`${file} ended without ${want}: ${out.slice(-200)}`))));
      });
      list.push(performance.now() - t0);
      if (file === process.execPath) p.write('\r~.');
      await new Promise((r) => (p.onExit(r), setTimeout(() => (p.kill(), r()), 3000)));
    }
  }
  lxtop('sessions', 'close', id);
  return { protocol: median(protocol), whole: median(whole), reference: median(reference) };
}

async function idleCost(name) {
  // A fresh holder: the earlier phases' ended sessions (their output kept for the history) are not this figure's.
  try {
    process.kill(holderPid(), 'SIGTERM');
  } catch {
    // none
  }
  await sleep(1000);
  // The TUI alone (no holder yet), then with 20 sessions printing a line a second.
  const measureTui = async () => {
    const p = pty.spawn(process.execPath, [cli, '--socket', socket], { name: 'xterm-256color', cols: 140, rows: 40, env });
    await sleep(4000);
    p.write('5');
    await sleep(2000);
    const pid = p.pid;
    let hp = null;
    try {
      hp = holderPid();
    } catch {
      // no holder: the TUI alone
    }
    const t0 = [cpuTicks(pid), hp ? cpuTicks(hp) : 0];
    await sleep(seconds * 1000);
    const t1 = [cpuTicks(pid), hp ? cpuTicks(hp) : 0];
    const rss = hp ? rssMb(hp) : 0;
    p.write('q');
    await new Promise((r) => (p.onExit(r), setTimeout(() => (p.kill(), r()), 3000)));
    return { tui: (t1[0] - t0[0]) / seconds, holder: (t1[1] - t0[1]) / seconds, rss };
  };
  const without = await measureTui();
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push(lxtop('exec', '-d', name, '--', 'sh', '-c', `i=0; while true; do i=$((i+1)); echo s${i} line $i; sleep 1; done`));
  await sleep(3000);
  const withSessions = await measureTui();
  for (const id of ids) lxtop('sessions', 'close', id);
  return { without, withSessions };
}

async function throughput(name) {
  const bytes = mb * 1024 * 1024;
  const ours = async () => {
    const id = lxtop('exec', '-d', name, '--', 'sh', '-c', `read x; head -c ${bytes} /dev/zero; sleep 1`);
    const c = holderClient();
    await c.ready;
    let counted = 0;
    let first = 0;
    let screen = true;
    const done = new Promise((resolve) => {
      c.onData = (b) => {
        if (screen) return void (screen = false);
        // Indexed: a Buffer's iterator costs ~8 ns a byte, which the reference's count does not pay.
        for (let i = 0; i < b.length; i++) if (b[i] === 0) counted++;
        if (counted > 0 && first === 0) first = performance.now();
        if (counted >= bytes) resolve(performance.now());
      };
    });
    await c.request({ op: 'attach', id, cols: 120, rows: 40 });
    await sleep(300);
    c.input('go\r');
    const end = await done;
    c.close();
    lxtop('sessions', 'close', id);
    return bytes / 1e6 / ((end - first) / 1000);
  };
  const theirs = () => new Promise((resolve, reject) => {
    const child = spawn(client.bin, ['exec', name, '--', 'sh', '-c', `head -c ${bytes} /dev/zero`], { env: client.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let n = 0;
    let first = 0;
    child.stdout.on('data', (b) => {
      if (first === 0) first = performance.now();
      n += b.length;
    });
    child.on('close', () => (n < bytes ? reject(new Error(`lxc: ${n} of ${bytes}`)) : resolve(bytes / 1e6 / ((performance.now() - first) / 1000))));
  });
  // Terminal to terminal: `lxtop attach ID` and `lxc exec -t` each in a PTY of this process (the
  // output as a user's terminal gets it: both through the daemon's PTY mode, ~4 KB frames).
  const inPty = (file, args, e, go) => new Promise((resolve, reject) => {
    const p = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, env: e, encoding: null });
    let counted = 0;
    let first = 0;
    p.onData((d) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 0) counted++;
      if (counted > 0 && first === 0) first = performance.now();
      if (counted >= bytes) {
        resolve(bytes / 1e6 / ((performance.now() - first) / 1000));
        p.kill();
      }
    });
    p.onExit(() => counted < bytes && reject(new Error(`${file}: ${counted} of ${bytes}`)));
    if (go) setTimeout(() => p.write(go), 1500);
  });
  const oursTerm = async () => {
    const id = lxtop('exec', '-d', name, '--', 'sh', '-c', `read x; head -c ${bytes} /dev/zero; exec sleep 60`);
    const r = await inPty(process.execPath, [cli, 'attach', id], env, 'go\r');
    lxtop('sessions', 'close', id);
    return r;
  };
  const theirsTerm = () => inPty(client.bin, ['exec', '-t', name, '--', 'sh', '-c', `head -c ${bytes} /dev/zero; sleep 1`], { ...client.env, TERM: 'xterm-256color' });
  const a = [];
  const b = [];
  const c = [];
  const d = [];
  for (let r = 0; r < rounds; r++) {
    const pairs = r % 2 === 0 ? [[a, ours], [b, theirs], [c, oursTerm], [d, theirsTerm]] : [[b, theirs], [a, ours], [d, theirsTerm], [c, oursTerm]];
    for (const [list, fn] of pairs) list.push(await fn());
    console.log(`  round ${r + 1}: holder ${a[r].toFixed(1)} MB/s, ${client.bin} exec (pipe) ${b[r].toFixed(1)} MB/s; terminal to terminal: lxtop attach ${c[r].toFixed(1)} MB/s, ${client.bin} exec -t ${d[r].toFixed(1)} MB/s`);
  }
  return { ours: median(a), theirs: median(b), oursTerm: median(c), theirsTerm: median(d) };
}

async function echo(name) {
  const remote = ['sh', '-c', 'echo SESSION-UP; exec cat > /dev/null'];
  const id = lxtop('exec', '-d', name, '--', ...remote);
  await sleep(500);
  const ours = await echoTimes(keys, process.execPath, [cli, 'attach', id], env);
  const theirs = await echoTimes(keys, client.bin, ['exec', name, '--', ...remote], { ...client.env, TERM: 'xterm-256color' });
  // The same attach with the keys and output relayed by the attach process (no direct terminal), in a
  // session of its own: the first may have ended (the Ctrl-D that ends a run is an EOF at a line start).
  const other = lxtop('exec', '-d', name, '--', ...remote);
  await sleep(500);
  const relayed = await echoTimes(keys, process.execPath, [cli, 'attach', other], { ...env, LXTOP_SESSION_RELAY: '1' });
  return { ours, theirs, relayed };
}

try {
  await withInstance(client, 'bench-sess', async (name) => {
    console.log(`sessions benchmark, ${daemon} at ${socket}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (a shared, loaded machine)`);
    if (only.includes('attach')) {
      const ff = await firstFrame(name);
      console.log(`re-attach, 10,000 lines of scrollback: attach → redraw ${ff.protocol.toFixed(1)} ms (target <= 50); whole \`lxtop attach\` ${ff.whole.toFixed(0)} ms; \`${client.bin} exec NAME -- echo\` ${ff.reference.toFixed(0)} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    }
    if (only.includes('echo')) {
      const e = await echo(name);
      const f = (r) => `p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms`;
      console.log(`keystroke echo through the holder (lxtop attach): ${f(e.ours)} (target p99 <= 5); ${client.bin} exec: ${f(e.theirs)}; relayed by the attach process: ${f(e.relayed)}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    }
    if (only.includes('throughput')) {
      const t = await throughput(name);
      console.log(`throughput in a session: holder ${t.ours.toFixed(1)} MB/s, ${client.bin} exec through a pipe ${t.theirs.toFixed(1)} MB/s: ${(t.ours / t.theirs).toFixed(2)}x (target >= 1.0); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      console.log(`throughput terminal to terminal: lxtop attach ${t.oursTerm.toFixed(1)} MB/s, ${client.bin} exec -t ${t.theirsTerm.toFixed(1)} MB/s: ${(t.oursTerm / t.theirsTerm).toFixed(2)}x (target >= 1.0)`);
    }
    if (only.includes('idle')) {
      const c = await idleCost(name);
      console.log(`20 detached sessions, a line a second each (${seconds} s): TUI ${c.withSessions.tui.toFixed(2)} % + holder ${c.withSessions.holder.toFixed(2)} % of a core (target <= 2 together), holder RSS ${c.withSessions.rss.toFixed(0)} MB (target <= 150); the same TUI without sessions: ${c.without.tui.toFixed(2)} %; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    }
  });
} finally {
  try {
    process.kill(holderPid(), 'SIGTERM');
  } catch {
    // gone
  }
  await sleep(300);
  rmSync(runtime, { recursive: true, force: true });
}
