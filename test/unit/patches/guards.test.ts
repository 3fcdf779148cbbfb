// The guards of src/patches/: lxtop patches Ink 6.8.0 (and yoga-layout when bundling) in places
// no public API covers, so every patch is written for exact versions (src/patches/pins.ts), which
// package.json pins. Nothing here is skipped: after an upgrade these fail, instead of the patches
// switching themselves off in silence. For each patch: the installed version is the pinned one,
// the internals it touches are still there and look as it expects, and the upstream bug or cost it
// works around is still there (when one of those fails, the patch's header says what lets it go).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { letInkRenderLive } from '../../../src/patches/ink-ci-env.js';
import { inkOutput } from '../../../src/patches/ink-output.js';
import { inkStdout } from '../../../src/patches/ink-stdout.js';
import { WRITTEN_FOR, type PinnedPackage } from '../../../src/patches/pins.js';
import { STRING_WIDTH_FILE, patchStringWidthSource } from '../../../src/patches/string-width-narrow.mjs';
import { YOGA_FILE, patchYogaSource } from '../../../src/patches/yoga-without-fetch.mjs';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A package's directory as Node finds it from `from` (node_modules, walking up). */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) throw new Error(`${name} is not installed (looked from ${from})`);
  }
}

const inkDir = packageDir('ink', repoRoot);
/** Where each pinned package is installed: Ink's own dependencies as Ink finds them. */
const installedDir: Record<PinnedPackage, string> = {
  ink: inkDir,
  '@alcalzone/ansi-tokenize': packageDir('@alcalzone/ansi-tokenize', inkDir),
  'is-in-ci': packageDir('is-in-ci', inkDir),
  'yoga-layout': packageDir('yoga-layout', inkDir),
  'string-width': packageDir('string-width', inkDir),
};
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const inkFile = (path: string) => readFileSync(join(inkDir, 'build', path), 'utf8');
const importFile = async <T>(path: string) => (await import(pathToFileURL(path).href)) as T;

describe('the pinned versions', () => {
  const pkg = readJson(join(repoRoot, 'package.json')) as Record<string, Record<string, string> | undefined>;
  const lock = readJson(join(repoRoot, 'package-lock.json')) as { packages: Record<string, { version?: string }> };

  for (const name of Object.keys(WRITTEN_FOR) as PinnedPackage[]) {
    const want = WRITTEN_FOR[name];
    it(`${name}: package.json pins exactly ${want}, the lock file and node_modules hold it`, () => {
      const pin = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.overrides?.[name];
      expect(pin, `package.json must pin ${name} to the version src/patches/pins.ts names`).toBe(want);
      const locked = lock.packages[`node_modules/${name}`]?.version ?? lock.packages[`node_modules/ink/node_modules/${name}`]?.version;
      expect(locked, `package-lock.json's ${name}`).toBe(want);
      const installed = readJson(join(installedDir[name], 'package.json')).version;
      expect(installed, `installed ${name} (${installedDir[name]}): the patches in src/patches/ were written for ${want}; read them again before moving the pin`).toBe(want);
    });
  }
});

describe('ink-output.ts (a faster Output#get)', () => {
  it('is installed over the Output class Ink renders with', async () => {
    expect(inkOutput, 'not installed: Ink is not the version in pins.ts, or its files moved').not.toBeNull();
    const { default: Output } = await importFile<{ default: { prototype: { get: unknown } } }>(join(inkDir, 'build/output.js'));
    expect(inkOutput!.Output).toBe(Output);
    expect(Output.prototype.get).not.toBe(inkOutput!.originalGet);
  });

  it("Ink's Output#get is still the code the copy was made from, with the fields it reads", async () => {
    const { Output, originalGet } = inkOutput!;
    // The grid code in ink-output.ts (gridRow, the write loop) copies this function.
    const source = (originalGet as () => unknown).toString();
    expect(createHash('sha256').update(source).digest('hex').slice(0, 16), "Ink's Output#get changed: compare it with ink-output.ts").toBe('ff97f9abeabc83c4');
    const output = new (Output as unknown as new (o: { width: number; height: number }) => Record<string, unknown>)({ width: 10, height: 2 });
    expect(output).toMatchObject({ width: 10, height: 2, operations: [] });
    const caches = output.caches as Record<string, unknown>;
    expect(typeof caches.getStyledChars).toBe('function');
    expect(typeof caches.getStringWidth).toBe('function');
  });

  it("the tokenizer's functions it calls are the ones Ink's Output imports", async () => {
    const tokFile = join(installedDir['@alcalzone/ansi-tokenize'], 'build/index.js');
    const tok = await importFile<Record<string, unknown>>(tokFile);
    for (const fn of ['tokenize', 'styledCharsFromTokens', 'styledCharsToString', 'reduceAnsiCodesIncremental']) {
      expect(typeof tok[fn], fn).toBe('function');
      expect((inkOutput!.tok as unknown as Record<string, unknown>)[fn], fn).toBe(tok[fn]);
    }
    expect(inkFile('output.js')).toMatch(/from '@alcalzone\/ansi-tokenize'/);
  });
});

