// What the first frame costs in code: `lxtop --socket` in a terminal loads, up to its first paint
// (every instance name on screen), no websocket library, no console, no remote or configuration
// code, no Ink or React; those come after it (ws once the event stream connects). The built
// client (dist/, bundled by scripts/build.mjs) runs in a pseudo-terminal with a preload that logs
// every file it loads (a resolve hook) and marks the first write that holds every name; the
// sources in each file come from dist/meta.json, esbuild's account of the bundle.
// `lxtop --once` (stdout a pipe) loads none of Ink, React, yoga, undici or ws, and compiles no
// WebAssembly (undici's HTTP parser is WebAssembly): the same hook, plus a watch on WebAssembly.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLxd, type FakeLxd } from '../support/fake-lxd-server.js';
import { cliPath, repoRoot, startPty, type PtySession } from '../support/pty.js';

let fake: FakeLxd;
let dir: string;
let s: PtySession | null = null;
beforeAll(async () => {
  fake = await startFakeLxd({ instances: 3, running: 1, prefix: 'mod' });
  dir = mkdtempSync(join(tmpdir(), 'lxtop-mods-'));
});
afterAll(async () => {
  s?.kill('SIGKILL');
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The sources (repository paths) bundled into each file of dist/, by file URL. */
function bundleSources(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(repoRoot, 'dist/meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const out = new Map<string, string[]>();
  for (const [file, o] of Object.entries(meta.outputs)) out.set(`file://${join(repoRoot, file)}`, Object.keys(o.inputs));
  return out;
}

const hooks = (log: string) =>
  `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, 'LOAD ' + r.url + '\\n');
  return r;
}
`;

// Runs before the CLI: the hook (Node runs it on a thread of its own, but the program cannot use
// a file before the hook has logged it), and a mark at the first write that shows every name.
const preload = (hookFile: string, log: string, names: string[]) =>
  `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`file://${hookFile}`)});
const names = ${JSON.stringify(names)};
const write = process.stdout.write.bind(process.stdout);
let marked = false;
process.stdout.write = (chunk, ...rest) => {
  if (!marked && names.every((n) => String(chunk).includes(n))) {
    marked = true;
    appendFileSync(${JSON.stringify(log)}, 'FRAME\\n');
  }
  return write(chunk, ...rest);
};
`;

/** The sources bundled into what lxtop loaded before its first frame, and after it. */
async function firstPaintLoads(args: string[], env: Record<string, string | undefined> = {}): Promise<{ early: string[]; later: string[] }> {
  expect(existsSync(join(repoRoot, 'dist/meta.json')), 'npm run build first').toBe(true);
  const sources = bundleSources();
  const names = [...fake.instances.keys()];
  expect(names.length).toBe(3);
  const log = join(dir, 'loads.log');
  const hookFile = join(dir, 'hooks.mjs');
  const preloadFile = join(dir, 'preload.mjs');
  writeFileSync(hookFile, hooks(log));
  writeFileSync(preloadFile, preload(hookFile, log, names));
  writeFileSync(log, '');
  s = startPty(process.execPath, ['--import', preloadFile, cliPath, ...args], { cols: 120, rows: 30, env });
  // Ink's frame (the pane tabs), then the event stream: ws is loaded once it connects.
  await s.waitFor('2 Images', 20_000);
  const wsIn = (files: string[]) => files.some((f) => (sources.get(f) ?? []).some((i) => i.startsWith('node_modules/ws/')));
  const deadline = Date.now() + 10_000;
  while (!wsIn(loaded(readFileSync(log, 'utf8'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  s.write('q');
  expect((await s.exited).exitCode).toBe(0);

  const lines = readFileSync(log, 'utf8').split('\n');
  const frame = lines.indexOf('FRAME');
  expect(frame, lines.join('\n')).toBeGreaterThan(0);
  const before = loaded(lines.slice(0, frame).join('\n'));
  const after = loaded(lines.slice(frame).join('\n'));
  for (const f of [...before, ...after]) expect(sources.has(f), `${f} is not in dist/meta.json`).toBe(true);
  const inputs = (files: string[]) => [...new Set(files.flatMap((f) => sources.get(f) ?? []))];
  return { early: inputs(before), later: inputs(after) };
}

const has = (set: string[], prefix: string) => set.some((i) => i.startsWith(prefix));

/** A HOME with no lxc, incus or lxtop configuration, and none named by the environment. */
function bareHome(): Record<string, string | undefined> {
  const home = mkdtempSync(join(dir, 'home-'));
  return { HOME: home, LXD_CONF: undefined, INCUS_CONF: undefined, LXTOP_CONF: undefined, LXD_DIR: undefined, LXD_SOCKET: fake.socket };
}

describe('modules loaded before the first frame', () => {
  it('first paint: lxd client and first-paint code only; ws, console, remote, config, Ink after it', async () => {
    const { early, later } = await firstPaintLoads(['--socket', fake.socket]);
    expect(has(early, 'node_modules/undici/')).toBe(true);
    expect(early).toContain('src/app/first-paint.ts');
    for (const late of ['node_modules/ws/', 'src/console/', 'src/sessions/', 'src/remote/', 'node_modules/yaml/', 'node_modules/ink/', 'node_modules/react/']) {
      expect(has(early, late), `${late} loaded before the first frame`).toBe(false);
    }
    // The session holder's own code (and its terminal emulator) is never loaded by the TUI.
    for (const holderOnly of ['src/sessions/holder.ts', 'src/sessions/session.ts', 'src/sessions/remote-pty.ts', 'node_modules/@xterm/']) {
      expect(has([...early, ...later], holderOnly), `${holderOnly} loaded by a plain lxtop`).toBe(false);
    }
    for (const late of ['node_modules/ws/', 'src/console/', 'node_modules/ink/', 'node_modules/react/']) {
      expect(has(later, late), `${late} never loaded`).toBe(true);
    }
  });

  it('plain lxtop with no configuration anywhere: no configuration code or YAML parser before the first frame', async () => {
    const { early } = await firstPaintLoads([], bareHome());
    expect(early).toContain('src/app/first-paint.ts');
    for (const late of ['node_modules/yaml/', 'src/config/load.ts', 'src/remote/', 'node_modules/@peculiar/']) {
      expect(has(early, late), `${late} loaded before the first frame`).toBe(false);
    }
  });

  it("plain lxtop with lxc's configuration: it is read (YAML), but the X.509 library for `remote add` is not loaded", async () => {
    const env = bareHome();
    mkdirSync(join(env.HOME!, '.config', 'lxc'), { recursive: true });
    writeFileSync(join(env.HOME!, '.config', 'lxc', 'config.yml'), `default-remote: here\nremotes:\n  here:\n    addr: unix://${fake.socket}\n`);
    const { early } = await firstPaintLoads([], { ...env, LXD_SOCKET: undefined });
    expect(has(early, 'node_modules/yaml/')).toBe(true);
    for (const late of ['node_modules/@peculiar/', 'src/remote/add.ts', 'src/remote/client-cert.ts']) {
      expect(has(early, late), `${late} loaded before the first frame`).toBe(false);
    }
  });
});

