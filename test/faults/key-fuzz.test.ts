// A key fuzzer: tens of thousands of random key sequences (printable text, control characters,
// arrows and other escape sequences, junk escapes, pastes, wide and combining characters) and
// resizes, against the built CLI in a real pty on the real sandbox LXD in --read-only mode (so
// nothing can change on the daemon), in a tiny terminal and in a normal one. No crash, no
// unhandled rejection (either ends the program with "unexpected error" and exit status 1), and at
// the end the program still answers keys and quits with status 0. Ctrl-C and `q` are left out of
// the random keys (they quit, by design); Ctrl-R (a full re-list) is rare, to spare the shared daemon.
// The seed is printed; LXTOP_FUZZ_SEED=<n> replays a run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { daemonSocket, describeOn } from '../support/daemons.js';
import { startCli, type PtySession } from '../support/pty.js';
import { sleep } from './helpers.js';

/** mulberry32: a small seeded PRNG in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMED = [
  '\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D', '\x1bOA', '\x1bOB', '\x1b[H', '\x1b[F', '\x1b[1~', '\x1b[4~',
  '\x1b[5~', '\x1b[6~', '\x1b[2~', '\x1b[3~', '\x1b[Z', '\x1bOP', '\x1b[15~', '\x1b[24~', '\x1b', '\x1b\x1b',
  '\r', '\n', '\t', '\x7f', '\b', ' ',
];
const WIDE = ['é', 'ß', '漢字', '🙂', '👩‍👩‍👧', 'e\u0301', '\u200b', 'Ａ', '\u202e', '\ufffd'];
// Keys that do something in the panes (read-only: the mutating ones are refused with a message).
// W: the warnings view (a, d refused there in read-only mode). 6 7 8: the profiles, networks and
// storage views (Enter, i open; c, n, d refused there); c and K (edit, quick settings) refused.
// F: the files view (Enter, h and l move between directories, p pulls into the run's own
// temporary directory, u, e, d refused). B: type into many (refused).
const BOUND = 'jkgGhlH123?/<>.,I sxXrfeSRmdnc:Waz678iKFpuB'.split('');

function sequence(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = rnd();
  if (r < 0.3) return pick(BOUND);
  if (r < 0.45) return pick(NAMED);
  if (r < 0.6) {
    // printable ASCII without q
    let c = String.fromCharCode(32 + Math.floor(rnd() * 95));
    if (c === 'q') c = 'Q';
    return c;
  }
  if (r < 0.7) {
    // control characters, without Ctrl-C (quits) and mostly without Ctrl-R (re-list)
    let code = Math.floor(rnd() * 32);
    if (code === 3) code = 1;
    if (code === 18 && rnd() < 0.98) code = 2;
    return String.fromCharCode(code);
  }
  if (r < 0.78) return pick(WIDE);
  if (r < 0.86) {
    // junk and rarer escape sequences: CSI with parameters, SS3, alt+key, mouse, bracketed paste
    const kinds = [
      () => `\x1b[${Math.floor(rnd() * 300)};${Math.floor(rnd() * 10)}${String.fromCharCode(64 + Math.floor(rnd() * 62))}`,
      () => `\x1bO${String.fromCharCode(65 + Math.floor(rnd() * 26))}`,
      () => `\x1b${String.fromCharCode(33 + Math.floor(rnd() * 90)).replace('q', 'w')}`,
      () => `\x1b[<${Math.floor(rnd() * 64)};${Math.floor(rnd() * 200)};${Math.floor(rnd() * 60)}${rnd() < 0.5 ? 'M' : 'm'}`,
      () => `\x1b[200~${'paste '.repeat(1 + Math.floor(rnd() * 5))}\x1b[201~`,
      () => `\x1b[${'9'.repeat(1 + Math.floor(rnd() * 30))}`,
      () => '\x1b[',
      () => '\x1b]0;title\x07',
    ];
    return pick(kinds)();
  }
  // a run of typed characters (a paste), sometimes with Enter in it
  const n = 2 + Math.floor(rnd() * 20);
  let out = '';
  for (let i = 0; i < n; i++) out += rnd() < 0.1 ? '\r' : String.fromCharCode(97 + Math.floor(rnd() * 26)).replace('q', 'w');
  return out;
}

/** utime + stime of a process, in clock ticks (10 ms). */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Waits until the process is idle for a moment (no CPU tick over 40 ms), at most 5 s. */
async function drained(pid: number): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = cpuTicks(pid);
  while (Date.now() < deadline) {
    await sleep(40);
    const now = cpuTicks(pid);
    if (now === last) return;
    last = now;
  }
}