describe('ink-stdout.ts (the cursor back on the frame after a newline)', () => {
  /** Three frames through Ink's own incremental renderer into a terminal emulator: its screen. */
  async function screen(wrap: (s: NodeJS.WriteStream) => NodeJS.WriteStream): Promise<string[]> {
    const { default: logUpdate } = await importFile<{
      default: { create(s: NodeJS.WriteStream, o: { incremental: boolean }): (frame: string) => void };
    }>(join(inkDir, 'build/log-update.js'));
    const rows = 8;
    const term = new xterm.Terminal({ cols: 20, rows, allowProposedApi: true });
    const out = new PassThrough();
    const written: string[] = [];
    out.on('data', (c: Buffer) => written.push(c.toString()));
    const stream = Object.assign(out, { columns: 20, rows, isTTY: true }) as unknown as NodeJS.WriteStream;
    const render = logUpdate.create(wrap(stream), { incremental: true });
    // Ink's frames end in a newline when the root is shorter than the terminal (ours: rows - 1).
    for (const n of [1, 2, 3]) render(`a${n}\nb${n}\nc${n}\n`);
    await new Promise((r) => setImmediate(r));
    await new Promise<void>((r) => term.write(written.join(''), r));
    const buffer = term.buffer.active;
    const lines = Array.from({ length: rows }, (_, i) => buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    term.dispose();
    return lines.filter((l) => l !== '');
  }

  it('the bug is still there: without it each frame lands a row lower than the last', async () => {
    expect(await screen((s) => s), "Ink's incremental frames land where they should now: ink-stdout.ts may go (see its header)").toEqual([
      'a1',
      'a2',
      'a3',
      'b3',
      'c3',
    ]);
  });

  it('with it every frame is drawn over the last one', async () => {
    expect(await screen(inkStdout)).toEqual(['a3', 'b3', 'c3']);
  });

  it('puts the cursor back on the last row after a frame that ends below it, and nothing else', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const stream = Object.assign(out, { columns: 80, rows: 24, isTTY: true }) as unknown as NodeJS.WriteStream;
    const wrapped = inkStdout(stream);
    wrapped.write('line1\nline2\n');
    wrapped.write('\x1b[?2026h');
    wrapped.write('\x1b[1Aline2\x1b[K\n\x1b[E');
    wrapped.write('\x1b[2J\x1b[Hfull-height frame without newline');
    expect(chunks).toEqual([
      'line1\nline2\n',
      '\x1b[A',
      '\x1b[?2026h',
      '\x1b[1Aline2\x1b[K\n\x1b[E',
      '\x1b[A',
      '\x1b[2J\x1b[Hfull-height frame without newline',
    ]);
    expect(wrapped.columns).toBe(80);
    expect(wrapped.rows).toBe(24);
    expect(wrapped.isTTY).toBe(true);
  });
});

