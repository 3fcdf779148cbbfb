#!/usr/bin/env node
// The logs view on a 5 MB lxc.log, through the built TUI in a real pseudo-terminal against the
// real daemon: a container of its own whose lxc.log is grown to --mb MB of lxc-style lines (written
// to the daemon's log file; the daemon serves it as it is), then
//   open:   from the `l` key to the frame showing the log's last line (target ≤ 300 ms);
//           reference, same run: `lxc info NAME --show-log` to /dev/null (the daemon's own tool).
//   scroll: key → frame for k and PgUp (the title's position changes), g and G;
//   search: key → frame for `/`, each letter of the query and backspace (the input line), n (next match).
// Targets: key → frame p99 ≤ 30 ms. The container is removed at the end, whatever happens.
//
//   npm run build && node bench/logs-view.mjs [--socket PATH] [--mb 5] [--cols 200] [--rows 50]
import { execFileSync } from 'node:child_process';
import { appendFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { daemonCli, loadLine, options, sleep, startLxtop, table, whenScreen } from './tui-common.mjs';
import { percentile } from './scale-common.mjs';

const opts = options({ mb: 5, rows: 50, cols: 200 });
const cli = daemonCli(opts.socket);
const name = `bench-logs-${process.pid.toString(36)}`;
const logFile = join(dirname(opts.socket), 'logs', name, 'lxc.log');

const fmt = (x) => `${x.toFixed(1)} ms`;
const stats = (xs) => `p50 ${fmt(percentile(xs, 50))}  p99 ${fmt(percentile(xs, 99))}  max ${fmt(Math.max(...xs))}  (n=${xs.length})`;

let session = null;
try {
  console.log(`load average ${loadLine()}`);
  cli.run('init', 'busybox', name);
  cli.run('start', name);
  // lxc-style lines, one in 500 an ERROR, until the file holds --mb MB.
  const target = opts.mb * 1024 * 1024;
  let n = 0;
  while (statSync(logFile).size < target) {
    const chunk = [];
    for (let i = 0; i < 2000; i++, n++) {
      const level = n % 500 === 0 ? 'ERROR' : n % 7 === 0 ? 'WARN    ' : 'INFO    ';
      chunk.push(`lxc ${name} 20261206${String(100000 + (n % 86400)).slice(1)}.${String(n % 1000).padStart(3, '0')} ${level} cgfsng - ../src/lxc/cgroups/cgfsng.c:cgfsng_monitor_create:${1000 + (n % 900)} - line ${n} of the bench log, some words to search\n`);
    }
    appendFileSync(logFile, chunk.join(''));
  }
  const size = statSync(logFile).size;
  const lastLine = `line ${n - 1} of the bench log`;

  // Reference: the daemon's own tool reading the same log.
  const refMs = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    execFileSync(cli.bin, ['info', name, '--show-log'], { env: cli.env, stdio: ['ignore', 'ignore', 'pipe'] });
    refMs.push(performance.now() - t);
  }

  session = startLxtop([...opts.lxtopArgs], { cols: opts.cols, rows: opts.rows, env: opts.lxtopEnv });
  const s = session;
  const screen = () => s.screenLines().join('\n');
  await whenScreen(s, (lines) => lines.some((l) => /figures|instances/.test(l)) && lines.length > 3, 20_000);
  await sleep(1500);
  const keyToFrame = async (key, check, timeoutMs = 5000) => {
    const wait = whenScreen(s, (lines) => check(lines.join('\n')), timeoutMs);
    const t = performance.now();
    s.pty.write(key);
    return (await wait) - t;
  };
  await keyToFrame('/', (x) => x.includes('Enter keep'));
  s.pty.write(name);
  await whenScreen(s, (lines) => lines.some((l) => l.startsWith(`/${name}`)), 5000);
  await keyToFrame('\r', (x) => !x.includes('Enter keep'));
  await sleep(500);

  const openMs = [];
  for (let round = 0; round < 3; round++) {
    openMs.push(await keyToFrame('l', (x) => x.includes(lastLine), 10_000));
    await sleep(300);
    if (round < 2) {
      await keyToFrame('\x1b', (x) => !x.includes(`lxc.log of ${name}`));
      await sleep(300);
    }
  }

  const position = () => /lxc\.log of \S+ {2}(\d+)-/.exec(screen())?.[1];
  const scrollMs = [];
  for (let i = 0; i < 150; i++) {
    const before = position();
    await sleep(40);
    scrollMs.push(await keyToFrame('k', () => position() !== before));
  }
  for (let i = 0; i < 30; i++) {
    const before = position();
    await sleep(40);
    scrollMs.push(await keyToFrame('\x1b[5~', () => position() !== before));
  }
  await sleep(40);
  scrollMs.push(await keyToFrame('g', () => position() === '1'));
  await sleep(40);
  scrollMs.push(await keyToFrame('G', (x) => x.includes(lastLine)));

  // Three rounds: with ~100 keys a p99 is not just the slowest key.
  const searchMs = [];
  for (let round = 0; round < 3; round++) {
    await sleep(40);
    searchMs.push(await keyToFrame('g', () => position() === '1'));
    await sleep(40);
    searchMs.push(await keyToFrame('/', (x) => x.includes('Enter keep  Esc drop')));
    const query = 'error';
    let typed = '';
    for (const ch of query) {
      typed += ch;
      await sleep(40);
      searchMs.push(await keyToFrame(ch, (x) => new RegExp(`^/${typed}\\s+Enter keep`, 'm').test(x)));
    }
    await sleep(40);
    await keyToFrame('\r', (x) => !x.includes('Esc drop'));
    const matchLine = () => /\/error \(line (\d+)\)/.exec(screen())?.[1];
    for (let i = 0; i < 20; i++) {
      const before = matchLine();
      await sleep(40);
      searchMs.push(await keyToFrame('n', () => matchLine() !== before));
    }
    // `/` then Esc drops the query (Esc alone would close the view).
    await keyToFrame('/', (x) => x.includes('Esc drop'));
    await keyToFrame('\x1b', (x) => !x.includes('/error'));
  }

  if (process.env.BENCH_KEYS) console.log(searchMs.map((x) => Math.round(x)).join(' '));
  console.log(`lxc.log of ${name}: ${(size / 1024 / 1024).toFixed(2)} MB, ${n} lines; terminal ${opts.cols}x${opts.rows}`);
  console.log(table([
    ['', 'lxtop', 'reference, same run', 'target', 'verdict'],
    ['open (l → last line on screen)', `median ${fmt(percentile(openMs, 50))} (${openMs.map(fmt).join(', ')})`, `${cli.bin} info --show-log median ${fmt(percentile(refMs, 50))}`, '≤ 300 ms', percentile(openMs, 50) <= 300 ? 'PASS' : 'FAIL'],
    ['scroll key → frame', stats(scrollMs), '', 'p99 ≤ 30 ms', percentile(scrollMs, 99) <= 30 ? 'PASS' : 'FAIL'],
    ['search key → frame', stats(searchMs), '', 'p99 ≤ 30 ms', percentile(searchMs, 99) <= 30 ? 'PASS' : 'FAIL'],
  ]));
} finally {
  if (session) await session.quit().catch(() => undefined);
  try {
    cli.run('delete', '--force', name);
  } catch {
    // never made
  }
}