const sessions: PtySession[] = [];
// The program's working directory: a file the files view pulls (p, default ./NAME) lands here.
const scratch = mkdtempSync(join(tmpdir(), 'lxtop-key-fuzz-'));
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill('SIGKILL');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeOn(['lxd'], 'key fuzzer (real LXD, --read-only, real pty)', () => {
  const socket = daemonSocket('lxd')!;
  const runs = [
    { name: 'a tiny terminal', cols: 40, rows: 10, sizes: [[40, 10], [20, 6], [12, 4], [30, 8], [45, 12], [10, 3]], sequences: 12_000 },
    { name: 'a normal terminal', cols: 120, rows: 30, sizes: [[120, 30], [80, 24], [200, 50], [60, 15], [120, 30]], sequences: 12_000 },
  ];

  for (const run of runs) {
    it(`${run.sequences.toLocaleString('en')} random key sequences and resizes in ${run.name}: no crash`, async () => {
      const seed = Number(process.env.LXTOP_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const rnd = prng(seed);
      // A session holder of its own: the Sessions pane (Enter attaches) must not reach sessions that
      // other tests, or a user of this machine, left running.
      const runtime = mkdtempSync(join(scratch, 'runtime-'));
      const s = startCli(['--socket', socket, '--read-only', '--interval', '500ms'], { cols: run.cols, rows: run.rows, cwd: scratch, env: { XDG_RUNTIME_DIR: runtime } });
      sessions.push(s);
      let exited: { exitCode: number; signal?: number } | null = null;
      void s.exited.then((e) => (exited = e));
      // `1 instance` has no s; in the tiny terminal the header may be cut or replaced by the notice.
      await s.waitFor((x) => /\d+ instances?\b/.test(x) || x.includes('too small'), 15_000);

      const t0 = Date.now();
      let bytes = 0;
      for (let i = 0; i < run.sequences && exited === null; i++) {
        const seq = sequence(rnd);
        bytes += seq.length;
        s.write(seq);
        if (i % 400 === 399) {
          const [c, r] = run.sizes[Math.floor(rnd() * run.sizes.length)];
          s.resize(c, r);
        }
        // Let the program keep up: every batch, wait until it has used up its input (its CPU
        // time stops growing), so the whole run is the program's work, not a backlog.
        if (i % 100 === 99) await drained(s.pty.pid);
      }
      const fuzzMs = Date.now() - t0;
      const context = `seed ${seed} (LXTOP_FUZZ_SEED=${seed} replays it)`;
      expect(exited, `the program ended during the fuzz: ${context}\n${s.output.slice(-1500)}`).toBeNull();

      // Still alive and answering: back to a known size, dialogs and filters closed, help opens.
      s.resize(run.cols, run.rows);
      for (let i = 0; i < 3; i++) {
        await sleep(150);
        s.write('\x1b');
      }
      await sleep(300);
      if (run.cols >= 60) {
        s.write('?');
        await s.waitFor('Everywhere', 10_000).catch(async (err: Error) => {
          if (process.env.LXTOP_FUZZ_DEBUG) {
            for (let i = 0; i < 10; i++) {
              await sleep(1000);
              s.write(i % 2 ? '\x1b' : '?');
              console.log(`--- +${i + 1}s\n${s.screen()}`);
            }
          }
          throw new Error(`${context}: ${err.message}`);
        });
        await sleep(100);
        s.write('\x1b');
        // The storage view still opens and lists the sandbox's pool.
        await sleep(100);
        s.write('8');
        await s.waitFor(/Storage pools: \d+[\s\S]*default\s+dir/, 10_000).catch((err: Error) => {
          throw new Error(`${context}: ${err.message}`);
        });
        s.write('\x1b');
      }
      await sleep(100);
      s.write('\x03');
      // Generous: on a loaded machine (load 10 on 2 cores) the way out took over 10 s once.
      const end = await Promise.race([s.exited, sleep(20_000).then(() => null)]);
      console.log(`[key-fuzz] ${run.name}: ${run.sequences} sequences (${bytes} bytes) in ${fuzzMs} ms, ${context}`);
      expect(s.output, context).not.toContain('unexpected error');
      expect(end, `${context}: no exit after Ctrl-C`).not.toBeNull();
      expect(end!.exitCode, context).toBe(0);
    }, 90_000);
  }
});
