// Shared by the scale benchmarks (bench/scale-*.mjs, bench/idle-50.mjs): the built CLI in a real
// pseudo-terminal (node-pty) read through a headless terminal (@xterm/headless), run the way a
// person runs it (no NODE_ENV, no CI); the fake daemon of test/support/fake-lxd-server.ts in a
// child process; first-frame, key → frame, peak RSS and CPU measurements; percentiles and tables.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import xterm from '@xterm/headless';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cliJs = join(root, 'dist/cli.js');
export const sandbox = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';

export function requireBuild() {
  if (!existsSync(cliJs)) {
    console.error(`bench: ${cliJs} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const median = (xs) => percentile(xs, 50);

/** Flags: `--name value`; numbers where the default is a number. */
export function flags(defaults, argv = process.argv.slice(2)) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in defaults)) throw new Error(`unknown argument ${argv[i]} (flags: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')})`);
    const v = m[2] ?? argv[++i];
    out[m[1]] = typeof defaults[m[1]] === 'number' ? Number(v) : v;
  }
  return out;
}

// ---- the fake daemon, transpiled from the test support TypeScript ---------------------------

/** Transpiles test/support/{fake-server,fake-lxd-server}.ts into bench/out/fake/ (TypeScript's own transpiler). */
async function buildFake() {
  const ts = (await import('typescript')).default;
  const out = join(root, 'bench/out/fake');
  mkdirSync(out, { recursive: true });
  for (const name of ['fake-server', 'fake-lxd-server']) {
    const src = readFileSync(join(root, `test/support/${name}.ts`), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(out, `${name}.js`), js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const runner = join(out, 'serve.mjs');
  writeFileSync(runner, "import { serve } from './fake-lxd-server.js';\nawait serve(process.argv.slice(2));\n");
  return runner;
}

/** The fake daemon with `instances` instances (`running` of them Running) in a child process. */
export async function startFakeDaemon({ instances, running, prefix = 'fake' }) {
  const runner = await buildFake();
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-bench-fake-'));
  const socket = join(dir, 'unix.socket');
  const child = spawn(process.execPath, [runner, '--socket', socket, '--instances', String(instances), '--running', String(running), '--prefix', prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`fake daemon exited (${code})`)));
  });
  return {
    socket,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- lxtop in a pty ---------------------------------------------------------------------------

export function startLxtop(args, { cols = 120, rows = 40 } = {}) {
  const env = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1' };
  for (const k of ['NODE_ENV', 'CI', 'CONTINUOUS_INTEGRATION']) delete env[k];
  const t0 = performance.now();
  // LXTOP_BENCH_NODE_ARGS: extra node flags for lxtop (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.LXTOP_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const p = pty.spawn(process.execPath, [...nodeArgs, cliJs, ...args], { name: 'xterm-256color', cols, rows, cwd: root, env });
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const listeners = new Set();
  const s = {
    pty: p,
    pid: p.pid,
    t0,
    exited: new Promise((resolve) => p.onExit(resolve)),
    screen() {
      const buf = term.buffer.active;
      const lines = [];
      for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
      return lines.join('\n');
    },
    /** Resolves with the performance.now() of the chunk after which `check(screen)` holds. */
    when(check, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const l = (at) => {
          if (!check(s.screen())) return;
          listeners.delete(l);
          clearTimeout(timer);
          resolve(at);
        };
        const timer = setTimeout(() => {
          listeners.delete(l);
          reject(new Error(`timed out after ${timeoutMs} ms; screen:\n${s.screen()}`));
        }, timeoutMs);
        listeners.add(l);
        term.write('', () => l(performance.now()));
      });
    },
    /** Writes `key`, resolves with ms until the screen satisfies `check`. */
    async keyToFrame(key, check, timeoutMs = 10_000) {
      const done = s.when(check, timeoutMs);
      const t = performance.now();
      p.write(key);
      return (await done) - t;
    },
    resize(c, r) {
      p.resize(c, r);
      term.resize(c, r);
    },
    async quit() {
      p.write('\x03');
      const t = setTimeout(() => p.kill('SIGKILL'), 5000);
      await s.exited;
      clearTimeout(t);
    },
  };
  p.onData((data) => {
    const at = performance.now();
    term.write(data, () => {
      for (const l of [...listeners]) l(at);
    });
  });
  return s;
}

/** `VmHWM` (peak resident set) of a process, in MiB. */
export function peakRssMiB(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const CLK_TCK = 100;
/** utime + stime of a process so far, seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** The NAME of the selected row (`>` gutter), or null. */
export function selectedName(screen) {
  const line = screen.split('\n').find((l) => /^>[* ]\S/.test(l));
  return line ? line.slice(2).split(/\s+/)[0] : null;
}

/** The first data row's NAME. */
export function firstRowName(screen) {
  const line = screen.split('\n').find((l) => /^[> ][* ]\S/.test(l) && !/^\s+NAME/.test(l));
  return line ? line.slice(2).split(/\s+/)[0] : null;
}

/**
 * Key → frame while scrolling and filtering, on a session showing a list of instances named
 * `<prefix>-N` (sorted by name, numerically). Keys are paced (60 ms after the last frame) like a
 * brisk typist, not flooded: Ink draws at most 30 frames a second by design.
 */
export async function keyLatencies(s, { scroll = 60, pages = 15, filterText }) {
  const scrollMs = [];
  const filterMs = [];
  await sleep(300);
  for (let i = 0; i < scroll; i++) {
    const before = selectedName(s.screen());
    await sleep(60);
    scrollMs.push(await s.keyToFrame('j', (x) => selectedName(x) !== before && selectedName(x) !== null));
  }
  for (let i = 0; i < pages; i++) {
    const before = firstRowName(s.screen());
    await sleep(60);
    scrollMs.push(await s.keyToFrame('\x1b[6~', (x) => firstRowName(x) !== before));
  }
  await sleep(60);
  await s.keyToFrame('g', (x) => /^>/m.test(x));
  await sleep(60);
  // The filter input line: `/text`, a cursor cell, then the hint.
  const input = (text) => {
    const re = new RegExp(`^/${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+Enter keep`, 'm');
    return (x) => re.test(x);
  };
  filterMs.push(await s.keyToFrame('/', input('')));
  let typed = '';
  for (const ch of filterText) {
    typed += ch;
    await sleep(60);
    filterMs.push(await s.keyToFrame(ch, input(typed)));
  }
  for (let i = 0; i < filterText.length; i++) {
    typed = typed.slice(0, -1);
    await sleep(60);
    filterMs.push(await s.keyToFrame('\x7f', input(typed)));
  }
  await sleep(60);
  await s.keyToFrame('\x1b', (x) => !x.includes('Enter keep'));
  return { scrollMs, filterMs };
}

export const fmtMs = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : '-');

/** Prints rows of cells as an aligned table; the first row is the header. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [n, r] of rows.entries()) {
    console.log(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('   '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  }
}

export { dirname };
