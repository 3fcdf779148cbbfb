// The in-process frame harness of bench/scale-frame.mjs and bench/events-frame.mjs: the App, the
// store, Ink and React bundled from src/ as the CLI's build bundles them (scripts/bundle-options.mjs;
// dist/ holds only the CLI), rendered by Ink into a fake terminal, keys fed through a fake stdin.
// Per key: the wall time from the key to Ink's write, and the process's CPU over that span.
import { EventEmitter } from 'node:events';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, sleep } from './scale-common.mjs';

const imp = (p) => import(pathToFileURL(join(root, p)).href);

/** App, createStore, inkStdout, render, React: one bundle, so Ink and the App share one React. */
export async function loadApp() {
  const { build } = await import('esbuild');
  const { bundleOptions } = await imp('scripts/bundle-options.mjs');
  const outdir = join(root, 'bench/out/frame');
  await build({
    ...bundleOptions(root),
    stdin: {
      contents: "export { App } from './src/app/App.tsx'; export { createStore } from './src/store/store.ts'; export { inkStdout } from './src/patches/ink-stdout.ts'; export { default as React } from 'react'; export { render } from 'ink';",
      resolveDir: root,
      loader: 'ts',
    },
    outdir,
    entryNames: 'app',
    outExtension: { '.js': '.mjs' },
  });
  return import(pathToFileURL(join(outdir, 'app.mjs')).href);
}

/** test/support/fake-lxd-server.ts's makeInstance (transpiled as bench/scale-common.mjs does). */
export async function loadMakeInstance() {
  const ts = (await import('typescript')).default;
  const out = join(root, 'bench/out/fake');
  mkdirSync(out, { recursive: true });
  for (const name of ['fake-server', 'fake-lxd-server']) {
    const src = readFileSync(join(root, `test/support/${name}.ts`), 'utf8');
    writeFileSync(join(out, `${name}.js`), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return (await import(pathToFileURL(join(out, 'fake-lxd-server.js')).href)).makeInstance;
}

/** A running instance's /state at time `at` (counters that grow with it). */
export const sample = (i, at) => ({
  status: 'Running', status_code: 103, pid: 100 + i, processes: 5 + (i % 7),
  cpu: { usage: at * 1e5 * (1 + (i % 5)) },
  memory: { usage: 30e6 + i * 1000 + at * 1000, usage_peak: 0, swap_usage: 0, swap_usage_peak: 0 },
  network: { eth0: { addresses: [{ family: 'inet', address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, netmask: '24', scope: 'global' }], counters: { bytes_received: at * (i + 1), bytes_sent: at * 2 * (i + 1), packets_received: 0, packets_sent: 0 }, state: 'up', type: 'broadcast', mtu: 1500, hwaddr: '' } },
  disk: null,
});

class FakeOut extends EventEmitter {
  isTTY = true;
  writes = 0;
  bytes = 0;
  waiter = null;
  term = null;
  constructor(cols, rows) {
    super();
    this.columns = cols;
    this.rows = rows;
  }
  write(s, cb) {
    this.term?.write(String(s));
    if (process.env.SCALE_FRAME_DUMP) appendFileSync(process.env.SCALE_FRAME_DUMP, String(s));
    this.writes++;
    this.bytes += Buffer.byteLength(String(s));
    const w = this.waiter;
    this.waiter = null;
    w?.();
    if (typeof cb === 'function') cb();
    return true;
  }
}
class FakeIn extends EventEmitter {
  isTTY = true;
  buf = [];
  setRawMode() { return this; }
  setEncoding() {}
  ref() {}
  unref() {}
  resume() { return this; }
  pause() { return this; }
  read() { return this.buf.shift() ?? null; }
  press(s) { this.buf.push(s); this.emit('readable'); }
}

/**
 * The App on `store` in a fake cols×rows terminal. `key(k)` presses k and resolves at Ink's next
 * write with { wall, cpu } in ms; with `show` (keys, `~` for PageDown) it presses them, prints the
 * screen and exits the process (a check of what is drawn).
 */
export async function mountApp(app, store, { cols, rows, show = '' }) {
  const { App, inkStdout, render, React } = app;
  const stdout = new FakeOut(cols, rows);
  const stdin = new FakeIn();
  if (show) {
    const xterm = (await import('@xterm/headless')).default;
    stdout.term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0, convertEol: true });
  }
  const controller = new Proxy({}, { get: () => () => Promise.resolve({ ok: true, failed: [] }) });
  const ink = render(React.createElement(App, { store, controller, remote: 'bench', onQuit() {}, onConsole() {}, coalesceMs: 80 }), {
    stdout: inkStdout(stdout), stdin, exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, maxFps: 30,
  });
  await sleep(500);
  async function key(k) {
    await sleep(40); // past Ink's 30 fps throttle
    const frame = new Promise((r) => (stdout.waiter = r));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    stdin.press(k);
    await frame;
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 };
  }
  if (show) {
    for (const k of JSON.parse(`"${show}"`)) await key(k === '~' ? '\x1b[6~' : k);
    await sleep(300);
    await new Promise((r) => stdout.term.write('', r));
    const buf = stdout.term.buffer.active;
    for (let y = 0; y < rows; y++) console.log(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    process.exit(0);
  }
  return { ink, stdout, key };
}
