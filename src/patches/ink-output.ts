// Patch: a faster `Output#get` for Ink 6.8.0: the same screen, built with less work per frame.
//
// Works around a cost, not a bug. Ink turns every frame into text through its `Output` class: a
// grid of one object per terminal cell (8,000 at 160×50), each line of each text node re-tokenised
// into per-character style objects, then every row turned back into a string, from scratch for each
// frame. At 5,000 instances that was half of the CPU of a key press, and most of the garbage.
// Measured at 5,000 instances, 160×50, key → frame in a pty (bench/scale-fake.mjs): while the
// bundle patched node_modules' unused copy instead of its own Ink (until 92b108a) keys were back at
// 26 ms p50; with the patch in place scrolling p99 is 13 ms, filtering p99 11 ms. The perf-scale
// change this was the main part of took the CPU per key (bench/scale-frame.mjs, bench/README.md)
// from 21/41 to 2.4/7.6 ms p50/p99 scrolling, and a poll round's frame from 32/61 to 12/21 ms.
//
// This replacement gives byte-identical output (test/unit/patches/ink-output.test.ts checks it
// against Ink's own on generated frames; `LXTOP_INK_OUTPUT=ink` puts Ink's back for a comparison):
//
// - a row's text depends only on the writes that touched it (x and the transformed line) and the
//   width, so rows are keyed by those and remembered for the next frame (a cursor move redraws two
//   rows; the other forty-odd are looked up);
// - a row with a single write (nearly all of them: one <Text> per line) is Ink's own
//   tokenise → styled chars → string of that line, done run by run instead of char by char: the
//   ANSI codes are reduced with the tokenizer's own functions, and text between two codes shares
//   one style; anything unusual (another kind of escape, a mark combining across a code) takes
//   Ink's path;
// - rows written by several nodes (dialog overlays) are built on Ink's grid as before.
//
// Touches: Ink's private build/output.js (its `Output` class, whose `prototype.get` it replaces and
// whose `operations` and `caches` it reads) and @alcalzone/ansi-tokenize's functions, both from the
// very copies Ink renders with: node_modules when running the sources, the bundle's own through the
// virtual module `lxtop:ink-internals` (ink-internals.mjs, ink-internals.d.ts) when bundled.
// Installed only over the Ink version in pins.ts; any other leaves Ink as it is, and
// test/unit/patches/guards.test.ts fails.
//
// What would let it go: an Ink whose Output#get no longer rebuilds the whole grid each frame (7.0
// and 8.0's output.js still do), or frames at 5,000 instances cheap enough without it:
// bench/scale-frame.mjs with and without LXTOP_INK_OUTPUT=ink tells.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WRITTEN_FOR } from './pins.js';

interface StyleCode {
  type: 'ansi';
  code: string;
  endCode: string;
}
interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: StyleCode[];
}
type Token = StyleCode | { type: 'char'; value: string; fullWidth: boolean };
interface Tokenizer {
  tokenize(s: string): Token[];
  styledCharsFromTokens(tokens: Token[]): StyledChar[];
  styledCharsToString(chars: StyledChar[]): string;
  reduceAnsiCodesIncremental(codes: StyleCode[], add: StyleCode[]): StyleCode[];
}
type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };
interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: { getStringWidth(s: string): number; getStyledChars(s: string): StyledChar[] };
}
interface OutputClass {
  prototype: { get(this: InkOutput): { output: string; height: number } };
}

/** Ink's own pieces, loaded from Ink's directory (the copies its renderer uses). */
interface InkParts {
  Output: OutputClass;
  tok: Tokenizer;
  originalGet: OutputClass['prototype']['get'];
}

/** The bundle's own copies (ink-internals.mjs): Ink is inside the bundle, not in node_modules. */
async function bundledInk(): Promise<InkParts | null> {
  const m = (await import('lxtop:ink-internals')) as { version: string; Output: OutputClass; tok: Tokenizer };
  if (m.version !== WRITTEN_FOR.ink) return null;
  return { Output: m.Output, tok: m.tok, originalGet: m.Output.prototype.get };
}