describe('ink-ci-env.ts (CI and CONTINUOUS_INTEGRATION dropped for the full-screen view)', () => {
  /** is-in-ci's answer in a fresh process with these variables. */
  function isInCi(env: Record<string, string>): string {
    const url = pathToFileURL(join(installedDir['is-in-ci'], 'index.js')).href;
    const { CI: _ci, CONTINUOUS_INTEGRATION: _ciToo, ...rest } = process.env;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import i from ${JSON.stringify(url)}; process.stdout.write(String(i));`], {
      env: { ...rest, ...env },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    return run.stdout;
  }

  it('is-in-ci still reads exactly these two variables, and Ink still asks it', () => {
    expect(isInCi({})).toBe('false');
    expect(isInCi({ CI: 'true' })).toBe('true');
    expect(isInCi({ CONTINUOUS_INTEGRATION: '1' })).toBe('true');
    expect(inkFile('ink.js')).toMatch(/^import isInCi from 'is-in-ci';$/m);
  });

  it('the cause is still there: Ink has no render option to say "interactive" (Ink 7 has one)', () => {
    expect(inkFile('render.d.ts'), 'Ink can be told it is interactive now: use that instead of ink-ci-env.ts').not.toMatch(/\binteractive\b/);
  });

  it('drops both, and nothing else', () => {
    const env: NodeJS.ProcessEnv = { CI: 'true', CONTINUOUS_INTEGRATION: '1', TERM: 'xterm' };
    letInkRenderLive(env);
    expect(env).toEqual({ TERM: 'xterm' });
  });
});

describe('yoga-without-fetch.mjs (the build decodes yoga’s WebAssembly without fetch)', () => {
  const file = join(installedDir['yoga-layout'], 'dist/binaries/yoga-wasm-base64-esm.js');

  it('applies to the installed yoga-layout: both fetch tests replaced, the file the plugin looks for', () => {
    expect(YOGA_FILE.test(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    // The cost is still there: without the patch, yoga reads its WebAssembly through fetch().
    expect(text, 'yoga-layout no longer tests for fetch: yoga-without-fetch.mjs may go (see its header)').toContain('"function"!=typeof fetch');
    const patched = patchYogaSource(text, file);
    expect(patched).not.toContain('typeof fetch');
    expect(patched.length).toBe(text.length - 2 * ('"function"!=typeof fetch'.length - 2));
  });

  it('stops the build when yoga-layout no longer matches', () => {
    expect(() => patchYogaSource('"function"!=typeof fetch', 'x.js')).toThrow(/expected 2 fetch checks, found 1/);
    expect(() => patchYogaSource('', 'x.js')).toThrow(/found 0/);
  });
});

describe('string-width-narrow.mjs (the build measures lxtop\'s narrow characters by the fast path)', () => {
  const file = join(installedDir['string-width'], 'index.js');

  it('applies to the string-width Ink measures with, and measures every character it adds as the original does', async () => {
    expect(STRING_WIDTH_FILE.test(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const patched = patchStringWidthSource(text, file);
    // The patched module, loaded from a copy beside the original (its imports resolve the same).
    const copy = join(dirname(file), 'index.lxtop-test.js');
    writeFileSync(copy, patched);
    try {
      const fast = (await importFile<{ default: (s: string, o?: object) => number }>(copy)).default;
      const slow = (await importFile<{ default: (s: string, o?: object) => number }>(file)).default;
      const added = [0x2026, 0x2190, 0x2191, 0x2192, 0x2193, ...range(0x2500, 0x259f), ...range(0x2800, 0x28ff)].map((c) => String.fromCodePoint(c));
      for (const ch of added) expect(fast(`a${ch}b`), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(slow(`a${ch}b`));
      const others = ['plain', 'CPU ▁▂▃▄▅▆▇█ 12%', 'cut…', '↑/↓ move', '⣿⣀ graph', 'wide 漢字', 'emoji 🙂', 'e\u0301', 'tab\tx', '\u001b[1mbold\u001b[0m ▁', 'É', ''];
      for (const s of others) expect(fast(s), s).toBe(slow(s));
      for (const s of ['▁▂', '…', '─┼']) expect(fast(s, { ambiguousIsNarrow: false }), s).toBe(slow(s, { ambiguousIsNarrow: false }));
    } finally {
      rmSync(copy, { force: true });
    }
  });

  it('stops the build when string-width no longer has the ASCII fast path it extends', () => {
    expect(() => patchStringWidthSource('export default function stringWidth() {}', 'x.js')).toThrow(/expected string-width's ASCII fast path once, found 0/);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