describe('modules loaded by --once', () => {
  // Runs before the CLI: the resolve hook, and a note of every WebAssembly module compiled.
  const oncePreload = (hookFile: string, log: string) =>
    `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`file://${hookFile}`)});
const note = (what) => appendFileSync(${JSON.stringify(log)}, 'WASM ' + what + '\\n');
for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const f = WebAssembly[name];
  WebAssembly[name] = function (...args) { note(name); return f.apply(this, args); };
}
const Module = WebAssembly.Module;
WebAssembly.Module = new Proxy(Module, { construct(target, args) { note('Module'); return Reflect.construct(target, args); } });
process.on('exit', () => {
  for (const m of process.moduleLoadList) if (/undici/.test(m)) appendFileSync(${JSON.stringify(log)}, 'BUILTIN ' + m + '\\n');
});
`;

  /** Runs `lxtop --once ARGS` (stdout a pipe); the sources it loaded, and what the preload noted. */
  async function onceLoads(args: string[], env: Record<string, string | undefined> = {}) {
    expect(existsSync(join(repoRoot, 'dist/meta.json')), 'npm run build first').toBe(true);
    const sources = bundleSources();
    const log = join(dir, 'once-loads.log');
    const hookFile = join(dir, 'once-hooks.mjs');
    const preloadFile = join(dir, 'once-preload.mjs');
    writeFileSync(hookFile, hooks(log));
    writeFileSync(preloadFile, oncePreload(hookFile, log));
    writeFileSync(log, '');
    const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    // Not execFileSync: the fake daemon answers from this process.
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', preloadFile, cliPath, '--once', ...args], { env: childEnv as NodeJS.ProcessEnv, timeout: 30_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    const text = readFileSync(log, 'utf8');
    const files = loaded(text);
    for (const f of files) expect(sources.has(f), `${f} is not in dist/meta.json`).toBe(true);
    const inputs = [...new Set(files.flatMap((f) => sources.get(f) ?? []))];
    const notes = text.split('\n').filter((l) => l.startsWith('WASM ') || l.startsWith('BUILTIN '));
    return { stdout, inputs, notes };
  }

  const NOT_FOR_ONCE = [
    'node_modules/ink/',
    'node_modules/react/',
    'node_modules/react-reconciler/',
    'node_modules/scheduler/',
    'node_modules/yoga-layout/',
    'node_modules/undici/',
    'node_modules/ws/',
    'src/lxd/http-undici.ts',
    'src/app/run-tui.tsx',
    'src/app/App.tsx',
    'src/app/first-paint.ts',
    'src/views/panes.tsx',
    'src/console/',
    'src/remote/add.ts',
    'node_modules/@peculiar/',
  ];

  it('--once --socket: the client over Node\'s http, the store and the plain table; no Ink, React, yoga, undici, ws; no WebAssembly', async () => {
    const { stdout, inputs, notes } = await onceLoads(['--socket', fake.socket]);
    for (const name of fake.instances.keys()) expect(stdout).toContain(name);
    for (const needed of ['src/app/once.ts', 'src/views/plain.ts', 'src/lxd/http-node.ts', 'src/store/reducers.ts']) expect(inputs).toContain(needed);
    for (const banned of NOT_FOR_ONCE) expect(has(inputs, banned), `${banned} loaded by --once`).toBe(false);
    expect(notes).toEqual([]);
  });

  it('--once through a configured remote (lxc\'s config.yml, YAML read): the same', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    mkdirSync(join(home, '.config', 'lxc'), { recursive: true });
    writeFileSync(join(home, '.config', 'lxc', 'config.yml'), `default-remote: here\nremotes:\n  here:\n    addr: unix://${fake.socket}\n`);
    const { stdout, inputs, notes } = await onceLoads([], { HOME: home, LXD_CONF: undefined, INCUS_CONF: undefined, LXTOP_CONF: undefined, LXD_DIR: undefined, LXD_SOCKET: undefined });
    for (const name of fake.instances.keys()) expect(stdout).toContain(name);
    expect(has(inputs, 'node_modules/yaml/')).toBe(true);
    for (const banned of NOT_FOR_ONCE) expect(has(inputs, banned), `${banned} loaded by --once`).toBe(false);
    expect(notes).toEqual([]);
  });
});

describe('the bundle', () => {
  it("holds React's production build only (the development one costs several times the CPU per frame)", () => {
    const inputs = [...bundleSources().values()].flat();
    expect(inputs).toContain('node_modules/react/cjs/react.production.js');
    expect(inputs.filter((i) => /\.development\.js$/.test(i))).toEqual([]);
  });

  it("lets src/patches/ink-output.ts patch the bundle's own Ink: one Output class and one tokenizer, also reached through lxtop:ink-internals", () => {
    const bundle = bundleSources();
    const inputs = [...bundle.values()].flat();
    expect(inputs.filter((i) => i === 'node_modules/ink/build/output.js')).toHaveLength(1);
    expect(inputs.filter((i) => i === 'node_modules/@alcalzone/ansi-tokenize/build/index.js')).toHaveLength(1);
    expect(inputs).toContain('lxtop:ink-internals');
  });
});

/** dist/ files in the log, in load order, once each. */
function loaded(text: string): string[] {
  const dist = `file://${join(repoRoot, 'dist')}/`;
  const files = text
    .split('\n')
    .filter((l) => l.startsWith('LOAD '))
    .map((l) => l.slice(5))
    .filter((u) => u.startsWith(dist));
  return [...new Set(files)];
}