async function loadInk(): Promise<InkParts | null> {
  try {
    // Replaced by "1" when bundling: patching the node_modules copy would not reach the bundled Ink.
    if (process.env.LXTOP_BUNDLED === '1') return await bundledInk();
    const require = createRequire(import.meta.url);
    const inkEntry = require.resolve('ink'); // .../ink/build/index.js
    const inkRoot = dirname(dirname(inkEntry));
    const version = (JSON.parse(readFileSync(join(inkRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
    if (version !== WRITTEN_FOR.ink) return null;
    const outputFile = join(dirname(inkEntry), 'output.js');
    const inkRequire = createRequire(inkEntry);
    const tokPkg = inkRequire.resolve('@alcalzone/ansi-tokenize/package.json');
    const tokFile = join(dirname(tokPkg), 'build/index.js');
    if (!existsSync(outputFile) || !existsSync(tokFile)) return null;
    const [outputMod, tok] = await Promise.all([
      import(pathToFileURL(outputFile).href) as Promise<{ default: OutputClass }>,
      import(pathToFileURL(tokFile).href) as Promise<Tokenizer>,
    ]);
    const Output = outputMod.default;
    if (typeof Output?.prototype?.get !== 'function' || typeof tok.tokenize !== 'function') return null;
    return { Output, tok, originalGet: Output.prototype.get };
  } catch {
    return null;
  }
}

const SGR = /\x1b\[[0-9;]*m/g;

/**
 * `styledCharsToString(styledCharsFromTokens(tokenize(line)))`, run by run: text between two SGR
 * codes shares one style. A line holding anything else (another escape, a grapheme extender right
 * after a code) goes through the tokenizer as Ink does it.
 */
export function makeLineNormaliser(tok: Tokenizer): (line: string) => string {
  const codeTokens = new Map<string, StyleCode[] | null>();
  const tokensOf = (seq: string): StyleCode[] | null => {
    let t = codeTokens.get(seq);
    if (t === undefined) {
      const all = tok.tokenize(seq);
      t = all.every((x) => x.type === 'ansi') ? (all as StyleCode[]) : null;
      if (codeTokens.size > 512) codeTokens.clear();
      codeTokens.set(seq, t);
    }
    return t;
  };
  const slow = (line: string) => tok.styledCharsToString(tok.styledCharsFromTokens(tok.tokenize(line)));
  const plain = (s: string) => s.indexOf('\x1b') === -1 && s.indexOf('\x9b') === -1;
  return (line: string): string => {
    if (plain(line)) return line;
    const runs: StyledChar[] = [];
    let codes: StyleCode[] = [];
    let at = 0;
    SGR.lastIndex = 0;
    for (let m = SGR.exec(line); m !== null; m = SGR.exec(line)) {
      if (m.index > at) {
        const text = line.slice(at, m.index);
        if (!plain(text)) return slow(line);
        runs.push({ type: 'char', value: text, fullWidth: false, styles: codes });
      }
      const t = tokensOf(m[0]);
      if (t === null) return slow(line);
      for (const code of t) codes = tok.reduceAnsiCodesIncremental(codes, [code]);
      at = m.index + m[0].length;
      // A combining mark (or any grapheme extender) right after a code: the tokenizer's grapheme
      // segmentation treats it specially.
      if (at < line.length && line.charCodeAt(at) >= 0x300) return slow(line);
    }
    if (at < line.length) {
      const text = line.slice(at);
      if (!plain(text)) return slow(line);
      runs.push({ type: 'char', value: text, fullWidth: false, styles: codes });
    }
    return tok.styledCharsToString(runs);
  };
}

/** Rows drawn in the last two frames, by their writes (two generations: a row unused for a frame is dropped). */
class RowCache {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();
  get(key: string): string | undefined {
    let v = this.current.get(key);
    if (v === undefined) {
      v = this.previous.get(key);
      if (v !== undefined) this.current.set(key, v);
    }
    return v;
  }
  set(key: string, value: string): void {
    this.current.set(key, value);
  }
  nextFrame(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as unknown as StyleCode[] }) as StyledChar;

export function makeFastGet(parts: Pick<InkParts, 'tok' | 'originalGet'>): InkParts['originalGet'] {
  const { tok, originalGet } = parts;
  const normalise = makeLineNormaliser(tok);
  const rows = new RowCache();
  return function get(this: InkOutput) {
    const { width, height } = this;
    // Per row: x, line, x, line, ... in the order Ink writes them.
    const writes: (unknown[] | undefined)[] = new Array(height);
    // Clipped output (a Box with overflow hidden, which lxtop does not use): Ink's own way.
    if (this.operations.some((o) => o.type === 'clip')) return originalGet.call(this);
    for (const operation of this.operations) {
      if (operation.type !== 'write') continue;
      // As Ink's Output#get, line by line: transformers, then the row.
      const { x, y, text, transformers } = operation;
      const lines = text.split('\n');
      let offsetY = 0;
      for (const [index, original] of lines.entries()) {
        let line = original;
        const row = y + offsetY;
        // Ink skips a line whose row does not exist, without moving on to the next row.
        if (!(Number.isInteger(row) && row >= 0 && row < height)) continue;
        for (const transformer of transformers) line = transformer(line, index);
        (writes[row] ??= []).push(x, line);
        offsetY++;
      }
    }
    const out: string[] = new Array(height);
    for (let r = 0; r < height; r++) {
      const w = writes[r];
      if (w === undefined) {
        out[r] = '';
        continue;
      }
      const key = `${width}\u0000${w.join('\u0000')}`;
      // (A NUL inside a line could make two rows' keys equal: such rows are not remembered.)
      const cacheable = !w.some((x) => typeof x === 'string' && x.includes('\u0000'));
      let line = cacheable ? rows.get(key) : undefined;
      if (line === undefined) {
        const x = w[0] as number;
        if (w.length === 2 && Number.isInteger(x) && x >= 0 && x <= width) {
          // One write: blanks, then the line's styled chars; the blanks after it are trimmed.
          line = (' '.repeat(x) + normalise(w[1] as string)).trimEnd();
        } else {
          line = gridRow(this, width, w);
        }
        if (cacheable) rows.set(key, line);
      }
      out[r] = line;
    }
    rows.nextFrame();
    return { output: out.join('\n'), height };
  };

  /** Ink's own cell grid, for one row. */
  function gridRow(output: InkOutput, width: number, w: unknown[]): string {
    const currentLine: StyledChar[] = new Array(width).fill(BLANK);
    for (let i = 0; i < w.length; i += 2) {
      const characters = output.caches.getStyledChars(w[i + 1] as string);
      let offsetX = w[i] as number;
      for (const character of characters) {
        currentLine[offsetX] = character;
        const characterWidth = Math.max(1, output.caches.getStringWidth(character.value));
        if (characterWidth > 1) {
          for (let index = 1; index < characterWidth; index++) {
            currentLine[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
          }
        }
        offsetX += characterWidth;
      }
    }
    return tok.styledCharsToString(currentLine.filter((item) => item !== undefined)).trimEnd();
  }
}

/** Ink's Output class and its original `get`, when the fast one is installed (tests compare them). */
export let inkOutput: InkParts | null = null;

const parts = await loadInk();
if (parts && process.env.LXTOP_INK_OUTPUT !== 'ink') {
  inkOutput = parts;
  parts.Output.prototype.get = makeFastGet(parts);
}
